// Shared pieces of the backend tests: the models they run on, random
// activations with outlier channels, weights encoded in any type, and the
// executors under test (every available backend) and the reference (the
// CPU backend on its reference kernel rows).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "model/model.h"

namespace lq_test {

/// stories260K (llama: normal RoPE, 8 query heads over 4 KV heads of 8).
const lq::Model &stories_model();
/// A synthetic tiny qwen2 (NeoX RoPE, biases, 4 query heads over 2 KV heads of 64).
const lq::Model &tiny_qwen2_model();

/// Random values: normal(0, 1) with every 17th column scaled by 40 (the
/// outlier channels of real activations).
std::vector<float> random_activations(size_t rows, size_t cols, uint64_t seed);

/// A weight matrix of @p rows x @p cols in @p type, from random values.
struct EncodedWeight {
    std::vector<uint8_t> bytes;
    lq::TensorView view;
};
EncodedWeight encode_weight(lq::TensorType type, uint64_t rows, uint64_t cols, uint64_t seed);

/// Every type with a weight encoder and a dot product (the types a matrix
/// product can use).
std::vector<lq::TensorType> matmul_types();

/// Largest |a - b| over largest |b| (0 when b is all zeros and a equals it).
double relative_error(const std::vector<float> &a, const std::vector<float> &b);

}  // namespace lq_test
