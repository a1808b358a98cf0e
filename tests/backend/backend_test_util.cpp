#include "backend_test_util.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "core/random.h"
#include "kernels/kernels.h"
#include "model/synth.h"
#include "test_paths.h"

namespace lq_test {

const lq::Model &stories_model() {
    static std::unique_ptr<lq::Model> model = [] {
        lq::LoadOptions options;
        return lq::Model::load(shared_path("models/stories260K/stories260K-f32.gguf"), options);
    }();
    return *model;
}

const lq::Model &tiny_qwen2_model() {
    static std::unique_ptr<lq::Model> model = [] {
        lq::SynthOptions synth;
        synth.preset = "tiny-qwen2";
        synth.vocab_path = shared_path("tokenizer-tests/ggml-vocab-llama-spm.gguf");
        synth.matrix_type = lq::TensorType::F32;
        synth.seed = 7;
        const std::string path = scratch_dir() + "/tiny-qwen2.gguf";
        lq::synth_model(path, synth);
        lq::LoadOptions options;
        options.use_mmap = false;
        return lq::Model::load(path, options);
    }();
    return *model;
}

std::vector<float> random_activations(size_t rows, size_t cols, uint64_t seed) {
    lq::Random rng(seed);
    std::vector<float> v(rows * cols);
    for (size_t r = 0; r < rows; ++r)
        for (size_t c = 0; c < cols; ++c) v[r * cols + c] = static_cast<float>(rng.normal()) * (c % 17 == 5 ? 40.0f : 1.0f);
    return v;
}

EncodedWeight encode_weight(lq::TensorType type, uint64_t rows, uint64_t cols, uint64_t seed) {
    const lq::QuantKernels &k = *lq::quant_kernels(type);
    const lq::TypeInfo &info = *lq::type_info(type);
    EncodedWeight w;
    const size_t row_bytes = lq::row_bytes(info, cols);
    w.bytes.resize(row_bytes * rows);
    lq::Random rng(seed);
    std::vector<float> row(cols);
    for (uint64_t r = 0; r < rows; ++r) {
        for (float &x : row) x = static_cast<float>(rng.normal()) * 0.05f;
        k.from_float_weighted(row.data(), w.bytes.data() + r * row_bytes, static_cast<int64_t>(cols), nullptr);
    }
    w.view.name = "test";
    w.view.type = type;
    w.view.rows = rows;
    w.view.cols = cols;
    w.view.data = w.bytes.data();
    w.view.row_bytes = row_bytes;
    return w;
}

std::vector<lq::TensorType> matmul_types() {
    std::vector<lq::TensorType> types;
    size_t n = 0;
    const lq::TypeInfo *table = lq::type_table(&n);
    for (size_t i = 0; i < n; ++i) {
        const lq::QuantKernels *k = lq::quant_kernels(table[i].type);
        if (k && k->vec_dot && k->from_float_weighted) types.push_back(table[i].type);
    }
    const lq::TypeInfo *own = lq::libquant_type_table(&n);
    for (size_t i = 0; i < n; ++i) {
        const lq::QuantKernels *k = lq::quant_kernels(own[i].type);
        if (k && k->vec_dot && k->from_float_weighted) types.push_back(own[i].type);
    }
    return types;
}

double relative_error(const std::vector<float> &a, const std::vector<float> &b) {
    REQUIRE(a.size() == b.size());
    double worst = 0.0, scale = 0.0;
    for (size_t i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a[i])) return INFINITY;
        worst = std::max(worst, std::fabs(static_cast<double>(a[i]) - b[i]));
        scale = std::max(scale, std::fabs(static_cast<double>(b[i])));
    }
    return scale == 0.0 ? worst : worst / scale;
}

}  // namespace lq_test
