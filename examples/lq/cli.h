// Command-line plumbing shared by the lq subcommands: option parsing with
// clear errors for unknown options and bad values, and status checking.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "libquant/libquant.h"

namespace lq_cli {

/// Wrong usage: printed with the command's usage line, exit status 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A failed library call or an unusable input: exit status 1.
struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct OptionSpec {
    const char *name;        // long name without dashes, e.g. "threads"
    const char *short_name;  // e.g. "t", or nullptr
    bool takes_value;
    const char *help;
};

class Args {
public:
    /// Parses argv[first..argc). Throws UsageError on an unknown option or a
    /// missing value. "--" ends the options.
    Args(const char *command, int argc, char **argv, int first, const std::vector<OptionSpec> &specs);

    bool has(const std::string &name) const { return values_.count(name) != 0; }
    std::string get(const std::string &name, const std::string &fallback = "") const;
    /// Every value of an option given several times, in order.
    std::vector<std::string> get_all(const std::string &name) const;
    int64_t get_int(const std::string &name, int64_t fallback, int64_t min, int64_t max) const;
    double get_float(const std::string &name, double fallback, double min, double max) const;
    const std::vector<std::string> &positionals() const { return positionals_; }
    /// The positional at @p index; UsageError naming @p what when missing.
    const std::string &positional(size_t index, const char *what) const;
    /// UsageError when more than @p count positionals were given.
    void expect_at_most(size_t count) const;

private:
    std::string command_;
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> positionals_;
};

/// Throws Failure with the library's message when @p status is an error.
void check(lq_status status, const char *what);

/// Loads a model, with a progress bar on stderr when stderr is a terminal.
lq_model *load_model(const std::string &path, uint32_t flags);

/// Installs a log callback that prints warnings and errors to stderr
/// (more with LQ_LOG=info|debug in the environment).
void install_stderr_log();

/// Reads a whole file (or stdin for "-"); Failure when it cannot be read.
std::string read_file(const std::string &path);

/// Parses --backend NAME into an lq_backend (UsageError when unknown).
lq_backend parse_backend(const std::string &name);

/// The name of an lq_backend ("cpu", ...), from the library's list.
std::string backend_name(uint32_t backend);

/// The --backend option every verb that runs a model takes.
constexpr const char *kBackendHelp = "auto (default), cpu, onednn or vulkan";

/// Formats 1234567 as "1,234,567".
std::string with_commas(uint64_t value);

/// A short name of an lq_stop_reason ("token limit", "stop string", ...).
const char *stop_reason_name(uint32_t reason);

/// A context that frees itself.
using ContextHandle = std::unique_ptr<lq_context, void (*)(lq_context *)>;

/// A context for @p model from the common options -c/--ctx-size, -t/--threads
/// and --backend (default auto); throws on failure.
ContextHandle make_context(const Args &args, lq_model *model);

}  // namespace lq_cli
