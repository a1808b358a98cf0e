// The header compiles as strict C++ and the header-only wrapper works.
#include <libquant/libquant.hpp>

#include <cstdio>
#include <cstring>

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    int failures = 0;
    try {
        lq::model model(argv[1]);
        const lq_model_info info = model.info();
        if (std::strcmp(info.architecture, "llama") != 0) ++failures;
        if (model.meta("general.architecture") != "llama") ++failures;
        if (model.tensors().size() != info.n_tensors) ++failures;
    } catch (const lq::exception &e) {
        std::fprintf(stderr, "unexpected: %s\n", e.what());
        return 1;
    }
    try {
        lq::model missing("/nonexistent.gguf");
        ++failures;
    } catch (const lq::exception &e) {
        if (e.status() != LQ_ERR_IO) ++failures;
    }
    return failures;
}
