using System;
using System.Collections.Generic;
using System.Text;

namespace Libquant
{
    /// <content>Tokenization: text to token ids and back. Thread-safe: any number of threads may call these at once.</content>
    public sealed partial class Model
    {
        /// <summary>Turns UTF-8 text into token ids (<c>lq_tokenize</c>).</summary>
        /// <param name="text">The text.</param>
        /// <param name="options">
        /// Special-token handling; the default <see cref="TokenizeOptions.AddSpecial"/> adds BOS/EOS as the model
        /// says, as generation does.
        /// </param>
        /// <returns>The token ids.</returns>
        /// <exception cref="LibquantException">The model has no vocabulary (<see cref="Status.NotFound"/>).</exception>
        public int[] Tokenize(string text, TokenizeOptions options = TokenizeOptions.AddSpecial)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }
            ModelHandle handle = Handle;
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            var length = new UIntPtr((uint)bytes.Length);
            return SizeQuery.Ints(
                (int[] buffer, UIntPtr capacity, out UIntPtr needed) =>
                    Native.lq_tokenize(handle, bytes, length, (uint)options, buffer, capacity, out needed),
                bytes.Length + 4);
        }

        /// <summary>Turns token ids back into text (<c>lq_detokenize</c>).</summary>
        /// <param name="tokens">The token ids.</param>
        /// <param name="options">Rendering of special tokens and of the leading space.</param>
        /// <returns>The text; detokenizing the result of <see cref="Tokenize"/> gives the original text.</returns>
        /// <exception cref="LibquantException">A token outside the vocabulary (<see cref="Status.InvalidArgument"/>).</exception>
        public string Detokenize(int[] tokens, DetokenizeOptions options = DetokenizeOptions.None)
        {
            if (tokens == null)
            {
                throw new ArgumentNullException(nameof(tokens));
            }
            return Encoding.UTF8.GetString(DetokenizeToBytes(tokens, options));
        }

        /// <summary>Turns token ids back into text (<c>lq_detokenize</c>).</summary>
        /// <param name="tokens">The token ids.</param>
        /// <param name="options">Rendering of special tokens and of the leading space.</param>
        /// <returns>The text.</returns>
        public string Detokenize(IEnumerable<int> tokens, DetokenizeOptions options = DetokenizeOptions.None)
        {
            if (tokens == null)
            {
                throw new ArgumentNullException(nameof(tokens));
            }
            return Detokenize(new List<int>(tokens).ToArray(), options);
        }

        /// <summary>
        /// Turns token ids back into UTF-8 bytes exactly as the model encodes them (which may be invalid UTF-8).
        /// </summary>
        /// <param name="tokens">The token ids.</param>
        /// <param name="options">Rendering of special tokens and of the leading space.</param>
        /// <returns>The bytes.</returns>
        public byte[] DetokenizeToBytes(int[] tokens, DetokenizeOptions options = DetokenizeOptions.None)
        {
            if (tokens == null)
            {
                throw new ArgumentNullException(nameof(tokens));
            }
            ModelHandle handle = Handle;
            var count = new UIntPtr((uint)tokens.Length);
            return SizeQuery.Bytes(
                (byte[] buffer, UIntPtr capacity, out UIntPtr needed) =>
                    Native.lq_detokenize(handle, tokens, count, (uint)options, buffer, capacity, out needed),
                tokens.Length * 8 + 16);
        }

        /// <summary>
        /// The bytes one token stands for (<c>lq_token_to_piece</c>), no space removed; possibly part of a UTF-8
        /// character (byte tokens).
        /// </summary>
        /// <param name="token">A token id.</param>
        /// <param name="renderSpecial">Whether control tokens give their text.</param>
        /// <returns>The bytes.</returns>
        public byte[] GetTokenPiece(int token, bool renderSpecial = false)
        {
            ModelHandle handle = Handle;
            uint flags = renderSpecial ? (uint)DetokenizeOptions.RenderSpecial : 0u;
            return SizeQuery.Bytes(
                (byte[] buffer, UIntPtr capacity, out UIntPtr needed) =>
                    Native.lq_token_to_piece(handle, token, flags, buffer, capacity, out needed),
                32);
        }
    }
}
