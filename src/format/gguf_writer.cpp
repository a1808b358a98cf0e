#include "format/gguf_writer.h"

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "core/utf8.h"

namespace lq {
namespace {

template <typename T>
void put(std::vector<uint8_t> &out, T value) {
    const size_t at = out.size();
    out.resize(at + sizeof(T));
    std::memcpy(out.data() + at, &value, sizeof(T));
}

void put_string(std::vector<uint8_t> &out, std::string_view s) {
    put<uint64_t>(out, s.size());
    out.insert(out.end(), s.begin(), s.end());
}

template <typename T>
std::vector<uint8_t> scalar(GgufType type, T value) {
    std::vector<uint8_t> out;
    put<uint32_t>(out, static_cast<uint32_t>(type));
    put<T>(out, value);
    return out;
}

// Encodes a value (without its type word when @p with_type is false, as
// nested array elements carry no type of their own).
void encode_value(std::vector<uint8_t> &out, const GgufValue &v, bool with_type) {
    if (with_type) put<uint32_t>(out, static_cast<uint32_t>(v.type));
    switch (v.type) {
    case GgufType::UINT8:
    case GgufType::BOOL: put<uint8_t>(out, static_cast<uint8_t>(v.scalar.u)); break;
    case GgufType::INT8: put<int8_t>(out, static_cast<int8_t>(v.scalar.i)); break;
    case GgufType::UINT16: put<uint16_t>(out, static_cast<uint16_t>(v.scalar.u)); break;
    case GgufType::INT16: put<int16_t>(out, static_cast<int16_t>(v.scalar.i)); break;
    case GgufType::UINT32: put<uint32_t>(out, static_cast<uint32_t>(v.scalar.u)); break;
    case GgufType::INT32: put<int32_t>(out, static_cast<int32_t>(v.scalar.i)); break;
    case GgufType::UINT64: put<uint64_t>(out, v.scalar.u); break;
    case GgufType::INT64: put<int64_t>(out, v.scalar.i); break;
    case GgufType::FLOAT32: put<float>(out, static_cast<float>(v.scalar.f)); break;
    case GgufType::FLOAT64: put<double>(out, v.scalar.f); break;
    case GgufType::STRING: put_string(out, v.str); break;
    case GgufType::ARRAY:
        put<uint32_t>(out, static_cast<uint32_t>(v.element_type));
        put<uint64_t>(out, v.count);
        if (v.element_type == GgufType::STRING) {
            for (std::string_view s : v.strings) put_string(out, s);
        } else if (v.element_type == GgufType::ARRAY) {
            for (const GgufValue &element : v.arrays) encode_value(out, element, false);
        } else {
            const size_t bytes = static_cast<size_t>(v.count * gguf_scalar_size(v.element_type));
            if (bytes) out.insert(out.end(), v.raw, v.raw + bytes);
        }
        break;
    }
}

uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) / alignment * alignment; }

}  // namespace

GgufWriter::GgufWriter(uint32_t version) : version_(version) {
    if (version != 2 && version != 3) fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: version %u is not 2 or 3", version);
}

GgufWriter::~GgufWriter() { abort(); }

void GgufWriter::set_encoded(std::string_view key, std::vector<uint8_t> encoded) {
    if (key.empty() || !is_valid_utf8(key))
        fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: metadata key is empty or not UTF-8");
    for (Kv &kv : kvs_) {
        if (kv.key == key) {
            kv.encoded = std::move(encoded);
            return;
        }
    }
    kvs_.push_back(Kv{std::string(key), std::move(encoded)});
}

void GgufWriter::set_u8(std::string_view k, uint8_t v) { set_encoded(k, scalar(GgufType::UINT8, v)); }
void GgufWriter::set_i8(std::string_view k, int8_t v) { set_encoded(k, scalar(GgufType::INT8, v)); }
void GgufWriter::set_u16(std::string_view k, uint16_t v) { set_encoded(k, scalar(GgufType::UINT16, v)); }
void GgufWriter::set_i16(std::string_view k, int16_t v) { set_encoded(k, scalar(GgufType::INT16, v)); }
void GgufWriter::set_u32(std::string_view k, uint32_t v) { set_encoded(k, scalar(GgufType::UINT32, v)); }
void GgufWriter::set_i32(std::string_view k, int32_t v) { set_encoded(k, scalar(GgufType::INT32, v)); }
void GgufWriter::set_u64(std::string_view k, uint64_t v) { set_encoded(k, scalar(GgufType::UINT64, v)); }
void GgufWriter::set_i64(std::string_view k, int64_t v) { set_encoded(k, scalar(GgufType::INT64, v)); }
void GgufWriter::set_f32(std::string_view k, float v) { set_encoded(k, scalar(GgufType::FLOAT32, v)); }
void GgufWriter::set_f64(std::string_view k, double v) { set_encoded(k, scalar(GgufType::FLOAT64, v)); }
void GgufWriter::set_bool(std::string_view k, bool v) { set_encoded(k, scalar(GgufType::BOOL, uint8_t(v ? 1 : 0))); }

void GgufWriter::set_string(std::string_view key, std::string_view v) {
    std::vector<uint8_t> out;
    put<uint32_t>(out, static_cast<uint32_t>(GgufType::STRING));
    put_string(out, v);
    set_encoded(key, std::move(out));
}

void GgufWriter::set_array(std::string_view key, GgufType element_type, const void *elements, uint64_t count) {
    const size_t element_size = gguf_scalar_size(element_type);
    if (element_size == 0) fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: set_array needs a scalar element type");
    std::vector<uint8_t> out;
    put<uint32_t>(out, static_cast<uint32_t>(GgufType::ARRAY));
    put<uint32_t>(out, static_cast<uint32_t>(element_type));
    put<uint64_t>(out, count);
    const auto *bytes = static_cast<const uint8_t *>(elements);
    out.insert(out.end(), bytes, bytes + count * element_size);
    set_encoded(key, std::move(out));
}

void GgufWriter::set_string_array(std::string_view key, const std::vector<std::string_view> &strings) {
    std::vector<uint8_t> out;
    put<uint32_t>(out, static_cast<uint32_t>(GgufType::ARRAY));
    put<uint32_t>(out, static_cast<uint32_t>(GgufType::STRING));
    put<uint64_t>(out, strings.size());
    for (std::string_view s : strings) put_string(out, s);
    set_encoded(key, std::move(out));
}

void GgufWriter::set_string_array(std::string_view key, const std::vector<std::string> &strings) {
    std::vector<std::string_view> views(strings.begin(), strings.end());
    set_string_array(key, views);
}

void GgufWriter::set_value(std::string_view key, const GgufValue &value) {
    std::vector<uint8_t> out;
    encode_value(out, value, true);
    set_encoded(key, std::move(out));
}

void GgufWriter::remove(std::string_view key) {
    for (auto it = kvs_.begin(); it != kvs_.end(); ++it) {
        if (it->key == key) {
            kvs_.erase(it);
            return;
        }
    }
}

bool GgufWriter::has(std::string_view key) const {
    for (const Kv &kv : kvs_)
        if (kv.key == key) return true;
    return false;
}

size_t GgufWriter::add_tensor(std::string_view name, TensorType type, uint32_t n_dims, const uint64_t *ne) {
    const TypeInfo *info = type_info(type);
    if (!info || info->removed) fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: tensor type %u is not writable", unsigned(type));
    if (name.empty() || !is_valid_utf8(name))
        fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: tensor name is empty or not UTF-8");
    if (n_dims == 0 || n_dims > kGgufMaxDims)
        fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: tensor '%.*s' has %u dimensions", int(name.size()), name.data(), n_dims);
    for (const Tensor &t : tensors_)
        if (t.name == name)
            fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: duplicate tensor '%.*s'", int(name.size()), name.data());
    Tensor t{std::string(name), type, n_dims, {1, 1, 1, 1}, 0, 0};
    uint64_t elements = 1;
    for (uint32_t d = 0; d < n_dims; ++d) {
        t.ne[d] = ne[d];
        elements *= ne[d];
    }
    if (!row_fits(*info, t.ne[0]))
        fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: tensor '%.*s': row of %llu is not a multiple of the %s block size %u",
             int(name.size()), name.data(), static_cast<unsigned long long>(t.ne[0]), info->name, info->block_size);
    t.n_bytes = (t.ne[0] ? elements / t.ne[0] : 0) * row_bytes(*info, t.ne[0]);
    tensors_.push_back(std::move(t));
    return tensors_.size() - 1;
}

uint32_t GgufWriter::alignment() const {
    for (const Kv &kv : kvs_) {
        if (kv.key == "general.alignment" && kv.encoded.size() == 8) {
            uint32_t type, value;
            std::memcpy(&type, kv.encoded.data(), 4);
            std::memcpy(&value, kv.encoded.data() + 4, 4);
            if (type == static_cast<uint32_t>(GgufType::UINT32) && value != 0 && (value & (value - 1)) == 0)
                return value;
            fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: general.alignment must be a uint32 power of two");
        }
    }
    return kGgufDefaultAlignment;
}

std::vector<uint8_t> GgufWriter::header_bytes() const {
    std::vector<uint8_t> out;
    out.insert(out.end(), {'G', 'G', 'U', 'F'});
    put<uint32_t>(out, version_);
    put<uint64_t>(out, tensors_.size());
    put<uint64_t>(out, kvs_.size());
    for (const Kv &kv : kvs_) {
        put_string(out, kv.key);
        out.insert(out.end(), kv.encoded.begin(), kv.encoded.end());
    }
    for (const Tensor &t : tensors_) {
        put_string(out, t.name);
        put<uint32_t>(out, t.n_dims);
        for (uint32_t d = 0; d < t.n_dims; ++d) put<uint64_t>(out, t.ne[d]);
        put<uint32_t>(out, static_cast<uint32_t>(t.type));
        put<uint64_t>(out, t.offset);
    }
    return out;
}

void GgufWriter::write_bytes(const void *data, size_t size) {
    if (size && std::fwrite(data, 1, size, out_) != size)
        fail(LQ_ERR_IO, "cannot write '%s': %s", temp_path_.c_str(), std::strerror(errno));
}

void GgufWriter::write_padding(uint64_t written_so_far) {
    static const uint8_t zeros[256] = {};
    uint64_t padding = align_up(written_so_far, alignment()) - written_so_far;
    while (padding > 0) {
        const size_t chunk = padding < sizeof zeros ? static_cast<size_t>(padding) : sizeof zeros;
        write_bytes(zeros, chunk);
        padding -= chunk;
    }
}

void GgufWriter::begin(const std::string &path) {
    if (out_) fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: begin() called twice");
    const uint64_t a = alignment();
    uint64_t offset = 0;
    for (Tensor &t : tensors_) {
        t.offset = offset;
        offset = align_up(offset + t.n_bytes, a);
    }
    path_ = path;
    temp_path_ = path + ".tmp";
    out_ = std::fopen(temp_path_.c_str(), "wb");
    if (!out_) fail(LQ_ERR_IO, "cannot create '%s': %s", temp_path_.c_str(), std::strerror(errno));
    const std::vector<uint8_t> header = header_bytes();
    write_bytes(header.data(), header.size());
    if (!tensors_.empty()) write_padding(header.size());
    next_tensor_ = 0;
    tensor_written_ = 0;
    data_written_ = 0;
}

void GgufWriter::write_tensor_data(const void *data, size_t size) {
    if (!out_) fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: write_tensor_data() before begin()");
    if (next_tensor_ >= tensors_.size()) fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: more tensor data than tensors");
    const Tensor &t = tensors_[next_tensor_];
    if (size > t.n_bytes - tensor_written_)
        fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: too many bytes for tensor '%s'", t.name.c_str());
    write_bytes(data, size);
    tensor_written_ += size;
    data_written_ += size;
    if (tensor_written_ == t.n_bytes) {
        // Every tensor, the last included, is padded to the alignment.
        write_padding(data_written_);
        data_written_ = align_up(data_written_, alignment());
        ++next_tensor_;
        tensor_written_ = 0;
    }
}

void GgufWriter::finish() {
    if (!out_) fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: finish() before begin()");
    if (next_tensor_ != tensors_.size())
        fail(LQ_ERR_INVALID_ARGUMENT, "gguf writer: %zu of %zu tensors were written", next_tensor_, tensors_.size());
    const bool flushed = std::fflush(out_) == 0;
    const bool closed = std::fclose(out_) == 0;
    out_ = nullptr;
    if (!flushed || !closed) {
        std::remove(temp_path_.c_str());
        fail(LQ_ERR_IO, "cannot write '%s': %s", temp_path_.c_str(), std::strerror(errno));
    }
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
        const int saved = errno;
        std::remove(temp_path_.c_str());
        fail(LQ_ERR_IO, "cannot rename '%s' to '%s': %s", temp_path_.c_str(), path_.c_str(), std::strerror(saved));
    }
}

void GgufWriter::abort() {
    if (out_) {
        std::fclose(out_);
        out_ = nullptr;
        std::remove(temp_path_.c_str());
    }
}

}  // namespace lq
