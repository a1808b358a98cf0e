// Where the weights to quantize (or convert) come from. Every input format
// is one implementation of WeightSource: GGUF files (any tensor type),
// llama2.c checkpoints with their tokenizer. A new format (a Hugging Face
// safetensors folder, say) is one more implementation: it names the
// tensors in GGUF's conventions, writes the GGUF metadata of the model, and
// reads rows as F32.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/types.h"
#include "format/gguf.h"
#include "format/gguf_writer.h"

namespace lq {

class WeightSource {
public:
    struct Tensor {
        std::string name;   // GGUF naming: "blk.3.attn_q.weight"
        TensorType type;    // as stored
        uint32_t n_dims;
        uint64_t ne[kGgufMaxDims];

        uint64_t cols() const { return ne[0]; }
        uint64_t rows() const { return ne[1] * ne[2] * ne[3]; }
        uint64_t elements() const { return cols() * rows(); }
    };

    virtual ~WeightSource() = default;

    /// A short description for messages ("GGUF", "llama2.c checkpoint").
    virtual const char *format_name() const = 0;

    /// The tensors, in the order they are to be written.
    virtual const std::vector<Tensor> &tensors() const = 0;

    /// Writes every metadata entry of the model (architecture, hyper-
    /// parameters, vocabulary) into @p writer. general.file_type and the
    /// quantization entries are the caller's to set.
    virtual void write_metadata(GgufWriter &writer) const = 0;

    /// Reads rows [first, first + count) of tensor @p index as F32
    /// (count * cols floats). Thread-safe.
    virtual void read_rows(size_t index, uint64_t first, uint64_t count, float *out) const = 0;

    /// The bytes of tensor @p index exactly as stored, to copy a tensor whose
    /// type does not change; nullptr when the source cannot provide them.
    virtual const uint8_t *stored_bytes(size_t index) const = 0;

    /// A GGUF file holding this model that Model::load() can run (to collect
    /// calibration statistics): the input itself, or a temporary conversion
    /// that the source deletes when it is destroyed. Throws when impossible.
    virtual std::string runnable_gguf_path(const std::string &scratch_path) const = 0;
};

/// Opens @p path: a GGUF file, or a llama2.c checkpoint (which needs
/// @p tokenizer_path). Throws LQ_ERR_UNSUPPORTED for other formats.
std::unique_ptr<WeightSource> open_weight_source(const std::string &path, const std::string &tokenizer_path);

}  // namespace lq
