#include "format/gguf.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "core/utf8.h"

namespace lq {
namespace {

constexpr uint32_t kMaxArrayDepth = 8;         // nested arrays deeper than this are refused
constexpr uint64_t kMaxTensorNameBytes = 1024; // longer names are surely corrupt

// A bounds-checked cursor over the file image. Every read checks the bytes
// left before touching memory; errors name the field and its offset.
class Cursor {
public:
    Cursor(const uint8_t *data, size_t size) : data_(data), size_(size) {}

    size_t position() const { return pos_; }
    size_t remaining() const { return size_ - pos_; }
    const uint8_t *here() const { return data_ + pos_; }

    [[noreturn]] void fail_at(size_t offset, const char *what, const char *problem) const {
        fail(LQ_ERR_MODEL_FORMAT, "gguf: %s at offset %zu: %s (file is %zu bytes)", what, offset, problem, size_);
    }

    void need(uint64_t bytes, const char *what) const {
        if (bytes > remaining()) fail_at(pos_, what, "truncated");
    }

    template <typename T>
    T read(const char *what) {
        need(sizeof(T), what);
        T value;
        std::memcpy(&value, data_ + pos_, sizeof(T));
        pos_ += sizeof(T);
        return value;
    }

    void skip(uint64_t bytes, const char *what) {
        need(bytes, what);
        pos_ += static_cast<size_t>(bytes);
    }

    std::string_view read_string(const char *what) {
        const size_t at = pos_;
        const uint64_t length = read<uint64_t>(what);
        if (length > remaining()) fail_at(at, what, "string length exceeds the file");
        std::string_view text(reinterpret_cast<const char *>(data_ + pos_), static_cast<size_t>(length));
        pos_ += static_cast<size_t>(length);
        return text;
    }

private:
    const uint8_t *data_;
    size_t size_;
    size_t pos_ = 0;
};

bool is_scalar(GgufType t) { return t != GgufType::STRING && t != GgufType::ARRAY; }

GgufType read_type(Cursor &c, const char *what) {
    const size_t at = c.position();
    const uint32_t raw = c.read<uint32_t>(what);
    if (raw >= kGgufTypeCount) c.fail_at(at, what, "unknown value type");
    return static_cast<GgufType>(raw);
}

void read_scalar(Cursor &c, GgufType type, GgufValue &v, const char *what) {
    v.type = type;
    switch (type) {
    case GgufType::UINT8: v.scalar.u = c.read<uint8_t>(what); break;
    case GgufType::INT8: v.scalar.i = c.read<int8_t>(what); break;
    case GgufType::UINT16: v.scalar.u = c.read<uint16_t>(what); break;
    case GgufType::INT16: v.scalar.i = c.read<int16_t>(what); break;
    case GgufType::UINT32: v.scalar.u = c.read<uint32_t>(what); break;
    case GgufType::INT32: v.scalar.i = c.read<int32_t>(what); break;
    case GgufType::UINT64: v.scalar.u = c.read<uint64_t>(what); break;
    case GgufType::INT64: v.scalar.i = c.read<int64_t>(what); break;
    case GgufType::FLOAT32: v.scalar.f = c.read<float>(what); break;
    case GgufType::FLOAT64: v.scalar.f = c.read<double>(what); break;
    case GgufType::BOOL: {
        const size_t at = c.position();
        const uint8_t b = c.read<uint8_t>(what);
        if (b > 1) c.fail_at(at, what, "bool value is neither 0 nor 1");
        v.scalar.u = b;
        break;
    }
    default: break;  // STRING and ARRAY are handled by the caller
    }
}

void read_value(Cursor &c, GgufType type, GgufValue &v, uint32_t depth, const char *what);

void read_array(Cursor &c, GgufValue &v, uint32_t depth, const char *what) {
    if (depth >= kMaxArrayDepth) c.fail_at(c.position(), what, "arrays nested too deeply");
    v.type = GgufType::ARRAY;
    v.element_type = read_type(c, what);
    const size_t count_at = c.position();
    v.count = c.read<uint64_t>(what);
    // Every element takes at least one byte (a string at least 8), so a count
    // larger than the bytes left is a lie; checking first bounds allocations.
    const size_t element_min = is_scalar(v.element_type) ? gguf_scalar_size(v.element_type)
                               : v.element_type == GgufType::STRING ? 8u
                                                                    : 12u;  // nested: type + count
    if (v.count > c.remaining() / element_min) c.fail_at(count_at, what, "array count exceeds the file");
    if (is_scalar(v.element_type)) {
        v.raw = c.here();
        if (v.element_type == GgufType::BOOL) {
            for (uint64_t i = 0; i < v.count; ++i)
                if (v.raw[i] > 1) c.fail_at(c.position() + i, what, "bool array element is neither 0 nor 1");
        }
        c.skip(v.count * element_min, what);
    } else if (v.element_type == GgufType::STRING) {
        v.strings.reserve(static_cast<size_t>(v.count));
        for (uint64_t i = 0; i < v.count; ++i) v.strings.push_back(c.read_string(what));
    } else {
        v.arrays.resize(static_cast<size_t>(v.count));
        for (GgufValue &element : v.arrays) read_value(c, GgufType::ARRAY, element, depth + 1, what);
    }
}

void read_value(Cursor &c, GgufType type, GgufValue &v, uint32_t depth, const char *what) {
    if (type == GgufType::STRING) {
        v.type = type;
        v.str = c.read_string(what);
    } else if (type == GgufType::ARRAY) {
        read_array(c, v, depth, what);
    } else {
        read_scalar(c, type, v, what);
    }
}

// a * b into *out, false on overflow.
bool multiply(uint64_t a, uint64_t b, uint64_t *out) {
    if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a) return false;
    *out = a * b;
    return true;
}

// A float read as an integer: truncated, saturated at the int64 range, NaN
// as 0 (a file may hold any bits; the conversion must stay defined).
int64_t saturate_to_int(double x) {
    if (!(x == x)) return 0;
    if (x >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
    if (x <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(x);
}

}  // namespace

const char *gguf_type_name(GgufType type) {
    static const char *const names[kGgufTypeCount] = {"uint8", "int8",  "uint16", "int16",  "uint32", "int32", "float32",
                                                      "bool",  "string", "array", "uint64", "int64",  "float64"};
    const auto index = static_cast<uint32_t>(type);
    return index < kGgufTypeCount ? names[index] : "unknown";
}

size_t gguf_scalar_size(GgufType type) {
    switch (type) {
    case GgufType::UINT8:
    case GgufType::INT8:
    case GgufType::BOOL: return 1;
    case GgufType::UINT16:
    case GgufType::INT16: return 2;
    case GgufType::UINT32:
    case GgufType::INT32:
    case GgufType::FLOAT32: return 4;
    case GgufType::UINT64:
    case GgufType::INT64:
    case GgufType::FLOAT64: return 8;
    default: return 0;
    }
}

bool GgufValue::is_integer() const {
    switch (type) {
    case GgufType::UINT8:
    case GgufType::INT8:
    case GgufType::UINT16:
    case GgufType::INT16:
    case GgufType::UINT32:
    case GgufType::INT32:
    case GgufType::UINT64:
    case GgufType::INT64:
    case GgufType::BOOL: return true;
    default: return false;
    }
}

bool GgufValue::is_number() const {
    return is_integer() || type == GgufType::FLOAT32 || type == GgufType::FLOAT64;
}

bool GgufValue::to_int(int64_t *out) const {
    switch (type) {
    case GgufType::INT8:
    case GgufType::INT16:
    case GgufType::INT32:
    case GgufType::INT64: *out = scalar.i; return true;
    case GgufType::UINT8:
    case GgufType::UINT16:
    case GgufType::UINT32:
    case GgufType::UINT64:
    case GgufType::BOOL:
        if (scalar.u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
        *out = static_cast<int64_t>(scalar.u);
        return true;
    default: return false;
    }
}

bool GgufValue::to_double(double *out) const {
    if (type == GgufType::FLOAT32 || type == GgufType::FLOAT64) {
        *out = scalar.f;
        return true;
    }
    if (type == GgufType::INT8 || type == GgufType::INT16 || type == GgufType::INT32 || type == GgufType::INT64) {
        *out = static_cast<double>(scalar.i);
        return true;
    }
    if (is_integer()) {
        *out = static_cast<double>(scalar.u);
        return true;
    }
    return false;
}

int64_t GgufValue::int_at(uint64_t index) const {
    const uint8_t *p = raw + index * gguf_scalar_size(element_type);
    switch (element_type) {
    case GgufType::UINT8:
    case GgufType::BOOL: return *p;
    case GgufType::INT8: return static_cast<int8_t>(*p);
    case GgufType::UINT16: { uint16_t x; std::memcpy(&x, p, 2); return x; }
    case GgufType::INT16: { int16_t x; std::memcpy(&x, p, 2); return x; }
    case GgufType::UINT32: { uint32_t x; std::memcpy(&x, p, 4); return x; }
    case GgufType::INT32: { int32_t x; std::memcpy(&x, p, 4); return x; }
    case GgufType::UINT64: { uint64_t x; std::memcpy(&x, p, 8); return static_cast<int64_t>(x); }
    case GgufType::INT64: { int64_t x; std::memcpy(&x, p, 8); return x; }
    case GgufType::FLOAT32: { float x; std::memcpy(&x, p, 4); return saturate_to_int(x); }
    case GgufType::FLOAT64: { double x; std::memcpy(&x, p, 8); return saturate_to_int(x); }
    default: return 0;
    }
}

double GgufValue::float_at(uint64_t index) const {
    const uint8_t *p = raw + index * gguf_scalar_size(element_type);
    if (element_type == GgufType::FLOAT32) {
        float x;
        std::memcpy(&x, p, 4);
        return x;
    }
    if (element_type == GgufType::FLOAT64) {
        double x;
        std::memcpy(&x, p, 8);
        return x;
    }
    return static_cast<double>(int_at(index));
}

GgufFile GgufFile::parse(const uint8_t *data, size_t size) {
    GgufFile file;
    file.size_ = size;
    Cursor c(data, size);

    c.need(4, "magic");
    if (std::memcmp(data, "GGUF", 4) != 0) c.fail_at(0, "magic", "not a GGUF file (expected \"GGUF\")");
    c.skip(4, "magic");
    file.version_ = c.read<uint32_t>("version");
    if (file.version_ == 1) c.fail_at(4, "version", "GGUF version 1 is obsolete and not supported");
    if (file.version_ != 2 && file.version_ != 3) {
        // A byte-swapped version means a big-endian file.
        c.fail_at(4, "version", (file.version_ & 0xFFFF) == 0 ? "big-endian GGUF is not supported"
                                                               : "unsupported GGUF version (expected 2 or 3)");
    }
    const uint64_t n_tensors = c.read<uint64_t>("tensor count");
    const uint64_t n_kv = c.read<uint64_t>("metadata count");
    // Minimal sizes: a kv is key length (8) + type (4) + 1 byte; a tensor info
    // is name length (8) + n_dims (4) + type (4) + offset (8).
    if (n_kv > c.remaining() / 13) c.fail_at(16, "metadata count", "count exceeds what the file can hold");
    if (n_tensors > c.remaining() / 24) c.fail_at(8, "tensor count", "count exceeds what the file can hold");

    file.kvs_.resize(static_cast<size_t>(n_kv));
    file.kv_index_.reserve(static_cast<size_t>(n_kv));
    for (size_t i = 0; i < file.kvs_.size(); ++i) {
        GgufKv &kv = file.kvs_[i];
        kv.offset = c.position();
        kv.key = c.read_string("metadata key");
        if (kv.key.empty()) c.fail_at(kv.offset, "metadata key", "empty key");
        if (!is_valid_utf8(kv.key) || kv.key.find('\0') != std::string_view::npos)
            c.fail_at(kv.offset, "metadata key", "key is not valid UTF-8");
        if (!file.kv_index_.emplace(kv.key, i).second)
            fail(LQ_ERR_MODEL_FORMAT, "gguf: metadata key '%.*s' at offset %llu: duplicate key",
                 static_cast<int>(kv.key.size()), kv.key.data(), static_cast<unsigned long long>(kv.offset));
        const GgufType type = read_type(c, "metadata value type");
        read_value(c, type, kv.value, 0, "metadata value");
    }

    if (const GgufValue *alignment = file.find("general.alignment")) {
        if (alignment->type != GgufType::UINT32)
            fail(LQ_ERR_MODEL_FORMAT, "gguf: general.alignment has type %s, expected uint32",
                 gguf_type_name(alignment->type));
        const uint64_t a = alignment->scalar.u;
        if (a == 0 || (a & (a - 1)) != 0)
            fail(LQ_ERR_MODEL_FORMAT, "gguf: general.alignment = %llu is not a power of two",
                 static_cast<unsigned long long>(a));
        file.alignment_ = static_cast<uint32_t>(a);
    }

    file.tensors_.resize(static_cast<size_t>(n_tensors));
    file.tensor_index_.reserve(static_cast<size_t>(n_tensors));
    for (size_t i = 0; i < file.tensors_.size(); ++i) {
        GgufTensor &t = file.tensors_[i];
        t.info_offset = c.position();
        t.name = c.read_string("tensor name");
        if (t.name.empty() || t.name.size() > kMaxTensorNameBytes || !is_valid_utf8(t.name) ||
            t.name.find('\0') != std::string_view::npos)
            c.fail_at(t.info_offset, "tensor name", "empty, over-long or not valid UTF-8");
        if (!file.tensor_index_.emplace(t.name, i).second)
            fail(LQ_ERR_MODEL_FORMAT, "gguf: tensor '%.*s' at offset %llu: duplicate tensor name",
                 static_cast<int>(t.name.size()), t.name.data(), static_cast<unsigned long long>(t.info_offset));
        const size_t dims_at = c.position();
        t.n_dims = c.read<uint32_t>("tensor n_dims");
        if (t.n_dims > kGgufMaxDims) c.fail_at(dims_at, "tensor n_dims", "more than 4 dimensions");
        uint64_t elements = 1;
        for (uint32_t d = 0; d < t.n_dims; ++d) {
            const size_t at = c.position();
            t.ne[d] = c.read<uint64_t>("tensor dimension");
            if (t.ne[d] > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
                !multiply(elements, t.ne[d], &elements) ||
                elements > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                c.fail_at(at, "tensor dimension", "dimensions overflow");
        }
        t.n_elements = elements;
        const size_t type_at = c.position();
        const uint32_t raw_type = c.read<uint32_t>("tensor type");
        const TypeInfo *info = type_info(raw_type);
        if (!info) c.fail_at(type_at, "tensor type", "unknown tensor type");
        if (info->removed) c.fail_at(type_at, "tensor type", "tensor type was removed from GGUF");
        t.type = info->type;
        if (!row_fits(*info, t.ne[0]))
            fail(LQ_ERR_MODEL_FORMAT, "gguf: tensor '%.*s': row of %llu elements is not a multiple of the %s block size %u",
                 static_cast<int>(t.name.size()), t.name.data(), static_cast<unsigned long long>(t.ne[0]), info->name,
                 info->block_size);
        const uint64_t rows = t.ne[0] ? t.n_elements / t.ne[0] : 0;  // an empty row holds nothing
        if (!multiply(rows, row_bytes(*info, t.ne[0]), &t.n_bytes))
            c.fail_at(type_at, "tensor type", "tensor size overflows");
        const size_t offset_at = c.position();
        t.offset = c.read<uint64_t>("tensor offset");
        if (t.offset % file.alignment_ != 0) c.fail_at(offset_at, "tensor offset", "offset is not aligned");
    }

    // The data section starts at the next multiple of the alignment.
    const uint64_t header_end = c.position();
    file.data_offset_ = (header_end + file.alignment_ - 1) / file.alignment_ * file.alignment_;
    if (!file.tensors_.empty() && file.data_offset_ > size)
        fail(LQ_ERR_MODEL_FORMAT, "gguf: data section at offset %llu starts beyond the end of the file (%zu bytes)",
             static_cast<unsigned long long>(file.data_offset_), size);
    const uint64_t data_size = file.data_offset_ <= size ? size - file.data_offset_ : 0;

    std::vector<size_t> by_offset(file.tensors_.size());
    for (size_t i = 0; i < by_offset.size(); ++i) {
        GgufTensor &t = file.tensors_[i];
        if (t.offset > data_size || t.n_bytes > data_size - t.offset)
            fail(LQ_ERR_MODEL_FORMAT,
                 "gguf: tensor '%.*s' (info at offset %llu): data [%llu, +%llu) extends past the end of the file",
                 static_cast<int>(t.name.size()), t.name.data(), static_cast<unsigned long long>(t.info_offset),
                 static_cast<unsigned long long>(file.data_offset_ + t.offset),
                 static_cast<unsigned long long>(t.n_bytes));
        t.data = data + file.data_offset_ + t.offset;
        by_offset[i] = i;
    }
    std::sort(by_offset.begin(), by_offset.end(),
              [&](size_t a, size_t b) { return file.tensors_[a].offset < file.tensors_[b].offset; });
    for (size_t k = 1; k < by_offset.size(); ++k) {
        const GgufTensor &prev = file.tensors_[by_offset[k - 1]];
        const GgufTensor &next = file.tensors_[by_offset[k]];
        if (prev.offset + prev.n_bytes > next.offset)
            fail(LQ_ERR_MODEL_FORMAT, "gguf: tensors '%.*s' and '%.*s' overlap in the data section",
                 static_cast<int>(prev.name.size()), prev.name.data(), static_cast<int>(next.name.size()),
                 next.name.data());
    }
    return file;
}

const GgufValue *GgufFile::find(std::string_view key) const {
    const auto it = kv_index_.find(key);
    return it == kv_index_.end() ? nullptr : &kvs_[it->second].value;
}

const GgufTensor *GgufFile::find_tensor(std::string_view name) const {
    const auto it = tensor_index_.find(name);
    return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

namespace {
[[noreturn]] void wrong_type(std::string_view key, const GgufValue &v, const char *expected) {
    fail(LQ_ERR_MODEL_FORMAT, "gguf: metadata '%.*s' has type %s, expected %s", static_cast<int>(key.size()),
         key.data(), gguf_type_name(v.type), expected);
}
}  // namespace

std::string_view GgufFile::get_string(std::string_view key, std::string_view fallback) const {
    const GgufValue *v = find(key);
    if (!v) return fallback;
    if (v->type != GgufType::STRING) wrong_type(key, *v, "string");
    return v->str;
}

int64_t GgufFile::get_int(std::string_view key, int64_t fallback) const {
    const GgufValue *v = find(key);
    if (!v) return fallback;
    int64_t out;
    if (!v->to_int(&out)) wrong_type(key, *v, "an integer");
    return out;
}

double GgufFile::get_float(std::string_view key, double fallback) const {
    const GgufValue *v = find(key);
    if (!v) return fallback;
    double out;
    if (!v->to_double(&out)) wrong_type(key, *v, "a number");
    return out;
}

bool GgufFile::get_bool(std::string_view key, bool fallback) const {
    const GgufValue *v = find(key);
    if (!v) return fallback;
    if (!v->is_integer()) wrong_type(key, *v, "bool");
    return v->scalar.u != 0;
}

const GgufValue *GgufFile::get_array(std::string_view key, GgufType element_type) const {
    const GgufValue *v = find(key);
    if (!v) return nullptr;
    if (v->type != GgufType::ARRAY || v->element_type != element_type)
        fail(LQ_ERR_MODEL_FORMAT, "gguf: metadata '%.*s' is not an array of %s", static_cast<int>(key.size()),
             key.data(), gguf_type_name(element_type));
    return v;
}

}  // namespace lq
