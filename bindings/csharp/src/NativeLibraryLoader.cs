using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Libquant
{
    /// <summary>
    /// Finds and loads libquant before the first [DllImport] call: the caller's explicit path, then the environment
    /// variable <c>LIBQUANT_LIBRARY</c>, then <c>libquant.so.1</c> in this assembly's folder, then
    /// <c>/usr/local/lib/libquant.so.1</c>, then the system loader's search for <c>libquant.so.1</c>. The first file
    /// that loads, carries the soname <c>libquant.so.1</c> and reports ABI version 1 wins.
    /// </summary>
    internal static class NativeLibraryLoader
    {
        internal const string EnvironmentVariable = "LIBQUANT_LIBRARY";
        internal const string InstallPath = "/usr/local/lib/" + Native.LibraryName;

        private static readonly object Gate = new object();
        private static IntPtr _handle;
        private static volatile string _loadedFrom;

        /// <summary>Where the library was loaded from; null before loading.</summary>
        internal static string LoadedFrom
        {
            get { return _loadedFrom; }
        }

        /// <summary>Loads the library by the default search unless it is loaded already. Cheap once loaded.</summary>
        internal static void EnsureLoaded()
        {
            if (_loadedFrom == null)
            {
                Load(null);
            }
        }

        /// <summary>Loads the library, trying <paramref name="explicitPath"/> (when not null) first.</summary>
        internal static void Load(string explicitPath)
        {
            lock (Gate)
            {
                if (_loadedFrom != null)
                {
                    if (explicitPath != null && !IsLoadedObject(explicitPath))
                    {
                        throw new InvalidOperationException(
                            "libquant is already loaded from " + _loadedFrom + "; a process cannot switch to " +
                            explicitPath + ". Call Library.Load(path) before any other libquant call.");
                    }
                    return;
                }

                var paths = new List<string>();
                var reasons = new List<string>();
                bool rejected = false;
                foreach (string candidate in Candidates(explicitPath))
                {
                    if (paths.Contains(candidate))
                    {
                        continue;
                    }
                    bool wrongLibrary;
                    string reason = TryLoad(candidate, out wrongLibrary);
                    if (reason == null)
                    {
                        _loadedFrom = candidate;
                        return;
                    }
                    rejected |= wrongLibrary;
                    paths.Add(candidate);
                    reasons.Add(reason);
                }
                throw new LibraryLoadException(rejected ? Status.Unsupported : Status.IO, paths, reasons);
            }
        }

        private static IEnumerable<string> Candidates(string explicitPath)
        {
            if (!string.IsNullOrEmpty(explicitPath))
            {
                yield return explicitPath;
            }
            string fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                yield return fromEnvironment;
            }
            // The assembly's folder before the install prefix: Mono's [DllImport] probes that folder before the
            // names already loaded, so a copy there is the one the declarations would bind to anyway.
            string folder = AssemblyFolder();
            if (folder != null)
            {
                yield return Path.Combine(folder, Native.LibraryName);
            }
            yield return InstallPath;
            yield return Native.LibraryName;
        }

        private static string AssemblyFolder()
        {
            string location = typeof(NativeLibraryLoader).Assembly.Location;
            return string.IsNullOrEmpty(location) ? null : Path.GetDirectoryName(Path.GetFullPath(location));
        }

        // Null when loaded; else why not. wrongLibrary: the file loaded but is not a usable libquant.
        private static string TryLoad(string candidate, out bool wrongLibrary)
        {
            wrongLibrary = false;
            string error;
            IntPtr handle = DynamicLinker.Open(candidate, DynamicLinker.RtldNow | DynamicLinker.RtldGlobal, out error);
            if (handle == IntPtr.Zero)
            {
                // dlerror() names the file itself; the list names it already.
                return error.StartsWith(candidate + ": ", StringComparison.Ordinal)
                    ? error.Substring(candidate.Length + 2)
                    : error;
            }

            wrongLibrary = true;
            // [DllImport("libquant.so.1")] finds the object whose soname that is: it must be this one.
            IntPtr bySoname = DynamicLinker.Open(
                Native.LibraryName, DynamicLinker.RtldNow | DynamicLinker.RtldNoLoad, out error);
            if (bySoname != IntPtr.Zero)
            {
                DynamicLinker.Close(bySoname);
            }
            if (bySoname != handle)
            {
                DynamicLinker.Close(handle);
                return bySoname == IntPtr.Zero
                    ? "loaded, but its soname is not " + Native.LibraryName + ", so [DllImport] cannot bind to it"
                    : "loaded, but another " + Native.LibraryName + " is already loaded in this process";
            }

            IntPtr abiFunction = DynamicLinker.Symbol(handle, "lq_abi_version", out error);
            IntPtr versionFunction = DynamicLinker.Symbol(handle, "lq_version", out error);
            if (abiFunction == IntPtr.Zero || versionFunction == IntPtr.Zero)
            {
                DynamicLinker.Close(handle);
                return "loaded, but it is not libquant: " + error;
            }
            var abi = (Native.AbiVersionFunction)Marshal.GetDelegateForFunctionPointer(
                abiFunction, typeof(Native.AbiVersionFunction));
            uint found = abi();
            if (found != Native.AbiVersion)
            {
                DynamicLinker.Close(handle);
                return "its ABI version is " + found + ", this binding needs " + Native.AbiVersion;
            }

            // From here on the [DllImport]s bind to whatever "libquant.so.1" resolves to. Make sure that is the
            // object just checked (it is not when a libquant.so.1 next to the assembly shadows it: Mono probes there
            // first): lq_version() returns the address of a string inside the library.
            var version = (Native.VersionFunction)Marshal.GetDelegateForFunctionPointer(
                versionFunction, typeof(Native.VersionFunction));
            IntPtr expected = version();
            IntPtr bound;
            try
            {
                bound = BoundVersionString();
            }
            catch (DllNotFoundException e)
            {
                throw new LibraryLoadException(
                    "libquant was loaded from " + candidate + " but [DllImport] could not bind to it: " + e.Message);
            }
            if (bound != expected)
            {
                throw new LibraryLoadException(
                    "libquant was loaded from " + candidate + ", but [DllImport(\"" + Native.LibraryName +
                    "\")] bound to another copy (is there one next to Libquant.dll?); remove the other copy or point " +
                    EnvironmentVariable + " at it.");
            }
            _handle = handle;
            return null;
        }

        // The first [DllImport] call; kept out of line so that it is compiled only after dlopen.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static IntPtr BoundVersionString()
        {
            return Native.lq_version();
        }

        private static bool IsLoadedObject(string path)
        {
            string error;
            IntPtr handle = DynamicLinker.Open(path, DynamicLinker.RtldNow | DynamicLinker.RtldNoLoad, out error);
            if (handle == IntPtr.Zero)
            {
                return false;
            }
            DynamicLinker.Close(handle);
            return handle == _handle;
        }
    }
}
