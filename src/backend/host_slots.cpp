#include "backend/host_slots.h"

#include <cstring>
#include <new>

#include "core/error.h"

namespace lq::backend {

HostSlots::HostSlots(const ActivationPlan &plan, float *const *lent) {
    owned_.reserve(kSlotCount);
    for (size_t s = 0; s < kSlotCount; ++s) {
        if (lent && lent[s]) {
            slots_[s] = lent[s];
            continue;
        }
        const size_t n = static_cast<size_t>(plan.n_batch) * plan.width[s];
        if (n == 0) continue;
        try {
            owned_.emplace_back(n);
        } catch (const std::bad_alloc &) {
            fail(LQ_ERR_OOM, "cannot allocate %zu MiB of activations", n * sizeof(float) >> 20);
        }
        slots_[s] = owned_.back().data();
    }
}

void HostSlots::download(const View &view, uint32_t n_rows, float *host) const {
    for (uint32_t t = 0; t < n_rows; ++t)
        std::memcpy(host + static_cast<size_t>(t) * view.cols, at(view, t), view.cols * sizeof(float));
}

void HostSlots::upload(const float *host, const View &view, uint32_t n_rows) const {
    for (uint32_t t = 0; t < n_rows; ++t)
        std::memcpy(at(view, t), host + static_cast<size_t>(t) * view.cols, view.cols * sizeof(float));
}

}  // namespace lq::backend
