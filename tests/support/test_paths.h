// Where tests find their data: ../shared beside the checkout (LQ_SHARED_DIR),
// the source tree (LQ_SOURCE_DIR) and the build tree (LQ_BINARY_DIR), as set
// by CTest. A missing folder is a test failure, never a silent skip.
#pragma once

#include <string>

namespace lq_test {

/// Absolute path of @p relative inside ../shared; fails the test when the
/// file does not exist.
std::string shared_path(const std::string &relative);

/// Absolute path of @p relative inside the source tree.
std::string source_path(const std::string &relative);

/// A fresh, empty scratch directory for this test process.
std::string scratch_dir();

/// Reads a whole file into a string; fails the test when it cannot.
std::string read_file(const std::string &path);

/// Writes @p bytes to @p path; fails the test when it cannot.
void write_file(const std::string &path, const std::string &bytes);

}  // namespace lq_test
