// WeightSource over a GGUF file: any tensor type libquant can decode.
#include <cstring>

#include "backends/cpu/cpu_kernels.h"
#include "core/error.h"
#include "format/mapped_file.h"
#include "quantize/sources.h"

namespace lq {
namespace {

class GgufSource final : public WeightSource {
public:
    explicit GgufSource(const std::string &path) : path_(path), file_(path, true) {
        gguf_ = GgufFile::parse(file_.data(), file_.size());
        for (const GgufTensor &t : gguf_.tensors()) {
            Tensor tensor{std::string(t.name), t.type, t.n_dims, {t.ne[0], t.ne[1], t.ne[2], t.ne[3]}};
            tensors_.push_back(tensor);
        }
    }

    const char *format_name() const override { return "GGUF"; }
    const std::vector<Tensor> &tensors() const override { return tensors_; }

    void write_metadata(GgufWriter &writer) const override {
        for (const GgufKv &kv : gguf_.kvs()) {
            if (kv.key == "general.file_type" || kv.key == "general.quantization_version") continue;
            writer.set_value(kv.key, kv.value);
        }
    }

    void read_rows(size_t index, uint64_t first, uint64_t count, float *out) const override {
        const GgufTensor &t = gguf_.tensors()[index];
        const QuantKernels *k = cpu::cpu_kernels(t.type);  // the SIMD decoders where there are some
        if (!k) fail(LQ_ERR_UNSUPPORTED, "tensor '%s' has type %s, which libquant cannot decode", tensors_[index].name.c_str(),
                     type_name(t.type));
        const size_t row_size = row_bytes(*type_info(t.type), t.ne[0]);
        for (uint64_t r = 0; r < count; ++r)
            k->to_float(t.data + (first + r) * row_size, out + r * t.ne[0], static_cast<int64_t>(t.ne[0]));
    }

    const uint8_t *stored_bytes(size_t index) const override { return gguf_.tensors()[index].data; }

    std::string runnable_gguf_path(const std::string &) const override { return path_; }

private:
    std::string path_;
    MappedFile file_;
    GgufFile gguf_;
    std::vector<Tensor> tensors_;
};

}  // namespace

std::unique_ptr<WeightSource> open_gguf_source(const std::string &path) {
    return std::make_unique<GgufSource>(path);
}

bool is_gguf_file(const std::string &path) {
    MappedFile file(path, true);
    return file.size() >= 4 && std::memcmp(file.data(), "GGUF", 4) == 0;
}

}  // namespace lq
