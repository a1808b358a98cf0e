// lq info MODEL [--json]: what a model file holds.
#include <cinttypes>
#include <cstring>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "commands.h"
#include "core/json.h"

namespace lq_cli {
namespace {

constexpr uint64_t kTextArrayLimit = 8;   // longer arrays are summarised in text output
constexpr uint64_t kJsonArrayLimit = 64;  // and in JSON output

const char *meta_type_name(lq_meta_type t) {
    static const char *const names[] = {"uint8", "int8",   "uint16", "int16", "uint32", "int32", "float32",
                                        "bool",  "string", "array",  "uint64", "int64", "float64"};
    return t >= 0 && t <= 12 ? names[t] : "unknown";
}

std::string meta_text(const lq_model *model, const char *key) {
    size_t needed = 0;
    lq_status s = lq_model_meta_string(model, key, nullptr, 0, &needed);
    if (s != LQ_ERR_BUFFER_TOO_SMALL) check(s, "metadata");
    std::string text(needed, '\0');
    check(lq_model_meta_string(model, key, &text[0], text.size(), &needed), "metadata");
    text.resize(needed - 1);
    return text;
}

struct Entry {
    std::string key;
    lq_meta_type type;
    lq_meta_type element_type;
    uint64_t count;
};

std::vector<Entry> read_entries(const lq_model *model) {
    size_t count = 0;
    check(lq_model_meta_count(model, &count), "metadata");
    std::vector<Entry> entries;
    for (size_t i = 0; i < count; ++i) {
        size_t needed = 0;
        lq_status s = lq_model_meta_key(model, i, nullptr, 0, &needed);
        if (s != LQ_ERR_BUFFER_TOO_SMALL) check(s, "metadata key");
        std::string key(needed, '\0');
        check(lq_model_meta_key(model, i, &key[0], key.size(), &needed), "metadata key");
        key.resize(needed - 1);
        Entry e{key, LQ_META_UINT8, LQ_META_UINT8, 0};
        check(lq_model_meta_type(model, key.c_str(), &e.type, &e.element_type, &e.count), "metadata type");
        entries.push_back(e);
    }
    return entries;
}

std::vector<lq_tensor_info> read_tensors(const lq_model *model, const lq_model_info &info) {
    std::vector<lq_tensor_info> tensors;
    for (uint32_t i = 0; i < info.n_tensors; ++i) {
        lq_tensor_info t = LQ_TENSOR_INFO_INIT;
        check(lq_model_tensor_info(model, i, &t), "tensor info");
        tensors.push_back(t);
    }
    return tensors;
}

std::string shape_text(const lq_tensor_info &t, const char *open, const char *sep, const char *close) {
    std::string s = open;
    for (uint32_t d = 0; d < t.n_dims; ++d) {
        if (d) s += sep;
        s += std::to_string(t.dims[d]);
    }
    return s + close;
}

// Bits per weight over the tensors that are matrices (2-D or more), which is
// how quantized sizes are compared; 1-D norms and biases are left out.
double matrix_bits_per_weight(const std::vector<lq_tensor_info> &tensors) {
    uint64_t bytes = 0, elements = 0;
    for (const lq_tensor_info &t : tensors) {
        if (t.n_dims < 2) continue;
        bytes += t.n_bytes;
        elements += t.n_elements;
    }
    return elements ? 8.0 * static_cast<double>(bytes) / static_cast<double>(elements) : 0.0;
}

void print_json(const std::string &path, const lq_model *model, const lq_model_info &info,
                const std::vector<Entry> &entries, const std::vector<lq_tensor_info> &tensors) {
    using lq::json::quote;
    std::string out = "{";
    out += "\"file\":" + quote(path);
    out += ",\"gguf_version\":" + std::to_string(info.gguf_version);
    out += ",\"architecture\":" + quote(info.architecture);
    out += ",\"name\":" + quote(info.name);
    out += ",\"n_params\":" + std::to_string(info.n_params);
    out += ",\"n_tensor_bytes\":" + std::to_string(info.n_tensor_bytes);
    out += ",\"bits_per_weight\":" +
           lq::json::number(info.n_params ? 8.0 * double(info.n_tensor_bytes) / double(info.n_params) : 0.0);
    out += ",\"matrix_bits_per_weight\":" + lq::json::number(matrix_bits_per_weight(tensors));
    out += ",\"metadata\":{";
    for (size_t i = 0; i < entries.size(); ++i) {
        const Entry &e = entries[i];
        if (i) out += ',';
        out += quote(e.key) + ':';
        if (e.type == LQ_META_ARRAY && e.count > kJsonArrayLimit) {
            out += "{\"type\":\"array\",\"element_type\":" + quote(meta_type_name(e.element_type)) +
                   ",\"count\":" + std::to_string(e.count) + "}";
        } else if (e.type == LQ_META_STRING) {
            out += quote(meta_text(model, e.key.c_str()));
        } else {
            out += meta_text(model, e.key.c_str());
        }
    }
    out += "},\"tensors\":[";
    for (size_t i = 0; i < tensors.size(); ++i) {
        const lq_tensor_info &t = tensors[i];
        if (i) out += ',';
        out += "{\"name\":" + quote(t.name) + ",\"type\":" + quote(lq_tensor_type_name(t.type)) +
               ",\"shape\":" + shape_text(t, "[", ",", "]") + ",\"bytes\":" + std::to_string(t.n_bytes) +
               ",\"offset\":" + std::to_string(t.file_offset) + "}";
    }
    out += "]}";
    std::printf("%s\n", out.c_str());
}

void print_text(const std::string &path, const lq_model *model, const lq_model_info &info,
                const std::vector<Entry> &entries, const std::vector<lq_tensor_info> &tensors) {
    std::printf("file:          %s\n", path.c_str());
    std::printf("gguf version:  %u\n", info.gguf_version);
    std::printf("architecture:  %s\n", *info.architecture ? info.architecture : "(none)");
    std::printf("name:          %s\n", *info.name ? info.name : "(none)");
    if (info.n_layer) {
        std::printf("shape:         %u layers, n_embd %u, %u heads (%u kv), context %u, vocab %u\n", info.n_layer,
                    info.n_embd, info.n_head, info.n_head_kv, info.n_ctx_train, info.n_vocab);
    } else if (info.n_vocab) {
        std::printf("vocabulary:    %u tokens\n", info.n_vocab);
    }

    std::printf("\nmetadata (%zu entries):\n", entries.size());
    size_t width = 0;
    for (const Entry &e : entries) width = e.key.size() > width ? e.key.size() : width;
    for (const Entry &e : entries) {
        std::string value;
        if (e.type == LQ_META_ARRAY && e.count > kTextArrayLimit)
            value = "[" + std::string(meta_type_name(e.element_type)) + " x " + with_commas(e.count) + "]";
        else
            value = meta_text(model, e.key.c_str());
        if (value.size() > 100) value = value.substr(0, 97) + "...";
        for (char &c : value)
            if (c == '\n' || c == '\r') c = ' ';
        std::printf("  %-*s %-8s %s\n", static_cast<int>(width), e.key.c_str(), meta_type_name(e.type), value.c_str());
    }

    if (tensors.empty()) return;
    std::printf("\ntensors (%zu):\n", tensors.size());
    width = 0;
    for (const lq_tensor_info &t : tensors) width = std::strlen(t.name) > width ? std::strlen(t.name) : width;
    std::map<std::string, unsigned> type_counts;
    for (const lq_tensor_info &t : tensors) {
        std::printf("  %-*s %-7s %-18s %12s bytes\n", static_cast<int>(width), t.name, lq_tensor_type_name(t.type),
                    shape_text(t, "", " x ", "").c_str(), with_commas(t.n_bytes).c_str());
        ++type_counts[lq_tensor_type_name(t.type)];
    }
    std::string types;
    for (const auto &kv : type_counts) types += (types.empty() ? "" : ", ") + kv.first + " x" + std::to_string(kv.second);
    std::printf("\ntotal:         %s weights in %s bytes (%s)\n", with_commas(info.n_params).c_str(),
                with_commas(info.n_tensor_bytes).c_str(), types.c_str());
    std::printf("bits/weight:   %.3f over all tensors, %.3f over matrices\n",
                info.n_params ? 8.0 * double(info.n_tensor_bytes) / double(info.n_params) : 0.0,
                matrix_bits_per_weight(tensors));
}

// lq info --backends: every backend, whether it runs here, and why not.
int print_backends(bool json) {
    const size_t n = lq_backend_count();
    std::string out = "[";
    for (size_t i = 0; i < n; ++i) {
        lq_backend_info b = LQ_BACKEND_INFO_INIT;
        check(lq_backend_get_info(i, &b), "backend info");
        if (json) {
            if (i) out += ",";
            out += "{\"name\":" + lq::json::quote(b.name) + ",\"available\":" + (b.available ? "true" : "false") +
                   ",\"device\":" + lq::json::quote(b.device) + ",\"reason\":" + lq::json::quote(b.reason) + "}";
        } else {
            std::printf("%-8s %-13s %s\n", b.name, b.available ? "available" : "not available",
                        b.available ? b.device : b.reason);
        }
    }
    if (json) std::printf("%s]\n", out.c_str());
    return 0;
}

}  // namespace

int cmd_info(int argc, char **argv) {
    Args args("info", argc, argv, 2,
              {{"json", nullptr, false, "print one JSON object"},
               {"backends", nullptr, false, "list the compute backends and whether they run here"}});
    if (args.has("backends")) {
        args.expect_at_most(0);
        return print_backends(args.has("json"));
    }
    const std::string &path = args.positional(0, "MODEL");
    args.expect_at_most(1);
    std::unique_ptr<lq_model, void (*)(lq_model *)> model(load_model(path, LQ_MODEL_METADATA_ONLY), lq_model_free);
    lq_model_info info = LQ_MODEL_INFO_INIT;
    check(lq_model_get_info(model.get(), &info), "model info");
    const std::vector<Entry> entries = read_entries(model.get());
    const std::vector<lq_tensor_info> tensors = read_tensors(model.get(), info);
    if (args.has("json"))
        print_json(path, model.get(), info, entries, tensors);
    else
        print_text(path, model.get(), info, entries, tensors);
    return 0;
}

}  // namespace lq_cli
