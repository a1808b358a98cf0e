// The file `lq perplexity --kld-base` writes and `--kld` reads: the
// evaluated token chunks and, for every scored position, the full
// log-probability distribution of the base (full-precision) model.
//
// Layout (little-endian):
//   header   "LQKLD001", u32 n_vocab, u32 n_ctx, u32 n_chunks, u32 first
//            (first scored position of a chunk), u32 compressed (1: zstd)
//   tokens   int32 x n_chunks x n_ctx (the chunks as evaluated, BOS first)
//   records  per chunk, per scored position (first .. n_ctx - 2):
//            f32 min_log_prob, f32 step, u16 x n_vocab, where a log
//            probability is min_log_prob + step * value
// Everything after the header is one zstd stream when compressed. Log
// probabilities below -30 are stored as -30 (probability under 1e-13).
// The 16-bit encoding keeps every log probability within step/2 of its value
// (step = |min_log_prob| / 65535, at most 4.6e-4).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace lq_cli {

struct KldHeader {
    uint32_t n_vocab = 0;
    uint32_t n_ctx = 0;
    uint32_t n_chunks = 0;
    uint32_t first = 0;
    uint32_t compressed = 0;
};

class KldWriter {
public:
    /// Creates @p path and writes the header and all chunk tokens.
    KldWriter(const std::string &path, const KldHeader &header, const std::vector<int32_t> &tokens);
    ~KldWriter();
    /// Appends the record of one scored position from raw @p logits.
    void write_position(const float *logits);
    /// Flushes and closes; throws Failure on a write error.
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class KldReader {
public:
    /// Opens @p path and reads the header and tokens.
    explicit KldReader(const std::string &path);
    ~KldReader();
    const KldHeader &header() const;
    const std::vector<int32_t> &tokens() const;
    /// Reads the next record into log_probs (n_vocab entries).
    void read_position(std::vector<float> &log_probs);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Whether this build writes compressed files.
bool kld_compression_available();

}  // namespace lq_cli
