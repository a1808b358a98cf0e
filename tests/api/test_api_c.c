/* The C interface as a C99 program sees it. Compiled with -std=c99 -pedantic
 * -Wall -Wextra -Werror: the header must be clean strict C. Every check
 * prints what failed; the exit status is the number of failures. */
#include <libquant/libquant.h>

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_check.h"

/* Layouts are frozen: these fail to compile if a field moves. */
#define PTR sizeof(void *)
typedef char check_options_size[(offsetof(lq_model_options, progress) == 8) ? 1 : -1];
typedef char check_options_user[(offsetof(lq_model_options, progress_user_data) == 8 + PTR) ? 1 : -1];
typedef char check_info_arch[(offsetof(lq_model_info, architecture) == 8) ? 1 : -1];
typedef char check_info_params[(offsetof(lq_model_info, n_params) == 8 + 2 * PTR) ? 1 : -1];
typedef char check_info_mask[(offsetof(lq_model_info, tensor_types_mask) == 24 + 2 * PTR) ? 1 : -1];
typedef char check_info_ntensors[(offsetof(lq_model_info, n_tensors) == 32 + 2 * PTR) ? 1 : -1];
typedef char check_info_size[(sizeof(lq_model_info) == 64 + 2 * PTR) ? 1 : -1];
typedef char check_tensor_dims[(offsetof(lq_tensor_info, dims) == 16) ? 1 : -1];
typedef char check_tensor_name[(offsetof(lq_tensor_info, name) == 72) ? 1 : -1];
typedef char check_backend_name[(offsetof(lq_backend_info, name) == 16) ? 1 : -1];
typedef char check_backend_reason[(offsetof(lq_backend_info, reason) == 16 + 2 * PTR) ? 1 : -1];
typedef char check_backend_size[(sizeof(lq_backend_info) == 16 + 3 * PTR) ? 1 : -1];
typedef char check_quantize_samples[(offsetof(lq_quantize_options, calibration_samples) == 8 + 3 * PTR) ? 1 : -1];
typedef char check_quantize_alpha[(offsetof(lq_quantize_options, smooth_alpha) == 24 + 8 * PTR) ? 1 : -1];
typedef char check_backend_values[(LQ_BACKEND_CPU == 0 && LQ_BACKEND_ONEDNN == 1 && LQ_BACKEND_VULKAN == 2 &&
                                   LQ_BACKEND_AUTO == 3) ? 1 : -1];
typedef char check_status_size[(sizeof(lq_status) == 4) ? 1 : -1];
typedef char check_status_values[(LQ_ERR_OOM == -2 && LQ_ERR_MODEL_FORMAT == -4 && LQ_ERR_CANCELLED == -7 &&
                                  LQ_ERR_INTERNAL == -99) ? 1 : -1];

static int log_messages = 0;
static void count_log(lq_log_level level, const char *message, void *user) {
    (void)level;
    (void)user;
    if (message && *message) ++log_messages;
}

static int cancel_at_once(float progress, void *user) {
    (void)progress;
    ++*(int *)user;
    return 1;
}

static void *thread_error(void *arg) {
    lq_model *model = NULL;
    (void)arg;
    /* This thread's error must not leak into the main thread's message. */
    if (lq_model_load(&model, "/nonexistent/thread.gguf", NULL) != LQ_ERR_IO) return (void *)1;
    return strstr(lq_last_error_message(), "thread.gguf") ? NULL : (void *)1;
}

int main(int argc, char **argv) {
    const char *model_path, *scratch;
    lq_model *model = NULL;
    lq_model_options options = LQ_MODEL_OPTIONS_INIT;
    lq_model_info info = LQ_MODEL_INFO_INIT;
    lq_tensor_info tensor = LQ_TENSOR_INFO_INIT;
    char small[4];
    char text[256];
    size_t needed = 0, count = 0;
    int64_t value_int = 0;
    double value_float = 0;
    lq_meta_type type, element;
    uint64_t n = 0;
    int calls = 0;
    pthread_t thread;
    void *thread_result = NULL;
    FILE *file;

    if (argc != 3) {
        fprintf(stderr, "usage: %s MODEL.gguf SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    model_path = argv[1];
    scratch = argv[2];

    /* Versions. */
    CHECK(strcmp(lq_version(), LQ_VERSION_STRING) == 0);
    CHECK(lq_abi_version() == LQ_ABI_VERSION);
    CHECK(strcmp(lq_status_string(LQ_OK), "ok") == 0);
    CHECK(strcmp(lq_status_string((lq_status)12345), "unknown status") == 0);
    CHECK(lq_last_error_message() != NULL);
    CHECK(strcmp(lq_tensor_type_name(LQ_TYPE_Q4_K), "q4_K") == 0);
    CHECK(strcmp(lq_tensor_type_name(4), "q4_2") == 0);
    CHECK(strcmp(lq_tensor_type_name(100000), "unknown") == 0);

    /* Backends: every known one is listed; the CPU is always there and
     * available; an unavailable one says why. */
    {
        lq_backend_info backend = LQ_BACKEND_INFO_INIT;
        size_t i, n_backends = lq_backend_count();
        int seen_cpu = 0;
        CHECK(n_backends >= 3);
        for (i = 0; i < n_backends; ++i) {
            backend.struct_size = sizeof backend;
            CHECK(lq_backend_get_info(i, &backend) == LQ_OK);
            CHECK(backend.name != NULL && backend.device != NULL && backend.reason != NULL);
            if (!backend.name || !backend.device || !backend.reason) continue;
            CHECK(backend.backend != LQ_BACKEND_AUTO);
            CHECK(backend.available == 0 || backend.available == 1);
            if (backend.available) CHECK(backend.device[0] != '\0' && backend.reason[0] == '\0');
            else CHECK(backend.reason[0] != '\0');
            if (backend.backend == LQ_BACKEND_CPU) {
                seen_cpu = 1;
                CHECK(strcmp(backend.name, "cpu") == 0 && backend.available == 1);
            }
        }
        CHECK(seen_cpu);
        CHECK(lq_backend_get_info(n_backends, &backend) == LQ_ERR_NOT_FOUND);
        CHECK(lq_backend_get_info(0, NULL) == LQ_ERR_INVALID_ARGUMENT);
        backend.struct_size = 2;
        CHECK(lq_backend_get_info(0, &backend) == LQ_ERR_INVALID_ARGUMENT);
    }

    /* NULL arguments are errors, never crashes. */
    lq_model_free(NULL);
    lq_model_options_init(NULL);
    CHECK(lq_model_load(NULL, model_path, NULL) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_model_load(&model, NULL, NULL) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(model == NULL);
    CHECK(strstr(lq_last_error_message(), "path") != NULL);
    CHECK(lq_model_get_info(NULL, &info) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_model_meta_count(NULL, &count) == LQ_ERR_INVALID_ARGUMENT);

    /* Missing and malformed files. */
    CHECK(lq_model_load(&model, "/nonexistent/model.gguf", NULL) == LQ_ERR_IO);
    CHECK(strstr(lq_last_error_message(), "/nonexistent/model.gguf") != NULL);
    sprintf(text, "%s/garbage.gguf", scratch);
    file = fopen(text, "wb");
    CHECK(file != NULL);
    if (file) {
        fputs("GGUF\3\0\0\0garbage", file);
        fclose(file);
    }
    CHECK(lq_model_load(&model, text, NULL) == LQ_ERR_MODEL_FORMAT);
    CHECK(strstr(lq_last_error_message(), "offset") != NULL);
    CHECK(model == NULL);

    /* Per-thread error messages. */
    CHECK(pthread_create(&thread, NULL, thread_error, NULL) == 0);
    pthread_join(thread, &thread_result);
    CHECK(thread_result == NULL);
    CHECK(strstr(lq_last_error_message(), "offset") != NULL); /* still this thread's error */

    /* Options: unknown flags, an older struct, a newer one. */
    options.flags = 1u << 30;
    CHECK(lq_model_load(&model, model_path, &options) == LQ_ERR_INVALID_ARGUMENT);
    options.flags = 0;
    options.progress = cancel_at_once;
    options.progress_user_data = &calls;
    CHECK(lq_model_load(&model, model_path, &options) == LQ_ERR_CANCELLED);
    CHECK(calls == 1);
    CHECK(model == NULL);
    options.struct_size = (uint32_t)offsetof(lq_model_options, progress); /* a version with flags only */
    CHECK(lq_model_load(&model, model_path, &options) == LQ_OK); /* progress field ignored: not cancelled */
    lq_model_free(model);
    model = NULL;
    {
        /* A struct from a newer header: unknown trailing fields set to zero are fine, non-zero are refused. */
        struct {
            lq_model_options base;
            uint64_t future_field;
        } newer;
        memset(&newer, 0, sizeof newer);
        newer.base.struct_size = (uint32_t)sizeof newer;
        CHECK(lq_model_load(&model, model_path, &newer.base) == LQ_OK);
        lq_model_free(model);
        model = NULL;
        newer.future_field = 1;
        CHECK(lq_model_load(&model, model_path, &newer.base) == LQ_ERR_UNSUPPORTED);
    }

    /* Log callback: silent by default, delivers once installed. */
    lq_log_set_callback(count_log, NULL, LQ_LOG_DEBUG);
    lq_model_options_init(&options);
    CHECK(options.struct_size == sizeof(lq_model_options));
    CHECK(lq_model_load(&model, model_path, &options) == LQ_OK);
    lq_log_set_callback(NULL, NULL, LQ_LOG_ERROR);
    CHECK(log_messages > 0);
    CHECK(model != NULL);
    if (!model) return failures;

    /* Summary. */
    CHECK(lq_model_get_info(model, &info) == LQ_OK);
    CHECK(strcmp(info.architecture, "llama") == 0);
    CHECK(info.gguf_version == 3);
    CHECK(info.n_tensors == 48);
    CHECK(info.n_vocab == 512);
    CHECK(info.n_embd == 64);
    CHECK(info.n_layer == 5);
    CHECK(info.n_head == 8);
    CHECK(info.n_head_kv == 4);
    CHECK(info.tensor_types_mask == (1u << LQ_TYPE_F32));
    {
        /* An older, smaller output struct gets only its fields; nothing beyond. */
        struct {
            lq_model_info base;
            uint32_t guard;
        } old;
        memset(&old, 0xAB, sizeof old);
        old.base.struct_size = (uint32_t)offsetof(lq_model_info, n_params);
        CHECK(lq_model_get_info(model, &old.base) == LQ_OK);
        CHECK(old.base.gguf_version == 3);
        CHECK(old.base.n_params == 0xABABABABABABABABull); /* untouched */
        CHECK(old.guard == 0xABABABABu);
    }

    /* Tensors. */
    CHECK(lq_model_tensor_info(model, 0, &tensor) == LQ_OK);
    CHECK(tensor.n_dims >= 1);
    CHECK(tensor.name != NULL && tensor.name[0] != '\0');
    CHECK(lq_model_tensor_info(model, 48, &tensor) == LQ_ERR_NOT_FOUND);

    /* Metadata. */
    CHECK(lq_model_meta_count(model, &count) == LQ_OK);
    CHECK(count > 10);
    CHECK(lq_model_meta_key(model, 0, NULL, 0, &needed) == LQ_ERR_BUFFER_TOO_SMALL);
    CHECK(needed > 1);
    CHECK(lq_model_meta_key(model, count, text, sizeof text, &needed) == LQ_ERR_NOT_FOUND);
    CHECK(lq_model_meta_string(model, "general.architecture", small, sizeof small, &needed) == LQ_ERR_BUFFER_TOO_SMALL);
    CHECK(needed == 6);
    CHECK(lq_model_meta_string(model, "general.architecture", text, sizeof text, &needed) == LQ_OK);
    CHECK(strcmp(text, "llama") == 0);
    CHECK(lq_model_meta_string(model, "no.such.key", text, sizeof text, &needed) == LQ_ERR_NOT_FOUND);
    CHECK(lq_model_meta_int(model, "llama.embedding_length", &value_int) == LQ_OK);
    CHECK(value_int == 64);
    CHECK(lq_model_meta_int(model, "general.architecture", &value_int) == LQ_ERR_TYPE_MISMATCH);
    CHECK(lq_model_meta_float(model, "llama.attention.layer_norm_rms_epsilon", &value_float) == LQ_OK);
    CHECK(value_float > 0.9e-5 && value_float < 1.1e-5);
    CHECK(lq_model_meta_type(model, "tokenizer.ggml.tokens", &type, &element, &n) == LQ_OK);
    CHECK(type == LQ_META_ARRAY && element == LQ_META_STRING && n == 512);
    CHECK(lq_model_meta_string(model, "tokenizer.ggml.token_type", NULL, 0, &needed) == LQ_ERR_BUFFER_TOO_SMALL);

    lq_model_free(model);
    if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
    return failures;
}
