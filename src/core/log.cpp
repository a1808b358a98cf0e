#include "core/log.h"

#include <atomic>
#include <cstdarg>
#include <mutex>
#include <string>

#include "core/error.h"

namespace lq {
namespace {

struct Sink {
    std::mutex mutex;  // guards callback and user_data together
    lq_log_callback callback = nullptr;
    void *user_data = nullptr;
    std::atomic<int> max_level{-1};  // -1: no callback installed
};

Sink &sink() {
    static Sink instance;
    return instance;
}

}  // namespace

bool log_enabled(lq_log_level level) {
    return static_cast<int>(level) <= sink().max_level.load(std::memory_order_relaxed);
}

void log(lq_log_level level, const char *format, ...) {
    if (!log_enabled(level)) return;
    va_list args;
    va_start(args, format);
    std::string message;
    try {
        message = vstrfmt(format, args);
    } catch (...) {
        va_end(args);
        return;  // a log line is never worth failing the caller's work
    }
    va_end(args);
    Sink &s = sink();
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.callback) s.callback(level, message.c_str(), s.user_data);
}

void log_set_callback(lq_log_callback callback, void *user_data, lq_log_level max_level) {
    Sink &s = sink();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.callback = callback;
    s.user_data = user_data;
    s.max_level.store(callback ? static_cast<int>(max_level) : -1, std::memory_order_relaxed);
}

}  // namespace lq
