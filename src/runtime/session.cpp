#include "runtime/session.h"

#include <cstring>
#include <string>

#if defined(LQ_HAVE_ZSTD)
#include <zstd.h>
#endif

#include "core/error.h"
#include "core/hash.h"
#include "core/types.h"
#include "runtime/context.h"

namespace lq {
namespace {

constexpr char kMagic[8] = {'L', 'Q', 'S', 'E', 'S', 'S', 'N', '\0'};
constexpr uint32_t kVersion = 1;
constexpr uint32_t kCompressed = 1u << 0;
constexpr size_t kHeaderBytes = 8 + 4 * 2 + 8 + 4 * 4 + 8 * 2;  // magic .. kv_size

struct Header {
    uint32_t version = kVersion;
    uint32_t flags = 0;
    uint64_t fingerprint = 0;
    uint32_t kv_type = 0;
    uint32_t n_layer = 0;
    uint32_t n_embd_kv = 0;
    uint32_t n_tokens = 0;
    uint64_t payload_bytes = 0;
    uint64_t kv_bytes = 0;
};

template <typename T>
void put(std::vector<uint8_t> &out, T value) {
    const auto *p = reinterpret_cast<const uint8_t *>(&value);
    out.insert(out.end(), p, p + sizeof value);
}

template <typename T>
T get(const uint8_t *&p) {
    T value;
    std::memcpy(&value, p, sizeof value);
    p += sizeof value;
    return value;
}

size_t expected_kv_bytes(const Context &context, uint32_t n) {
    const HParams &hp = context.model().hparams();
    return 2 * size_t(hp.n_layer) * n * row_bytes(*type_info(context.kv_type()), hp.n_embd_kv());
}

}  // namespace

std::vector<uint8_t> save_session(Context &context) {
    std::vector<uint8_t> kv;
    context.export_kv(kv);
    const std::vector<int32_t> &tokens = context.tokens();
    const HParams &hp = context.model().hparams();

    std::vector<uint8_t> out(kMagic, kMagic + 8);
    Header h;
    h.fingerprint = context.model().fingerprint();
    h.kv_type = static_cast<uint32_t>(context.kv_type());
    h.n_layer = hp.n_layer;
    h.n_embd_kv = hp.n_embd_kv();
    h.n_tokens = static_cast<uint32_t>(tokens.size());
    h.kv_bytes = kv.size();
    std::vector<uint8_t> payload;
#if defined(LQ_HAVE_ZSTD)
    payload.resize(ZSTD_compressBound(kv.size()));
    const size_t packed = ZSTD_compress(payload.data(), payload.size(), kv.data(), kv.size(), 1);
    if (ZSTD_isError(packed)) fail(LQ_ERR_INTERNAL, "zstd: %s", ZSTD_getErrorName(packed));
    payload.resize(packed);
    h.flags |= kCompressed;
#else
    payload.swap(kv);
#endif
    h.payload_bytes = payload.size();
    put(out, h.version);
    put(out, h.flags);
    put(out, h.fingerprint);
    put(out, h.kv_type);
    put(out, h.n_layer);
    put(out, h.n_embd_kv);
    put(out, h.n_tokens);
    put(out, h.payload_bytes);
    put(out, h.kv_bytes);
    for (int32_t t : tokens) put(out, t);
    out.insert(out.end(), payload.begin(), payload.end());
    put(out, Hash64().update(out.data(), out.size()).digest());
    return out;
}

void load_session(Context &context, const uint8_t *data, size_t size) {
    if (size < kHeaderBytes || std::memcmp(data, kMagic, 8) != 0)
        fail(LQ_ERR_MODEL_FORMAT, "not a libquant session (no LQSESSN header)");
    // The checksum covers everything before it, whatever the version.
    uint64_t stored_checksum;
    std::memcpy(&stored_checksum, data + size - 8, 8);
    if (Hash64().update(data, size - 8).digest() != stored_checksum)
        fail(LQ_ERR_MODEL_FORMAT, "the session is corrupt or truncated (checksum mismatch)");
    const uint8_t *p = data + 8;
    Header h;
    h.version = get<uint32_t>(p);
    h.flags = get<uint32_t>(p);
    if (h.version != kVersion)
        fail(LQ_ERR_UNSUPPORTED, "session version %u; this libquant reads version %u", h.version, kVersion);
    h.fingerprint = get<uint64_t>(p);
    h.kv_type = get<uint32_t>(p);
    h.n_layer = get<uint32_t>(p);
    h.n_embd_kv = get<uint32_t>(p);
    h.n_tokens = get<uint32_t>(p);
    h.payload_bytes = get<uint64_t>(p);
    h.kv_bytes = get<uint64_t>(p);
    // The exact size, computed without overflow: header, tokens, payload, checksum.
    const uint64_t rest = size - kHeaderBytes;
    const uint64_t token_bytes = uint64_t(h.n_tokens) * 4;
    if (token_bytes > rest || h.payload_bytes > rest - token_bytes || rest - token_bytes - h.payload_bytes != 8)
        fail(LQ_ERR_MODEL_FORMAT, "the session is truncated or has trailing bytes (%zu bytes for %u tokens and a "
             "%llu-byte cache)", size, h.n_tokens, static_cast<unsigned long long>(h.payload_bytes));
    if (h.fingerprint != context.model().fingerprint())
        fail(LQ_ERR_TYPE_MISMATCH, "the session was saved with another model");
    if (h.kv_type != static_cast<uint32_t>(context.kv_type()))
        fail(LQ_ERR_TYPE_MISMATCH, "the session's cache is %s; this context's is %s",
             type_name(static_cast<TensorType>(h.kv_type)), type_name(context.kv_type()));
    const HParams &hp = context.model().hparams();
    if (h.n_layer != hp.n_layer || h.n_embd_kv != hp.n_embd_kv())
        fail(LQ_ERR_MODEL_FORMAT, "the session's cache shape (%u layers x %u) is not the model's", h.n_layer,
             h.n_embd_kv);
    if (h.n_tokens > context.n_ctx())
        fail(LQ_ERR_CONTEXT_FULL, "the session holds %u positions but the context only %u", h.n_tokens,
             context.n_ctx());
    if (h.kv_bytes != expected_kv_bytes(context, h.n_tokens))
        fail(LQ_ERR_MODEL_FORMAT, "the session's cache has %llu bytes; %u positions take %zu",
             static_cast<unsigned long long>(h.kv_bytes), h.n_tokens, expected_kv_bytes(context, h.n_tokens));

    std::vector<int32_t> tokens(h.n_tokens);
    const int32_t n_vocab = static_cast<int32_t>(context.model().n_vocab());
    for (int32_t &t : tokens) {
        t = get<int32_t>(p);
        if (t < 0 || t >= n_vocab) fail(LQ_ERR_MODEL_FORMAT, "the session holds token %d, outside the vocabulary", t);
    }
    std::vector<uint8_t> kv;
    if (h.flags & kCompressed) {
#if defined(LQ_HAVE_ZSTD)
        kv.resize(h.kv_bytes);
        const size_t unpacked = ZSTD_decompress(kv.data(), kv.size(), p, h.payload_bytes);
        if (ZSTD_isError(unpacked) || unpacked != h.kv_bytes)
            fail(LQ_ERR_MODEL_FORMAT, "the session's cache does not decompress: %s",
                 ZSTD_isError(unpacked) ? ZSTD_getErrorName(unpacked) : "wrong size");
#else
        fail(LQ_ERR_UNSUPPORTED, "the session is zstd-compressed; this libquant was built without zstd");
#endif
    } else {
        if (h.payload_bytes != h.kv_bytes) fail(LQ_ERR_MODEL_FORMAT, "the session's cache has the wrong size");
        kv.assign(p, p + h.payload_bytes);
    }
    context.import_state(tokens, kv.data(), kv.size());
}

}  // namespace lq
