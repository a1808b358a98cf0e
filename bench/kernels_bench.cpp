// Speed of the CPU kernel rows: one thread, a 4096 x 4096 matrix times a
// vector (vec_dot over every row), reported as GB/s of weight bytes read.
// Also the activation encoders, the fast weight encoders (from_float_fast,
// microseconds per 256 weights) and the reference rows for comparison.
//
//   lq_kernels_bench [--reference] [--rows N] [--cols N] [--seconds S] [TYPE...]
//
// The matrix is 64 quantized random rows repeated to N rows (quantizing a
// whole matrix with the searching quantizers would take longer than the
// measurement); every row is a separate copy in memory.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "backends/cpu/cpu_kernels.h"
#include "core/random.h"
#include "core/types.h"

using namespace lq;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

std::vector<float> normal(size_t n, uint64_t seed) {
    Random rng(seed);
    std::vector<float> v(n);
    for (float &x : v) x = static_cast<float>(rng.normal());
    return v;
}

// Best time of `body` over repeats that together last about `seconds`.
template <class Body>
double best_time(double seconds, Body body) {
    double best = 1e30;
    const double stop = now() + seconds;
    int runs = 0;
    do {
        const double t0 = now();
        body();
        best = std::min(best, now() - t0);
        ++runs;
    } while (now() < stop || runs < 3);
    return best;
}

const TensorType kDefaultTypes[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q8_0,
                                    TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,
                                    TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K,
                                    TensorType::Q6_K, TensorType::IQ4_NL, TensorType::IQ4_XS};

}  // namespace

int main(int argc, char **argv) {
    int64_t rows = 4096, cols = 4096;
    double seconds = 1.0;
    std::vector<TensorType> types;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--reference") {
            cpu::cpu_kernels_force_reference(true);
        } else if (arg == "--rows" && i + 1 < argc) {
            rows = std::atoll(argv[++i]);
        } else if (arg == "--cols" && i + 1 < argc) {
            cols = std::atoll(argv[++i]);
        } else if (arg == "--seconds" && i + 1 < argc) {
            seconds = std::atof(argv[++i]);
        } else {
            TensorType t;
            if (!type_from_name(argv[i], &t) || !cpu::cpu_kernels(t)) {
                std::fprintf(stderr, "unknown or unsupported type '%s'\n", argv[i]);
                return 2;
            }
            types.push_back(t);
        }
    }
    if (types.empty()) types.assign(std::begin(kDefaultTypes), std::end(kDefaultTypes));
    if (cols % 256 != 0 || rows < 1) {
        std::fprintf(stderr, "--cols must be a multiple of 256\n");
        return 2;
    }

    std::printf("kernels: %s, matrix %lld x %lld, one thread\n", cpu::cpu_kernels_isa(),
                static_cast<long long>(rows), static_cast<long long>(cols));
    std::printf("%-8s %10s %10s %12s %14s %16s\n", "type", "MiB", "ms/matvec", "GB/s", "encode GB/s",
                "weights us/256");
    const std::vector<float> x = normal(static_cast<size_t>(cols), 1);
    std::vector<float> y(static_cast<size_t>(rows));
    for (TensorType t : types) {
        const QuantKernels &k = *cpu::cpu_kernels(t);
        const QuantKernels &encoder = *cpu::cpu_kernels(k.dot_type);
        const size_t row_size = row_bytes(*type_info(t), static_cast<uint64_t>(cols));
        const int64_t distinct = rows < 64 ? rows : 64;
        const std::vector<float> w = normal(static_cast<size_t>(distinct * cols), 2);
        std::vector<uint8_t> matrix(row_size * static_cast<size_t>(rows));
        for (int64_t r = 0; r < distinct; ++r) k.from_float(w.data() + r * cols, matrix.data() + r * row_size, cols);
        for (int64_t r = distinct; r < rows; ++r)
            std::memcpy(matrix.data() + r * row_size, matrix.data() + (r % distinct) * row_size, row_size);

        // The fast weight encoder over the distinct rows.
        std::vector<uint8_t> scratch(row_size * static_cast<size_t>(distinct));
        const double t_weights = best_time(0.2, [&] {
            for (int64_t r = 0; r < distinct; ++r)
                k.from_float_fast(w.data() + r * cols, scratch.data() + r * row_size, cols);
        });

        std::vector<uint8_t> act(row_bytes(*type_info(k.dot_type), static_cast<uint64_t>(cols)));
        const double t_encode = best_time(0.1, [&] { encoder.from_float(x.data(), act.data(), cols); });
        const double t_dot = best_time(seconds, [&] {
            for (int64_t r = 0; r < rows; ++r) y[static_cast<size_t>(r)] = k.vec_dot(cols, matrix.data() + r * row_size, act.data());
        });
        const double bytes = static_cast<double>(matrix.size());
        std::printf("%-8s %10.1f %10.3f %12.2f %14.2f %16.2f\n", type_name(t), bytes / (1 << 20), t_dot * 1e3,
                    bytes / t_dot * 1e-9, static_cast<double>(cols) * 4 / t_encode * 1e-9,
                    t_weights * 1e6 / (static_cast<double>(distinct * cols) / 256.0));
    }
    return 0;
}
