/* Helpers shared by the cgo preambles of the Go binding.
 *
 * Every libquant call that can fail is made from a small C wrapper that also
 * copies lq_last_error_message() into a caller-provided lqgo_error, within the
 * same cgo call: the message is per OS thread, and a goroutine may run on
 * another thread by the time the next cgo call starts.
 *
 * The shims at the end adapt libquant's callback types to the Go functions
 * exported in callbacks.go; user_data carries a runtime/cgo.Handle as an
 * integer, never a Go pointer. */
#ifndef LQGO_H
#define LQGO_H

#include <libquant/libquant.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Receives the message of a failed call. */
typedef struct lqgo_error {
    char message[1024];
} lqgo_error;

/* Returns status, copying the calling thread's error message into err when it
 * is an error. */
static inline lq_status lqgo_check(lq_status status, lqgo_error *err) {
    if (status != LQ_OK && err) {
        const char *message = lq_last_error_message();
        size_t n = strlen(message);
        if (n >= sizeof err->message) n = sizeof err->message - 1;
        memcpy(err->message, message, n);
        err->message[n] = '\0';
    }
    return status;
}

/* Defaults from the header's initialiser macros, at the size this package
 * was compiled with. The library's lq_*_options_init() functions write the
 * struct as the loaded library defines it, which is larger than ours when
 * the library is newer. */
#define LQGO_DEFAULTS(type, macro) \
    static inline void lqgo_##type##_defaults(lq_##type *o) { \
        const lq_##type d = macro; \
        *o = d; \
    }
LQGO_DEFAULTS(model_options, LQ_MODEL_OPTIONS_INIT)
LQGO_DEFAULTS(context_options, LQ_CONTEXT_OPTIONS_INIT)
LQGO_DEFAULTS(generate_options, LQ_GENERATE_OPTIONS_INIT)
LQGO_DEFAULTS(quantize_options, LQ_QUANTIZE_OPTIONS_INIT)
#undef LQGO_DEFAULTS

/* The Go side of the callbacks (callbacks.go). */
extern int32_t lqgoOnText(char *text, size_t length, int32_t token, uintptr_t handle);
extern int32_t lqgoOnProgress(float progress, uintptr_t handle);
extern void lqgoOnMessage(char *line, uintptr_t handle);
extern void lqgoOnLog(int32_t level, char *message);

static inline int32_t lqgo_text_shim(const char *text, size_t length, int32_t token, void *user_data) {
    return lqgoOnText((char *)text, length, token, (uintptr_t)user_data);
}

static inline int32_t lqgo_progress_shim(float progress, void *user_data) {
    return lqgoOnProgress(progress, (uintptr_t)user_data);
}

static inline void lqgo_message_shim(const char *line, void *user_data) {
    lqgoOnMessage((char *)line, (uintptr_t)user_data);
}

static inline void lqgo_log_shim(lq_log_level level, const char *message, void *user_data) {
    (void)user_data;
    lqgoOnLog((int32_t)level, (char *)message);
}

#endif
