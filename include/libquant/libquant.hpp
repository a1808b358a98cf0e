/**
 * @file libquant.hpp
 * @brief Header-only C++ wrapper over libquant.h: RAII handles and
 *        exceptions instead of status codes.
 *
 * Everything here is inline code over the stable C interface, so it adds no
 * ABI of its own: it compiles into the application, against any libquant
 * library of the same ABI generation.
 */
#ifndef LIBQUANT_HPP
#define LIBQUANT_HPP

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "libquant.h"

/** @brief C++ wrapper of the libquant C interface. */
namespace lq {

/**
 * @brief Thrown by the wrapper when a libquant call fails.
 * @since 0.1.0
 */
class exception : public std::runtime_error {
public:
    /**
     * @brief Builds the exception from a failed status and the thread's last error message.
     * @param status The status returned by the C call.
     * @param what_failed Short description of the call that failed.
     */
    exception(lq_status status, const std::string &what_failed)
        : std::runtime_error(what_failed + ": " + lq_status_string(status) + ": " + lq_last_error_message()),
          status_(status) {}

    /** @brief The status of the failed call. @return The ::lq_status. */
    lq_status status() const noexcept { return status_; }

private:
    lq_status status_;
};

/**
 * @brief Throws lq::exception when @p status is not ::LQ_OK.
 * @param status Status of a C call.
 * @param what_failed Description used in the exception message.
 * @since 0.1.0
 */
inline void check(lq_status status, const char *what_failed) {
    if (status != LQ_OK) throw exception(status, what_failed);
}

/**
 * @brief Calls a C function following the buffer convention and returns its
 *        text output as a std::string.
 * @param call A callable `lq_status(char *buf, size_t capacity, size_t *needed_out)`.
 * @param what_failed Description used in the exception message.
 * @return The text, without the terminator.
 * @since 0.1.0
 */
template <typename Call>
std::string read_text(Call call, const char *what_failed) {
    size_t needed = 0;
    lq_status status = call(nullptr, 0, &needed);
    if (status != LQ_ERR_BUFFER_TOO_SMALL) check(status, what_failed);
    std::string text(needed, '\0');
    check(call(&text[0], text.size(), &needed), what_failed);
    text.resize(needed > 0 ? needed - 1 : 0);
    return text;
}

/**
 * @brief A loaded model; shareable between threads (see ::lq_model).
 * @since 0.1.0
 */
class model {
public:
    /**
     * @brief Loads a model file.
     * @param path Path of the GGUF file.
     * @param flags Bitwise OR of ::lq_model_flags.
     * @throws lq::exception when loading fails.
     */
    explicit model(const std::string &path, uint32_t flags = 0) {
        lq_model_options options = LQ_MODEL_OPTIONS_INIT;
        options.flags = flags;
        lq_model *raw = nullptr;
        check(lq_model_load(&raw, path.c_str(), &options), "lq_model_load");
        handle_.reset(raw);
    }

    /** @brief The underlying C handle, owned by this object. @return The handle. */
    const lq_model *get() const noexcept { return handle_.get(); }

    /** @brief Summary of the model. @return The filled ::lq_model_info. */
    lq_model_info info() const {
        lq_model_info info = LQ_MODEL_INFO_INIT;
        check(lq_model_get_info(handle_.get(), &info), "lq_model_get_info");
        return info;
    }

    /**
     * @brief A metadata entry rendered as text (see lq_model_meta_string()).
     * @param key Entry key.
     * @return The text.
     */
    std::string meta(const std::string &key) const {
        const lq_model *m = handle_.get();
        return read_text([&](char *buf, size_t cap, size_t *needed) { return lq_model_meta_string(m, key.c_str(), buf, cap, needed); },
                         "lq_model_meta_string");
    }

    /**
     * @brief Every tensor of the file, in file order.
     * @return One ::lq_tensor_info per tensor.
     */
    std::vector<lq_tensor_info> tensors() const {
        const lq_model_info summary = info();
        std::vector<lq_tensor_info> out(summary.n_tensors);
        for (uint32_t i = 0; i < summary.n_tensors; ++i) {
            out[i].struct_size = sizeof(lq_tensor_info);
            check(lq_model_tensor_info(handle_.get(), i, &out[i]), "lq_model_tensor_info");
        }
        return out;
    }

    /**
     * @brief Turns text into token ids (see lq_tokenize()).
     * @param text UTF-8 text.
     * @param flags Bitwise OR of ::lq_tokenize_flags; default ::LQ_TOKENIZE_ADD_SPECIAL.
     * @return The ids.
     * @since 0.2.0
     */
    std::vector<int32_t> tokenize(const std::string &text, uint32_t flags = LQ_TOKENIZE_ADD_SPECIAL) const {
        std::vector<int32_t> ids(text.size() + 4);
        size_t count = 0;
        lq_status status = lq_tokenize(handle_.get(), text.data(), text.size(), flags, ids.data(), ids.size(), &count);
        if (status == LQ_ERR_BUFFER_TOO_SMALL) {
            ids.resize(count);
            status = lq_tokenize(handle_.get(), text.data(), text.size(), flags, ids.data(), ids.size(), &count);
        }
        check(status, "lq_tokenize");
        ids.resize(count);
        return ids;
    }

    /**
     * @brief Turns token ids back into text (see lq_detokenize()).
     * @param ids Token ids.
     * @param flags Bitwise OR of ::lq_detokenize_flags.
     * @return The text.
     * @since 0.2.0
     */
    std::string detokenize(const std::vector<int32_t> &ids, uint32_t flags = 0) const {
        const lq_model *m = handle_.get();
        return read_text([&](char *buf, size_t cap, size_t *needed) {
            return lq_detokenize(m, ids.data(), ids.size(), flags, buf, cap, needed);
        }, "lq_detokenize");
    }

    /**
     * @brief Renders a conversation in the model's chat format (see lq_chat_apply_template()).
     * @param turns (role, content) pairs.
     * @param add_assistant End with the assistant's cue.
     * @param family A template family name, or nullptr for the model's own.
     * @return The text, without the leading BOS.
     * @since 0.2.0
     */
    std::string apply_chat_template(const std::vector<std::pair<std::string, std::string>> &turns,
                                    bool add_assistant = true, const char *family = nullptr) const {
        std::vector<lq_chat_message> messages;
        for (const auto &t : turns) messages.push_back({t.first.c_str(), t.second.c_str()});
        const lq_model *m = handle_.get();
        const uint32_t flags = add_assistant ? static_cast<uint32_t>(LQ_CHAT_ADD_ASSISTANT) : 0u;
        return read_text([&](char *buf, size_t cap, size_t *needed) {
            return lq_chat_apply_template(m, family, messages.data(), messages.size(), flags, buf, cap, needed);
        }, "lq_chat_apply_template");
    }

private:
    struct deleter {
        void operator()(lq_model *m) const noexcept { lq_model_free(m); }
    };
    std::unique_ptr<lq_model, deleter> handle_;
};

/**
 * @brief What lq::context::generate() produced.
 * @since 0.2.0
 */
struct generation {
    std::string text;          /**< The generated text (stop strings excluded). */
    lq_generate_result stats;  /**< Stop reason (::LQ_STOP_CANCELLED after cancel()), token counts, timings. */
};

/**
 * @brief A model running on one sequence (see ::lq_context): used by one
 *        thread at a time, except cancel(), which any thread may call.
 *
 * The model must outlive the context.
 * @since 0.2.0
 */
class context {
public:
    /**
     * @brief Creates a context.
     * @param m The model.
     * @param options Context options; default ::LQ_CONTEXT_OPTIONS_INIT.
     * @throws lq::exception when the context cannot be made.
     */
    explicit context(const model &m, const lq_context_options &options = LQ_CONTEXT_OPTIONS_INIT) {
        lq_context *raw = nullptr;
        check(lq_context_create(&raw, m.get(), &options), "lq_context_create");
        handle_.reset(raw);
    }

    /** @brief The underlying C handle, owned by this object. @return The handle. */
    lq_context *get() const noexcept { return handle_.get(); }

    /**
     * @brief Generates text after the prompt of @p options.
     *
     * @p on_text receives each piece of text (whole UTF-8 characters) and
     * returns false to stop. An exception it throws stops generation and is
     * rethrown here; it never crosses the C library. A cancel() ends the
     * call normally with stop reason ::LQ_STOP_CANCELLED.
     * @param options The prompt and sampling (its own on_text is replaced).
     * @param on_text Streaming receiver, or empty.
     * @return The text and the statistics.
     * @throws lq::exception when generation fails.
     */
    generation generate(lq_generate_options options,
                        const std::function<bool(const std::string &piece)> &on_text = nullptr) {
        return run(nullptr, options, on_text);
    }

    /**
     * @brief Generates the text between a prefix and a suffix (see lq_infill()); streaming,
     *        exceptions and cancellation as for generate().
     * @param infill What to fill in.
     * @param options Sampling (its prompt fields must be empty); default greedy, 128 tokens.
     * @param on_text Streaming receiver, or empty.
     * @return The text and the statistics.
     * @throws lq::exception when it fails (a model without fill-in-the-middle tokens: ::LQ_ERR_UNSUPPORTED).
     * @since 0.2.0
     */
    generation infill(const lq_infill_options &infill, lq_generate_options options = greedy(128),
                      const std::function<bool(const std::string &piece)> &on_text = nullptr) {
        return run(&infill, options, on_text);
    }

    /** @brief Default generation options, greedy, with at most @p max_tokens tokens. @param max_tokens The limit. @return The options. */
    static lq_generate_options greedy(int32_t max_tokens) {
        lq_generate_options options = LQ_GENERATE_OPTIONS_INIT;
        options.temperature = 0.0f;
        options.max_tokens = max_tokens;
        return options;
    }

    /** @brief Asks the running generation to stop; callable from any thread (see lq_context_cancel()). */
    void cancel() noexcept { lq_context_cancel(handle_.get()); }

    /** @brief Forgets every position. @throws lq::exception on failure. */
    void reset() { check(lq_context_reset(handle_.get()), "lq_context_reset"); }

private:
    generation run(const lq_infill_options *infill, lq_generate_options options,
                   const std::function<bool(const std::string &piece)> &on_text) {
        struct state {
            const std::function<bool(const std::string &)> *user;
            std::string text;
            std::exception_ptr failure;
        } st{&on_text, std::string(), nullptr};
        options.on_text = [](const char *text, size_t len, int32_t, void *data) -> int32_t {
            state &s = *static_cast<state *>(data);
            try {
                std::string piece(text, len);
                s.text += piece;
                return (*s.user && !(*s.user)(piece)) ? 1 : 0;
            } catch (...) {
                s.failure = std::current_exception();
                return 1;
            }
        };
        options.user_data = &st;
        generation out;
        out.stats = LQ_GENERATE_RESULT_INIT;
        const lq_status status = infill ? lq_infill(handle_.get(), infill, &options, &out.stats)
                                        : lq_generate(handle_.get(), &options, &out.stats);
        if (st.failure) std::rethrow_exception(st.failure);
        if (status != LQ_ERR_CANCELLED) check(status, infill ? "lq_infill" : "lq_generate");
        out.text = std::move(st.text);
        return out;
    }

    struct deleter {
        void operator()(lq_context *c) const noexcept { lq_context_free(c); }
    };
    std::unique_ptr<lq_context, deleter> handle_;
};

}  // namespace lq

#endif /* LIBQUANT_HPP */
