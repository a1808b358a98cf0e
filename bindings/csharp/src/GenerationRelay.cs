using System;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Libquant
{
    /// <summary>
    /// The native text callback of one <c>lq_generate</c> call: decodes each piece (UTF-8), collects the full text,
    /// passes the piece to the caller's delegate, and keeps an exception it throws from unwinding through C (the
    /// callback returns "stop" and <see cref="ThrowIfFaulted"/> rethrows it after the call).
    /// </summary>
    internal sealed class GenerationRelay
    {
        private readonly Func<string, bool> _onText;
        private readonly StringBuilder _text = new StringBuilder();
        private ExceptionDispatchInfo _error;

        internal GenerationRelay(Func<string, bool> onText)
        {
            _onText = onText;
            Callback = OnText;
        }

        /// <summary>The delegate C calls; keep it (the relay) alive for the whole call.</summary>
        internal Native.TokenCallback Callback { get; }

        /// <summary>A function pointer to <see cref="Callback"/>.</summary>
        internal IntPtr Pointer
        {
            get { return Marshal.GetFunctionPointerForDelegate(Callback); }
        }

        /// <summary>The text generated so far.</summary>
        internal string Text
        {
            get { return _text.ToString(); }
        }

        /// <summary>Rethrows, with its original stack, an exception the caller's delegate threw.</summary>
        internal void ThrowIfFaulted()
        {
            if (_error != null)
            {
                _error.Throw();
            }
        }

        private int OnText(IntPtr text, UIntPtr textLength, int token, IntPtr userData)
        {
            if (_error != null)
            {
                return 1;
            }
            try
            {
                string piece = Utf8.FromNative(text, textLength);
                _text.Append(piece);
                return _onText == null || _onText(piece) ? 0 : 1;
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
                return 1;
            }
        }
    }
}
