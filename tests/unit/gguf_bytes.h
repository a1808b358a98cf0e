// Hand-assembles GGUF bytes for tests, so that broken files can be built
// field by field and the offset of each field is known.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace lq_test {

class GgufBytes {
public:
    std::string bytes;

    size_t size() const { return bytes.size(); }

    template <typename T>
    GgufBytes &put(T value) {
        char raw[sizeof(T)];
        std::memcpy(raw, &value, sizeof(T));
        bytes.append(raw, sizeof(T));
        return *this;
    }
    GgufBytes &u8(uint8_t v) { return put(v); }
    GgufBytes &u32(uint32_t v) { return put(v); }
    GgufBytes &u64(uint64_t v) { return put(v); }
    GgufBytes &str(const std::string &s) {
        u64(s.size());
        bytes += s;
        return *this;
    }
    GgufBytes &raw(const std::string &s) {
        bytes += s;
        return *this;
    }
    GgufBytes &header(uint64_t n_tensors, uint64_t n_kv, uint32_t version = 3) {
        raw("GGUF").u32(version).u64(n_tensors).u64(n_kv);
        return *this;
    }
    // Metadata entries: key, type id, value.
    GgufBytes &kv_u32(const std::string &key, uint32_t v) { return str(key).u32(4).u32(v); }
    GgufBytes &kv_str(const std::string &key, const std::string &v) { return str(key).u32(8).str(v); }
    // A tensor info: name, dims, type, offset.
    GgufBytes &tensor(const std::string &name, std::initializer_list<uint64_t> dims, uint32_t type, uint64_t offset) {
        str(name).u32(static_cast<uint32_t>(dims.size()));
        for (uint64_t d : dims) u64(d);
        return u32(type).u64(offset);
    }
    GgufBytes &pad_to(size_t alignment) {
        while (bytes.size() % alignment) bytes += '\0';
        return *this;
    }
    GgufBytes &zeros(size_t n) {
        bytes.append(n, '\0');
        return *this;
    }
};

}  // namespace lq_test
