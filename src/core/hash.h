// A fast 64-bit hash of bytes, for fingerprints and checksums (not for
// security): 8 bytes per step with a multiply-rotate mix, then a final
// avalanche. The same bytes give the same value on every machine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace lq {

class Hash64 {
public:
    explicit Hash64(uint64_t seed = 0x9E3779B97F4A7C15ull) : h_(seed) {}

    Hash64 &update(const void *data, size_t size) {
        const auto *p = static_cast<const uint8_t *>(data);
        total_ += size;
        for (; size >= 8; p += 8, size -= 8) {
            uint64_t w;
            std::memcpy(&w, p, 8);
            mix(w);
        }
        if (size) {
            uint64_t w = 0;
            std::memcpy(&w, p, size);
            mix(w ^ (uint64_t(size) << 56));
        }
        return *this;
    }
    template <typename T>
    Hash64 &update_value(const T &value) {
        return update(&value, sizeof value);
    }

    uint64_t digest() const {
        uint64_t x = h_ ^ total_;
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDull;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53ull;
        x ^= x >> 33;
        return x;
    }

private:
    void mix(uint64_t w) {
        w *= 0x87C37B91114253D5ull;
        w = (w << 31) | (w >> 33);
        w *= 0x4CF5AD432745937Full;
        h_ ^= w;
        h_ = ((h_ << 27) | (h_ >> 37)) * 5 + 0x52DCE729;
    }

    uint64_t h_;
    uint64_t total_ = 0;
};

}  // namespace lq
