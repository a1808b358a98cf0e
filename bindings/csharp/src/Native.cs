using System;
using System.Runtime.InteropServices;

// The C API, declared by hand: P/Invoke signatures, mirrors of the public structs (field for field, with the C
// names, checked against the lq_layout tool by the tests) and the callback types.
//
// The [DllImport]s name the soname "libquant.so.1". NativeLibraryLoader dlopen()s the chosen file first; glibc then
// resolves that name to the object already loaded. Mono 6.8 resolves a P/Invoke target when it JIT-compiles the
// *calling* method and remembers a failure, so a method that calls into this class must only be compiled after the
// library is loaded: public entry points call NativeLibraryLoader.EnsureLoaded() and then a [NoInlining] method
// that makes the calls (objects such as Model exist only after loading, so their methods are safe; the few small
// ones that call in directly are [NoInlining] too, so that they cannot be inlined into a caller compiled earlier).
namespace Libquant
{
    /// <summary>P/Invoke declarations of libquant's C API and mirrors of its structs.</summary>
    internal static class Native
    {
        /// <summary>The soname every declaration binds to.</summary>
        internal const string LibraryName = "libquant.so.1";

        /// <summary>The ABI generation this binding was written for (<c>LQ_ABI_VERSION</c>).</summary>
        internal const uint AbiVersion = 1;

        /// <summary><c>LQ_SEED_RANDOM</c>.</summary>
        internal const ulong SeedRandom = ulong.MaxValue;

        // ---- callbacks -------------------------------------------------------------------------------------

        /// <summary><c>lq_progress_callback</c>: non-zero cancels.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int ProgressCallback(float progress, IntPtr userData);

        /// <summary><c>lq_token_callback</c>: non-zero stops generation.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int TokenCallback(IntPtr text, UIntPtr textLength, int token, IntPtr userData);

        /// <summary><c>lq_message_callback</c>.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void MessageCallback(IntPtr line, IntPtr userData);

        /// <summary><c>uint32_t lq_abi_version(void)</c>, called through dlsym before any [DllImport] binds.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate uint AbiVersionFunction();

        /// <summary><c>const char *lq_version(void)</c>, called through dlsym to identify the loaded object.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate IntPtr VersionFunction();

        // ---- struct mirrors --------------------------------------------------------------------------------

#pragma warning disable 0649 // fields written by the library
        [StructLayout(LayoutKind.Sequential)]
        internal struct lq_model_options
        {
            public uint struct_size;
            public uint flags;
            public IntPtr progress;
            public IntPtr progress_user_data;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct lq_model_info
        {
            public uint struct_size;
            public uint gguf_version;
            public IntPtr architecture;
            public IntPtr name;
            public ulong n_params;
            public ulong n_tensor_bytes;
            public ulong tensor_types_mask;
            public uint n_tensors;
            public uint n_vocab;
            public uint n_ctx_train;
            public uint n_embd;
            public uint n_layer;
            public uint n_head;
            public uint n_head_kv;
            public uint reserved;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct lq_vocab_info
        {
            public uint struct_size;
            public uint tokenizer_type;
            public uint n_tokens;
            public int bos;
            public int eos;
            public int eot;
            public int eom;
            public int unk;
            public int sep;
            public int pad;
            public int cls;
            public int mask;
            public int fim_pre;
            public int fim_suf;
            public int fim_mid;
            public int fim_pad;
            public int fim_rep;
            public int fim_sep;
            public uint add_bos;
            public uint add_eos;
            public uint add_space_prefix;
            public uint reserved;
            public IntPtr model;
            public IntPtr pre;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct lq_backend_info
        {
            public uint struct_size;
            public uint backend;
            public uint available;
            public uint reserved;
            public IntPtr name;
            public IntPtr device;
            public IntPtr reason;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct lq_context_options
        {
            public uint struct_size;
            public uint n_ctx;
            public uint n_batch;
            public uint n_threads;
            public uint kv_type;
            public uint backend;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct lq_context_info
        {
            public uint struct_size;
            public uint n_ctx;
            public uint n_past;
            public uint n_batch;
            public uint n_threads;
            public uint n_vocab;
            public uint kv_type;
            public uint backend;
            public ulong kv_bytes;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct lq_generate_options
        {
            public uint struct_size;
            public uint flags;
            public IntPtr prompt;
            public UIntPtr prompt_len;
            public IntPtr prompt_tokens;
            public UIntPtr n_prompt_tokens;
            public int max_tokens;
            public float temperature;
            public int top_k;
            public float top_p;
            public float min_p;
            public float repeat_penalty;
            public int repeat_last_n;
            public float frequency_penalty;
            public float presence_penalty;
            public uint reserved;
            public ulong seed;
            public IntPtr stop;
            public UIntPtr n_stop;
            public IntPtr on_text;
            public IntPtr user_data;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct lq_generate_result
        {
            public uint struct_size;
            public uint stop_reason;
            public uint n_prompt_tokens;
            public uint n_reused_tokens;
            public uint n_generated_tokens;
            public uint reserved;
            public double prompt_seconds;
            public double generate_seconds;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct lq_quantize_options
        {
            public uint struct_size;
            public uint method;
            public IntPtr target;
            public IntPtr tensor_types;
            public IntPtr calibration_path;
            public uint calibration_samples;
            public uint calibration_ctx;
            public uint n_threads;
            public uint flags;
            public IntPtr tokenizer_path;
            public IntPtr progress;
            public IntPtr progress_user_data;
            public IntPtr on_message;
            public IntPtr message_user_data;
            public float smooth_alpha;
        }
#pragma warning restore 0649

        /// <summary>The size of a mirror, for its <c>struct_size</c> field.</summary>
        internal static uint SizeOf<T>() where T : struct
        {
            return (uint)Marshal.SizeOf(typeof(T));
        }

        // ---- core ------------------------------------------------------------------------------------------

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr lq_version();

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lq_abi_version();

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr lq_status_string(Status status);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr lq_last_error_message();

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr lq_tensor_type_name(uint type);

        // ---- models ----------------------------------------------------------------------------------------

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lq_model_options_init(ref lq_model_options options);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_model_load(out ModelHandle model, byte[] path, ref lq_model_options options);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lq_model_free(IntPtr model);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_model_get_info(ModelHandle model, ref lq_model_info info);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_model_get_vocab_info(ModelHandle model, ref lq_vocab_info info);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_model_meta_count(ModelHandle model, out UIntPtr count);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_model_meta_key(
            ModelHandle model, UIntPtr index, [Out] byte[] buffer, UIntPtr capacity, out UIntPtr needed);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_model_meta_string(
            ModelHandle model, byte[] key, [Out] byte[] buffer, UIntPtr capacity, out UIntPtr needed);

        // ---- tokenizer -------------------------------------------------------------------------------------

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_tokenize(
            ModelHandle model, byte[] text, UIntPtr textLength, uint flags, [Out] int[] tokens, UIntPtr capacity,
            out UIntPtr count);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_detokenize(
            ModelHandle model, int[] tokens, UIntPtr count, uint flags, [Out] byte[] text, UIntPtr capacity,
            out UIntPtr needed);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_token_to_piece(
            ModelHandle model, int token, uint flags, [Out] byte[] piece, UIntPtr capacity, out UIntPtr needed);

        // ---- backends and contexts -------------------------------------------------------------------------

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern UIntPtr lq_backend_count();

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_backend_get_info(UIntPtr index, ref lq_backend_info info);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lq_context_options_init(ref lq_context_options options);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_context_create(
            out IntPtr context, ModelHandle model, ref lq_context_options options);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lq_context_free(IntPtr context);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_context_get_info(ContextHandle context, ref lq_context_info info);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_context_reset(ContextHandle context);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_context_truncate(ContextHandle context, uint keep);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_context_cancel(ContextHandle context);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_context_clear_cancel(ContextHandle context);

        // ---- generation ------------------------------------------------------------------------------------

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lq_generate_options_init(ref lq_generate_options options);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_generate(
            ContextHandle context, ref lq_generate_options options, ref lq_generate_result result);

        // ---- quantization ----------------------------------------------------------------------------------

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lq_quantize_options_init(ref lq_quantize_options options);

        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
        internal static extern Status lq_quantize(byte[] inputPath, byte[] outputPath, ref lq_quantize_options options);
    }
}
