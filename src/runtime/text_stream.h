// Turns the byte pieces of generated tokens into text that is safe to hand
// to a caller as it arrives:
//  - a multi-byte UTF-8 character split across tokens is held back until
//    its last byte arrives;
//  - text that might be the start of a stop string is held back until it
//    is known not to be one; a stop string itself is never emitted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lq {

class TextStream {
public:
    explicit TextStream(std::vector<std::string> stop_strings);

    /// Adds the bytes of one token. Returns the text that may be emitted now
    /// (possibly empty). Once stopped() is true, nothing more is accepted.
    std::string push(std::string_view piece);

    /// Everything still held back, at the end of generation (may end in an
    /// incomplete UTF-8 sequence if the model produced one).
    std::string flush();

    /// True once a stop string has appeared.
    bool stopped() const { return stopped_; }

private:
    std::vector<std::string> stops_;
    std::string pending_;
    bool stopped_ = false;
};

}  // namespace lq
