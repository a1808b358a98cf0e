using System;
using System.Runtime.InteropServices;

namespace Libquant
{
    /// <summary>A <c>const char *const *</c> for C: the strings and the pointer array pinned until disposed.</summary>
    internal sealed class PinnedStringArray : IDisposable
    {
        private readonly GCHandle[] _strings;
        private readonly IntPtr[] _pointers;
        private GCHandle _array;

        internal PinnedStringArray(byte[][] strings)
        {
            _strings = new GCHandle[strings.Length];
            _pointers = new IntPtr[strings.Length];
            for (int i = 0; i < strings.Length; i++)
            {
                _strings[i] = GCHandle.Alloc(strings[i], GCHandleType.Pinned);
                _pointers[i] = _strings[i].AddrOfPinnedObject();
            }
            _array = GCHandle.Alloc(_pointers, GCHandleType.Pinned);
        }

        /// <summary>The array's address, or IntPtr.Zero when it is empty.</summary>
        internal IntPtr Pointer
        {
            get { return _pointers.Length == 0 ? IntPtr.Zero : _array.AddrOfPinnedObject(); }
        }

        /// <summary>Unpins everything.</summary>
        public void Dispose()
        {
            if (_array.IsAllocated)
            {
                _array.Free();
            }
            for (int i = 0; i < _strings.Length; i++)
            {
                if (_strings[i].IsAllocated)
                {
                    _strings[i].Free();
                }
            }
        }
    }
}
