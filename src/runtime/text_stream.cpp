#include "runtime/text_stream.h"

#include <algorithm>

#include "core/utf8.h"

namespace lq {

TextStream::TextStream(std::vector<std::string> stop_strings) : stops_(std::move(stop_strings)) {
    stops_.erase(std::remove(stops_.begin(), stops_.end(), std::string()), stops_.end());
}

std::string TextStream::push(std::string_view piece) {
    if (stopped_) return std::string();
    pending_.append(piece.data(), piece.size());

    // A complete stop string ends generation; the text before it is released.
    size_t earliest = std::string::npos;
    for (const std::string &stop : stops_) earliest = std::min(earliest, pending_.find(stop));
    if (earliest != std::string::npos) {
        stopped_ = true;
        std::string out = pending_.substr(0, earliest);
        pending_.clear();
        return out;
    }

    // Hold back the longest tail that could still grow into a stop string.
    size_t hold = 0;
    for (const std::string &stop : stops_) {
        const size_t max_len = std::min(stop.size() - 1, pending_.size());
        for (size_t len = max_len; len > hold; --len) {
            if (pending_.compare(pending_.size() - len, len, stop, 0, len) == 0) {
                hold = len;
                break;
            }
        }
    }
    // And any incomplete UTF-8 character at the end.
    const size_t releasable = pending_.size() - hold;
    const size_t incomplete = utf8_incomplete_tail(std::string_view(pending_).substr(0, releasable));
    const size_t emit = releasable - incomplete;
    std::string out = pending_.substr(0, emit);
    pending_.erase(0, emit);
    return out;
}

std::string TextStream::flush() {
    std::string out;
    out.swap(pending_);
    return out;
}

}  // namespace lq
