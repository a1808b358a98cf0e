/* The smallest complete libquant program: load a model, stream a story to
 * stdout, report why it stopped, free everything.
 *
 *     cc generate.c $(pkg-config --cflags --libs libquant) -o generate
 *     ./generate models/stories260K.gguf
 */
#include <libquant/libquant.h>

#include <stdio.h>
#include <string.h>

static int32_t print_piece(const char *text, size_t len, int32_t token, void *user_data) {
    (void)token;
    (void)user_data;
    fwrite(text, 1, len, stdout);
    fflush(stdout);
    return 0; /* non-zero would stop the generation */
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "models/stories260K.gguf";
    lq_model *model = NULL;
    lq_context *context = NULL;
    if (lq_model_load(&model, path, NULL) != LQ_OK || lq_context_create(&context, model, NULL) != LQ_OK) {
        fprintf(stderr, "error: %s\n", lq_last_error_message());
        lq_model_free(model);
        return 1;
    }
    lq_generate_options options = LQ_GENERATE_OPTIONS_INIT;
    options.prompt = "Once upon a time";
    options.prompt_len = strlen(options.prompt);
    options.max_tokens = 64;
    options.temperature = 0.0f; /* greedy: the same story every run */
    options.on_text = print_piece;
    lq_generate_result result = LQ_GENERATE_RESULT_INIT;
    const lq_status status = lq_generate(context, &options, &result);
    if (status != LQ_OK) fprintf(stderr, "\nerror: %s\n", lq_last_error_message());
    else printf("\n[%u tokens, stop reason %u]\n", result.n_generated_tokens, result.stop_reason);
    lq_context_free(context);
    lq_model_free(model);
    return status == LQ_OK ? 0 : 1;
}
