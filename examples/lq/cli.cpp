#include "cli.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace lq_cli {

Args::Args(const char *command, int argc, char **argv, int first, const std::vector<OptionSpec> &specs)
    : command_(command) {
    bool options_done = false;
    for (int i = first; i < argc; ++i) {
        const std::string arg = argv[i];
        if (options_done || arg.size() < 2 || arg[0] != '-' || (arg[1] >= '0' && arg[1] <= '9')) {
            positionals_.push_back(arg);
            continue;
        }
        if (arg == "--") {
            options_done = true;
            continue;
        }
        std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
        std::string inline_value;
        bool has_inline = false;
        const size_t eq = name.find('=');
        if (arg[1] == '-' && eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name = name.substr(0, eq);
            has_inline = true;
        }
        const OptionSpec *spec = nullptr;
        for (const OptionSpec &s : specs) {
            if ((arg[1] == '-' && name == s.name) || (arg[1] != '-' && s.short_name && name == s.short_name)) {
                spec = &s;
                break;
            }
        }
        if (!spec) throw UsageError("unknown option '" + arg + "' for 'lq " + command_ + "'");
        if (!spec->takes_value) {
            if (has_inline) throw UsageError("option '--" + name + "' takes no value");
            values_[spec->name].push_back("1");
        } else if (has_inline) {
            values_[spec->name].push_back(inline_value);
        } else {
            if (i + 1 >= argc) throw UsageError("option '" + arg + "' needs a value");
            values_[spec->name].push_back(argv[++i]);
        }
    }
}

std::string Args::get(const std::string &name, const std::string &fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::get_all(const std::string &name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>() : it->second;
}

int64_t Args::get_int(const std::string &name, int64_t fallback, int64_t min, int64_t max) const {
    if (!has(name)) return fallback;
    const std::string text = get(name);
    errno = 0;
    char *end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (errno != 0 || end == text.c_str() || *end != '\0' || v < min || v > max)
        throw UsageError("--" + name + " expects an integer from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got '" + text + "'");
    return v;
}

double Args::get_float(const std::string &name, double fallback, double min, double max) const {
    if (!has(name)) return fallback;
    const std::string text = get(name);
    errno = 0;
    char *end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (errno != 0 || end == text.c_str() || *end != '\0' || !(v >= min && v <= max))
        throw UsageError("--" + name + " expects a number from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", got '" + text + "'");
    return v;
}

const std::string &Args::positional(size_t index, const char *what) const {
    if (index >= positionals_.size()) throw UsageError(std::string("missing ") + what);
    return positionals_[index];
}

void Args::expect_at_most(size_t count) const {
    if (positionals_.size() > count) throw UsageError("unexpected argument '" + positionals_[count] + "'");
}

void check(lq_status status, const char *what) {
    if (status == LQ_OK) return;
    std::string message = std::string(what) + ": " + lq_status_string(status);
    const char *detail = lq_last_error_message();
    if (detail && *detail) message += std::string(": ") + detail;
    throw Failure(message);
}

namespace {

int32_t progress_bar(float fraction, void *) {
    const int width = 40;
    const int filled = static_cast<int>(fraction * width + 0.5f);
    std::fprintf(stderr, "\rloading [%.*s%*s] %3d%%", filled, "########################################",
                 width - filled, "", static_cast<int>(fraction * 100.0f + 0.5f));
    if (fraction >= 1.0f) std::fprintf(stderr, "\r%*s\r", width + 16, "");
    return 0;
}

void stderr_log(lq_log_level level, const char *message, void *) {
    static const char *const names[] = {"error", "warning", "info", "debug"};
    const int index = level >= 0 && level <= 3 ? level : 3;
    std::fprintf(stderr, "lq: %s: %s\n", names[index], message);
}

}  // namespace

lq_model *load_model(const std::string &path, uint32_t flags) {
    lq_model_options options = LQ_MODEL_OPTIONS_INIT;
    options.flags = flags;
    if (isatty(STDERR_FILENO)) options.progress = progress_bar;
    lq_model *model = nullptr;
    check(lq_model_load(&model, path.c_str(), &options), "cannot load model");
    return model;
}

void install_stderr_log() {
    lq_log_level level = LQ_LOG_WARN;
    if (const char *env = std::getenv("LQ_LOG")) {
        if (std::strcmp(env, "info") == 0) level = LQ_LOG_INFO;
        else if (std::strcmp(env, "debug") == 0) level = LQ_LOG_DEBUG;
        else if (std::strcmp(env, "error") == 0) level = LQ_LOG_ERROR;
    }
    lq_log_set_callback(stderr_log, nullptr, level);
}

std::string read_file(const std::string &path) {
    std::ostringstream buffer;
    if (path == "-") {
        buffer << std::cin.rdbuf();
        return buffer.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Failure("cannot open '" + path + "': " + std::strerror(errno));
    buffer << in.rdbuf();
    if (in.bad()) throw Failure("cannot read '" + path + "'");
    return buffer.str();
}

lq_backend parse_backend(const std::string &name) {
    if (name == "auto") return LQ_BACKEND_AUTO;
    if (name == "cpu") return LQ_BACKEND_CPU;
    if (name == "onednn") return LQ_BACKEND_ONEDNN;
    if (name == "vulkan") return LQ_BACKEND_VULKAN;
    throw UsageError("--backend expects auto, cpu, onednn or vulkan, got '" + name + "'");
}

std::string backend_name(uint32_t backend) {
    const size_t n = lq_backend_count();
    for (size_t i = 0; i < n; ++i) {
        lq_backend_info info = LQ_BACKEND_INFO_INIT;
        if (lq_backend_get_info(i, &info) == LQ_OK && info.backend == backend) return info.name;
    }
    return "unknown";
}

std::string with_commas(uint64_t value) {
    std::string digits = std::to_string(value);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
    return digits;
}

const char *stop_reason_name(uint32_t reason) {
    switch (reason) {
    case LQ_STOP_MAX_TOKENS: return "token limit";
    case LQ_STOP_END_OF_GENERATION: return "end of generation";
    case LQ_STOP_STRING: return "stop string";
    case LQ_STOP_CALLBACK: return "callback";
    case LQ_STOP_CONTEXT_FULL: return "context full";
    case LQ_STOP_CANCELLED: return "cancelled";
    default: return "unknown";
    }
}

ContextHandle make_context(const Args &args, lq_model *model) {
    lq_context_options options = LQ_CONTEXT_OPTIONS_INIT;
    options.n_ctx = static_cast<uint32_t>(args.get_int("ctx-size", 0, 0, 1 << 24));
    options.n_threads = static_cast<uint32_t>(args.get_int("threads", 0, 0, 1024));
    options.backend = static_cast<uint32_t>(parse_backend(args.get("backend", "auto")));
    lq_context *raw = nullptr;
    check(lq_context_create(&raw, model, &options), "cannot create a context");
    return ContextHandle(raw, lq_context_free);
}

}  // namespace lq_cli
