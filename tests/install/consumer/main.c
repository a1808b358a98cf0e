/* Prints the library version and loads the model given on the command line. */
#include <libquant/libquant.h>
#include <stdio.h>

int main(int argc, char **argv) {
    lq_model *model = NULL;
    if (argc != 2) return 2;
    if (lq_model_load(&model, argv[1], NULL) != LQ_OK) {
        fprintf(stderr, "%s\n", lq_last_error_message());
        return 1;
    }
    printf("libquant %s\n", lq_version());
    lq_model_free(model);
    return 0;
}
