#include "core/error.h"

#include <cstdio>
#include <vector>

namespace lq {

std::string vstrfmt(const char *format, va_list args) {
    va_list copy;
    va_copy(copy, args);
    const int length = std::vsnprintf(nullptr, 0, format, copy);
    va_end(copy);
    if (length <= 0) return std::string();
    std::string out(static_cast<size_t>(length) + 1, '\0');
    std::vsnprintf(&out[0], out.size(), format, args);
    out.resize(static_cast<size_t>(length));
    return out;
}

std::string strfmt(const char *format, ...) {
    va_list args;
    va_start(args, format);
    std::string out = vstrfmt(format, args);
    va_end(args);
    return out;
}

void fail(lq_status status, const char *format, ...) {
    va_list args;
    va_start(args, format);
    std::string message = vstrfmt(format, args);
    va_end(args);
    throw Error(status, message);
}

}  // namespace lq
