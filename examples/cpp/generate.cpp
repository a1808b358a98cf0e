// The same program over the header-only C++ wrapper: RAII handles, a lambda
// for streaming, exceptions instead of status codes.
//
//     c++ -std=c++11 generate.cpp $(pkg-config --cflags --libs libquant) -o generate
//     ./generate models/stories260K.gguf
#include <libquant/libquant.hpp>

#include <cstring>
#include <iostream>

int main(int argc, char **argv) {
    try {
        lq::model model(argc > 1 ? argv[1] : "models/stories260K.gguf");
        lq::context context(model);
        lq_generate_options options = LQ_GENERATE_OPTIONS_INIT;
        options.prompt = "Once upon a time";
        options.prompt_len = std::strlen(options.prompt);
        options.max_tokens = 64;
        options.temperature = 0.0f;
        const lq::generation out = context.generate(options, [](const std::string &piece) {
            std::cout << piece << std::flush;
            return true;  // false would stop the generation
        });
        std::cout << "\n[" << out.stats.n_generated_tokens << " tokens, stop reason " << out.stats.stop_reason
                  << "]\n";
    } catch (const lq::exception &e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
