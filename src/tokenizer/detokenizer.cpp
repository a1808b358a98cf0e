#include "tokenizer/detokenizer.h"

#include "core/utf8.h"

namespace lq {

StreamingDetokenizer::Step StreamingDetokenizer::prepare(int32_t token) const {
    Step step;
    step.state = state_;
    step.ready = pending_;
    vocab_.decode_token(token, flags_, step.state, step.ready);
    const size_t held = utf8_incomplete_tail(step.ready);
    step.pending.assign(step.ready, step.ready.size() - held, held);
    step.ready.resize(step.ready.size() - held);
    return step;
}

void StreamingDetokenizer::commit(Step &&step) {
    pending_ = std::move(step.pending);
    state_ = step.state;
}

std::string StreamingDetokenizer::push(int32_t token) {
    Step step = prepare(token);
    std::string ready = std::move(step.ready);
    commit(std::move(step));
    return ready;
}

std::string StreamingDetokenizer::flush() {
    std::string rest = std::move(pending_);
    pending_.clear();
    state_ = DecodeState();
    return rest;
}

}  // namespace lq
