#include "backends/cpu/thread_pool.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LQ_CPU_RELAX() _mm_pause()
#else
#define LQ_CPU_RELAX() ((void)0)
#endif

namespace lq::cpu {
namespace {
// About 20-50 microseconds of spinning before a worker goes to sleep.
constexpr int kSpinIterations = 20000;
}  // namespace

ThreadPool::ThreadPool(int n_threads) : n_threads_(n_threads < 1 ? 1 : n_threads) {
    workers_.reserve(static_cast<size_t>(n_threads_ - 1));
    for (int t = 1; t < n_threads_; ++t) workers_.emplace_back([this, t] { worker_main(t); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_.store(true);
        generation_.fetch_add(1);
    }
    wake_.notify_all();
    for (std::thread &w : workers_) w.join();
}

void ThreadPool::work(int thread) {
    for (;;) {
        const int64_t task = next_task_.fetch_add(1, std::memory_order_relaxed);
        if (task >= n_tasks_) break;
        trampoline_(context_, task, thread);
    }
}

void ThreadPool::run(int64_t n_tasks, Trampoline trampoline, const void *context) {
    trampoline_ = trampoline;
    context_ = context;
    n_tasks_ = n_tasks;
    next_task_.store(0, std::memory_order_relaxed);
    busy_workers_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
    {
        // The lock orders the loop description before the new generation for
        // workers that are about to sleep.
        std::lock_guard<std::mutex> lock(mutex_);
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    work(0);
    while (busy_workers_.load(std::memory_order_acquire) != 0) LQ_CPU_RELAX();
}

void ThreadPool::worker_main(int thread) {
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        while (generation_.load(std::memory_order_acquire) == seen && spins < kSpinIterations) {
            LQ_CPU_RELAX();
            ++spins;
        }
        if (generation_.load(std::memory_order_acquire) == seen) {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
        }
        seen = generation_.load(std::memory_order_acquire);
        if (stopping_.load()) return;
        work(thread);
        busy_workers_.fetch_sub(1, std::memory_order_acq_rel);
    }
}

}  // namespace lq::cpu
