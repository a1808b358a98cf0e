using System;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Libquant
{
    /// <summary>
    /// The native progress and message callbacks of one long call (loading, quantizing): forwards them to the
    /// caller's delegates, turns a cancelled token into "stop", and keeps an exception a delegate throws from
    /// unwinding through C (it stops the work and is rethrown by <see cref="ThrowIfFaulted"/>).
    /// </summary>
    internal sealed class ProgressRelay
    {
        private readonly Func<float, bool> _progress;
        private readonly IProgress<float> _reporter;
        private readonly Action<string> _message;
        private readonly CancellationToken _token;
        private ExceptionDispatchInfo _error;

        internal ProgressRelay(
            Func<float, bool> progress, IProgress<float> reporter, Action<string> message, CancellationToken token)
        {
            _progress = progress;
            _reporter = reporter;
            _message = message;
            _token = token;
            ProgressCallback = OnProgress;
            MessageCallback = OnMessage;
        }

        /// <summary>The delegate behind <see cref="ProgressPointer"/>; the relay keeps it alive.</summary>
        internal Native.ProgressCallback ProgressCallback { get; }

        /// <summary>The delegate behind <see cref="MessagePointer"/>; the relay keeps it alive.</summary>
        internal Native.MessageCallback MessageCallback { get; }

        /// <summary>The progress callback for C, or IntPtr.Zero when nobody listens or can cancel.</summary>
        internal IntPtr ProgressPointer
        {
            get
            {
                bool needed = _progress != null || _reporter != null || _token.CanBeCanceled || _message != null;
                return needed ? Marshal.GetFunctionPointerForDelegate(ProgressCallback) : IntPtr.Zero;
            }
        }

        /// <summary>The message callback for C, or IntPtr.Zero without a message delegate.</summary>
        internal IntPtr MessagePointer
        {
            get { return _message != null ? Marshal.GetFunctionPointerForDelegate(MessageCallback) : IntPtr.Zero; }
        }

        /// <summary>Whether the caller's token asked for the stop.</summary>
        internal bool StoppedByToken { get; private set; }

        /// <summary>Rethrows, with its original stack, an exception a delegate threw during the call.</summary>
        internal void ThrowIfFaulted()
        {
            if (_error != null)
            {
                _error.Throw();
            }
        }

        private int OnProgress(float progress, IntPtr userData)
        {
            if (_error != null)
            {
                return 1;
            }
            try
            {
                if (_token.IsCancellationRequested)
                {
                    StoppedByToken = true;
                    return 1;
                }
                if (_reporter != null)
                {
                    _reporter.Report(progress);
                }
                if (_progress != null && !_progress(progress))
                {
                    return 1;
                }
                return 0;
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
                return 1;
            }
        }

        private void OnMessage(IntPtr line, IntPtr userData)
        {
            if (_error != null)
            {
                return;
            }
            try
            {
                _message(Utf8.FromNative(line) ?? string.Empty);
            }
            catch (Exception e)
            {
                // A message callback cannot stop the work; the next progress callback does.
                _error = ExceptionDispatchInfo.Capture(e);
            }
        }
    }
}
