namespace Libquant
{
    /// <summary>A compute backend as this build and machine see it (<c>lq_backend_info</c>).</summary>
    public sealed class BackendInfo
    {
        internal BackendInfo(Native.lq_backend_info info)
        {
            Backend = (Backend)info.backend;
            IsAvailable = info.available != 0;
            Name = Utf8.FromNative(info.name) ?? string.Empty;
            Device = Utf8.FromNative(info.device) ?? string.Empty;
            UnavailableReason = Utf8.FromNative(info.reason) ?? string.Empty;
        }

        /// <summary>The backend described.</summary>
        public Backend Backend { get; }

        /// <summary>Whether a context can run on it on this machine.</summary>
        public bool IsAvailable { get; }

        /// <summary>Its name: "cpu", "onednn" or "vulkan".</summary>
        public string Name { get; }

        /// <summary>The device it runs on when available (e.g. "host CPU, avx2 kernels"); else empty.</summary>
        public string Device { get; }

        /// <summary>Why it is not available ("built without Vulkan", ...); empty when it is.</summary>
        public string UnavailableReason { get; }

        /// <summary>The name and either the device or the reason it is unavailable.</summary>
        /// <returns>A one-line description.</returns>
        public override string ToString()
        {
            return Name + ": " + (IsAvailable ? Device : "unavailable (" + UnavailableReason + ")");
        }
    }
}
