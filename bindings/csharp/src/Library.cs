using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;

namespace Libquant
{
    /// <summary>
    /// The native library as a whole: loading it from a chosen place, its version and its compute backends.
    /// </summary>
    /// <remarks>
    /// The library is loaded on first use. The search order is: the path given to <see cref="Load(string)"/>, the
    /// environment variable <c>LIBQUANT_LIBRARY</c>, <c>libquant.so.1</c> next to Libquant.dll,
    /// <c>/usr/local/lib/libquant.so.1</c>, then the system loader (<c>LD_LIBRARY_PATH</c>, the ld.so cache). When
    /// nothing usable is found, a <see cref="LibraryLoadException"/> lists every place tried and why it failed.
    /// </remarks>
    public static class Library
    {
        /// <summary>The ABI generation this binding requires of the native library (<c>LQ_ABI_VERSION</c>).</summary>
        public const int RequiredAbiVersion = (int)Native.AbiVersion;

        /// <summary>
        /// Loads libquant now, trying <paramref name="path"/> first when it is given, then the default search.
        /// Call it before any other libquant call to choose the file; later calls with the same file (or none) do
        /// nothing.
        /// </summary>
        /// <param name="path">Full path of <c>libquant.so.1</c>, or null for the default search.</param>
        /// <exception cref="LibraryLoadException">No usable library was found.</exception>
        /// <exception cref="InvalidOperationException">Another file was loaded already.</exception>
        public static void Load(string path = null)
        {
            NativeLibraryLoader.Load(path);
        }

        /// <summary>The file the library was loaded from (a bare name: found by the system loader); null before.</summary>
        public static string LoadedPath
        {
            get { return NativeLibraryLoader.LoadedFrom; }
        }

        /// <summary>The version of the loaded library (<c>lq_version()</c>), e.g. "0.2.0". Loads the library.</summary>
        public static string Version
        {
            get
            {
                NativeLibraryLoader.EnsureLoaded();
                return ReadVersion();
            }
        }

        /// <summary>The ABI generation of the loaded library (<c>lq_abi_version()</c>). Loads the library.</summary>
        public static int AbiVersion
        {
            get
            {
                NativeLibraryLoader.EnsureLoaded();
                return ReadAbiVersion();
            }
        }

        /// <summary>
        /// Every compute backend libquant knows, built or not, each saying whether it can run here and why not.
        /// Loads the library.
        /// </summary>
        /// <returns>The backends, in the library's order.</returns>
        public static IReadOnlyList<BackendInfo> GetBackends()
        {
            NativeLibraryLoader.EnsureLoaded();
            return ReadBackends();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string ReadVersion()
        {
            return Utf8.FromNative(Native.lq_version());
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ReadAbiVersion()
        {
            return (int)Native.lq_abi_version();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static IReadOnlyList<BackendInfo> ReadBackends()
        {
            ulong count = Native.lq_backend_count().ToUInt64();
            var backends = new List<BackendInfo>();
            for (ulong i = 0; i < count; i++)
            {
                var info = new Native.lq_backend_info { struct_size = Native.SizeOf<Native.lq_backend_info>() };
                LibquantException.Check(Native.lq_backend_get_info(new UIntPtr(i), ref info));
                backends.Add(new BackendInfo(info));
            }
            return new ReadOnlyCollection<BackendInfo>(backends);
        }
    }
}
