// Evaluation through the C interface on the real stories260K model and
// text: a model against itself diverges by nothing; a 4-bit copy against
// the F32 model diverges measurably, with consistent statistics; the
// perplexity equals one computed here from lq_context_eval by the same
// protocol; bad requests are statuses.
#include <libquant/libquant.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api_check.h"

namespace {

std::string read_file(const char *path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<int32_t> tokenize(const lq_model *model, const std::string &text) {
    size_t n = 0;
    lq_tokenize(model, text.data(), text.size(), LQ_TOKENIZE_ADD_SPECIAL, nullptr, 0, &n);
    std::vector<int32_t> tokens(n);
    CHECK(lq_tokenize(model, text.data(), text.size(), LQ_TOKENIZE_ADD_SPECIAL, tokens.data(), n, &n) == LQ_OK);
    return tokens;
}

// Perplexity by the documented protocol (stride 0), from lq_context_eval.
double perplexity_by_hand(lq_model *model, const std::vector<int32_t> &tokens, uint32_t n_ctx, uint32_t windows,
                          int32_t bos) {
    lq_context_options o = LQ_CONTEXT_OPTIONS_INIT;
    o.n_ctx = n_ctx;
    o.n_batch = n_ctx;
    lq_context *context = nullptr;
    CHECK(lq_context_create(&context, model, &o) == LQ_OK);
    lq_model_info info = LQ_MODEL_INFO_INIT;
    CHECK(lq_model_get_info(model, &info) == LQ_OK);
    std::vector<float> logits(static_cast<size_t>(n_ctx) * info.n_vocab);
    double nll = 0;
    uint64_t count = 0;
    for (uint32_t w = 0; w < windows; ++w) {
        std::vector<int32_t> window(tokens.begin() + static_cast<std::ptrdiff_t>(w) * n_ctx,
                                    tokens.begin() + static_cast<std::ptrdiff_t>(w + 1) * n_ctx);
        window[0] = bos;
        CHECK(lq_context_reset(context) == LQ_OK);
        CHECK(lq_context_eval(context, window.data(), n_ctx, LQ_EVAL_ALL_LOGITS, logits.data(), logits.size()) == LQ_OK);
        for (uint32_t i = n_ctx / 2; i + 1 < n_ctx; ++i) {
            const float *row = &logits[static_cast<size_t>(i) * info.n_vocab];
            const float top = *std::max_element(row, row + info.n_vocab);
            double sum = 0;
            for (uint32_t v = 0; v < info.n_vocab; ++v) sum += std::exp(static_cast<double>(row[v]) - top);
            nll += top + std::log(sum) - row[window[i + 1]];
            ++count;
        }
    }
    lq_context_free(context);
    return std::exp(nll / static_cast<double>(count));
}

int32_t cancel_at_half(float progress, void *) { return progress >= 0.5f ? 1 : 0; }

}  // namespace

int main(int argc, char **argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s F32.gguf TEXT VOCAB_ONLY.gguf SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    lq_model *f32 = nullptr;
    CHECK(lq_model_load(&f32, argv[1], nullptr) == LQ_OK);
    if (!f32) return 1;
    const std::string text = read_file(argv[2]).substr(0, 40000);
    const std::vector<int32_t> tokens = tokenize(f32, text);
    lq_vocab_info vocab = LQ_VOCAB_INFO_INIT;
    CHECK(lq_model_get_vocab_info(f32, &vocab) == LQ_OK);

    // Against itself: no divergence, the same perplexity, the same top token.
    lq_evaluate_options o = LQ_EVALUATE_OPTIONS_INIT;
    o.n_ctx = 128;
    o.max_windows = 12;
    o.reference = f32;
    lq_evaluate_result self = LQ_EVALUATE_RESULT_INIT;
    CHECK(lq_evaluate(f32, tokens.data(), tokens.size(), &o, &self) == LQ_OK);
    CHECK(self.n_windows == 12);
    CHECK(self.n_scored == 12u * 63u);
    CHECK(self.kld_mean < 1e-9 && self.kld_max < 1e-9);
    CHECK(self.same_top == 1.0);
    CHECK(std::fabs(self.delta_p_mean) < 1e-12);
    CHECK(self.perplexity == self.reference_perplexity);
    const double by_hand = perplexity_by_hand(f32, tokens, 128, 12, vocab.bos);
    std::fprintf(stderr, "F32: PPL %.6f (by hand %.6f)\n", self.perplexity, by_hand);
    CHECK(std::fabs(self.perplexity - by_hand) <= 1e-9 * by_hand);
    CHECK(self.perplexity > 3.0 && self.perplexity < 8.0);  // 4.97 over the whole validation text

    // The text entry point tokenizes the same way.
    lq_evaluate_result from_text = LQ_EVALUATE_RESULT_INIT;
    CHECK(lq_evaluate_text(f32, text.data(), text.size(), &o, &from_text) == LQ_OK);
    CHECK(from_text.perplexity == self.perplexity);

    // A 4-bit copy: it diverges, and the statistics are consistent.
    const std::string q4_path = std::string(argv[4]) + "/api-evaluate-q4_0.gguf";
    lq_quantize_options q = LQ_QUANTIZE_OPTIONS_INIT;
    q.target = "q4_0";
    CHECK(lq_quantize(argv[1], q4_path.c_str(), &q) == LQ_OK);
    lq_model *q4 = nullptr;
    CHECK(lq_model_load(&q4, q4_path.c_str(), nullptr) == LQ_OK);
    lq_evaluate_result loss = LQ_EVALUATE_RESULT_INIT;
    CHECK(lq_evaluate(q4, tokens.data(), tokens.size(), &o, &loss) == LQ_OK);
    std::fprintf(stderr, "q4_0 vs F32: PPL %.4f vs %.4f, KLD %.5f +/- %.5f, median %.5f, p99 %.4f, max %.4f, "
                 "same top %.4f, delta p %.5f (rms %.5f)\n", loss.perplexity, loss.reference_perplexity,
                 loss.kld_mean, loss.kld_ci95, loss.kld_median, loss.kld_p99, loss.kld_max, loss.same_top,
                 loss.delta_p_mean, loss.delta_p_rms);
    CHECK(loss.reference_perplexity == self.perplexity);
    CHECK(loss.kld_mean > 0.01 && loss.kld_mean < 0.5);  // 0.099 on the whole text (docs/quantization.md)
    CHECK(loss.kld_ci95 > 0 && loss.kld_ci95 < loss.kld_mean);
    CHECK(loss.kld_median <= loss.kld_p99 && loss.kld_p99 <= loss.kld_max);
    CHECK(loss.kld_median < loss.kld_mean);  // a long right tail
    CHECK(loss.same_top > 0.5 && loss.same_top < 1.0);
    CHECK(loss.delta_p_rms >= std::fabs(loss.delta_p_mean));
    CHECK(loss.perplexity > loss.reference_perplexity);

    // Strides: a window every 32 tokens, its last 32 predictions scored.
    lq_evaluate_options strided = o;
    strided.stride = 32;
    strided.max_windows = 0;
    strided.reference = nullptr;
    lq_evaluate_result s = LQ_EVALUATE_RESULT_INIT;
    CHECK(lq_evaluate(f32, tokens.data(), 128 + 32 * 9 + 5, &strided, &s) == LQ_OK);
    CHECK(s.n_windows == 10 && s.n_scored == 10u * 32u);
    CHECK(s.kld_mean == 0.0 && s.reference_perplexity == 0.0);

    // An older caller's options (without the progress fields) still work.
    lq_evaluate_options old = o;
    old.struct_size = static_cast<uint32_t>(offsetof(lq_evaluate_options, progress));
    lq_evaluate_result again = LQ_EVALUATE_RESULT_INIT;
    CHECK(lq_evaluate(f32, tokens.data(), tokens.size(), &old, &again) == LQ_OK);
    CHECK(again.kld_mean == self.kld_mean);

    // Bad requests are statuses.
    lq_evaluate_result r = LQ_EVALUATE_RESULT_INIT;
    CHECK(lq_evaluate(nullptr, tokens.data(), tokens.size(), &o, &r) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_evaluate(f32, tokens.data(), tokens.size(), &o, nullptr) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_evaluate(f32, nullptr, 10, &o, &r) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_evaluate(f32, tokens.data(), 100, &o, &r) == LQ_ERR_INVALID_ARGUMENT);  // under one window
    CHECK(std::string(lq_last_error_message()).find("100 tokens") != std::string::npos);
    lq_evaluate_options bad = o;
    bad.stride = 128;
    CHECK(lq_evaluate(f32, tokens.data(), tokens.size(), &bad, &r) == LQ_ERR_INVALID_ARGUMENT);
    bad = o;
    bad.n_ctx = 2;
    CHECK(lq_evaluate(f32, tokens.data(), tokens.size(), &bad, &r) == LQ_ERR_INVALID_ARGUMENT);
    std::vector<int32_t> outside(tokens.begin(), tokens.begin() + 200);
    outside[150] = 100000;
    CHECK(lq_evaluate(f32, outside.data(), outside.size(), &o, &r) == LQ_ERR_INVALID_ARGUMENT);
    lq_model *vocab_only = nullptr;
    lq_model_options vo = LQ_MODEL_OPTIONS_INIT;
    vo.flags = LQ_MODEL_VOCAB_ONLY;
    CHECK(lq_model_load(&vocab_only, argv[3], &vo) == LQ_OK);
    bad = o;
    bad.reference = vocab_only;
    CHECK(lq_evaluate(f32, tokens.data(), tokens.size(), &bad, &r) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_evaluate(vocab_only, tokens.data(), tokens.size(), nullptr, &r) == LQ_ERR_INVALID_ARGUMENT);
    lq_model_free(vocab_only);
    bad = o;
    bad.progress = cancel_at_half;
    CHECK(lq_evaluate(f32, tokens.data(), tokens.size(), &bad, &r) == LQ_ERR_CANCELLED);
    bad = o;
    bad.backend = 77;
    CHECK(lq_evaluate(f32, tokens.data(), tokens.size(), &bad, &r) == LQ_ERR_INVALID_ARGUMENT);

    lq_model_free(q4);
    std::remove(q4_path.c_str());
    lq_model_free(f32);
    if (failures) std::fprintf(stderr, "%d check(s) failed\n", failures);
    return failures;
}
