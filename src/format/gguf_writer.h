// GGUF writer. Metadata and tensor infos are collected first; then the file
// is written in one pass: header, tensor data streamed tensor by tensor (so a
// quantizer never holds more than one output tensor), padding, done.
//
// Output goes to "<path>.tmp" and is renamed over <path> only after the last
// byte was written, so a failed or cancelled write never destroys an existing
// file. Tensors are laid out in the order they were added, each at the next
// multiple of the alignment, which is how other GGUF writers lay them out too:
// a file read and written back is byte-identical.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "format/gguf.h"

namespace lq {

class GgufWriter {
public:
    explicit GgufWriter(uint32_t version = 3);
    ~GgufWriter();
    GgufWriter(const GgufWriter &) = delete;
    GgufWriter &operator=(const GgufWriter &) = delete;

    // Metadata. Setting an existing key replaces its value in place.
    void set_u8(std::string_view key, uint8_t v);
    void set_i8(std::string_view key, int8_t v);
    void set_u16(std::string_view key, uint16_t v);
    void set_i16(std::string_view key, int16_t v);
    void set_u32(std::string_view key, uint32_t v);
    void set_i32(std::string_view key, int32_t v);
    void set_u64(std::string_view key, uint64_t v);
    void set_i64(std::string_view key, int64_t v);
    void set_f32(std::string_view key, float v);
    void set_f64(std::string_view key, double v);
    void set_bool(std::string_view key, bool v);
    void set_string(std::string_view key, std::string_view v);
    /// An array of @p count scalars of @p element_type stored at @p elements
    /// in little-endian layout.
    void set_array(std::string_view key, GgufType element_type, const void *elements, uint64_t count);
    void set_string_array(std::string_view key, const std::vector<std::string> &strings);
    void set_string_array(std::string_view key, const std::vector<std::string_view> &strings);
    /// A copy of a value read from another file (any type, nested arrays too).
    void set_value(std::string_view key, const GgufValue &value);
    void remove(std::string_view key);
    bool has(std::string_view key) const;

    /// Declares the next tensor. Returns its index. Throws LQ_ERR_INVALID_ARGUMENT
    /// when the shape does not fit the type's blocks or the name repeats.
    size_t add_tensor(std::string_view name, TensorType type, uint32_t n_dims, const uint64_t *ne);
    size_t tensor_count() const { return tensors_.size(); }
    uint64_t tensor_bytes(size_t index) const { return tensors_[index].n_bytes; }

    /// Opens "<path>.tmp" and writes everything before the tensor data.
    void begin(const std::string &path);
    /// Writes the data of the next tensor (tensors are written in order;
    /// @p size must equal tensor_bytes()). May be called in pieces: the tensor
    /// is complete once its byte count is reached.
    void write_tensor_data(const void *data, size_t size);
    /// Checks every tensor was written, flushes and renames into place.
    void finish();
    /// Abandons the file (also done by the destructor when not finished).
    void abort();

    /// Metadata and tensor-info bytes as they will be written (for tests).
    std::vector<uint8_t> header_bytes() const;

private:
    struct Kv {
        std::string key;
        std::vector<uint8_t> encoded;  // u32 type + value
    };
    struct Tensor {
        std::string name;
        TensorType type;
        uint32_t n_dims;
        uint64_t ne[kGgufMaxDims];
        uint64_t n_bytes;
        uint64_t offset;
    };

    void set_encoded(std::string_view key, std::vector<uint8_t> encoded);
    uint32_t alignment() const;
    void write_bytes(const void *data, size_t size);
    void write_padding(uint64_t written_so_far);

    uint32_t version_;
    std::vector<Kv> kvs_;
    std::vector<Tensor> tensors_;
    std::FILE *out_ = nullptr;
    std::string path_, temp_path_;
    size_t next_tensor_ = 0;
    uint64_t tensor_written_ = 0;
    uint64_t data_written_ = 0;
};

}  // namespace lq
