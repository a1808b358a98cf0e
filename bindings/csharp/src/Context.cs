using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Libquant
{
    /// <summary>
    /// The mutable state of running a model on one sequence (<c>lq_context</c>): its key/value cache, buffers and
    /// threads. Generates text.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Threading: a context runs one call at a time. Calls from several threads are serialised by a lock (a second
    /// <see cref="Generate"/> waits for the first); give each thread its own context to run them in parallel, all
    /// sharing one <see cref="Libquant.Model"/>. <see cref="Cancel"/> and <see cref="ClearCancellation"/> may be
    /// called from any thread at any time. A text callback must not call back into its own context.
    /// </para>
    /// <para>
    /// A context keeps its model alive: the native model is freed only after every context made from it.
    /// </para>
    /// </remarks>
    public sealed class Context : IDisposable
    {
        private static readonly Action<object> CancelFromToken = state => ((Context)state).CancelQuietly();

        private readonly ContextHandle _handle;
        private readonly object _gate = new object();
        private bool _busy;
        private volatile bool _disposed;

        /// <summary>Creates a context for <paramref name="model"/> (<c>lq_context_create</c>).</summary>
        /// <param name="model">A model loaded with weights.</param>
        /// <param name="options">Context size, threads, cache type and backend, or null for the defaults.</param>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        /// <exception cref="ObjectDisposedException"><paramref name="model"/> was disposed.</exception>
        /// <exception cref="LibquantException">
        /// Bad options or a model without weights (<see cref="Status.InvalidArgument"/>), a backend or cache type this
        /// build or machine lacks (<see cref="Status.Unsupported"/>), or no memory for the cache
        /// (<see cref="Status.OutOfMemory"/>).
        /// </exception>
        public Context(Model model, ContextOptions options = null)
        {
            if (model == null)
            {
                throw new ArgumentNullException(nameof(model));
            }
            Native.lq_context_options native = (options ?? new ContextOptions()).ToNative();
            ModelHandle modelHandle = model.Handle;
            bool referenced = false;
            try
            {
                modelHandle.DangerousAddRef(ref referenced);
                IntPtr context;
                LibquantException.Check(Native.lq_context_create(out context, modelHandle, ref native));
                _handle = new ContextHandle(context, modelHandle);
                referenced = false; // the context handle owns the reference now
            }
            finally
            {
                if (referenced)
                {
                    modelHandle.DangerousRelease();
                }
            }
            Model = model;
        }

        /// <summary>The model this context runs.</summary>
        public Model Model { get; }

        /// <summary>Whether <see cref="Dispose"/> was called.</summary>
        public bool IsDisposed
        {
            get { return _disposed; }
        }

        /// <summary>The context's size, positions in use, threads, cache type and backend, read now.</summary>
        public ContextInfo Info
        {
            get
            {
                lock (_gate)
                {
                    ThrowIfUnusable();
                    var info = new Native.lq_context_info { struct_size = Native.SizeOf<Native.lq_context_info>() };
                    LibquantException.Check(Native.lq_context_get_info(_handle, ref info));
                    return new ContextInfo(info);
                }
            }
        }

        /// <summary>Forgets every position: the next generation starts from an empty cache (<c>lq_context_reset</c>).</summary>
        public void Reset()
        {
            lock (_gate)
            {
                ThrowIfUnusable();
                LibquantException.Check(Native.lq_context_reset(_handle));
            }
        }

        /// <summary>Forgets the positions from <paramref name="keep"/> on (<c>lq_context_truncate</c>).</summary>
        /// <param name="keep">Positions to keep, at most <see cref="ContextInfo.TokensInUse"/>.</param>
        public void Truncate(int keep)
        {
            if (keep < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(keep), keep, "The value must not be negative.");
            }
            lock (_gate)
            {
                ThrowIfUnusable();
                LibquantException.Check(Native.lq_context_truncate(_handle, (uint)keep));
            }
        }

        /// <summary>
        /// Generates text after a prompt (<c>lq_generate</c>), streaming each piece to <paramref name="onText"/> on the
        /// calling thread. The cache is reused for the longest prefix of the prompt it already holds.
        /// </summary>
        /// <param name="options">The prompt, sampling and stopping rules.</param>
        /// <param name="onText">
        /// Receives each piece of text as it is ready (whole UTF-8 characters, never empty); return true to go on,
        /// false to stop (<see cref="StopReason.Callback"/>). May be null. An exception it throws stops the
        /// generation and is rethrown from this method once the native call has returned.
        /// </param>
        /// <param name="cancellationToken">
        /// Cancels this call: the result then has <see cref="StopReason.Cancelled"/> and the text so far (no
        /// exception is thrown). A cancellation that comes too late for this call does not affect the next one.
        /// </param>
        /// <returns>The text, why it stopped, and token counts.</returns>
        /// <exception cref="ArgumentException">Neither or both of the prompt kinds are set, or a stop string is empty.</exception>
        /// <exception cref="LibquantException">
        /// The prompt does not fit (<see cref="Status.ContextFull"/>) or the options are out of range
        /// (<see cref="Status.InvalidArgument"/>).
        /// </exception>
        /// <exception cref="InvalidOperationException">Called from a text callback of this same context.</exception>
        public GenerateResult Generate(
            GenerateOptions options,
            Func<string, bool> onText = null,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            GenerateRequest request = GenerateRequest.From(options);
            return Run(request, onText, cancellationToken);
        }

        /// <summary>
        /// Runs <see cref="Generate"/> on the thread pool. <paramref name="onText"/> runs on that pool thread.
        /// </summary>
        /// <param name="options">The prompt, sampling and stopping rules; read before this method returns.</param>
        /// <param name="onText">Receives each piece of text; may be null. Cancel with the token to stop early.</param>
        /// <param name="cancellationToken">
        /// Cancels the generation: the task then completes normally with <see cref="StopReason.Cancelled"/> and the
        /// text so far, so that nothing generated is lost. Callers who prefer an
        /// <see cref="OperationCanceledException"/> call <c>cancellationToken.ThrowIfCancellationRequested()</c>
        /// after awaiting.
        /// </param>
        /// <returns>A task for the result; it faults with the exceptions <see cref="Generate"/> throws.</returns>
        public Task<GenerateResult> GenerateAsync(
            GenerateOptions options,
            Action<string> onText = null,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            GenerateRequest request = GenerateRequest.From(options);
            ThrowIfDisposed();
            Func<string, bool> forward = null;
            if (onText != null)
            {
                forward = piece =>
                {
                    onText(piece);
                    return true;
                };
            }
            return Task.Run(() => Run(request, forward, cancellationToken));
        }

        /// <summary>
        /// Asks the generation running in this context to stop (<c>lq_context_cancel</c>); it returns within one
        /// layer's work with <see cref="StopReason.Cancelled"/>. Callable from any thread.
        /// </summary>
        /// <remarks>
        /// As in C, when no generation runs the request stays pending and cancels the next one; withdraw it with
        /// <see cref="ClearCancellation"/>. A <see cref="CancellationToken"/> passed to <see cref="Generate"/> is tied
        /// to that one call instead.
        /// </remarks>
        [MethodImpl(MethodImplOptions.NoInlining)] // see Native.cs
        public void Cancel()
        {
            ThrowIfDisposed();
            LibquantException.Check(Native.lq_context_cancel(_handle));
        }

        /// <summary>Withdraws a pending <see cref="Cancel"/> request that no call has acted on yet
        /// (<c>lq_context_clear_cancel</c>). Callable from any thread.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)] // see Native.cs
        public void ClearCancellation()
        {
            ThrowIfDisposed();
            LibquantException.Check(Native.lq_context_clear_cancel(_handle));
        }

        /// <summary>
        /// Frees the context (and, if the model was disposed already, the model). A call running on another thread
        /// finishes first: the native context is freed when it returns.
        /// </summary>
        public void Dispose()
        {
            _disposed = true;
            _handle.Dispose();
        }

        private unsafe GenerateResult Run(GenerateRequest request, Func<string, bool> onText, CancellationToken token)
        {
            lock (_gate)
            {
                ThrowIfUnusable();
                _busy = true;
                try
                {
                    var relay = new GenerationRelay(onText);
                    Native.TokenCallback callback = relay.Callback;
                    Native.lq_generate_options native = request.Options;
                    var result = new Native.lq_generate_result
                    {
                        struct_size = Native.SizeOf<Native.lq_generate_result>(),
                    };
                    Status status;
                    LibquantException error = null;
                    using (var stops = new PinnedStringArray(request.StopStrings))
                    fixed (byte* prompt = request.Prompt)
                    fixed (int* promptTokens = request.PromptTokens)
                    {
                        native.prompt = (IntPtr)prompt;
                        native.prompt_tokens = (IntPtr)promptTokens;
                        native.stop = stops.Pointer;
                        native.on_text = relay.Pointer;
                        CancellationTokenRegistration registration = default(CancellationTokenRegistration);
                        if (token.CanBeCanceled)
                        {
                            registration = token.Register(CancelFromToken, this);
                        }
                        try
                        {
                            status = Native.lq_generate(_handle, ref native, ref result);
                            if (status != Status.Ok && status != Status.Cancelled)
                            {
                                error = LibquantException.FromLastError(status);
                            }
                        }
                        finally
                        {
                            registration.Dispose();
                        }
                    }
                    GC.KeepAlive(callback);
                    if (token.IsCancellationRequested && status != Status.Cancelled)
                    {
                        // The token fired after the work was done: its request must not cancel the next call.
                        Native.lq_context_clear_cancel(_handle);
                    }
                    relay.ThrowIfFaulted();
                    if (error != null)
                    {
                        throw error;
                    }
                    StopReason reason = status == Status.Cancelled ? StopReason.Cancelled : (StopReason)result.stop_reason;
                    return new GenerateResult(relay.Text, reason, result);
                }
                finally
                {
                    _busy = false;
                }
            }
        }

        private void CancelQuietly()
        {
            try
            {
                Native.lq_context_cancel(_handle);
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile: nothing left to cancel.
            }
        }

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(Context));
            }
        }

        // Inside the lock: the lock is re-entrant, so a text callback calling back into this context lands here.
        private void ThrowIfUnusable()
        {
            ThrowIfDisposed();
            if (_busy)
            {
                throw new InvalidOperationException(
                    "A text callback must not call back into the context that is generating.");
            }
        }
    }
}
