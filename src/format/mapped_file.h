// A read-only view of a whole file: memory-mapped when possible, otherwise
// read into a heap buffer. Failures throw lq::Error with LQ_ERR_IO.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lq {

class MappedFile {
public:
    /// Opens @p path. With @p use_mmap false (or where mapping fails) the
    /// file is read into memory instead.
    MappedFile(const std::string &path, bool use_mmap);
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    const uint8_t *data() const { return data_; }
    size_t size() const { return size_; }
    bool mapped() const { return mapping_ != nullptr; }

    /// Hints that the whole file will be read soon (readahead); best effort.
    void prefetch() const;

private:
    const uint8_t *data_ = nullptr;
    size_t size_ = 0;
    void *mapping_ = nullptr;
    std::vector<uint8_t> buffer_;
};

}  // namespace lq
