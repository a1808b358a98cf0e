using System;

namespace Libquant
{
    /// <summary>
    /// The C API's caller-owned buffer protocol: call with a guess, and when it answers
    /// <see cref="Status.BufferTooSmall"/> call again with the size it reported.
    /// </summary>
    internal static class SizeQuery
    {
        /// <summary>A call that writes bytes (and a NUL terminator) into a buffer.</summary>
        internal delegate Status ByteCall(byte[] buffer, UIntPtr capacity, out UIntPtr needed);

        /// <summary>A call that writes token ids into a buffer.</summary>
        internal delegate Status IntCall(int[] buffer, UIntPtr capacity, out UIntPtr needed);

        /// <summary>The bytes written, without the NUL terminator the C API adds.</summary>
        internal static byte[] Bytes(ByteCall call, int guess)
        {
            var buffer = new byte[Math.Max(guess, 1)];
            for (;;)
            {
                UIntPtr needed;
                Status status = call(buffer, new UIntPtr((uint)buffer.Length), out needed);
                if (status == Status.BufferTooSmall && needed.ToUInt64() > (ulong)buffer.Length)
                {
                    buffer = new byte[checked((int)needed.ToUInt64())];
                    continue;
                }
                LibquantException.Check(status);
                int length = (int)needed.ToUInt64() - 1;
                var result = new byte[Math.Max(length, 0)];
                Array.Copy(buffer, result, result.Length);
                return result;
            }
        }

        /// <summary>The ids written.</summary>
        internal static int[] Ints(IntCall call, int guess)
        {
            var buffer = new int[Math.Max(guess, 1)];
            for (;;)
            {
                UIntPtr needed;
                Status status = call(buffer, new UIntPtr((uint)buffer.Length), out needed);
                if (status == Status.BufferTooSmall && needed.ToUInt64() > (ulong)buffer.Length)
                {
                    buffer = new int[checked((int)needed.ToUInt64())];
                    continue;
                }
                LibquantException.Check(status);
                var result = new int[(int)needed.ToUInt64()];
                Array.Copy(buffer, result, result.Length);
                return result;
            }
        }
    }
}
