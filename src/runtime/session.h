// Session images: a context's tokens and key/value cache, saved so that a
// long prompt (an editor's open file, a chat) need not be evaluated again.
// The layout is in docs/formats.md ("Session files").
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lq {

class Context;

/// The context's state as a session image (zstd-compressed when libquant
/// is built with zstd).
std::vector<uint8_t> save_session(Context &context);

/// Restores a session image into @p context. Everything is checked before
/// the context changes, so on failure it keeps its state: LQ_ERR_MODEL_FORMAT
/// for a file that is not a session, truncated or corrupt;
/// LQ_ERR_UNSUPPORTED for a newer session version or a compressed session in
/// a build without zstd; LQ_ERR_TYPE_MISMATCH for a session of another model
/// or cache type; LQ_ERR_CONTEXT_FULL when it holds more positions than the
/// context.
void load_session(Context &context, const uint8_t *data, size_t size);

}  // namespace lq
