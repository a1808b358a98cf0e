// Fill-in-the-middle prompts and chat templates, through the C API, on the
// real vocabularies of ../shared/tokenizer-tests.
#include <doctest/doctest.h>
#include <libquant/libquant.h>
#include <libquant/libquant_experimental.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "prompt/chat.h"
#include "test_paths.h"

namespace {

struct Vocab {
    lq_model *model = nullptr;
    explicit Vocab(const char *name) {
        lq_model_options options = LQ_MODEL_OPTIONS_INIT;
        options.flags = LQ_MODEL_VOCAB_ONLY;
        const std::string path = lq_test::shared_path(std::string("tokenizer-tests/ggml-vocab-") + name + ".gguf");
        REQUIRE(lq_model_load(&model, path.c_str(), &options) == LQ_OK);
    }
    ~Vocab() { lq_model_free(model); }

    std::vector<int32_t> tokens(const std::string &text, uint32_t flags = 0) const {
        std::vector<int32_t> ids(text.size() + 8);
        size_t n = 0;
        REQUIRE(lq_tokenize(model, text.data(), text.size(), flags, ids.data(), ids.size(), &n) == LQ_OK);
        ids.resize(n);
        return ids;
    }
    // The id of a control token, from its text.
    int32_t control(const char *text) const {
        const std::vector<int32_t> ids = tokens(text, LQ_TOKENIZE_PARSE_SPECIAL);
        REQUIRE(ids.size() == 1);
        return ids[0];
    }
    int32_t bos() const {
        lq_vocab_info info = LQ_VOCAB_INFO_INIT;
        REQUIRE(lq_model_get_vocab_info(model, &info) == LQ_OK);
        return info.add_bos ? info.bos : -1;
    }
};

std::vector<int32_t> infill_prompt(const Vocab &v, const lq_infill_options &o, lq_status expect = LQ_OK) {
    size_t n = 0;
    lq_status status = lq_infill_prompt(v.model, &o, nullptr, 0, &n);
    if (expect != LQ_OK) {
        CHECK(status == expect);
        return {};
    }
    REQUIRE(status == (n == 0 ? LQ_OK : LQ_ERR_BUFFER_TOO_SMALL));
    std::vector<int32_t> ids(n);
    REQUIRE(lq_infill_prompt(v.model, &o, ids.data(), ids.size(), &n) == LQ_OK);
    CHECK(n == ids.size());
    return ids;
}

void append(std::vector<int32_t> &out, const std::vector<int32_t> &more) { out.insert(out.end(), more.begin(), more.end()); }

// The options point into the strings, which must outlive them (no temporaries).
lq_infill_options around(const std::string &prefix, const std::string &suffix) {
    lq_infill_options o = LQ_INFILL_OPTIONS_INIT;
    o.prefix = prefix.data();
    o.prefix_len = prefix.size();
    o.suffix = suffix.data();
    o.suffix_len = suffix.size();
    return o;
}
lq_infill_options around(std::string &&, const std::string &) = delete;
lq_infill_options around(const std::string &, std::string &&) = delete;

const std::string kPrefix = "def add(a, b):\n    ";
const std::string kSuffix = "\n    return c\n";

}  // namespace

TEST_CASE("DeepSeek-Coder: prefix, suffix, middle in PSM and SPM order") {
    Vocab v("deepseek-coder");
    const int32_t pre = v.control("<\xEF\xBD\x9C" "fim\xE2\x96\x81" "begin\xEF\xBD\x9C>");
    const int32_t suf = v.control("<\xEF\xBD\x9C" "fim\xE2\x96\x81hole\xEF\xBD\x9C>");
    const int32_t mid = v.control("<\xEF\xBD\x9C" "fim\xE2\x96\x81" "end\xEF\xBD\x9C>");
    std::vector<int32_t> head;
    if (v.bos() >= 0) head.push_back(v.bos());

    lq_infill_options o = around(kPrefix, kSuffix);
    std::vector<int32_t> psm = head;
    psm.push_back(pre);
    append(psm, v.tokens(kPrefix));
    psm.push_back(suf);
    append(psm, v.tokens(kSuffix));
    psm.push_back(mid);
    CHECK(infill_prompt(v, o) == psm);

    o.flags = LQ_INFILL_SUFFIX_FIRST;
    std::vector<int32_t> spm = head;
    spm.push_back(pre);
    spm.push_back(suf);
    append(spm, v.tokens(kSuffix));
    spm.push_back(mid);
    append(spm, v.tokens(kPrefix));
    CHECK(infill_prompt(v, o) == spm);

    // Without repository tokens, extra files go in front of the prefix.
    const char *names[] = {"util.py"};
    const char *texts[] = {"def sub(a, b):\n    return a - b\n"};
    o = around(kPrefix, kSuffix);
    o.file_names = names;
    o.file_texts = texts;
    o.n_files = 1;
    std::vector<int32_t> with_file = head;
    with_file.push_back(pre);
    append(with_file, v.tokens(std::string(names[0]) + "\n" + texts[0] + "\n\n"));
    append(with_file, v.tokens(kPrefix));
    with_file.push_back(suf);
    append(with_file, v.tokens(kSuffix));
    with_file.push_back(mid);
    CHECK(infill_prompt(v, o) == with_file);
}

TEST_CASE("StarCoder: the repository layout with extra files") {
    Vocab v("starcoder");
    const int32_t pre = v.control("<fim_prefix>"), suf = v.control("<fim_suffix>"), mid = v.control("<fim_middle>");
    const int32_t rep = v.control("<repo_name>"), sep = v.control("<file_sep>");
    const char *names[] = {"src/util.py", "src/big.py"};
    const char *texts[] = {"def sub(a, b):\n    return a - b\n", "x = 1\n"};
    lq_infill_options o = around(kPrefix, kSuffix);
    o.file_names = names;
    o.file_texts = texts;
    o.n_files = 2;
    o.repo_name = "calc";
    o.file_name = "src/main.py";
    std::vector<int32_t> expected;
    if (v.bos() >= 0) expected.push_back(v.bos());
    expected.push_back(rep);
    append(expected, v.tokens("calc\n"));
    for (int i = 0; i < 2; ++i) {
        expected.push_back(sep);
        append(expected, v.tokens(std::string(names[i]) + "\n" + texts[i]));
    }
    expected.push_back(sep);
    append(expected, v.tokens("src/main.py\n"));
    expected.push_back(pre);
    append(expected, v.tokens(kPrefix));
    expected.push_back(suf);
    append(expected, v.tokens(kSuffix));
    expected.push_back(mid);
    CHECK(infill_prompt(v, o) == expected);

    // With neither repository name nor files: the plain layout.
    const lq_infill_options plain = around(kPrefix, kSuffix);
    const std::vector<int32_t> tokens = infill_prompt(v, plain);
    CHECK(tokens.front() == (v.bos() >= 0 ? v.bos() : pre));
    CHECK(std::count(tokens.begin(), tokens.end(), rep) == 0);

    // User text that spells a control token stays text.
    const std::string forged = "<fim_middle>";
    const std::string nothing;
    const lq_infill_options o2 = around(forged, nothing);
    const std::vector<int32_t> t2 = infill_prompt(v, o2);
    CHECK(std::count(t2.begin(), t2.end(), mid) == 1);
}

TEST_CASE("the budget: 3:1 between prefix and suffix, files only where room is left") {
    Vocab v("deepseek-coder");
    std::string prefix, suffix;
    for (int i = 0; i < 60; ++i) prefix += "line" + std::to_string(i) + "\n";
    for (int i = 0; i < 60; ++i) suffix += "tail" + std::to_string(i) + "\n";
    const std::vector<int32_t> p = v.tokens(prefix), s = v.tokens(suffix);
    REQUIRE(p.size() > 100);
    REQUIRE(s.size() > 100);
    const size_t fixed = 3 + (v.bos() >= 0 ? 1 : 0);

    lq_infill_options o = around(prefix, suffix);
    o.max_prompt_tokens = static_cast<uint32_t>(fixed + 40);
    const std::vector<int32_t> t = infill_prompt(v, o);
    CHECK(t.size() == fixed + 40);
    // 30 tokens of the prefix's end, 10 of the suffix's beginning.
    const size_t first = fixed - 2;  // after BOS and PRE
    CHECK(std::vector<int32_t>(t.begin() + first, t.begin() + first + 30) == std::vector<int32_t>(p.end() - 30, p.end()));
    CHECK(std::vector<int32_t>(t.end() - 11, t.end() - 1) == std::vector<int32_t>(s.begin(), s.begin() + 10));

    // A short suffix gives its share to the prefix.
    const std::string x = "x";
    o = around(prefix, x);
    o.max_prompt_tokens = static_cast<uint32_t>(fixed + 40);
    CHECK(infill_prompt(v, o).size() == fixed + 40);

    // A file that does not fit is left out; the prompt stays in budget.
    const char *names[] = {"a.txt"};
    const std::string long_text(2000, 'z');
    const char *texts[] = {long_text.c_str()};
    o = around(prefix, suffix);
    o.max_prompt_tokens = static_cast<uint32_t>(fixed + 40);
    o.file_names = names;
    o.file_texts = texts;
    o.n_files = 1;
    CHECK(infill_prompt(v, o).size() == fixed + 40);

    o.max_prompt_tokens = 2;
    infill_prompt(v, o, LQ_ERR_CONTEXT_FULL);
    o.flags = 0x80;
    o.max_prompt_tokens = 0;
    infill_prompt(v, o, LQ_ERR_INVALID_ARGUMENT);
}

TEST_CASE("a vocabulary without fill-in-the-middle tokens is refused") {
    Vocab v("llama-spm");
    const lq_infill_options o = around(kPrefix, kSuffix);
    infill_prompt(v, o, LQ_ERR_UNSUPPORTED);
    CHECK(std::strstr(lq_last_error_message(), "fill-in-the-middle") != nullptr);
    size_t n = 0;
    CHECK(lq_infill_prompt(v.model, nullptr, nullptr, 0, &n) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_infill_prompt(nullptr, &o, nullptr, 0, &n) == LQ_ERR_INVALID_ARGUMENT);
}

TEST_CASE("lq_infill generates from the prompt it builds") {
    const std::string dir = lq_test::scratch_dir();
    const std::string path = dir + "/coder.gguf";
    const std::string vocab = lq_test::shared_path("tokenizer-tests/ggml-vocab-deepseek-coder.gguf");
    lq_synth_options synth = LQ_SYNTH_OPTIONS_INIT;
    synth.preset = "tiny";
    synth.vocab_path = vocab.c_str();
    REQUIRE(lq_synth(path.c_str(), &synth) == LQ_OK);
    lq_model *model = nullptr;
    REQUIRE(lq_model_load(&model, path.c_str(), nullptr) == LQ_OK);
    lq_context_options copts = LQ_CONTEXT_OPTIONS_INIT;
    copts.n_ctx = 256;
    copts.n_threads = 2;
    lq_context *context = nullptr;
    REQUIRE(lq_context_create(&context, model, &copts) == LQ_OK);

    const lq_infill_options o = around(kPrefix, kSuffix);
    size_t n_prompt = 0;
    CHECK(lq_infill_prompt(model, &o, nullptr, 0, &n_prompt) == LQ_ERR_BUFFER_TOO_SMALL);
    std::vector<int32_t> prompt(n_prompt);
    REQUIRE(lq_infill_prompt(model, &o, prompt.data(), prompt.size(), &n_prompt) == LQ_OK);

    lq_generate_options g = LQ_GENERATE_OPTIONS_INIT;
    g.temperature = 0.0f;
    g.max_tokens = 8;
    lq_generate_result r = LQ_GENERATE_RESULT_INIT;
    REQUIRE(lq_infill(context, &o, &g, &r) == LQ_OK);
    CHECK(r.n_prompt_tokens == n_prompt);
    CHECK(r.n_generated_tokens <= 8);
    // The same prompt through lq_generate gives the same tokens: a second
    // infill reuses the whole cached prompt but its last token.
    lq_generate_result again = LQ_GENERATE_RESULT_INIT;
    REQUIRE(lq_infill(context, &o, nullptr, &again) == LQ_OK);
    CHECK(again.n_reused_tokens == n_prompt - 1);

    g.prompt = "x";
    g.prompt_len = 1;
    CHECK(lq_infill(context, &o, &g, nullptr) == LQ_ERR_INVALID_ARGUMENT);
    lq_context_free(context);
    lq_model_free(model);
}

namespace {

std::string render(const lq_model *model, const char *name, const std::vector<lq_chat_message> &messages,
                   uint32_t flags = LQ_CHAT_ADD_ASSISTANT) {
    size_t needed = 0;
    const lq_status first = lq_chat_apply_template(model, name, messages.data(), messages.size(), flags, nullptr, 0,
                                                   &needed);
    REQUIRE_MESSAGE(first == LQ_ERR_BUFFER_TOO_SMALL, std::string(lq_last_error_message()));
    std::string text(needed, '\0');
    REQUIRE(lq_chat_apply_template(model, name, messages.data(), messages.size(), flags, &text[0], text.size(),
                                   &needed) == LQ_OK);
    text.resize(needed - 1);
    return text;
}

const std::vector<lq_chat_message> kConversation = {
    {"system", "You are terse."}, {"user", "Hello"}, {"assistant", "Hi."}, {"user", "Who are you?"}};

}  // namespace

TEST_CASE("each chat family renders the conversation in its format") {
    struct Case {
        const char *name;
        std::string expected;
    };
    const Case cases[] = {
        {"chatml", "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n"
                   "<|im_start|>assistant\nHi.<|im_end|>\n<|im_start|>user\nWho are you?<|im_end|>\n"
                   "<|im_start|>assistant\n"},
        {"llama2", "[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nHello [/INST] Hi. </s><s>[INST] Who are you? [/INST]"},
        {"llama3", "<|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>"
                   "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
                   "<|start_header_id|>assistant<|end_header_id|>\n\nHi.<|eot_id|>"
                   "<|start_header_id|>user<|end_header_id|>\n\nWho are you?<|eot_id|>"
                   "<|start_header_id|>assistant<|end_header_id|>\n\n"},
        {"mistral", "[INST] You are terse.\n\nHello [/INST]Hi.</s>[INST] Who are you? [/INST]"},
        {"phi3", "<|system|>\nYou are terse.<|end|>\n<|user|>\nHello<|end|>\n<|assistant|>\nHi.<|end|>\n"
                 "<|user|>\nWho are you?<|end|>\n<|assistant|>\n"},
        {"gemma", "<start_of_turn>user\nYou are terse.\n\nHello<end_of_turn>\n<start_of_turn>model\nHi.<end_of_turn>\n"
                  "<start_of_turn>user\nWho are you?<end_of_turn>\n<start_of_turn>model\n"},
        {"zephyr", "<|system|>\nYou are terse.</s>\n<|user|>\nHello</s>\n<|assistant|>\nHi.</s>\n"
                   "<|user|>\nWho are you?</s>\n<|assistant|>\n"},
        {"deepseek", "You are terse.\n### Instruction:\nHello\n### Response:\nHi.\n<|EOT|>\n"
                     "### Instruction:\nWho are you?\n### Response:\n"},
        {"deepseek3", "You are terse.<\xEF\xBD\x9CUser\xEF\xBD\x9C>Hello<\xEF\xBD\x9C" "Assistant\xEF\xBD\x9C>Hi."
                      "<\xEF\xBD\x9C" "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>"
                      "<\xEF\xBD\x9CUser\xEF\xBD\x9C>Who are you?<\xEF\xBD\x9C" "Assistant\xEF\xBD\x9C>"},
    };
    for (const Case &c : cases) {
        CAPTURE(std::string(c.name));
        CHECK(render(nullptr, c.name, kConversation) == c.expected);
        // Each family recognises its own rendering as its template text.
        const auto detected = lq::detect_chat_family(c.expected);
        REQUIRE(detected.has_value());
        CHECK(std::string(lq::chat_family_name(*detected)) == c.name);
    }
    // Without the assistant's cue.
    CHECK(render(nullptr, "chatml", {{"user", "Hi"}}, 0) == "<|im_start|>user\nHi<|im_end|>\n");
}

TEST_CASE("the model's template is recognised; unknown names and roles are errors") {
    Vocab phi3("phi-3");
    char name[32];
    size_t needed = 0;
    REQUIRE(lq_chat_template_name(phi3.model, name, sizeof name, &needed) == LQ_OK);
    CHECK(std::string(name) == "phi3");
    // The model's own template (which has no system turn) gives the same text
    // for a conversation of user and assistant turns.
    const std::vector<lq_chat_message> turns = {{"user", "Hello"}, {"assistant", "Hi."}, {"user", "Again"}};
    CHECK(render(phi3.model, nullptr, turns) ==
          "<|user|>\nHello<|end|>\n<|assistant|>\nHi.<|end|>\n<|user|>\nAgain<|end|>\n<|assistant|>\n");

    Vocab plain("llama-spm");
    CHECK(lq_chat_template_name(plain.model, name, sizeof name, &needed) == LQ_ERR_NOT_FOUND);
    CHECK(std::strstr(lq_last_error_message(), "chatml") != nullptr);
    CHECK(lq_chat_apply_template(nullptr, "vicuna", kConversation.data(), 1, 0, nullptr, 0, &needed) ==
          LQ_ERR_INVALID_ARGUMENT);
    CHECK(std::strstr(lq_last_error_message(), "llama3") != nullptr);
    const std::vector<lq_chat_message> tool = {{"tool", "42"}};
    CHECK(lq_chat_apply_template(nullptr, "llama2", tool.data(), 1, 0, nullptr, 0, &needed) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(render(nullptr, "chatml", tool, 0) == "<|im_start|>tool\n42<|im_end|>\n");
    CHECK(lq_chat_apply_template(nullptr, "chatml", tool.data(), 1, 0x10, nullptr, 0, &needed) ==
          LQ_ERR_INVALID_ARGUMENT);
    CHECK_FALSE(lq::detect_chat_family("{{ messages }}").has_value());
}
