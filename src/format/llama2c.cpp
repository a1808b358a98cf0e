#include "format/llama2c.h"

#include <cstring>

#include "core/error.h"

namespace lq {
namespace {

constexpr uint32_t kMagic = 0x616b3432;  // "ak42"
constexpr size_t kVersion1HeaderBytes = 256;

int32_t read_i32(const uint8_t *p) {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

void check_config(const Llama2cConfig &c) {
    auto bad = [](const char *field, uint64_t v) {
        fail(LQ_ERR_MODEL_FORMAT, "llama2.c checkpoint: implausible %s = %llu", field, static_cast<unsigned long long>(v));
    };
    if (c.dim == 0 || c.dim > (1u << 16)) bad("dim", c.dim);
    if (c.hidden_dim == 0 || c.hidden_dim > (1u << 18)) bad("hidden_dim", c.hidden_dim);
    if (c.n_layers == 0 || c.n_layers > 1024) bad("n_layers", c.n_layers);
    if (c.n_heads == 0 || c.dim % c.n_heads != 0 || c.head_size() % 2 != 0) bad("n_heads", c.n_heads);
    if (c.n_kv_heads == 0 || c.n_heads % c.n_kv_heads != 0) bad("n_kv_heads", c.n_kv_heads);
    if (c.vocab_size == 0 || c.vocab_size > (1u << 22)) bad("vocab_size", c.vocab_size);
    if (c.seq_len == 0 || c.seq_len > (1u << 24)) bad("seq_len", c.seq_len);
}

// Hands out consecutive F32 arrays of the checkpoint, checking each fits.
class FloatCursor {
public:
    FloatCursor(const MappedFile &file, size_t offset) : file_(file), offset_(offset) {}

    const float *take(uint64_t count, const char *what) {
        const uint64_t bytes = count * sizeof(float);
        if (offset_ > file_.size() || bytes > file_.size() - offset_)
            fail(LQ_ERR_MODEL_FORMAT, "llama2.c checkpoint: file ends inside %s (offset %zu, file %zu bytes)", what,
                 offset_, file_.size());
        const float *p = reinterpret_cast<const float *>(file_.data() + offset_);
        offset_ += static_cast<size_t>(bytes);
        return p;
    }
    void skip(uint64_t count, const char *what) { take(count, what); }
    size_t offset() const { return offset_; }

private:
    const MappedFile &file_;
    size_t offset_;
};

}  // namespace

bool looks_like_llama2c(const uint8_t *data, size_t size) {
    if (size >= kVersion1HeaderBytes && read_i32(data) == static_cast<int32_t>(kMagic)) return true;
    if (size < 28) return false;
    // Legacy files start with seven small positive integers (vocab may be negative).
    for (int i = 0; i < 7; ++i) {
        const int32_t v = read_i32(data + 4 * i);
        if (i == 5 ? (v == 0) : (v <= 0)) return false;
        if (v > (1 << 24) || v < -(1 << 24)) return false;
    }
    return true;
}

Llama2cWeights read_llama2c_checkpoint(const MappedFile &file) {
    const uint8_t *data = file.data();
    if (!looks_like_llama2c(data, file.size()))
        fail(LQ_ERR_MODEL_FORMAT, "not a llama2.c checkpoint (neither the 'ak42' header nor a plausible legacy header)");
    Llama2cWeights w;
    Llama2cConfig &c = w.config;
    size_t header = 28;
    const uint8_t *fields = data;
    if (read_i32(data) == static_cast<int32_t>(kMagic)) {
        c.version = static_cast<uint32_t>(read_i32(data + 4));
        if (c.version != 1)
            fail(LQ_ERR_UNSUPPORTED, "llama2.c checkpoint version %u is not supported (legacy and version 1 are)",
                 c.version);
        fields = data + 8;
        header = kVersion1HeaderBytes;
    }
    c.dim = static_cast<uint32_t>(read_i32(fields));
    c.hidden_dim = static_cast<uint32_t>(read_i32(fields + 4));
    c.n_layers = static_cast<uint32_t>(read_i32(fields + 8));
    c.n_heads = static_cast<uint32_t>(read_i32(fields + 12));
    c.n_kv_heads = static_cast<uint32_t>(read_i32(fields + 16));
    const int32_t vocab = read_i32(fields + 20);
    c.seq_len = static_cast<uint32_t>(read_i32(fields + 24));
    if (c.version == 1) {
        c.vocab_size = static_cast<uint32_t>(vocab);
        c.shared_classifier = data[36] != 0;
    } else {
        c.shared_classifier = vocab > 0;
        c.vocab_size = static_cast<uint32_t>(vocab > 0 ? vocab : -static_cast<int64_t>(vocab));
    }
    check_config(c);

    const uint64_t dim = c.dim, hidden = c.hidden_dim, kv = c.kv_dim(), L = c.n_layers;
    FloatCursor cur(file, header);
    auto per_layer = [&](std::vector<const float *> &out, uint64_t count, const char *what) {
        for (uint64_t l = 0; l < L; ++l) out.push_back(cur.take(count, what));
    };
    if (c.version == 0) {
        w.token_embedding = cur.take(c.vocab_size * dim, "token_embedding");
        per_layer(w.rms_att, dim, "rms_att");
        per_layer(w.wq, dim * dim, "wq");
        per_layer(w.wk, kv * dim, "wk");
        per_layer(w.wv, kv * dim, "wv");
        per_layer(w.wo, dim * dim, "wo");
        per_layer(w.rms_ffn, dim, "rms_ffn");
        per_layer(w.w1, hidden * dim, "w1");
        per_layer(w.w2, dim * hidden, "w2");
        per_layer(w.w3, hidden * dim, "w3");
        w.rms_final = cur.take(dim, "rms_final");
        const uint64_t rope_table = static_cast<uint64_t>(c.seq_len) * (c.head_size() / 2);
        cur.skip(2 * rope_table, "freq_cis");  // precomputed RoPE tables, recomputed at run time
    } else {
        per_layer(w.rms_att, dim, "rms_att");
        per_layer(w.rms_ffn, dim, "rms_ffn");
        w.rms_final = cur.take(dim, "rms_final");
        w.token_embedding = cur.take(c.vocab_size * dim, "token_embedding");
        per_layer(w.wq, dim * dim, "wq");
        per_layer(w.wk, kv * dim, "wk");
        per_layer(w.wv, kv * dim, "wv");
        per_layer(w.wo, dim * dim, "wo");
        per_layer(w.w1, hidden * dim, "w1");
        per_layer(w.w2, dim * hidden, "w2");
        per_layer(w.w3, hidden * dim, "w3");
    }
    w.classifier = c.shared_classifier ? w.token_embedding : cur.take(c.vocab_size * dim, "classifier");
    if (cur.offset() != file.size())
        fail(LQ_ERR_MODEL_FORMAT, "llama2.c checkpoint: %zu bytes left over after the weights (file %zu bytes)",
             file.size() - cur.offset(), file.size());
    return w;
}

std::vector<Llama2cToken> read_llama2c_tokenizer(const MappedFile &file, uint32_t vocab_size) {
    const uint8_t *p = file.data();
    const size_t size = file.size();
    if (size < 4) fail(LQ_ERR_MODEL_FORMAT, "llama2.c tokenizer: file is too short");
    const int32_t max_length = read_i32(p);
    if (max_length <= 0 || max_length > 4096)
        fail(LQ_ERR_MODEL_FORMAT, "llama2.c tokenizer: implausible max token length %d", max_length);
    size_t offset = 4;
    std::vector<Llama2cToken> tokens(vocab_size);
    for (uint32_t i = 0; i < vocab_size; ++i) {
        if (size - offset < 8) fail(LQ_ERR_MODEL_FORMAT, "llama2.c tokenizer: file ends at token %u of %u", i, vocab_size);
        std::memcpy(&tokens[i].score, p + offset, 4);
        const int32_t length = read_i32(p + offset + 4);
        offset += 8;
        if (length < 0 || length > max_length || static_cast<size_t>(length) > size - offset)
            fail(LQ_ERR_MODEL_FORMAT, "llama2.c tokenizer: token %u has a bad length %d (offset %zu)", i, length, offset - 4);
        tokens[i].text.assign(reinterpret_cast<const char *>(p + offset), static_cast<size_t>(length));
        offset += static_cast<size_t>(length);
    }
    if (offset != size)
        fail(LQ_ERR_MODEL_FORMAT, "llama2.c tokenizer: %zu bytes left after %u tokens (is the vocabulary size right?)",
             size - offset, vocab_size);
    return tokens;
}

}  // namespace lq
