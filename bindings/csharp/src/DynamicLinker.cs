using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Libquant
{
    /// <summary>
    /// dlopen/dlsym/dlclose/dlerror through P/Invoke: from libdl.so.2 (glibc), or from libc where libdl is absent
    /// (glibc 2.34 and later, musl keep them there).
    /// </summary>
    internal static class DynamicLinker
    {
        internal const int RtldNow = 0x002;
        internal const int RtldNoLoad = 0x004;
        internal const int RtldGlobal = 0x100;

        private static bool _useLibc;

        /// <summary>dlopen(); on failure returns IntPtr.Zero and dlerror()'s text in <paramref name="error"/>.</summary>
        internal static IntPtr Open(string file, int mode, out string error)
        {
            byte[] name = Encoding.UTF8.GetBytes(file + "\0");
            ClearError();
            IntPtr handle = _useLibc ? LibC.dlopen(name, mode) : LibDl.dlopen(name, mode);
            error = handle == IntPtr.Zero ? LastError() : null;
            return handle;
        }

        /// <summary>dlsym(); on failure returns IntPtr.Zero and dlerror()'s text in <paramref name="error"/>.</summary>
        internal static IntPtr Symbol(IntPtr handle, string symbol, out string error)
        {
            byte[] name = Encoding.UTF8.GetBytes(symbol + "\0");
            ClearError();
            IntPtr address = _useLibc ? LibC.dlsym(handle, name) : LibDl.dlsym(handle, name);
            error = address == IntPtr.Zero ? LastError() : null;
            return address;
        }

        /// <summary>dlclose().</summary>
        internal static void Close(IntPtr handle)
        {
            if (_useLibc)
            {
                LibC.dlclose(handle);
            }
            else
            {
                LibDl.dlclose(handle);
            }
        }

        // Also binds dlerror before the call whose error it reports, so that binding it cannot reset that error.
        private static void ClearError()
        {
            if (!_useLibc)
            {
                try
                {
                    LibDl.dlerror();
                    return;
                }
                catch (DllNotFoundException)
                {
                    _useLibc = true;
                }
                catch (EntryPointNotFoundException)
                {
                    _useLibc = true;
                }
            }
            LibC.dlerror();
        }

        private static string LastError()
        {
            IntPtr text = _useLibc ? LibC.dlerror() : LibDl.dlerror();
            return Utf8.FromNative(text) ?? "unknown dynamic loader error";
        }

        private static class LibDl
        {
            [DllImport("libdl.so.2", CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr dlopen(byte[] file, int mode);

            [DllImport("libdl.so.2", CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr dlsym(IntPtr handle, byte[] symbol);

            [DllImport("libdl.so.2", CallingConvention = CallingConvention.Cdecl)]
            internal static extern int dlclose(IntPtr handle);

            [DllImport("libdl.so.2", CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr dlerror();
        }

        private static class LibC
        {
            [DllImport("libc.so.6", CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr dlopen(byte[] file, int mode);

            [DllImport("libc.so.6", CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr dlsym(IntPtr handle, byte[] symbol);

            [DllImport("libc.so.6", CallingConvention = CallingConvention.Cdecl)]
            internal static extern int dlclose(IntPtr handle);

            [DllImport("libc.so.6", CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr dlerror();
        }
    }
}
