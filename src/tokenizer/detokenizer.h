// Streaming detokenization for generation: tokens arrive one at a time and
// text leaves as soon as it is complete UTF-8.
//
// A token may end in the middle of a multi-byte character (byte-fallback
// tokens, byte-level BPE pieces); those trailing bytes are held back until
// the rest arrives. Bytes that can no longer become a valid character are
// passed through as they are. The concatenation of everything push() and
// flush() return equals Vocab::detokenize() of the same tokens with the same
// flags.
//
// One StreamingDetokenizer is used by one thread at a time.
#pragma once

#include <cstdint>
#include <string>

#include "tokenizer/vocab.h"

namespace lq {

class StreamingDetokenizer {
public:
    /// @p flags are DetokenizeFlag bits. @p vocab must outlive this object.
    StreamingDetokenizer(const Vocab &vocab, uint32_t flags) : vocab_(vocab), flags_(flags) {}

    /// The outcome of adding one token, not yet applied (see commit()).
    struct Step {
        std::string ready;    // bytes to hand out now
        std::string pending;  // bytes held back
        DecodeState state;
    };

    /// Decodes @p token without changing this object. Throws
    /// LQ_ERR_INVALID_ARGUMENT for an invalid token id.
    Step prepare(int32_t token) const;
    /// Applies a prepared step.
    void commit(Step &&step);
    /// prepare() and commit() in one: the bytes ready now.
    std::string push(int32_t token);

    /// Bytes still held back (an incomplete character at the end of the stream).
    const std::string &pending() const { return pending_; }
    /// Ends the sequence: returns the held-back bytes and starts afresh, as
    /// if newly created.
    std::string flush();

private:
    const Vocab &vocab_;
    uint32_t flags_;
    DecodeState state_;
    std::string pending_;
};

}  // namespace lq
