// The library's log: silent until the host installs a callback through
// lq_log_set_callback(). Messages below the host's level cost one atomic load.
#pragma once

#include "libquant/libquant.h"

namespace lq {

/// True when a message of @p level would reach the host's callback.
bool log_enabled(lq_log_level level);

/// Formats and delivers one message (printf-style) when @p level is enabled.
void log(lq_log_level level, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/// Installs the callback (the implementation of lq_log_set_callback).
void log_set_callback(lq_log_callback callback, void *user_data, lq_log_level max_level);

}  // namespace lq
