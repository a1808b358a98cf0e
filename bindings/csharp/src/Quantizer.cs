using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Libquant
{
    /// <summary>
    /// Quantizes model files (<c>lq_quantize</c>): reads GGUF (or llama2.c) and writes a new GGUF file, tensor by
    /// tensor with bounded memory. The output is written under a temporary name and renamed at the end, so a failed
    /// or cancelled run leaves no file.
    /// </summary>
    public static class Quantizer
    {
        /// <summary>Quantizes <paramref name="inputPath"/> into <paramref name="outputPath"/>.</summary>
        /// <param name="inputPath">The model to quantize.</param>
        /// <param name="outputPath">The GGUF file to write.</param>
        /// <param name="options">Target, method and callbacks; null for Q8_0 by round to nearest.</param>
        /// <exception cref="LibquantException">
        /// An unknown target or method (<see cref="Status.InvalidArgument"/>), a file error (<see cref="Status.IO"/>),
        /// a malformed input (<see cref="Status.ModelFormat"/>), or <see cref="QuantizeOptions.Progress"/> returned
        /// false (<see cref="Status.Cancelled"/>).
        /// </exception>
        public static void Quantize(string inputPath, string outputPath, QuantizeOptions options = null)
        {
            Quantize(inputPath, outputPath, options, null, CancellationToken.None);
        }

        /// <summary>
        /// Quantizes <paramref name="inputPath"/> into <paramref name="outputPath"/>, reporting progress and
        /// observing a cancellation token.
        /// </summary>
        /// <param name="inputPath">The model to quantize.</param>
        /// <param name="outputPath">The GGUF file to write.</param>
        /// <param name="options">Target, method and callbacks; null for the defaults.</param>
        /// <param name="progress">
        /// Receives the fraction done (0 to 1). It is called through <see cref="IProgress{T}.Report"/>, so a
        /// <see cref="Progress{T}"/> posts the values to its synchronisation context (or the thread pool, where they
        /// may arrive out of order); may be null.
        /// </param>
        /// <param name="cancellationToken">Stops the work at the next progress report.</param>
        /// <exception cref="OperationCanceledException">The token was cancelled; no file is left.</exception>
        /// <exception cref="LibquantException">As <see cref="Quantize(string, string, QuantizeOptions)"/>.</exception>
        public static void Quantize(
            string inputPath,
            string outputPath,
            QuantizeOptions options,
            IProgress<float> progress,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            if (inputPath == null)
            {
                throw new ArgumentNullException(nameof(inputPath));
            }
            if (outputPath == null)
            {
                throw new ArgumentNullException(nameof(outputPath));
            }
            cancellationToken.ThrowIfCancellationRequested();
            NativeLibraryLoader.EnsureLoaded();
            QuantizeLoaded(inputPath, outputPath, options ?? new QuantizeOptions(), progress, cancellationToken);
        }

        /// <summary>Runs <see cref="Quantize(string, string, QuantizeOptions, IProgress{float}, CancellationToken)"/>
        /// on the thread pool.</summary>
        /// <param name="inputPath">The model to quantize.</param>
        /// <param name="outputPath">The GGUF file to write.</param>
        /// <param name="options">Target, method and callbacks; null for the defaults. The callbacks run on the pool
        /// thread.</param>
        /// <param name="progress">Receives the fraction done; may be null.</param>
        /// <param name="cancellationToken">Stops the work; the task is then cancelled.</param>
        /// <returns>A task that completes when the file is written.</returns>
        public static Task QuantizeAsync(
            string inputPath,
            string outputPath,
            QuantizeOptions options = null,
            IProgress<float> progress = null,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            if (inputPath == null)
            {
                throw new ArgumentNullException(nameof(inputPath));
            }
            if (outputPath == null)
            {
                throw new ArgumentNullException(nameof(outputPath));
            }
            return Task.Run(() => Quantize(inputPath, outputPath, options, progress, cancellationToken), cancellationToken);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void QuantizeLoaded(
            string inputPath, string outputPath, QuantizeOptions options, IProgress<float> progress,
            CancellationToken token)
        {
            byte[] input = Utf8.ToNullTerminated(inputPath, nameof(inputPath));
            byte[] output = Utf8.ToNullTerminated(outputPath, nameof(outputPath));
            byte[] target = Utf8.ToNullTerminated(options.Target, nameof(options.Target));
            byte[] tensorTypes = Utf8.ToNullTerminated(options.TensorTypes, nameof(options.TensorTypes));
            byte[] calibration = Utf8.ToNullTerminated(options.CalibrationPath, nameof(options.CalibrationPath));
            byte[] tokenizer = Utf8.ToNullTerminated(options.TokenizerPath, nameof(options.TokenizerPath));
            var relay = new ProgressRelay(options.Progress, progress, options.OnMessage, token);
            Native.ProgressCallback progressCallback = relay.ProgressCallback;
            Native.MessageCallback messageCallback = relay.MessageCallback;

            var pins = new GCHandle[4];
            Status status;
            LibquantException error = null;
            try
            {
                var native = new Native.lq_quantize_options
                {
                    struct_size = Native.SizeOf<Native.lq_quantize_options>(),
                    method = (uint)options.Method,
                    target = Pin(target, ref pins[0]),
                    tensor_types = Pin(tensorTypes, ref pins[1]),
                    calibration_path = Pin(calibration, ref pins[2]),
                    calibration_samples = NonNegative(options.CalibrationSamples, nameof(options.CalibrationSamples)),
                    calibration_ctx = NonNegative(options.CalibrationContextSize, nameof(options.CalibrationContextSize)),
                    n_threads = NonNegative(options.Threads, nameof(options.Threads)),
                    flags = options.Flags,
                    tokenizer_path = Pin(tokenizer, ref pins[3]),
                    progress = relay.ProgressPointer,
                    on_message = relay.MessagePointer,
                    smooth_alpha = options.SmoothAlpha,
                };
                status = Native.lq_quantize(input, output, ref native);
                if (status != Status.Ok)
                {
                    error = LibquantException.FromLastError(status);
                }
            }
            finally
            {
                for (int i = 0; i < pins.Length; i++)
                {
                    if (pins[i].IsAllocated)
                    {
                        pins[i].Free();
                    }
                }
            }
            GC.KeepAlive(progressCallback);
            GC.KeepAlive(messageCallback);
            relay.ThrowIfFaulted();
            if (error == null)
            {
                return;
            }
            if (status == Status.Cancelled && relay.StoppedByToken)
            {
                throw new OperationCanceledException(error.Message, error, token);
            }
            throw error;
        }

        private static IntPtr Pin(byte[] bytes, ref GCHandle handle)
        {
            if (bytes == null)
            {
                return IntPtr.Zero;
            }
            handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
            return handle.AddrOfPinnedObject();
        }

        private static uint NonNegative(int value, string name)
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(name, value, "The value must not be negative.");
            }
            return (uint)value;
        }
    }
}
