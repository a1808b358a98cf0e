using System;
using System.Text;

namespace Libquant
{
    /// <summary>UTF-8 conversions between .NET strings and the C API's text.</summary>
    internal static class Utf8
    {
        /// <summary>The UTF-8 bytes of <paramref name="text"/> and a NUL terminator; null for null.</summary>
        internal static byte[] ToNullTerminated(string text, string parameterName)
        {
            if (text == null)
            {
                return null;
            }
            if (text.IndexOf('\0') >= 0)
            {
                throw new ArgumentException("The text must not contain NUL characters.", parameterName);
            }
            int length = Encoding.UTF8.GetByteCount(text);
            var bytes = new byte[length + 1];
            Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
            return bytes;
        }

        /// <summary>Decodes a NUL-terminated UTF-8 string owned by the library; null for a NULL pointer.</summary>
        internal static unsafe string FromNative(IntPtr text)
        {
            if (text == IntPtr.Zero)
            {
                return null;
            }
            byte* start = (byte*)text;
            int length = 0;
            while (start[length] != 0)
            {
                length++;
            }
            return Encoding.UTF8.GetString(start, length);
        }

        /// <summary>Decodes <paramref name="length"/> bytes of UTF-8 at <paramref name="text"/>.</summary>
        internal static unsafe string FromNative(IntPtr text, UIntPtr length)
        {
            ulong count = length.ToUInt64();
            if (count == 0)
            {
                return string.Empty;
            }
            if (count > int.MaxValue)
            {
                throw new OverflowException("The text is larger than a .NET string can hold.");
            }
            return Encoding.UTF8.GetString((byte*)text, (int)count);
        }
    }
}
