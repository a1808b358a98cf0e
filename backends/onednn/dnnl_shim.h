// The few oneDNN calls whose shape changed between 2.x (Debian 12 ships
// 2.6.3) and 3.x: creating a matmul primitive descriptor. Everything else
// libquant uses is the same in both.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace lq::onednn {

/// A matmul primitive descriptor for src x weights -> dst with @p attr.
inline dnnl::matmul::primitive_desc make_matmul_pd(const dnnl::engine &engine, const dnnl::memory::desc &src,
                                                   const dnnl::memory::desc &weights,
                                                   const dnnl::memory::desc &dst,
                                                   const dnnl::primitive_attr &attr) {
#if DNNL_VERSION_MAJOR >= 3
    return dnnl::matmul::primitive_desc(engine, src, weights, dst, attr);
#else
    return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, weights, dst), attr, engine);
#endif
}

/// The name of the implementation oneDNN chose ("brg:avx512_core_vnni", ...).
inline const char *impl_name(const dnnl::matmul::primitive_desc &pd) { return pd.impl_info_str(); }

}  // namespace lq::onednn
