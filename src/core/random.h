// libquant's own deterministic pseudo-random generator (xoshiro256**,
// seeded through SplitMix64): the same seed gives the same numbers on every
// platform and compiler, unlike the distributions of <random>.
#pragma once

#include <cstdint>

namespace lq {

class Random {
public:
    explicit Random(uint64_t seed);
    uint64_t next();
    /// Uniform in [0, 1).
    double uniform();
    /// Standard normal (Box-Muller; one value per call).
    double normal();

private:
    uint64_t s_[4];
};

/// A 64-bit hash of a string (FNV-1a), for deriving per-name seeds.
uint64_t hash_string(const char *text, uint64_t seed);

}  // namespace lq
