// The values one quantized element can take, in units of its block scale:
// either the integers lo..hi (Q4_0: -8..7, Q4_K: 0..15, ...) or a fixed
// ascending codebook (IQ4: kIQ4Values). The quantizers are written once
// against this class and serve every type.
#pragma once

#include <cmath>
#include <cstdint>

namespace lq {

class Levels {
public:
    /// The integers lo..hi (lo < hi, at most 256 of them).
    static constexpr Levels linear(int lo, int hi) {
        Levels l{};
        l.lo_ = lo;
        l.count_ = hi - lo + 1;
        return l;
    }

    /// An ascending table of @p count values (at most 16).
    static constexpr Levels codebook(const int8_t *values, int count) {
        Levels l{};
        l.table_ = values;
        l.count_ = count;
        return l;
    }

    constexpr int count() const { return count_; }
    constexpr bool is_linear() const { return table_ == nullptr; }
    constexpr float lowest() const { return value(0); }
    constexpr float highest() const { return value(count_ - 1); }

    /// Value of level @p k, 0 <= k < count().
    constexpr float value(int k) const { return table_ ? static_cast<float>(table_[k]) : static_cast<float>(lo_ + k); }

    /// Index of the level nearest to @p t. NaN maps to level 0.
    int nearest(float t) const {
        if (table_) return nearest_in_table(t);
        const float k = std::floor(t - static_cast<float>(lo_) + 0.5f);
        if (!(k > 0.0f)) return 0;
        return k >= static_cast<float>(count_ - 1) ? count_ - 1 : static_cast<int>(k);
    }

    /// Index of the level nearest to 0 (where every element sits when the
    /// inverse scale is 0).
    int zero_index() const { return nearest(0.0f); }

    /// Index of the level that, times @p scale, lies nearest to @p x.
    int nearest_scaled(float x, float scale) const { return scale != 0.0f ? nearest(x / scale) : zero_index(); }

private:
    int nearest_in_table(float t) const {
        if (!(t > value(0))) return 0;
        int k = 0;
        while (k + 1 < count_ && t > value(k + 1)) ++k;
        if (k + 1 == count_) return k;
        return t - value(k) <= value(k + 1) - t ? k : k + 1;
    }

    const int8_t *table_ = nullptr;
    int lo_ = 0;
    int count_ = 0;
};

}  // namespace lq
