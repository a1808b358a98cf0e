// The header compiles as strict C++ and the header-only wrapper works.
#include <libquant/libquant.hpp>

#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#define EXPECT(cond)                                                              \
    do {                                                                          \
        if (!(cond)) {                                                            \
            std::fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
            ++failures;                                                           \
        }                                                                         \
    } while (0)

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    int failures = 0;
    try {
        lq::model model(argv[1]);
        const lq_model_info info = model.info();
        if (std::strcmp(info.architecture, "llama") != 0) ++failures;
        if (model.meta("general.architecture") != "llama") ++failures;
        if (model.tensors().size() != info.n_tensors) ++failures;

        const std::string sentence = "Once upon a time, there was a little girl.";
        const std::vector<int32_t> ids = model.tokenize(sentence);
        EXPECT(!ids.empty() && ids[0] == 1);
        EXPECT(model.detokenize(ids) == sentence);

        lq_context_options copts = LQ_CONTEXT_OPTIONS_INIT;
        copts.n_threads = 1;
        lq::context ctx(model, copts);
        lq_generate_options g = LQ_GENERATE_OPTIONS_INIT;
        g.prompt = "Once upon a time";
        g.prompt_len = std::strlen(g.prompt);
        g.temperature = 0.0f;
        g.max_tokens = 32;
        std::string streamed;
        const lq::generation full = ctx.generate(g, [&](const std::string &piece) {
            streamed += piece;
            return true;
        });
        EXPECT(full.stats.n_generated_tokens > 0);
        EXPECT(streamed == full.text);
        EXPECT(ctx.generate(g).text == full.text);

        // The callback stops it; an exception in it reaches the caller.
        int pieces = 0;
        const lq::generation two = ctx.generate(g, [&](const std::string &) { return ++pieces < 2; });
        EXPECT(two.stats.stop_reason == LQ_STOP_CALLBACK && pieces == 2);
        bool caught = false;
        try {
            ctx.generate(g, [](const std::string &) -> bool { throw std::out_of_range("from the callback"); });
        } catch (const std::out_of_range &) {
            caught = true;
        }
        EXPECT(caught);

        // cancel() from another thread, at a known point: a prefix, stop reason cancelled.
        std::mutex mutex;
        std::condition_variable cv;
        bool asked = false, done = false;
        std::thread canceller([&] {
            std::unique_lock<std::mutex> lock(mutex);
            cv.wait(lock, [&] { return asked; });
            ctx.cancel();
            done = true;
            cv.notify_all();
        });
        int seen = 0;
        const lq::generation cut = ctx.generate(g, [&](const std::string &) {
            if (++seen == 3) {
                std::unique_lock<std::mutex> lock(mutex);
                asked = true;
                cv.notify_all();
                cv.wait(lock, [&] { return done; });
            }
            return true;
        });
        canceller.join();
        EXPECT(cut.stats.stop_reason == LQ_STOP_CANCELLED);
        EXPECT(cut.stats.n_generated_tokens < full.stats.n_generated_tokens);
        EXPECT(full.text.compare(0, cut.text.size(), cut.text) == 0 && cut.text.size() < full.text.size());
        EXPECT(ctx.generate(g).text == full.text);

        // Chat rendering and infill through the wrapper.
        EXPECT(model.apply_chat_template({{"user", "Hi"}}, true, "chatml") ==
               "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        bool refused = false;
        try {
            lq_infill_options fim = LQ_INFILL_OPTIONS_INIT;
            ctx.infill(fim);
        } catch (const lq::exception &e) {
            refused = e.status() == LQ_ERR_UNSUPPORTED;
        }
        EXPECT(refused);  // stories260K has no fill-in-the-middle tokens
    } catch (const lq::exception &e) {
        std::fprintf(stderr, "unexpected: %s\n", e.what());
        return 1;
    }
    try {
        lq::model missing("/nonexistent.gguf");
        ++failures;
    } catch (const lq::exception &e) {
        if (e.status() != LQ_ERR_IO) ++failures;
    }
    return failures;
}
