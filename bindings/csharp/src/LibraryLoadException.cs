using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.Serialization;
using System.Security;
using System.Text;

namespace Libquant
{
    /// <summary>
    /// libquant's shared library could not be loaded, or the one found has another ABI version.
    /// The message lists every location tried with the loader's reason.
    /// </summary>
    [Serializable]
    public sealed class LibraryLoadException : LibquantException
    {
        internal LibraryLoadException(Status status, IList<string> paths, IList<string> reasons)
            : base(status, Describe(paths, reasons))
        {
            SearchedPaths = new ReadOnlyCollection<string>(new List<string>(paths));
        }

        internal LibraryLoadException(string message)
            : base(Status.Unsupported, message)
        {
            SearchedPaths = new ReadOnlyCollection<string>(new List<string>());
        }

        private LibraryLoadException(SerializationInfo info, StreamingContext context)
            : base(info, context)
        {
            var paths = (string[])info.GetValue(nameof(SearchedPaths), typeof(string[]));
            SearchedPaths = new ReadOnlyCollection<string>(paths ?? new string[0]);
        }

        /// <summary>The locations tried, in order (a bare name means the system loader's search).</summary>
        public IReadOnlyList<string> SearchedPaths { get; }

        /// <summary>Serializes the exception with the paths searched.</summary>
        /// <param name="info">Receives the data.</param>
        /// <param name="context">The destination.</param>
        [SecurityCritical]
        public override void GetObjectData(SerializationInfo info, StreamingContext context)
        {
            base.GetObjectData(info, context);
            info.AddValue(nameof(SearchedPaths), new List<string>(SearchedPaths).ToArray());
        }

        private static string Describe(IList<string> paths, IList<string> reasons)
        {
            var text = new StringBuilder("libquant could not be loaded. Tried:");
            for (int i = 0; i < paths.Count; i++)
            {
                text.Append(Environment.NewLine).Append("  ").Append(paths[i]).Append(": ").Append(reasons[i]);
            }
            text.Append(Environment.NewLine)
                .Append("Set LIBQUANT_LIBRARY to the full path of libquant.so.1, or call Library.Load(path) first.");
            return text.ToString();
        }
    }
}
