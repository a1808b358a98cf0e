#include "quantize/weight_source.h"

#include "core/error.h"
#include "format/llama2c.h"
#include "format/mapped_file.h"
#include "quantize/sources.h"

namespace lq {

std::unique_ptr<WeightSource> open_weight_source(const std::string &path, const std::string &tokenizer_path) {
    if (is_gguf_file(path)) return open_gguf_source(path);
    {
        MappedFile probe(path, true);
        if (looks_like_llama2c(probe.data(), probe.size())) return open_llama2c_source(path, tokenizer_path);
    }
    fail(LQ_ERR_UNSUPPORTED, "'%s' is neither a GGUF file nor a llama2.c checkpoint", path.c_str());
}

}  // namespace lq
