using System;

namespace Libquant
{
    /// <summary>How <see cref="Model.Tokenize(string, TokenizeOptions)"/> treats special tokens (<c>lq_tokenize_flags</c>).</summary>
    [Flags]
    public enum TokenizeOptions
    {
        /// <summary>Plain text: no BOS/EOS, control-token text stays text.</summary>
        None = 0,

        /// <summary>Add BOS and EOS as the model's metadata says (<c>LQ_TOKENIZE_ADD_SPECIAL</c>).</summary>
        AddSpecial = 1 << 0,

        /// <summary>
        /// Turn the text of control tokens (<c>&lt;s&gt;</c>, <c>&lt;|im_start|&gt;</c>) into those tokens
        /// (<c>LQ_TOKENIZE_PARSE_SPECIAL</c>); leave it off for user text, so that it cannot forge them.
        /// </summary>
        ParseSpecial = 1 << 1,
    }
}
