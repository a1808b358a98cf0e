#include "format/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace lq {
namespace {

// Closes the descriptor on every path out of the constructor.
struct FileDescriptor {
    int fd;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

MappedFile::MappedFile(const std::string &path, bool use_mmap) {
    FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) fail(LQ_ERR_IO, "cannot open '%s': %s", path.c_str(), std::strerror(errno));
    struct stat st;
    if (::fstat(file.fd, &st) != 0) fail(LQ_ERR_IO, "cannot stat '%s': %s", path.c_str(), std::strerror(errno));
    if (!S_ISREG(st.st_mode)) fail(LQ_ERR_IO, "'%s' is not a regular file", path.c_str());
    size_ = static_cast<size_t>(st.st_size);
    if (size_ == 0) {
        data_ = buffer_.data();
        return;
    }
    if (use_mmap) {
        void *p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, file.fd, 0);
        if (p != MAP_FAILED) {
            mapping_ = p;
            data_ = static_cast<const uint8_t *>(p);
            return;
        }
        // Fall through: some file systems cannot be mapped.
    }
    buffer_.resize(size_);
    size_t done = 0;
    while (done < size_) {
        const ssize_t n = ::read(file.fd, buffer_.data() + done, size_ - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(LQ_ERR_IO, "cannot read '%s': %s", path.c_str(), n == 0 ? "unexpected end of file" : std::strerror(errno));
        done += static_cast<size_t>(n);
    }
    data_ = buffer_.data();
}

MappedFile::~MappedFile() {
    if (mapping_) ::munmap(mapping_, size_);
}

void MappedFile::prefetch() const {
    if (mapping_) ::madvise(mapping_, size_, MADV_WILLNEED);
}

}  // namespace lq
