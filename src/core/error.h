// Errors inside the library: an exception carrying an lq_status and a message.
//
// The core throws lq::Error; the extern "C" shims in src/api catch it (and
// std::bad_alloc, and anything else) and turn it into a status plus the
// per-thread last-error message. Nothing escapes into the caller.
#pragma once

#include <cstdarg>
#include <stdexcept>
#include <string>

#include "libquant/libquant.h"

namespace lq {

class Error : public std::runtime_error {
public:
    Error(lq_status status, const std::string &message) : std::runtime_error(message), status_(status) {}
    lq_status status() const { return status_; }

private:
    lq_status status_;
};

/// printf-style formatting into a std::string.
std::string strfmt(const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/// Same, from a va_list.
std::string vstrfmt(const char *format, va_list args);

/// Throws lq::Error(status, formatted message).
[[noreturn]] void fail(lq_status status, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

}  // namespace lq
