#include "tokenizer_test_util.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <map>
#include <mutex>

#include "test_paths.h"

namespace lq_test {

const std::vector<std::string> &suite_vocabularies() {
    static const std::vector<std::string> names = {"llama-spm", "phi-3", "gpt-2", "starcoder", "deepseek-coder",
                                                   "bert-bge"};
    return names;
}

const lq::Model &vocab_model(const std::string &name) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<lq::Model>> models;
    std::lock_guard<std::mutex> lock(mutex);
    auto &slot = models[name];
    if (!slot) {
        lq::LoadOptions options;
        options.vocab_only = true;
        slot = lq::Model::load(shared_path("tokenizer-tests/ggml-vocab-" + name + ".gguf"), options);
    }
    return *slot;
}

const lq::Vocab &vocab(const std::string &name) {
    const lq::Vocab *v = vocab_model(name).vocab();
    REQUIRE_MESSAGE(v != nullptr, name << " has no vocabulary");
    return *v;
}

std::string format_ids(const std::vector<int32_t> &ids) {
    std::string out = "[";
    for (size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + std::to_string(ids[i]);
    return out + "]";
}

std::string escape_text(const std::string &text) {
    std::string out;
    for (unsigned char c : text) {
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

}  // namespace lq_test
