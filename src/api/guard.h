// Helpers every extern "C" shim uses: run the body, map any exception to an
// lq_status, record the per-thread message, and copy versioned structs.
#pragma once

#include <cstddef>
#include <cstring>
#include <functional>
#include <new>
#include <string>

#include "core/error.h"
#include "libquant/libquant.h"

namespace lq::api {

/// Records @p message as this thread's last error and returns @p status.
lq_status set_error(lq_status status, const std::string &message);

/// Runs @p body; returns LQ_OK, or the status of what it threw.
template <typename Body>
lq_status guarded(Body &&body) noexcept {
    try {
        body();
        return LQ_OK;
    } catch (const Error &e) {
        return set_error(e.status(), e.what());
    } catch (const std::bad_alloc &) {
        return set_error(LQ_ERR_OOM, "out of memory");
    } catch (const std::exception &e) {
        return set_error(LQ_ERR_INTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
        return set_error(LQ_ERR_INTERNAL, "internal error: unknown exception");
    }
}

/// Throws LQ_ERR_INVALID_ARGUMENT naming @p what when @p pointer is NULL.
inline void require(const void *pointer, const char *what) {
    if (!pointer) fail(LQ_ERR_INVALID_ARGUMENT, "%s must not be NULL", what);
}

/// Reads a caller's options struct of any older or newer size into
/// @p out, which holds the defaults. A NULL @p in keeps the defaults. A newer,
/// larger struct is accepted when the fields this library does not know are
/// all zero (their defaults), and refused otherwise.
template <typename T>
void read_options(const T *in, T *out, const char *what) {
    if (!in) return;
    const uint32_t size = in->struct_size;
    if (size < sizeof(uint32_t)) fail(LQ_ERR_INVALID_ARGUMENT, "%s: struct_size %u is too small", what, size);
    if (size > sizeof(T)) {
        const auto *bytes = reinterpret_cast<const unsigned char *>(in);
        for (size_t i = sizeof(T); i < size; ++i)
            if (bytes[i] != 0)
                fail(LQ_ERR_UNSUPPORTED, "%s: struct_size %u is from a newer libquant and sets fields this version lacks",
                     what, size);
    }
    const size_t copy = size < sizeof(T) ? size : sizeof(T);
    std::memcpy(reinterpret_cast<unsigned char *>(out) + sizeof(uint32_t),
                reinterpret_cast<const unsigned char *>(in) + sizeof(uint32_t), copy - sizeof(uint32_t));
    out->struct_size = static_cast<uint32_t>(sizeof(T));
}

/// Copies a filled output struct into the caller's, as much as its
/// struct_size holds; the caller's struct_size stays as it was.
template <typename T>
void write_output(const T &full, T *out, const char *what) {
    const uint32_t size = out->struct_size;
    if (size < sizeof(uint32_t)) fail(LQ_ERR_INVALID_ARGUMENT, "%s: struct_size %u is too small", what, size);
    const size_t copy = size < sizeof(T) ? size : sizeof(T);
    std::memcpy(reinterpret_cast<unsigned char *>(out) + sizeof(uint32_t),
                reinterpret_cast<const unsigned char *>(&full) + sizeof(uint32_t), copy - sizeof(uint32_t));
}

/// The caller's progress callback as the core's "continue?" function (empty
/// when @p callback is NULL).
inline std::function<bool(float)> progress_function(lq_progress_callback callback, void *user_data) {
    if (!callback) return {};
    return [callback, user_data](float fraction) { return callback(fraction, user_data) == 0; };
}

/// Copies @p text plus a NUL terminator into a caller buffer following the
/// size-query convention of the header.
void copy_text_out(const std::string &text, char *buf, size_t capacity, size_t *needed_out);

}  // namespace lq::api
