// Host memory for the activation slots of a plan, as the executors whose
// memory is host memory (the CPU's, oneDNN's) hold it: slot s is n_batch
// rows of width[s] floats, allocated here or lent by another executor (the
// CPU fallback works in place on its primary's slots).
#pragma once

#include <vector>

#include "backend/backend.h"

namespace lq::backend {

class HostSlots {
public:
    /// Allocates every slot of @p plan with a width, except those that
    /// @p lent (kSlotCount pointers, or null) provides. Throws LQ_ERR_OOM.
    explicit HostSlots(const ActivationPlan &plan, float *const *lent = nullptr);

    float *slot(Slot s) const { return slots_[static_cast<size_t>(s)]; }
    /// The first element of row @p row of @p view.
    float *at(const View &view, uint32_t row = 0) const {
        return slots_[static_cast<size_t>(view.slot)] + static_cast<size_t>(row) * view.ld + view.col0;
    }

    /// Copies @p n_rows rows of @p view into (from) dense host rows.
    void download(const View &view, uint32_t n_rows, float *host) const;
    void upload(const float *host, const View &view, uint32_t n_rows) const;

private:
    std::vector<std::vector<float>> owned_;
    float *slots_[kSlotCount] = {};
};

}  // namespace lq::backend
