using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;

namespace Libquant
{
    /// <summary>
    /// A loaded model (<c>lq_model</c>): weights, hyper-parameters, vocabulary and metadata.
    /// </summary>
    /// <remarks>
    /// A model is immutable once loaded; any number of threads and contexts may use it at once. Dispose it when
    /// done: the native model is freed once it is disposed and every <see cref="Context"/> made from it is too.
    /// </remarks>
    public sealed partial class Model : IDisposable
    {
        private readonly ModelHandle _handle;
        private volatile bool _disposed;

        private Model(ModelHandle handle)
        {
            _handle = handle;
            var info = new Native.lq_model_info { struct_size = Native.SizeOf<Native.lq_model_info>() };
            LibquantException.Check(Native.lq_model_get_info(handle, ref info));
            Info = new ModelInfo(info);

            var vocab = new Native.lq_vocab_info { struct_size = Native.SizeOf<Native.lq_vocab_info>() };
            Status status = Native.lq_model_get_vocab_info(handle, ref vocab);
            if (status != Status.NotFound)
            {
                LibquantException.Check(status);
                Vocabulary = new VocabularyInfo(vocab);
            }
        }

        /// <summary>The model's summary (architecture, name, sizes), read once at load.</summary>
        public ModelInfo Info { get; }

        /// <summary>The vocabulary, or null when the model has none (or was loaded with
        /// <see cref="ModelLoadOptions.MetadataOnly"/>).</summary>
        public VocabularyInfo Vocabulary { get; }

        /// <summary>Whether <see cref="Dispose"/> was called.</summary>
        public bool IsDisposed
        {
            get { return _disposed; }
        }

        internal ModelHandle Handle
        {
            get
            {
                ThrowIfDisposed();
                return _handle;
            }
        }

        /// <summary>Loads a GGUF model file (<c>lq_model_load</c>). The file is validated completely first.</summary>
        /// <param name="path">Path of the file.</param>
        /// <param name="options">Flags and a progress callback, or null for the defaults.</param>
        /// <returns>The model; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
        /// <exception cref="LibquantException">
        /// The file cannot be read (<see cref="Status.IO"/>), is not valid GGUF (<see cref="Status.ModelFormat"/>),
        /// cannot run in this build (<see cref="Status.Unsupported"/>), or the progress callback cancelled
        /// (<see cref="Status.Cancelled"/>).
        /// </exception>
        /// <exception cref="LibraryLoadException">The native library could not be loaded.</exception>
        public static Model Load(string path, ModelLoadOptions options = null)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            NativeLibraryLoader.EnsureLoaded();
            return LoadLoaded(path, options ?? new ModelLoadOptions());
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Model LoadLoaded(string path, ModelLoadOptions options)
        {
            byte[] nativePath = Utf8.ToNullTerminated(path, nameof(path));
            var relay = new ProgressRelay(options.Progress, null, null, CancellationToken.None);
            Native.ProgressCallback callback = relay.ProgressCallback;
            var native = new Native.lq_model_options
            {
                struct_size = Native.SizeOf<Native.lq_model_options>(),
                flags = options.Flags,
                progress = relay.ProgressPointer,
            };
            ModelHandle handle;
            Status status = Native.lq_model_load(out handle, nativePath, ref native);
            LibquantException error = status == Status.Ok ? null : LibquantException.FromLastError(status);
            GC.KeepAlive(callback);
            if (error != null)
            {
                handle.Dispose();
                relay.ThrowIfFaulted();
                throw error;
            }
            try
            {
                relay.ThrowIfFaulted();
                return new Model(handle);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        /// <summary>Creates a context to generate with (same as <c>new Context(this, options)</c>).</summary>
        /// <param name="options">Context size, threads, cache type and backend, or null for the defaults.</param>
        /// <returns>The context; dispose it when done.</returns>
        /// <exception cref="LibquantException">Bad options, an unavailable backend, or not enough memory.</exception>
        public Context CreateContext(ContextOptions options = null)
        {
            return new Context(this, options);
        }

        /// <summary>The keys of the file's metadata entries, in file order.</summary>
        /// <returns>The keys.</returns>
        public IReadOnlyList<string> GetMetadataKeys()
        {
            ModelHandle handle = Handle;
            UIntPtr count;
            LibquantException.Check(Native.lq_model_meta_count(handle, out count));
            var keys = new List<string>();
            for (ulong i = 0; i < count.ToUInt64(); i++)
            {
                var index = new UIntPtr(i);
                byte[] key = SizeQuery.Bytes(
                    (byte[] buffer, UIntPtr capacity, out UIntPtr needed) =>
                        Native.lq_model_meta_key(handle, index, buffer, capacity, out needed),
                    64);
                keys.Add(Encoding.UTF8.GetString(key));
            }
            return new ReadOnlyCollection<string>(keys);
        }

        /// <summary>
        /// A metadata entry as text (<c>lq_model_meta_string</c>): strings as they are, numbers in decimal,
        /// booleans as "true"/"false", arrays as JSON.
        /// </summary>
        /// <param name="key">The key, e.g. "general.name" or "llama.context_length".</param>
        /// <returns>The value as text.</returns>
        /// <exception cref="LibquantException">No such key (<see cref="Status.NotFound"/>).</exception>
        public string GetMetadata(string key)
        {
            string value;
            Status status = ReadMetadata(key, out value);
            LibquantException.Check(status);
            return value;
        }

        /// <summary>A metadata entry as text, if the model has it (see <see cref="GetMetadata"/>).</summary>
        /// <param name="key">The key.</param>
        /// <param name="value">The value as text, or null.</param>
        /// <returns>True when the key exists.</returns>
        public bool TryGetMetadata(string key, out string value)
        {
            Status status = ReadMetadata(key, out value);
            if (status == Status.NotFound)
            {
                return false;
            }
            LibquantException.Check(status);
            return true;
        }

        private Status ReadMetadata(string key, out string value)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key));
            }
            ModelHandle handle = Handle;
            byte[] nativeKey = Utf8.ToNullTerminated(key, nameof(key));
            var buffer = new byte[256];
            for (;;)
            {
                UIntPtr needed;
                Status status = Native.lq_model_meta_string(
                    handle, nativeKey, buffer, new UIntPtr((uint)buffer.Length), out needed);
                if (status == Status.BufferTooSmall && needed.ToUInt64() > (ulong)buffer.Length)
                {
                    buffer = new byte[checked((int)needed.ToUInt64())];
                    continue;
                }
                value = status == Status.Ok ? Encoding.UTF8.GetString(buffer, 0, (int)needed.ToUInt64() - 1) : null;
                return status;
            }
        }

        /// <summary>
        /// Releases this reference to the native model. It is freed when every context made from it is disposed too.
        /// </summary>
        public void Dispose()
        {
            _disposed = true;
            _handle.Dispose();
        }

        /// <summary>The architecture and name.</summary>
        /// <returns>A one-line description.</returns>
        public override string ToString()
        {
            return "Model(" + Info.Architecture + ", " + Info.Name + ")";
        }

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(Model));
            }
        }
    }
}
