// The block layouts of kernels/blocks.h, checked with hand-built blocks whose
// decoded values were worked out by hand from the layout comments.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "core/half.h"
#include "kernel_test_util.h"
#include "kernels/blocks.h"

using namespace lq;

namespace {

template <class Function>
bool present(Function f) {
    return f != nullptr;
}

template <class Block>
std::vector<float> decode_block(TensorType type, const Block &b) {
    const uint32_t n = type_info(type)->block_size;
    std::vector<float> out(n);
    quant_kernels(type)->to_float(&b, out.data(), n);
    return out;
}

}  // namespace

TEST_CASE("block structs have the sizes of the type table") {
    CHECK(sizeof(BlockQ4_0) == type_info(TensorType::Q4_0)->type_size);
    CHECK(sizeof(BlockQ4_1) == type_info(TensorType::Q4_1)->type_size);
    CHECK(sizeof(BlockQ5_0) == type_info(TensorType::Q5_0)->type_size);
    CHECK(sizeof(BlockQ5_1) == type_info(TensorType::Q5_1)->type_size);
    CHECK(sizeof(BlockQ8_0) == type_info(TensorType::Q8_0)->type_size);
    CHECK(sizeof(BlockQ8_1) == type_info(TensorType::Q8_1)->type_size);
    CHECK(sizeof(BlockQ2_K) == type_info(TensorType::Q2_K)->type_size);
    CHECK(sizeof(BlockQ3_K) == type_info(TensorType::Q3_K)->type_size);
    CHECK(sizeof(BlockQ4_K) == type_info(TensorType::Q4_K)->type_size);
    CHECK(sizeof(BlockQ5_K) == type_info(TensorType::Q5_K)->type_size);
    CHECK(sizeof(BlockQ6_K) == type_info(TensorType::Q6_K)->type_size);
    CHECK(sizeof(BlockQ8_K) == type_info(TensorType::Q8_K)->type_size);
    CHECK(sizeof(BlockIQ4_NL) == type_info(TensorType::IQ4_NL)->type_size);
    CHECK(sizeof(BlockIQ4_XS) == type_info(TensorType::IQ4_XS)->type_size);
    CHECK(type_info(TensorType::Q4_0)->block_size == kBlock32);
    CHECK(type_info(TensorType::Q4_K)->block_size == kSuperBlock);
}

TEST_CASE("kernel table: one row per computable type, with the ecosystem's dot types") {
    struct Expect {
        TensorType type, dot;
    };
    const Expect rows[] = {
        {TensorType::F32, TensorType::F32},   {TensorType::F16, TensorType::F16},   {TensorType::BF16, TensorType::BF16},
        {TensorType::Q4_0, TensorType::Q8_0}, {TensorType::Q5_0, TensorType::Q8_0}, {TensorType::Q8_0, TensorType::Q8_0},
        {TensorType::Q4_1, TensorType::Q8_1}, {TensorType::Q5_1, TensorType::Q8_1}, {TensorType::Q2_K, TensorType::Q8_K},
        {TensorType::Q3_K, TensorType::Q8_K}, {TensorType::Q4_K, TensorType::Q8_K}, {TensorType::Q5_K, TensorType::Q8_K},
        {TensorType::Q6_K, TensorType::Q8_K}, {TensorType::IQ4_NL, TensorType::Q8_0},
        {TensorType::IQ4_XS, TensorType::Q8_K},
    };
    for (const Expect &e : rows) {
        const QuantKernels *k = quant_kernels(e.type);
        REQUIRE(k != nullptr);
        CHECK(k->type == e.type);
        CHECK(k->dot_type == e.dot);
        CHECK(present(k->to_float));
        CHECK(present(k->from_float));
        CHECK(present(k->from_float_weighted));
        CHECK(present(k->vec_dot));
        // The dot type can encode activations.
        REQUIRE(quant_kernels(e.dot) != nullptr);
        CHECK(present(quant_kernels(e.dot)->from_float));
    }
    for (TensorType t : kernel_test::kActivationTypes) {
        REQUIRE(quant_kernels(t) != nullptr);
        CHECK(present(quant_kernels(t)->to_float));
        CHECK(present(quant_kernels(t)->from_float));
    }
    CHECK_FALSE(present(quant_kernels(TensorType::Q8_1)->vec_dot));
    CHECK_FALSE(present(quant_kernels(TensorType::Q8_K)->from_float_weighted));
    CHECK(quant_kernels(TensorType::IQ2_XXS) == nullptr);
    CHECK(quant_kernels(TensorType::I32) == nullptr);
    CHECK(quant_kernels(TensorType::Q4_2_REMOVED) == nullptr);
}

TEST_CASE("q4_0: (nibble - 8) * d, low nibbles first") {
    BlockQ4_0 b{};
    b.d = 0x3800;  // 0.5
    for (int j = 0; j < 16; ++j) b.qs[j] = static_cast<uint8_t>(j | ((15 - j) << 4));
    const auto v = decode_block(TensorType::Q4_0, b);
    CHECK(v[0] == -4.0f);
    CHECK(v[8] == 0.0f);
    CHECK(v[15] == 3.5f);
    CHECK(v[16] == 3.5f);  // high nibble of qs[0] = 15
    CHECK(v[31] == -4.0f);
}

TEST_CASE("q4_1: nibble * d + m") {
    BlockQ4_1 b{};
    b.d = 0x3400;  // 0.25
    b.m = 0xBC00;  // -1
    for (int j = 0; j < 16; ++j) b.qs[j] = static_cast<uint8_t>(j | ((j ^ 5) << 4));
    const auto v = decode_block(TensorType::Q4_1, b);
    CHECK(v[0] == -1.0f);
    CHECK(v[15] == 2.75f);
    CHECK(v[16] == 0.25f);  // 5 * 0.25 - 1
    CHECK(v[21] == -1.0f);  // (5 ^ 5) = 0
    CHECK(v[31] == 1.5f);   // (15 ^ 5) = 10
}

TEST_CASE("q5_0 and q5_1: the fifth bit of element e is bit e of qh") {
    BlockQ5_0 b{};
    b.d = 0x3C00;  // 1
    const uint8_t qh[4] = {0xAA, 0x00, 0xFF, 0x01};  // elements 1,3,5,7, 16..23, 24
    std::memcpy(b.qh, qh, 4);
    for (int j = 0; j < 16; ++j) b.qs[j] = static_cast<uint8_t>(j | (j << 4));
    const auto v = decode_block(TensorType::Q5_0, b);
    CHECK(v[0] == -16.0f);
    CHECK(v[1] == 1.0f);
    CHECK(v[2] == -14.0f);
    CHECK(v[16] == 0.0f);
    CHECK(v[24] == 8.0f);
    CHECK(v[25] == -7.0f);
    CHECK(v[31] == -1.0f);

    BlockQ5_1 c{};
    c.d = 0x3800;  // 0.5
    c.m = 0x4000;  // 2
    std::memcpy(c.qh, qh, 4);
    std::memcpy(c.qs, b.qs, 16);
    const auto w = decode_block(TensorType::Q5_1, c);
    CHECK(w[0] == 2.0f);
    CHECK(w[1] == 10.5f);  // (1 + 16) * 0.5 + 2
    CHECK(w[24] == 14.0f);  // (8 + 16) * 0.5 + 2
    CHECK(w[31] == 9.5f);
}

TEST_CASE("q8_0, q8_1, q8_K: signed bytes times the scale") {
    BlockQ8_0 a{};
    a.d = 0x3000;  // 0.125
    for (int e = 0; e < 32; ++e) a.qs[e] = static_cast<int8_t>(e - 16);
    const auto v = decode_block(TensorType::Q8_0, a);
    CHECK(v[0] == -2.0f);
    CHECK(v[31] == 1.875f);

    BlockQ8_1 b{};
    b.d = 0x3000;
    std::memcpy(b.qs, a.qs, 32);
    CHECK(decode_block(TensorType::Q8_1, b) == v);

    BlockQ8_K k{};
    k.d = -0.25f;
    for (int e = 0; e < 256; ++e) k.qs[e] = static_cast<int8_t>(e - 128);
    const auto w = decode_block(TensorType::Q8_K, k);
    CHECK(w[0] == 32.0f);
    CHECK(w[255] == -31.75f);
}

TEST_CASE("q2_K: 2-bit quants four to a byte, 4-bit scale and min per 16") {
    BlockQ2_K b{};
    for (int j = 0; j < 16; ++j) b.scales[j] = static_cast<uint8_t>(((j + 1) & 0xF) | ((j % 4) << 4));
    b.d = 0x3C00;     // 1
    b.dmin = 0x3800;  // 0.5
    b.qs[0] = 0xE4;   // elements 0, 32, 64, 96 <- 0, 1, 2, 3
    b.qs[32] = 0x1B;  // elements 128, 160, 192, 224 <- 3, 2, 1, 0
    const auto v = decode_block(TensorType::Q2_K, b);
    CHECK(v[0] == 0.0f);
    CHECK(v[16] == -0.5f);   // sub-block 1: scale 2, min 1, q 0
    CHECK(v[32] == 2.0f);    // sub-block 2: 3 * 1 - 0.5 * 2
    CHECK(v[64] == 10.0f);   // sub-block 4: 5 * 2 - 0
    CHECK(v[96] == 20.0f);   // sub-block 6: 7 * 3 - 0.5 * 2
    CHECK(v[128] == 27.0f);  // sub-block 8: 9 * 3
    CHECK(v[160] == 21.0f);  // sub-block 10: 11 * 2 - 1
    CHECK(v[192] == 13.0f);  // sub-block 12: 13 * 1
    CHECK(v[224] == -1.0f);  // sub-block 14: 15 * 0 - 1
    CHECK(v[255] == -1.5f);  // sub-block 15: scale 0, min 3
}

TEST_CASE("q3_K: 2 low bits + hmask bit, 6-bit signed scales in 12 bytes") {
    BlockQ3_K b{};
    b.d = 0x3C00;  // 1
    // Scales 24 + j (signed j - 8): low nibbles (8 + j) and j, high bits 01 / 10.
    for (int j = 0; j < 8; ++j) b.scales[j] = static_cast<uint8_t>((8 + j) | (j << 4));
    for (int i = 0; i < 4; ++i) b.scales[8 + i] = 0xA5;
    std::memset(b.hmask, 0xFF, sizeof b.hmask);
    b.hmask[0] = 0xFE;  // element 0 has bit 2 clear
    b.qs[0] = 0xE4;     // elements 0, 32, 64, 96 <- low bits 0, 1, 2, 3
    const auto v = decode_block(TensorType::Q3_K, b);
    CHECK(v[0] == 32.0f);   // scale -8, q 0 - 4
    CHECK(v[1] == 0.0f);    // q 4 - 4
    CHECK(v[32] == -6.0f);  // scale -6, q 1
    CHECK(v[64] == -8.0f);  // scale -4, q 2
    CHECK(v[96] == -6.0f);  // scale -2, q 3
    CHECK(v[128] == 0.0f);  // scale 0
}

namespace {

// Scales {1, 2, 3, 4, 17, 33, 50, 63} and mins {0, 5, 10, 15, 20, 40, 60, 1},
// packed by hand into the 12-byte Q4_K/Q5_K scale field.
const uint8_t kPackedScales[12] = {65, 130, 195, 196, 64, 133, 202, 15, 65, 129, 194, 31};

}  // namespace

TEST_CASE("q4_K: nibbles in 64-element chunks, 6-bit scales and mins") {
    BlockQ4_K b{};
    b.d = 0x3C00;     // 1
    b.dmin = 0x3400;  // 0.25
    std::memcpy(b.scales, kPackedScales, 12);
    b.qs[0] = 0x5A;    // element 0 <- 10, element 32 <- 5
    b.qs[32] = 0xF0;   // element 64 <- 0, element 96 <- 15
    b.qs[127] = 0x3C;  // element 223 <- 12, element 255 <- 3
    const auto v = decode_block(TensorType::Q4_K, b);
    CHECK(v[0] == 10.0f);
    CHECK(v[1] == 0.0f);
    CHECK(v[32] == 8.75f);    // 2 * 5 - 0.25 * 5
    CHECK(v[64] == -2.5f);    // 3 * 0 - 0.25 * 10
    CHECK(v[96] == 56.25f);   // 4 * 15 - 0.25 * 15
    CHECK(v[130] == -5.0f);   // sub-block 4: 17 * 0 - 0.25 * 20
    CHECK(v[223] == 585.0f);  // 50 * 12 - 0.25 * 60
    CHECK(v[255] == 188.75f); // 63 * 3 - 0.25 * 1
}

TEST_CASE("q5_K: as q4_K plus a fifth bit from qh") {
    BlockQ5_K b{};
    b.d = 0x3C00;
    b.dmin = 0x3400;
    std::memcpy(b.scales, kPackedScales, 12);
    b.qs[0] = 0x5A;
    b.qs[32] = 0xF0;
    b.qs[127] = 0x3C;
    b.qh[0] = 0x05;   // elements 0 and 64
    b.qh[31] = 0x80;  // element 255
    const auto v = decode_block(TensorType::Q5_K, b);
    CHECK(v[0] == 26.0f);      // q 10 + 16
    CHECK(v[32] == 8.75f);
    CHECK(v[64] == 45.5f);     // 3 * 16 - 2.5
    CHECK(v[96] == 56.25f);
    CHECK(v[223] == 585.0f);
    CHECK(v[255] == 1196.75f);  // 63 * 19 - 0.25
}

TEST_CASE("q6_K: 4 low bits in ql, 2 high bits in qh, int8 scales") {
    BlockQ6_K b{};
    b.d = 0x3800;  // 0.5
    for (int j = 0; j < 16; ++j) b.scales[j] = static_cast<int8_t>(j - 8);
    b.ql[0] = 0x2F;   // element 0 low 15, element 64 low 2
    b.ql[32] = 0x81;  // element 32 low 1, element 96 low 8
    b.qh[0] = 0xE4;   // high bits: element 0 <- 0, 32 <- 1, 64 <- 2, 96 <- 3
    b.qh[32] = 0x03;  // element 128 high bits 3
    const auto v = decode_block(TensorType::Q6_K, b);
    CHECK(v[0] == 68.0f);     // (0.5 * -8) * (15 - 32)
    CHECK(v[1] == 128.0f);    // (0.5 * -8) * (0 - 32)
    CHECK(v[16] == 112.0f);   // (0.5 * -7) * -32
    CHECK(v[32] == 45.0f);    // (0.5 * -6) * (17 - 32)
    CHECK(v[64] == -4.0f);    // (0.5 * -4) * (34 - 32)
    CHECK(v[96] == -24.0f);   // (0.5 * -2) * (56 - 32)
    CHECK(v[128] == 0.0f);    // scale 0
    CHECK(v[144] == -16.0f);  // (0.5 * 1) * -32
}

TEST_CASE("iq4_nl and iq4_xs: codebook values times the scale") {
    BlockIQ4_NL a{};
    a.d = 0x4000;  // 2
    for (int j = 0; j < 16; ++j) a.qs[j] = static_cast<uint8_t>(j | ((15 - j) << 4));
    const auto v = decode_block(TensorType::IQ4_NL, a);
    CHECK(v[0] == -254.0f);
    CHECK(v[8] == 2.0f);
    CHECK(v[15] == 226.0f);
    CHECK(v[16] == 226.0f);
    CHECK(v[31] == -254.0f);

    BlockIQ4_XS b{};
    b.d = 0x3800;  // 0.5
    // Sub-block scales 28..35 (signed -4..3).
    const uint8_t low[4] = {220, 254, 16, 50};
    std::memcpy(b.scales_l, low, 4);
    b.scales_h = 0xAA55;
    b.qs[0] = 0x0F;           // element 0 <- 113, element 16 <- -127
    b.qs[16 * 5 + 3] = 0x78;  // element 163 <- 1, element 179 <- -10
    const auto w = decode_block(TensorType::IQ4_XS, b);
    CHECK(w[0] == -226.0f);   // (0.5 * -4) * 113
    CHECK(w[1] == 254.0f);    // (0.5 * -4) * -127
    CHECK(w[16] == 254.0f);
    CHECK(w[32] == 190.5f);   // (0.5 * -3) * -127
    CHECK(w[163] == 0.5f);    // (0.5 * 1) * 1
    CHECK(w[179] == -5.0f);   // (0.5 * 1) * -10
}

TEST_CASE("float rows: f16 and bf16 round to nearest even, f32 is a copy") {
    const std::vector<float> x = {1.0f, -2.5f, 65504.0f, 1.0f + 1.0f / 2048.0f, 3.0e-8f, 1.0f / 3.0f};
    for (TensorType t : {TensorType::F32, TensorType::F16, TensorType::BF16}) {
        const auto y = kernel_test::decode(t, kernel_test::encode(t, x), x.size());
        for (size_t i = 0; i < x.size(); ++i) {
            const float expect = t == TensorType::F32   ? x[i]
                                 : t == TensorType::F16 ? half_to_float(float_to_half(x[i]))
                                                        : bf16_to_float(float_to_bf16(x[i]));
            CHECK(y[i] == expect);
        }
    }
}
