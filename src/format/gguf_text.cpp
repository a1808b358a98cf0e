#include "format/gguf_text.h"

#include <cinttypes>
#include <cstdio>

#include "core/json.h"

namespace lq {
namespace {

std::string scalar_text(const GgufValue &v) {
    char buf[40];
    switch (v.type) {
    case GgufType::BOOL: return v.scalar.u ? "true" : "false";
    case GgufType::UINT8:
    case GgufType::UINT16:
    case GgufType::UINT32:
    case GgufType::UINT64: std::snprintf(buf, sizeof buf, "%" PRIu64, v.scalar.u); return buf;
    case GgufType::INT8:
    case GgufType::INT16:
    case GgufType::INT32:
    case GgufType::INT64: std::snprintf(buf, sizeof buf, "%" PRId64, v.scalar.i); return buf;
    case GgufType::FLOAT32: std::snprintf(buf, sizeof buf, "%.9g", v.scalar.f); return buf;
    case GgufType::FLOAT64: return json::number(v.scalar.f);
    default: return std::string();
    }
}

void append_json(std::string &out, const GgufValue &v) {
    if (v.type == GgufType::STRING) {
        json::append_string(out, v.str);
        return;
    }
    if (v.type != GgufType::ARRAY) {
        out += scalar_text(v);
        return;
    }
    out += '[';
    for (uint64_t i = 0; i < v.count; ++i) {
        if (i) out += ',';
        if (v.element_type == GgufType::STRING) {
            json::append_string(out, v.strings[static_cast<size_t>(i)]);
        } else if (v.element_type == GgufType::ARRAY) {
            append_json(out, v.arrays[static_cast<size_t>(i)]);
        } else {
            GgufValue element;
            element.type = v.element_type;
            if (v.element_type == GgufType::FLOAT32 || v.element_type == GgufType::FLOAT64)
                element.scalar.f = v.float_at(i);
            else
                element.scalar.i = v.int_at(i);  // same bits for the unsigned view
            out += scalar_text(element);
        }
    }
    out += ']';
}

}  // namespace

std::string gguf_value_text(const GgufValue &value) {
    if (value.type == GgufType::STRING) return std::string(value.str);
    return gguf_value_json(value);
}

std::string gguf_value_json(const GgufValue &value) {
    std::string out;
    append_json(out, value);
    return out;
}

}  // namespace lq
