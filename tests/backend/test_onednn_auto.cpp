// The rule by which LQ_BACKEND_AUTO prefers the oneDNN backend: measured
// thresholds (backends/onednn/auto_choice.h), checked at the model sizes
// they were measured on.
#include <doctest/doctest.h>

#include "backends/onednn/auto_choice.h"

using lq::onednn::auto_prefers;

TEST_CASE("AUTO prefers oneDNN for wide INT8 models only") {
    CHECK(auto_prefers(2048, 1.0));   // 1b: pp 4x, tg 1.3-1.6x llama.cpp's Q8_0
    CHECK(auto_prefers(896, 1.0));    // qwen2-0.5b: pp 4x, tg as fast as the CPU
    CHECK(!auto_prefers(256, 1.0));   // tiny: generation slower than the CPU
    CHECK(!auto_prefers(64, 1.0));    // stories260K: generation 7x slower
    CHECK(!auto_prefers(2048, 0.5));  // half the products would fall back
    CHECK(auto_prefers(2048, 0.9));
}
