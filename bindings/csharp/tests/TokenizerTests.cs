using System.Text;

namespace Libquant.Tests
{
    /// <summary>Text to token ids and back.</summary>
    public static class TokenizerTests
    {
        private const string Sentence = "Once upon a time, there was a little girl.";

        [Test]
        public static void RoundTrip()
        {
            Model model = Fixture.Model;
            int[] tokens = model.Tokenize(Sentence);
            Assert.True(tokens.Length > 2, "token count " + tokens.Length);
            Assert.Equal(1, tokens[0], "first token is BOS");
            Assert.Equal(Sentence, model.Detokenize(tokens), "detokenized text");

            int[] plain = model.Tokenize(Sentence, TokenizeOptions.None);
            Assert.Equal(tokens.Length - 1, plain.Length, "tokens without BOS");
            Assert.True(plain[0] != 1, "no BOS without AddSpecial");
        }

        [Test]
        public static void NonAsciiTextRoundTrips()
        {
            // Byte fallback: characters outside the tiny vocabulary still come back exactly.
            const string text = "Grüße, 世界! 🙂";
            Model model = Fixture.Model;
            Assert.Equal(text, model.Detokenize(model.Tokenize(text)), "detokenized text");
        }

        [Test]
        public static void LongTextUsesTheRetryPath()
        {
            var text = new StringBuilder();
            for (int i = 0; i < 200; i++)
            {
                text.Append("The little dog ran to the park and played with a ball. ");
            }
            string expected = text.ToString().TrimEnd();
            Model model = Fixture.Model;
            Assert.Equal(expected, model.Detokenize(model.Tokenize(expected)), "long text");
        }

        [Test]
        public static void TokenPieceAndBadToken()
        {
            Model model = Fixture.Model;
            int[] tokens = model.Tokenize("girl", TokenizeOptions.None);
            var piece = new StringBuilder();
            foreach (int token in tokens)
            {
                piece.Append(Encoding.UTF8.GetString(model.GetTokenPiece(token)));
            }
            Assert.Equal("girl", piece.ToString().TrimStart(' ', '\u2581'), "pieces");
            var e = Assert.Throws<LibquantException>(() => model.Detokenize(new[] { 100000 }), "bad token");
            Assert.Equal(Status.InvalidArgument, e.Status, "status");
            Assert.True(e.Message.Length > 0, "message");
        }
    }
}
