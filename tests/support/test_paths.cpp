#include "test_paths.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace lq_test {
namespace {

// The environment (set by CTest) wins; the paths configured at build time
// let a test binary also run on its own.
std::string env_dir(const char *name) {
    if (const char *value = std::getenv(name)) return value;
    const std::string key(name);
    if (key == "LQ_SHARED_DIR") return LQ_TEST_SHARED_DIR;
    if (key == "LQ_SOURCE_DIR") return LQ_TEST_SOURCE_DIR;
    return LQ_TEST_BINARY_DIR;
}

bool exists(const std::string &path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::string shared_path(const std::string &relative) {
    const std::string path = env_dir("LQ_SHARED_DIR") + "/" + relative;
    REQUIRE_MESSAGE(exists(path), "missing test data " << path << " (../shared must sit beside the checkout)");
    return path;
}

std::string source_path(const std::string &relative) { return env_dir("LQ_SOURCE_DIR") + "/" + relative; }

std::string scratch_dir() {
    static std::string dir;
    if (dir.empty()) {
        std::string base = env_dir("LQ_BINARY_DIR") + "/test-scratch";
        ::mkdir(base.c_str(), 0755);
        dir = base + "/" + std::to_string(::getpid());
        ::mkdir(dir.c_str(), 0755);
    }
    return dir;
}

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void write_file(const std::string &path, const std::string &bytes) {
    std::ofstream out(path, std::ios::binary);
    REQUIRE_MESSAGE(out.good(), "cannot create " << path);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out.good());
}

}  // namespace lq_test
