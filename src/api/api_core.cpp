// Versions, status strings, the last-error message, logging and type names.
#include "api/guard.h"
#include "core/log.h"
#include "core/types.h"

namespace lq::api {
namespace {
thread_local std::string t_last_error;
}

lq_status set_error(lq_status status, const std::string &message) {
    try {
        t_last_error = message;
    } catch (...) {
        t_last_error.clear();  // keep the status even when the message cannot be stored
    }
    log(LQ_LOG_DEBUG, "error %d: %s", static_cast<int>(status), message.c_str());
    return status;
}

void copy_text_out(const std::string &text, char *buf, size_t capacity, size_t *needed_out) {
    require(needed_out, "needed_out");
    *needed_out = text.size() + 1;
    if (capacity < text.size() + 1)
        fail(LQ_ERR_BUFFER_TOO_SMALL, "buffer of %zu bytes is too small; %zu needed", capacity, text.size() + 1);
    require(buf, "buf");
    std::memcpy(buf, text.c_str(), text.size() + 1);
}

}  // namespace lq::api

extern "C" {

LQ_API const char *lq_version(void) { return LQ_VERSION_STRING; }

LQ_API uint32_t lq_abi_version(void) { return LQ_ABI_VERSION; }

LQ_API const char *lq_status_string(lq_status status) {
    switch (status) {
    case LQ_OK: return "ok";
    case LQ_ERR_INVALID_ARGUMENT: return "invalid argument";
    case LQ_ERR_OOM: return "out of memory";
    case LQ_ERR_IO: return "input/output error";
    case LQ_ERR_MODEL_FORMAT: return "malformed model file";
    case LQ_ERR_UNSUPPORTED: return "unsupported";
    case LQ_ERR_BUFFER_TOO_SMALL: return "buffer too small";
    case LQ_ERR_CANCELLED: return "cancelled";
    case LQ_ERR_CONTEXT_FULL: return "context full";
    case LQ_ERR_NOT_FOUND: return "not found";
    case LQ_ERR_TYPE_MISMATCH: return "type mismatch";
    case LQ_ERR_BACKEND: return "backend failure";
    case LQ_ERR_INTERNAL: return "internal error";
    default: return "unknown status";
    }
}

LQ_API const char *lq_last_error_message(void) { return lq::api::t_last_error.c_str(); }

LQ_API void lq_log_set_callback(lq_log_callback callback, void *user_data, lq_log_level max_level) {
    lq::log_set_callback(callback, user_data, max_level);
}

LQ_API const char *lq_tensor_type_name(uint32_t type) {
    const lq::TypeInfo *info = lq::type_info(type);
    return info ? info->name : "unknown";
}

}  // extern "C"
