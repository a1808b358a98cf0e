// The runtime on the real stories260K model: batching, cache handling,
// cancellation, cache types, and the pieces of the generation loop.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include "core/error.h"
#include "runtime/context.h"
#include "runtime/generate.h"
#include "runtime/sampler.h"
#include "runtime/text_stream.h"
#include "test_paths.h"
#include "tokenizer/vocab.h"

using namespace lq;

namespace {

const Model &stories() {
    static std::unique_ptr<Model> model = [] {
        LoadOptions options;
        return Model::load(lq_test::shared_path("models/stories260K/stories260K-f32.gguf"), options);
    }();
    return *model;
}

std::vector<int32_t> prompt_tokens() { return stories().vocab()->tokenize("Once upon a time", true, false); }

float max_abs_difference(const std::vector<float> &a, const std::vector<float> &b) {
    float worst = 0.0f;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
    return worst;
}

Error expect_error(const std::function<void()> &body) {
    try {
        body();
    } catch (const Error &e) {
        return e;
    }
    FAIL("expected an lq::Error");
    return Error(LQ_OK, "");
}

}  // namespace

TEST_CASE("the model's hyper-parameters are read from its metadata") {
    const HParams &hp = stories().hparams();
    CHECK(hp.arch == Architecture::Llama);
    CHECK(hp.n_embd == 64);
    CHECK(hp.n_layer == 5);
    CHECK(hp.n_head == 8);
    CHECK(hp.n_head_kv == 4);
    CHECK(hp.head_dim == 8);
    CHECK(hp.n_ff == 172);
    CHECK(hp.n_vocab == 512);
    CHECK(hp.rope.style == RopeStyle::Normal);
    CHECK(hp.rope.n_rot == 8);
}

TEST_CASE("one batch and token-by-token evaluation give the same logits") {
    const std::vector<int32_t> tokens = prompt_tokens();
    const uint32_t n_vocab = stories().hparams().n_vocab;
    ContextOptions options;
    options.n_threads = 2;
    Context batch(stories(), options), single(stories(), options);
    std::vector<float> all(tokens.size() * n_vocab), one(n_vocab);
    batch.decode(tokens.data(), static_cast<uint32_t>(tokens.size()), all.data(), true);
    for (size_t i = 0; i < tokens.size(); ++i) {
        single.decode(&tokens[i], 1, one.data(), false);
        const std::vector<float> row(all.begin() + static_cast<std::ptrdiff_t>(i * n_vocab),
                                     all.begin() + static_cast<std::ptrdiff_t>((i + 1) * n_vocab));
        CHECK(max_abs_difference(row, one) < 1e-4f);
    }
    CHECK(batch.n_past() == tokens.size());
    CHECK(batch.tokens() == tokens);
}

TEST_CASE("small batches split a long evaluation without changing it") {
    const std::vector<int32_t> tokens = stories().vocab()->tokenize(
        "Once upon a time, there was a little dog. He liked to run in the park with his friends.", true, false);
    const uint32_t n_vocab = stories().hparams().n_vocab;
    ContextOptions whole_options, split_options;
    split_options.n_batch = 3;
    Context whole(stories(), whole_options), split(stories(), split_options);
    std::vector<float> a(n_vocab), b(n_vocab);
    whole.decode(tokens.data(), static_cast<uint32_t>(tokens.size()), a.data(), false);
    split.decode(tokens.data(), static_cast<uint32_t>(tokens.size()), b.data(), false);
    CHECK(max_abs_difference(a, b) < 1e-4f);
}

TEST_CASE("truncate rewinds the cache exactly") {
    const std::vector<int32_t> tokens = prompt_tokens();
    const uint32_t n_vocab = stories().hparams().n_vocab;
    Context context(stories(), ContextOptions());
    std::vector<float> first(n_vocab), again(n_vocab);
    context.decode(tokens.data(), static_cast<uint32_t>(tokens.size()), first.data(), false);
    const int32_t other[3] = {300, 301, 302};
    context.decode(other, 3, nullptr, false);
    context.truncate(static_cast<uint32_t>(tokens.size()) - 1);
    context.decode(&tokens.back(), 1, again.data(), false);
    CHECK(max_abs_difference(first, again) < 1e-5f);
    CHECK(expect_error([&] { context.truncate(1000); }).status() == LQ_ERR_INVALID_ARGUMENT);
}

TEST_CASE("a full context is an error that changes nothing") {
    ContextOptions options;
    options.n_ctx = 8;
    Context context(stories(), options);
    std::vector<int32_t> tokens(6, 300);
    context.decode(tokens.data(), 6, nullptr, false);
    CHECK(expect_error([&] { context.decode(tokens.data(), 3, nullptr, false); }).status() == LQ_ERR_CONTEXT_FULL);
    CHECK(context.n_past() == 6);
    context.decode(tokens.data(), 2, nullptr, false);  // exactly full is fine
    CHECK(context.n_past() == 8);
}

TEST_CASE("tokens outside the vocabulary are rejected before anything runs") {
    Context context(stories(), ContextOptions());
    const int32_t bad[2] = {5, 512};
    CHECK(expect_error([&] { context.decode(bad, 2, nullptr, false); }).status() == LQ_ERR_INVALID_ARGUMENT);
    const int32_t negative = -1;
    CHECK(expect_error([&] { context.decode(&negative, 1, nullptr, false); }).status() == LQ_ERR_INVALID_ARGUMENT);
    CHECK(context.n_past() == 0);
}

TEST_CASE("cancellation stops evaluation and drops its tokens") {
    Context context(stories(), ContextOptions());
    const std::vector<int32_t> tokens = prompt_tokens();
    context.decode(tokens.data(), static_cast<uint32_t>(tokens.size()), nullptr, false);
    context.cancel();
    const int32_t more[2] = {300, 301};
    CHECK(expect_error([&] { context.decode(more, 2, nullptr, false); }).status() == LQ_ERR_CANCELLED);
    CHECK(context.n_past() == tokens.size());
    context.decode(more, 2, nullptr, false);  // the request was consumed
    CHECK(context.n_past() == tokens.size() + 2);
}

TEST_CASE("cancellation from another thread interrupts a long evaluation") {
    ContextOptions options;
    options.n_ctx = 512;
    options.n_batch = 1;  // one forward pass per token: many cancellation points
    Context context(stories(), options);
    std::vector<int32_t> tokens(500, 300);
    std::atomic<bool> started{false};
    std::thread canceller([&] {
        while (!started.load()) std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        context.cancel();
    });
    started.store(true);
    lq_status status = LQ_OK;
    try {
        context.decode(tokens.data(), 500, nullptr, false);
    } catch (const Error &e) {
        status = e.status();
    }
    canceller.join();
    CHECK(status == LQ_ERR_CANCELLED);
    CHECK(context.n_past() == 0);
}

TEST_CASE("F32, F16 and Q8_0-free cache types agree closely") {
    const std::vector<int32_t> tokens = prompt_tokens();
    const uint32_t n_vocab = stories().hparams().n_vocab;
    ContextOptions f32_options, f16_options;
    f32_options.kv_type = TensorType::F32;
    Context f32(stories(), f32_options), f16(stories(), f16_options);
    std::vector<float> a(n_vocab), b(n_vocab);
    f32.decode(tokens.data(), static_cast<uint32_t>(tokens.size()), a.data(), false);
    f16.decode(tokens.data(), static_cast<uint32_t>(tokens.size()), b.data(), false);
    CHECK(max_abs_difference(a, b) < 0.05f);
    CHECK(std::max_element(a.begin(), a.end()) - a.begin() == std::max_element(b.begin(), b.end()) - b.begin());
    // This model's heads are 8 wide, too narrow for 32-element Q8_0 blocks.
    ContextOptions q8_options;
    q8_options.kv_type = TensorType::Q8_0;
    CHECK(expect_error([&] { Context q8(stories(), q8_options); }).status() == LQ_ERR_UNSUPPORTED);
}

TEST_CASE("generation reuses the cached prefix of a repeated prompt") {
    Context context(stories(), ContextOptions());
    GenerateRequest request;
    request.prompt = prompt_tokens();
    request.max_tokens = 16;
    request.sampling.temperature = 0.0f;
    const GenerateResult first = generate(context, request);
    CHECK(first.n_reused_tokens == 0);
    CHECK(first.n_generated_tokens == 16);
    const GenerateResult second = generate(context, request);
    CHECK(second.n_reused_tokens == request.prompt.size() - 1);
    CHECK(second.tokens == first.tokens);
}

TEST_CASE("sampling: greedy picks the maximum, seeds reproduce, filters restrict") {
    std::vector<float> logits = {0.0f, 3.0f, 1.0f, 3.0f, -2.0f};
    SamplerParams greedy;
    greedy.temperature = 0.0f;
    Sampler g(greedy, 5);
    std::vector<float> copy = logits;
    CHECK(g.sample(copy.data(), {}) == 1);  // ties go to the lower id

    SamplerParams random_params;
    random_params.seed = 7;
    random_params.top_k = 0;
    random_params.top_p = 1.0f;
    random_params.min_p = 0.0f;
    random_params.temperature = 1.0f;
    Sampler a(random_params, 5), b(random_params, 5);
    std::vector<int32_t> drawn_a, drawn_b;
    std::vector<int> histogram(5, 0);
    for (int i = 0; i < 2000; ++i) {
        copy = logits;
        drawn_a.push_back(a.sample(copy.data(), {}));
        copy = logits;
        drawn_b.push_back(b.sample(copy.data(), {}));
        ++histogram[static_cast<size_t>(drawn_a.back())];
    }
    CHECK(drawn_a == drawn_b);
    // p(1) = p(3) = e^3 / (1 + 2e^3 + e + e^-2) ~ 0.44 each; p(4) ~ 0.003.
    CHECK(histogram[1] > 750);
    CHECK(histogram[3] > 750);
    CHECK(histogram[4] < 30);

    SamplerParams top_k = random_params;
    top_k.top_k = 2;
    Sampler k(top_k, 5);
    for (int i = 0; i < 200; ++i) {
        copy = logits;
        const int32_t id = k.sample(copy.data(), {});
        CHECK((id == 1 || id == 3));
    }
    SamplerParams min_p = random_params;
    min_p.min_p = 0.5f;  // keeps tokens with p >= half the best: ids 1 and 3
    Sampler m(min_p, 5);
    for (int i = 0; i < 200; ++i) {
        copy = logits;
        const int32_t id = m.sample(copy.data(), {});
        CHECK((id == 1 || id == 3));
    }
}

TEST_CASE("sampling: penalties discourage recent tokens") {
    SamplerParams params;
    params.temperature = 0.0f;
    params.repeat_penalty = 2.0f;
    Sampler s(params, 3);
    std::vector<float> logits = {2.0f, 1.5f, 0.0f};
    CHECK(s.sample(logits.data(), {0}) == 1);  // 2.0 / 2 = 1.0 < 1.5
    SamplerParams presence;
    presence.temperature = 0.0f;
    presence.presence_penalty = 1.0f;
    Sampler p(presence, 3);
    logits = {2.0f, 1.5f, 0.0f};
    CHECK(p.sample(logits.data(), {0, 0}) == 1);
}

TEST_CASE("text stream: stop strings are cut and UTF-8 is never split") {
    TextStream plain({});
    CHECK(plain.push("ab") == "ab");
    CHECK(plain.push("\xE2\x82") == "");  // first two bytes of the euro sign
    CHECK(plain.push("\xAC!") == "\xE2\x82\xAC!");

    TextStream stops({"STOP", "\n\n"});
    CHECK(stops.push("hello S") == "hello ");
    CHECK(stops.push("T") == "");
    CHECK(stops.push("x") == "STx");  // not a stop after all
    CHECK(stops.push(" end\n") == " end");
    CHECK(stops.push("\nmore") == "");
    CHECK(stops.stopped());
    CHECK(stops.push("ignored") == "");

    TextStream partial({"<|end|>"});
    CHECK(partial.push("done<|e") == "done");
    CHECK(partial.flush() == "<|e");
}

TEST_CASE("generation stops at stop strings and end-of-generation tokens") {
    Context context(stories(), ContextOptions());
    GenerateRequest request;
    request.prompt = prompt_tokens();
    request.max_tokens = 64;
    request.sampling.temperature = 0.0f;
    request.stop = {"Lily"};
    std::string text;
    request.on_text = [&](std::string_view piece, int32_t) {
        text.append(piece);
        return true;
    };
    const GenerateResult result = generate(context, request);
    CHECK(result.stop_reason == StopReason::StopString);
    CHECK(text == ", there was a little girl named ");

    // A callback that declines stops at once.
    request.stop.clear();
    int calls = 0;
    request.on_text = [&](std::string_view, int32_t) { return ++calls < 3; };
    const GenerateResult stopped = generate(context, request);
    CHECK(stopped.stop_reason == StopReason::Callback);
    CHECK(calls == 3);
}
