// When LQ_BACKEND_AUTO prefers the oneDNN backend to the CPU's. Measured
// (2 AMD EPYC cores, AVX-512 VNNI, lq bench -p 128 -n 32, Q8_0 files): at
// n_embd 2048 (1b) and 896 (qwen2-0.5b) oneDNN is 4x faster on prompts and
// as fast or faster in generation; at 256 (tiny) and 64 (stories260K) its
// per-product overhead makes generation slower (up to 7x at 64) although
// prompts still gain. So: models whose matrices are (nearly) all INT8 and
// whose width is at least 512.
#pragma once

#include <cstdint>

namespace lq::onednn {

constexpr uint32_t kAutoMinEmbd = 512;
constexpr double kAutoMinInt8Fraction = 0.9;

inline bool auto_prefers(uint32_t n_embd, double int8_fraction) {
    return n_embd >= kAutoMinEmbd && int8_fraction >= kAutoMinInt8Fraction;
}

}  // namespace lq::onednn
