// The CPU backend's kernel rows against the reference rows: encoders and
// decoders byte for byte, dot products up to float summation order.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "backends/cpu/cpu_kernels.h"
#include "kernel_test_util.h"

using namespace lq;
using namespace kernel_test;

namespace {

const QuantKernels &fast(TensorType t) { return *cpu::cpu_kernels(t); }
const QuantKernels &reference(TensorType t) { return *quant_kernels(t); }

// Rows with the awkward values encoders must agree on: exact ties of the
// rounding rules, zeros, tiny and huge magnitudes.
std::vector<std::vector<float>> encoder_inputs(size_t n) {
    std::vector<std::vector<float>> rows;
    rows.push_back(normal_row(n, 1));
    rows.push_back(normal_row(n, 2, 1e-3f));
    rows.push_back(normal_row(n, 3, 3e4f));
    rows.push_back(normal_row(n, 4, 1e30f));
    rows.push_back(std::vector<float>(n, 0.0f));
    std::vector<float> ties(n);
    for (size_t i = 0; i < n; ++i) ties[i] = i % 32 == 0 ? 127.0f : static_cast<float>(static_cast<int>(i % 64) - 32) + 0.5f;
    rows.push_back(ties);
    std::vector<float> sparse = normal_row(n, 5);
    for (size_t i = 0; i < n; ++i)
        if (i % 3) sparse[i] = 0.0f;
    rows.push_back(sparse);
    return rows;
}

}  // namespace

TEST_CASE("the CPU uses its AVX2 rows when it can, and the reference rows on request") {
    const std::string isa = cpu::cpu_kernels_isa();
    MESSAGE("CPU kernel rows: " << isa);
    CHECK((isa == "avx2" || isa == "reference"));
    cpu::cpu_kernels_force_reference(true);
    CHECK(std::string(cpu::cpu_kernels_isa()) == "reference");
    CHECK(cpu::cpu_kernels(TensorType::Q4_0) == quant_kernels(TensorType::Q4_0));
    cpu::cpu_kernels_force_reference(false);
    CHECK(std::string(cpu::cpu_kernels_isa()) == isa);
    CHECK(cpu::cpu_kernels(TensorType::IQ2_XXS) == nullptr);
    for (TensorType t : kWeightTypes) {
        CAPTURE(std::string(type_name(t)));
        const QuantKernels &k = fast(t);
        CHECK(k.type == t);
        CHECK(k.dot_type == reference(t).dot_type);
    }
}

TEST_CASE("fast activation encoders produce the reference bytes") {
    const TensorType encoders[] = {TensorType::Q8_0, TensorType::Q8_1, TensorType::Q8_K, TensorType::F16,
                                   TensorType::BF16, TensorType::F32};
    for (TensorType t : encoders) {
        for (const size_t n : {256u, 4096u}) {
            for (const auto &x : encoder_inputs(n)) {
                CAPTURE(std::string(type_name(t)));
                std::vector<uint8_t> a(bytes_for(t, n)), b(a.size());
                fast(t).from_float(x.data(), a.data(), static_cast<int64_t>(n));
                reference(t).from_float(x.data(), b.data(), static_cast<int64_t>(n));
                CHECK(a == b);
            }
        }
    }
    // Plain types take rows of any length.
    for (TensorType t : {TensorType::F16, TensorType::BF16}) {
        for (const size_t n : {1u, 7u, 33u, 1001u}) {
            auto x = normal_row(n, 40 + n);
            x[0] = std::numeric_limits<float>::quiet_NaN();
            std::vector<uint8_t> a(bytes_for(t, n)), b(a.size());
            fast(t).from_float(x.data(), a.data(), static_cast<int64_t>(n));
            reference(t).from_float(x.data(), b.data(), static_cast<int64_t>(n));
            CHECK(a == b);
        }
    }
}

TEST_CASE("fast decoders produce the reference floats bit for bit") {
    const TensorType types[] = {TensorType::F16,  TensorType::BF16, TensorType::Q4_0,
                                TensorType::Q8_0, TensorType::Q4_K, TensorType::Q6_K};
    for (TensorType t : types) {
        for (const size_t n : {256u, 2048u}) {
            CAPTURE(std::string(type_name(t)));
            const auto blocks = encode(t, normal_row(n, 60 + n));
            std::vector<float> a(n), b(n);
            fast(t).to_float(blocks.data(), a.data(), static_cast<int64_t>(n));
            reference(t).to_float(blocks.data(), b.data(), static_cast<int64_t>(n));
            CHECK(std::memcmp(a.data(), b.data(), n * sizeof(float)) == 0);
        }
    }
    // Arbitrary bit patterns; NaN payloads may differ (F16C quiets
    // signalling NaNs, the portable conversion keeps them), NaN-ness not.
    for (const size_t n : {3u, 9u, 1003u}) {
        std::vector<uint8_t> raw(2 * n);
        for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<uint8_t>(i * 37 + 11);
        for (TensorType t : {TensorType::F16, TensorType::BF16}) {
            CAPTURE(std::string(type_name(t)));
            std::vector<float> a(n), b(n);
            fast(t).to_float(raw.data(), a.data(), static_cast<int64_t>(n));
            reference(t).to_float(raw.data(), b.data(), static_cast<int64_t>(n));
            size_t different = 0;
            for (size_t i = 0; i < n; ++i)
                different += std::isnan(a[i]) ? !std::isnan(b[i]) : std::memcmp(&a[i], &b[i], sizeof(float)) != 0;
            CHECK(different == 0);
        }
    }
}

TEST_CASE("fast dot products match the reference up to float summation order") {
    for (TensorType t : kWeightTypes) {
        const size_t lengths[] = {256, 512, 4096, 11008};
        for (const size_t n : lengths) {
            CAPTURE(std::string(type_name(t)));
            CAPTURE(n);
            // Several weight rows: gaussian, heavy-tailed, and all-zero blocks.
            std::vector<std::vector<float>> weights = {normal_row(n, 70 + n), normal_row(n, 71 + n, 0.02f)};
            auto heavy = normal_row(n, 72 + n);
            for (size_t i = 0; i < n; ++i) heavy[i] = heavy[i] * heavy[i] * heavy[i] * (i % 512 < 256 ? 0.0f : 1.0f);
            weights.push_back(heavy);
            const TensorType dot = reference(t).dot_type;
            const auto act = normal_row(n, 80 + n, 3.0f);
            const auto aq = encode(dot, act);
            const auto af = decode(dot, aq, n);
            for (const auto &w : weights) {
                const auto wq = encode(t, w);
                const auto wf = decode(t, wq, n);
                double magnitude = 0.0;
                for (size_t i = 0; i < n; ++i) magnitude += std::fabs(static_cast<double>(wf[i]) * af[i]);
                const float r = reference(t).vec_dot(static_cast<int64_t>(n), wq.data(), aq.data());
                const float f = fast(t).vec_dot(static_cast<int64_t>(n), wq.data(), aq.data());
                CHECK(std::fabs(static_cast<double>(f) - r) <= 1e-6 * magnitude + 1e-30);
            }
        }
    }
    // Plain types at lengths that are not a multiple of the vector width.
    for (TensorType t : {TensorType::F32, TensorType::F16, TensorType::BF16}) {
        for (const size_t n : {1u, 5u, 31u, 33u, 100u, 4097u}) {
            const auto wq = encode(t, normal_row(n, 90 + n));
            const auto aq = encode(t, normal_row(n, 91 + n));
            const auto wf = decode(t, wq, n), af = decode(t, aq, n);
            double magnitude = 0.0;
            for (size_t i = 0; i < n; ++i) magnitude += std::fabs(static_cast<double>(wf[i]) * af[i]);
            const float r = reference(t).vec_dot(static_cast<int64_t>(n), wq.data(), aq.data());
            const float f = fast(t).vec_dot(static_cast<int64_t>(n), wq.data(), aq.data());
            CHECK(std::fabs(static_cast<double>(f) - r) <= 1e-6 * magnitude + 1e-30);
        }
    }
}

TEST_CASE("libquant's non-linear types and lq_i8_row: fast dot products match the reference on every row width") {
    for (TensorType t : {TensorType::LQ_NL3, TensorType::LQ_NL4, TensorType::LQ_NL5, TensorType::LQ_I8_ROW}) {
        const QuantKernels &k = fast(t);
        CHECK(k.type == t);
        CHECK(k.dot_type == TensorType::F32);
        CHECK((k.to_float == reference(t).to_float));
        if (std::string(cpu::cpu_kernels_isa()) == "avx2") CHECK((k.vec_dot != reference(t).vec_dot));
        for (const size_t n : {1u, 31u, 32u, 64u, 172u, 4096u, 11008u}) {
            CAPTURE(std::string(type_name(t)));
            CAPTURE(n);
            const auto act = normal_row(n, 95 + n, 3.0f);
            auto zero_groups = normal_row(n, 96 + n);
            for (size_t i = 0; i < n; ++i)
                if (i % 128 < 32) zero_groups[i] = 0.0f;
            for (const auto &w : {normal_row(n, 94 + n), normal_row(n, 97 + n, 1e-3f), zero_groups}) {
                const auto wq = encode(t, w);
                const auto wf = decode(t, wq, n);
                double magnitude = 0.0;
                for (size_t i = 0; i < n; ++i) magnitude += std::fabs(static_cast<double>(wf[i]) * act[i]);
                const float r = reference(t).vec_dot(static_cast<int64_t>(n), wq.data(), act.data());
                const float f = k.vec_dot(static_cast<int64_t>(n), wq.data(), act.data());
                CHECK(std::fabs(static_cast<double>(f) - r) <= 1e-6 * magnitude + 1e-30);
            }
        }
    }
}
