using System;
using System.Runtime.CompilerServices;
using System.Runtime.Serialization;
using System.Security;

namespace Libquant
{
    /// <summary>
    /// A libquant call failed. <see cref="Status"/> is the C status code and <see cref="Exception.Message"/> the
    /// library's own explanation (<c>lq_last_error_message()</c>, read on the failing thread right after the call).
    /// </summary>
    [Serializable]
    public class LibquantException : Exception
    {
        /// <summary>Creates an exception for a failed call.</summary>
        /// <param name="status">The status the call returned.</param>
        /// <param name="message">The library's message.</param>
        public LibquantException(Status status, string message)
            : base(message)
        {
            Status = status;
        }

        /// <summary>Creates an exception with an inner exception.</summary>
        /// <param name="status">The status the call returned.</param>
        /// <param name="message">The message.</param>
        /// <param name="innerException">The exception that caused this one.</param>
        public LibquantException(Status status, string message, Exception innerException)
            : base(message, innerException)
        {
            Status = status;
        }

        /// <summary>Restores a serialized exception.</summary>
        /// <param name="info">The serialized data.</param>
        /// <param name="context">The source.</param>
        protected LibquantException(SerializationInfo info, StreamingContext context)
            : base(info, context)
        {
            Status = (Status)info.GetInt32(nameof(Status));
        }

        /// <summary>The <c>lq_status</c> of the failed call.</summary>
        public Status Status { get; }

        /// <summary>Serializes the exception with its <see cref="Status"/>.</summary>
        /// <param name="info">Receives the data.</param>
        /// <param name="context">The destination.</param>
        [SecurityCritical]
        public override void GetObjectData(SerializationInfo info, StreamingContext context)
        {
            base.GetObjectData(info, context);
            info.AddValue(nameof(Status), (int)Status);
        }

        /// <summary>
        /// Throws when <paramref name="status"/> is not <see cref="Status.Ok"/>. Call it directly on the result of
        /// the native call, so that no other libquant call runs on this thread before the message is read.
        /// </summary>
        internal static void Check(Status status)
        {
            if (status != Status.Ok)
            {
                throw FromLastError(status);
            }
        }

        /// <summary>An exception for <paramref name="status"/> carrying this thread's last libquant message.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)] // see Native.cs
        internal static LibquantException FromLastError(Status status)
        {
            string message = Utf8.FromNative(Native.lq_last_error_message());
            if (string.IsNullOrEmpty(message))
            {
                message = Utf8.FromNative(Native.lq_status_string(status));
            }
            return new LibquantException(status, message);
        }
    }
}
