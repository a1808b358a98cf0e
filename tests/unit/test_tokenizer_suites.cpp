// The reference suites of ../shared/tokenizer-tests: for each vocabulary,
// texts (.inp, separated by lines reading __ggml_vocab_test__) and the ids a
// reference tokenizer gives them (.out, one line per text). Every case must
// match exactly (tokenized without BOS/EOS and without special-text
// parsing), and detokenize back to its text where the tokenizer is lossless.
#include <doctest/doctest.h>

#include <sstream>

#include "test_paths.h"
#include "tokenizer_test_util.h"

namespace {

struct SuiteCase {
    std::string text;
    std::vector<int32_t> ids;
};

std::vector<SuiteCase> read_suite(const std::string &name) {
    const std::string base = lq_test::shared_path("tokenizer-tests/ggml-vocab-" + name + ".gguf");
    const std::string inputs = lq_test::read_file(base + ".inp");
    const std::string outputs = lq_test::read_file(base + ".out");

    // Texts are separated by "\n__ggml_vocab_test__\n"; the file ends with a
    // separator, so nothing follows the last text.
    const std::string separator = "\n__ggml_vocab_test__\n";
    std::vector<std::string> texts;
    for (size_t pos = 0; pos < inputs.size();) {
        const size_t next = inputs.find(separator, pos);
        if (next == std::string::npos) {
            texts.push_back(inputs.substr(pos));
            break;
        }
        texts.push_back(inputs.substr(pos, next - pos));
        pos = next + separator.size();
    }

    std::vector<SuiteCase> cases;
    std::istringstream lines(outputs);
    std::string line;
    size_t index = 0;
    while (std::getline(lines, line)) {
        REQUIRE_MESSAGE(index < texts.size(), name << ": more expected-id lines than texts");
        SuiteCase c;
        c.text = texts[index++];
        std::istringstream numbers(line);
        int32_t id;
        while (numbers >> id) c.ids.push_back(id);
        cases.push_back(std::move(c));
    }
    REQUIRE_MESSAGE(index == texts.size(), name << ": " << texts.size() << " texts but " << index << " id lines");
    return cases;
}

void run_suite(const std::string &name, bool lossless) {
    const lq::Vocab &vocab = lq_test::vocab(name);
    const std::vector<SuiteCase> cases = read_suite(name);
    REQUIRE(cases.size() > 40);
    size_t passed = 0;
    for (const SuiteCase &c : cases) {
        const std::vector<int32_t> ids = vocab.tokenize(c.text, false, false);
        CHECK_MESSAGE(ids == c.ids, name << ": text '" << lq_test::escape_text(c.text) << "'\n  expected "
                                         << lq_test::format_ids(c.ids) << "\n  got      " << lq_test::format_ids(ids));
        if (ids == c.ids) ++passed;
        if (lossless) {
            const std::string back = vocab.detokenize(c.ids.data(), c.ids.size(), 0);
            CHECK_MESSAGE(back == c.text, name << ": '" << lq_test::escape_text(c.text) << "' detokenized to '"
                                               << lq_test::escape_text(back) << "'");
        }
    }
    MESSAGE(name << ": " << passed << " of " << cases.size() << " cases match");
}

}  // namespace

TEST_SUITE("suites") {
    TEST_CASE("llama-spm suite") { run_suite("llama-spm", true); }
    TEST_CASE("phi-3 suite") { run_suite("phi-3", true); }
    TEST_CASE("gpt-2 suite") { run_suite("gpt-2", true); }
    TEST_CASE("starcoder suite") { run_suite("starcoder", true); }
    TEST_CASE("deepseek-coder suite") { run_suite("deepseek-coder", true); }
    TEST_CASE("bert-bge suite (WordPiece normalises: not lossless)") { run_suite("bert-bge", false); }
}
