// lq_context_save_session, lq_context_load_session and their buffer forms.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <unistd.h>

#include "api/guard.h"
#include "api/handles.h"
#include "runtime/session.h"

using lq::api::guarded;
using lq::api::require;

namespace {

void write_file(const char *path, const std::vector<uint8_t> &bytes) {
    const std::string temporary = std::string(path) + ".tmp-" + std::to_string(getpid());
    std::FILE *f = std::fopen(temporary.c_str(), "wb");
    if (!f) lq::fail(LQ_ERR_IO, "cannot create %s: %s", temporary.c_str(), std::strerror(errno));
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    const bool closed = std::fclose(f) == 0;
    if (!written || !closed || std::rename(temporary.c_str(), path) != 0) {
        const int error = errno;
        std::remove(temporary.c_str());
        lq::fail(LQ_ERR_IO, "cannot write %s: %s", path, std::strerror(error));
    }
}

std::vector<uint8_t> read_file(const char *path) {
    std::FILE *f = std::fopen(path, "rb");
    if (!f) lq::fail(LQ_ERR_IO, "cannot open %s: %s", path, std::strerror(errno));
    std::vector<uint8_t> bytes;
    uint8_t chunk[1 << 16];
    for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, f)) > 0;) bytes.insert(bytes.end(), chunk, chunk + n);
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) lq::fail(LQ_ERR_IO, "cannot read %s", path);
    return bytes;
}

}  // namespace

extern "C" {

LQ_API lq_status lq_context_save_session(lq_context *context, const char *path) {
    return guarded([&] {
        require(context, "context");
        require(path, "path");
        write_file(path, lq::save_session(*context->impl));
    });
}

LQ_API lq_status lq_context_load_session(lq_context *context, const char *path) {
    return guarded([&] {
        require(context, "context");
        require(path, "path");
        const std::vector<uint8_t> bytes = read_file(path);
        lq::load_session(*context->impl, bytes.data(), bytes.size());
    });
}

LQ_API lq_status lq_context_save_session_buffer(lq_context *context, void *buf, size_t capacity, size_t *needed_out) {
    return guarded([&] {
        require(context, "context");
        require(needed_out, "needed_out");
        const std::vector<uint8_t> bytes = lq::save_session(*context->impl);
        *needed_out = bytes.size();
        if (bytes.size() > capacity)
            lq::fail(LQ_ERR_BUFFER_TOO_SMALL, "the session has %zu bytes; the buffer holds %zu", bytes.size(), capacity);
        require(buf, "buf");
        std::memcpy(buf, bytes.data(), bytes.size());
    });
}

LQ_API lq_status lq_context_load_session_buffer(lq_context *context, const void *data, size_t size) {
    return guarded([&] {
        require(context, "context");
        if (size) require(data, "data");
        lq::load_session(*context->impl, static_cast<const uint8_t *>(data), size);
    });
}

}  // extern "C"
