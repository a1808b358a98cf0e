// GGUF reader: parses and validates a GGUF v2/v3 image held in memory.
//
// Layout of a GGUF file (little-endian):
//   "GGUF" u32 version, u64 n_tensors, u64 n_kv,
//   n_kv  x { string key, u32 value_type, value }
//   n_tensors x { string name, u32 n_dims, u64 ne[n_dims], u32 type, u64 offset }
//   padding to `general.alignment` (default 32), then the tensor data section;
//   each tensor's offset is relative to the start of that section.
// A string is u64 length + bytes (no terminator). An array is u32 element
// type + u64 count + elements.
//
// The parsed object holds views (string_view, pointers) into the bytes it was
// given: those bytes must outlive it. Parsing validates everything a later
// reader relies on, so accessors never need to re-check bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/types.h"

namespace lq {

enum class GgufType : uint32_t {
    UINT8 = 0,
    INT8 = 1,
    UINT16 = 2,
    INT16 = 3,
    UINT32 = 4,
    INT32 = 5,
    FLOAT32 = 6,
    BOOL = 7,
    STRING = 8,
    ARRAY = 9,
    UINT64 = 10,
    INT64 = 11,
    FLOAT64 = 12,
};

constexpr uint32_t kGgufTypeCount = 13;
constexpr uint32_t kGgufDefaultAlignment = 32;
constexpr uint32_t kGgufMaxDims = 4;

/// "uint8", "string", ...; "unknown" for values out of range.
const char *gguf_type_name(GgufType type);

/// Bytes of one scalar of @p type; 0 for STRING and ARRAY.
size_t gguf_scalar_size(GgufType type);

/// One metadata value. Scalars are widened into the union; arrays of scalars
/// point at their raw little-endian elements inside the file image.
struct GgufValue {
    GgufType type = GgufType::UINT8;
    union {
        uint64_t u;  // UINT8/16/32/64 and BOOL
        int64_t i;   // INT8/16/32/64
        double f;    // FLOAT32/64
    } scalar{0};
    std::string_view str;  // STRING

    // ARRAY only:
    GgufType element_type = GgufType::UINT8;
    uint64_t count = 0;
    const uint8_t *raw = nullptr;           // scalar elements, count * scalar size bytes
    std::vector<std::string_view> strings;  // string elements
    std::vector<GgufValue> arrays;          // nested array elements

    bool is_integer() const;  // an integer or bool scalar
    bool is_number() const;   // integer, bool or float scalar
    /// The scalar as int64; false when not an integer, or a UINT64 beyond INT64_MAX.
    bool to_int(int64_t *out) const;
    /// The scalar as double; false when not a number.
    bool to_double(double *out) const;

    /// Element @p index of a scalar array, widened; index must be < count.
    int64_t int_at(uint64_t index) const;
    double float_at(uint64_t index) const;
};

struct GgufKv {
    std::string_view key;
    GgufValue value;
    uint64_t offset = 0;  // file offset of the entry, for messages
};

struct GgufTensor {
    std::string_view name;
    TensorType type = TensorType::F32;
    uint32_t n_dims = 0;
    uint64_t ne[kGgufMaxDims] = {1, 1, 1, 1};  // ne[0] is the contiguous (row) dimension
    uint64_t offset = 0;                        // relative to the data section
    uint64_t n_elements = 0;
    uint64_t n_bytes = 0;
    const uint8_t *data = nullptr;  // into the image; null when the image has no data section
    uint64_t info_offset = 0;       // file offset of the tensor info, for messages
};

class GgufFile {
public:
    /// Parses and validates @p size bytes at @p data. Throws lq::Error with
    /// LQ_ERR_MODEL_FORMAT naming the field and the byte offset on any
    /// inconsistency. The bytes must outlive the returned object.
    static GgufFile parse(const uint8_t *data, size_t size);

    uint32_t version() const { return version_; }
    uint32_t alignment() const { return alignment_; }
    uint64_t data_offset() const { return data_offset_; }
    size_t file_size() const { return size_; }

    const std::vector<GgufKv> &kvs() const { return kvs_; }
    const std::vector<GgufTensor> &tensors() const { return tensors_; }

    /// The entry named @p key, or nullptr.
    const GgufValue *find(std::string_view key) const;
    /// The tensor named @p name, or nullptr.
    const GgufTensor *find_tensor(std::string_view name) const;

    // Typed lookups. A missing key gives the fallback; a present key of the
    // wrong type throws LQ_ERR_MODEL_FORMAT naming the key.
    std::string_view get_string(std::string_view key, std::string_view fallback = {}) const;
    int64_t get_int(std::string_view key, int64_t fallback) const;
    double get_float(std::string_view key, double fallback) const;
    bool get_bool(std::string_view key, bool fallback) const;
    /// A present array whose elements are @p element_type, or nullptr when absent.
    /// Throws when present with another type.
    const GgufValue *get_array(std::string_view key, GgufType element_type) const;

private:
    uint32_t version_ = 0;
    uint32_t alignment_ = kGgufDefaultAlignment;
    uint64_t data_offset_ = 0;
    size_t size_ = 0;
    std::vector<GgufKv> kvs_;
    std::vector<GgufTensor> tensors_;
    std::unordered_map<std::string_view, size_t> kv_index_;
    std::unordered_map<std::string_view, size_t> tensor_index_;
};

}  // namespace lq
