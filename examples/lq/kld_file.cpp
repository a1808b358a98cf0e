#include "kld_file.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "cli.h"

#if LQ_CLI_HAVE_ZSTD
#include <zstd.h>
#endif

namespace lq_cli {
namespace {

constexpr char kMagic[8] = {'L', 'Q', 'K', 'L', 'D', '0', '0', '1'};
constexpr float kFloorLogProb = -30.0f;

void write_all(std::FILE *f, const void *data, size_t size, const std::string &path) {
    if (size && std::fwrite(data, 1, size, f) != size)
        throw Failure("cannot write '" + path + "': " + std::strerror(errno));
}

void read_all(std::FILE *f, void *data, size_t size, const std::string &path) {
    if (size && std::fread(data, 1, size, f) != size) throw Failure("'" + path + "' is truncated or unreadable");
}

// log_softmax(logits) encoded as (min, step, u16 values).
void encode(const float *logits, uint32_t n_vocab, std::vector<uint8_t> &out) {
    float max_logit = logits[0];
    for (uint32_t i = 1; i < n_vocab; ++i) max_logit = std::max(max_logit, logits[i]);
    double sum = 0.0;
    for (uint32_t i = 0; i < n_vocab; ++i) sum += std::exp(static_cast<double>(logits[i]) - max_logit);
    const double log_sum = std::log(sum);
    float min_log_prob = 0.0f;
    for (uint32_t i = 0; i < n_vocab; ++i)
        min_log_prob = std::min(min_log_prob, static_cast<float>(logits[i] - max_logit - log_sum));
    min_log_prob = std::max(min_log_prob, kFloorLogProb);
    const float step = min_log_prob < 0.0f ? -min_log_prob / 65535.0f : 1.0f;
    out.resize(8 + 2 * static_cast<size_t>(n_vocab));
    std::memcpy(out.data(), &min_log_prob, 4);
    std::memcpy(out.data() + 4, &step, 4);
    for (uint32_t i = 0; i < n_vocab; ++i) {
        const double log_prob = std::max<double>(logits[i] - max_logit - log_sum, min_log_prob);
        const double q = std::round((log_prob - min_log_prob) / step);
        const uint16_t v = static_cast<uint16_t>(std::min(65535.0, std::max(0.0, q)));
        std::memcpy(out.data() + 8 + 2 * i, &v, 2);
    }
}

}  // namespace

bool kld_compression_available() { return LQ_CLI_HAVE_ZSTD != 0; }

struct KldWriter::Impl {
    std::string path;
    std::FILE *file = nullptr;
    KldHeader header;
    std::vector<uint8_t> record;
#if LQ_CLI_HAVE_ZSTD
    ZSTD_CCtx *zstd = nullptr;
    std::vector<uint8_t> compressed;
#endif

    void put(const void *data, size_t size, bool flush_end = false) {
#if LQ_CLI_HAVE_ZSTD
        if (zstd) {
            ZSTD_inBuffer in{data, size, 0};
            const ZSTD_EndDirective mode = flush_end ? ZSTD_e_end : ZSTD_e_continue;
            for (;;) {
                ZSTD_outBuffer out{compressed.data(), compressed.size(), 0};
                const size_t left = ZSTD_compressStream2(zstd, &out, &in, mode);
                if (ZSTD_isError(left)) throw Failure(std::string("compression failed: ") + ZSTD_getErrorName(left));
                write_all(file, compressed.data(), out.pos, path);
                if (flush_end ? left == 0 : in.pos == in.size) break;
            }
            return;
        }
#endif
        (void)flush_end;
        write_all(file, data, size, path);
    }
};

KldWriter::KldWriter(const std::string &path, const KldHeader &header, const std::vector<int32_t> &tokens)
    : impl_(new Impl()) {
    impl_->path = path;
    impl_->header = header;
    impl_->header.compressed = kld_compression_available() ? 1 : 0;
    impl_->file = std::fopen(path.c_str(), "wb");
    if (!impl_->file) throw Failure("cannot create '" + path + "': " + std::strerror(errno));
    write_all(impl_->file, kMagic, sizeof kMagic, path);
    const uint32_t fields[5] = {header.n_vocab, header.n_ctx, header.n_chunks, header.first, impl_->header.compressed};
    write_all(impl_->file, fields, sizeof fields, path);
#if LQ_CLI_HAVE_ZSTD
    impl_->zstd = ZSTD_createCCtx();
    if (!impl_->zstd) throw Failure("cannot create a zstd context");
    ZSTD_CCtx_setParameter(impl_->zstd, ZSTD_c_compressionLevel, 3);
    impl_->compressed.resize(ZSTD_CStreamOutSize());
#endif
    impl_->put(tokens.data(), tokens.size() * sizeof(int32_t));
}

KldWriter::~KldWriter() {
#if LQ_CLI_HAVE_ZSTD
    if (impl_->zstd) ZSTD_freeCCtx(impl_->zstd);
#endif
    if (impl_->file) std::fclose(impl_->file);
}

void KldWriter::write_position(const float *logits) {
    encode(logits, impl_->header.n_vocab, impl_->record);
    impl_->put(impl_->record.data(), impl_->record.size());
}

void KldWriter::finish() {
    impl_->put(nullptr, 0, true);
    const bool ok = std::fclose(impl_->file) == 0;
    impl_->file = nullptr;
    if (!ok) throw Failure("cannot write '" + impl_->path + "'");
}

struct KldReader::Impl {
    std::string path;
    std::FILE *file = nullptr;
    KldHeader header;
    std::vector<int32_t> tokens;
    std::vector<uint8_t> record;
#if LQ_CLI_HAVE_ZSTD
    ZSTD_DCtx *zstd = nullptr;
    std::vector<uint8_t> input;
    size_t input_pos = 0, input_size = 0;
#endif

    void get(void *data, size_t size) {
#if LQ_CLI_HAVE_ZSTD
        if (zstd) {
            ZSTD_outBuffer out{data, size, 0};
            while (out.pos < out.size) {
                if (input_pos == input_size) {
                    input_size = std::fread(input.data(), 1, input.size(), file);
                    input_pos = 0;
                    if (input_size == 0) throw Failure("'" + path + "' is truncated");
                }
                ZSTD_inBuffer in{input.data(), input_size, input_pos};
                const size_t r = ZSTD_decompressStream(zstd, &out, &in);
                if (ZSTD_isError(r)) throw Failure("'" + path + "' is corrupt: " + ZSTD_getErrorName(r));
                input_pos = in.pos;
            }
            return;
        }
#endif
        read_all(file, data, size, path);
    }
};

KldReader::KldReader(const std::string &path) : impl_(new Impl()) {
    impl_->path = path;
    impl_->file = std::fopen(path.c_str(), "rb");
    if (!impl_->file) throw Failure("cannot open '" + path + "': " + std::strerror(errno));
    char magic[8];
    read_all(impl_->file, magic, sizeof magic, path);
    if (std::memcmp(magic, kMagic, sizeof magic) != 0) throw Failure("'" + path + "' is not an lq KL-divergence base file");
    uint32_t fields[5];
    read_all(impl_->file, fields, sizeof fields, path);
    KldHeader &h = impl_->header;
    h.n_vocab = fields[0];
    h.n_ctx = fields[1];
    h.n_chunks = fields[2];
    h.first = fields[3];
    h.compressed = fields[4];
    if (h.n_vocab == 0 || h.n_vocab > (1u << 24) || h.n_ctx < 2 || h.n_ctx > (1u << 24) || h.first >= h.n_ctx ||
        h.n_chunks == 0 || static_cast<uint64_t>(h.n_chunks) * h.n_ctx > (1ull << 32) || h.compressed > 1)
        throw Failure("'" + path + "' has an implausible header");
    if (h.compressed) {
#if LQ_CLI_HAVE_ZSTD
        impl_->zstd = ZSTD_createDCtx();
        impl_->input.resize(ZSTD_DStreamInSize());
#else
        throw Failure("'" + path + "' is compressed with zstd, which this build of lq lacks");
#endif
    }
    impl_->tokens.resize(static_cast<size_t>(h.n_chunks) * h.n_ctx);
    impl_->get(impl_->tokens.data(), impl_->tokens.size() * sizeof(int32_t));
}

KldReader::~KldReader() {
#if LQ_CLI_HAVE_ZSTD
    if (impl_->zstd) ZSTD_freeDCtx(impl_->zstd);
#endif
    if (impl_->file) std::fclose(impl_->file);
}

const KldHeader &KldReader::header() const { return impl_->header; }
const std::vector<int32_t> &KldReader::tokens() const { return impl_->tokens; }

void KldReader::read_position(std::vector<float> &log_probs) {
    const uint32_t n_vocab = impl_->header.n_vocab;
    impl_->record.resize(8 + 2 * static_cast<size_t>(n_vocab));
    impl_->get(impl_->record.data(), impl_->record.size());
    float min_log_prob, step;
    std::memcpy(&min_log_prob, impl_->record.data(), 4);
    std::memcpy(&step, impl_->record.data() + 4, 4);
    log_probs.resize(n_vocab);
    for (uint32_t i = 0; i < n_vocab; ++i) {
        uint16_t v;
        std::memcpy(&v, impl_->record.data() + 8 + 2 * i, 2);
        log_probs[i] = min_log_prob + step * v;
    }
}

}  // namespace lq_cli
