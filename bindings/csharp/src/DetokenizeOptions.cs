using System;

namespace Libquant
{
    /// <summary>How <see cref="Model.Detokenize(int[], DetokenizeOptions)"/> renders tokens (<c>lq_detokenize_flags</c>).</summary>
    [Flags]
    public enum DetokenizeOptions
    {
        /// <summary>Control and unknown tokens give no text; the leading space SentencePiece adds is removed.</summary>
        None = 0,

        /// <summary>Write the text of control, unknown and unused tokens (<c>LQ_DETOKENIZE_RENDER_SPECIAL</c>).</summary>
        RenderSpecial = 1 << 0,

        /// <summary>
        /// Keep the space SentencePiece puts in front of text (<c>LQ_DETOKENIZE_KEEP_LEADING_SPACE</c>): use it when
        /// the tokens continue earlier text.
        /// </summary>
        KeepLeadingSpace = 1 << 1,
    }
}
