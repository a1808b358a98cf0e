// Fuzz target: arbitrary bytes as a GGUF file. Whatever parses is then used
// the way loading a model uses it: every metadata value rendered, the
// hyper-parameters and weights bound, the vocabulary built. Every failure
// must be an lq::Error; anything else (a crash, another exception, a
// sanitizer report) is a bug.
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "format/gguf.h"
#include "format/gguf_text.h"
#include "model/hparams.h"
#include "model/weights.h"
#include "tokenizer/vocab.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // A private, exactly sized copy: reads past the end are caught.
    std::vector<uint8_t> bytes(data, data + size);
    try {
        const lq::GgufFile g = lq::GgufFile::parse(bytes.data(), bytes.size());
        size_t rendered = 0;
        for (const lq::GgufKv &kv : g.kvs()) rendered += lq::gguf_value_text(kv.value).size();
        for (const lq::GgufTensor &t : g.tensors()) rendered += t.n_bytes != 0;
        (void)rendered;
        try {
            std::unique_ptr<lq::Vocab> vocab = lq::Vocab::from_gguf(g);
            if (vocab) {
                const std::vector<int32_t> ids = vocab->tokenize("Hello world, 123!", true, true);
                (void)vocab->detokenize(ids.data(), ids.size(), 0);
            }
        } catch (const lq::Error &) {
        }
        const lq::GgufValue *tokens = g.find("tokenizer.ggml.tokens");
        const uint32_t n_vocab = tokens && tokens->type == lq::GgufType::ARRAY ? static_cast<uint32_t>(tokens->count) : 0;
        const lq::HParams hp = lq::read_hparams(g, n_vocab);
        (void)lq::bind_weights(g, hp);
    } catch (const lq::Error &) {
    }
    return 0;
}
