// lq_backend_*: the backends this library knows and whether they can run here.
#include "api/guard.h"
#include "backend/registry.h"

using lq::api::guarded;
using lq::api::require;

extern "C" {

LQ_API size_t lq_backend_count(void) { return lq::backend::all_backends().size(); }

LQ_API lq_status lq_backend_get_info(size_t index, lq_backend_info *info) {
    return guarded([&] {
        require(info, "info");
        const auto &list = lq::backend::all_backends();
        if (index >= list.size())
            lq::fail(LQ_ERR_NOT_FOUND, "backend index %zu is out of range (%zu backends)", index, list.size());
        const lq::backend::Backend &b = *list[index];
        const lq::backend::Availability &a = b.availability();
        lq_backend_info full = LQ_BACKEND_INFO_INIT;
        full.backend = static_cast<uint32_t>(b.id());
        full.available = a.available ? 1u : 0u;
        full.name = b.name();
        full.device = a.device.c_str();
        full.reason = a.reason.c_str();
        lq::api::write_output(full, info, "lq_backend_info");
    });
}

}  // extern "C"
