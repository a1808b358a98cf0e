#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "core/types.h"

using namespace lq;

TEST_CASE("type table covers every GGUF id with the block layouts of the format") {
    size_t count = 0;
    const TypeInfo *table = type_table(&count);
    CHECK(count == 39);
    for (size_t i = 0; i < count; ++i) {
        CHECK(static_cast<size_t>(table[i].type) == i);
        CHECK(std::strlen(table[i].name) > 0);
        if (!table[i].removed) {
            CHECK(table[i].block_size > 0);
            CHECK(table[i].type_size > 0);
        }
    }
    // Spot checks of block geometry (elements per block, bytes per block).
    CHECK(type_info(TensorType::Q4_0)->type_size == 18);
    CHECK(type_info(TensorType::Q4_K)->block_size == 256);
    CHECK(type_info(TensorType::Q4_K)->type_size == 144);
    CHECK(type_info(TensorType::Q6_K)->type_size == 210);
    CHECK(type_info(TensorType::IQ4_XS)->type_size == 136);
    CHECK(type_info(TensorType::BF16)->type_size == 2);
    CHECK(type_info(999) == nullptr);
}

TEST_CASE("type names resolve case-insensitively and skip removed ids") {
    TensorType t;
    REQUIRE(type_from_name("Q4_K", &t));
    CHECK(t == TensorType::Q4_K);
    REQUIRE(type_from_name("bf16", &t));
    CHECK(t == TensorType::BF16);
    CHECK_FALSE(type_from_name("q4_2", &t));
    CHECK_FALSE(type_from_name("nonsense", &t));
    CHECK(std::string(type_name(TensorType::IQ4_NL)) == "iq4_nl");
}
