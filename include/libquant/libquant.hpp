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
#include <memory>
#include <stdexcept>
#include <string>
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

private:
    struct deleter {
        void operator()(lq_model *m) const noexcept { lq_model_free(m); }
    };
    std::unique_ptr<lq_model, deleter> handle_;
};

}  // namespace lq

#endif /* LIBQUANT_HPP */
