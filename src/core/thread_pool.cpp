#include "core/thread_pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LQ_CPU_RELAX() _mm_pause()
#else
#define LQ_CPU_RELAX() ((void)0)
#endif

namespace lq {
namespace {

constexpr uint64_t kOpen = uint64_t(1) << 31;
constexpr uint64_t kInsideMask = kOpen - 1;

uint64_t generation_of(uint64_t state) { return state >> 32; }

}  // namespace

ThreadPool::ThreadPool(int n_threads, std::chrono::microseconds spin)
    : n_threads_(n_threads < 1 ? 1 : n_threads), spin_(spin) {
    workers_.reserve(static_cast<size_t>(n_threads_ - 1));
    for (int t = 1; t < n_threads_; ++t) workers_.emplace_back([this, t] { worker_main(t); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_.store(true);
        state_.fetch_add(uint64_t(1) << 32);  // a new generation wakes everyone
    }
    wake_.notify_all();
    for (std::thread &w : workers_) w.join();
}

void ThreadPool::work(int thread) {
    for (;;) {
        const int64_t task = next_task_.fetch_add(1, std::memory_order_relaxed);
        if (task >= n_tasks_) break;
        trampoline_(context_, task, thread);
        done_tasks_.fetch_add(1, std::memory_order_release);
    }
}

void ThreadPool::run(int64_t n_tasks, Trampoline trampoline, const void *context) {
    // The previous loop is closed and empty: the description is ours to write.
    trampoline_ = trampoline;
    context_ = context;
    n_tasks_ = n_tasks;
    next_task_.store(0, std::memory_order_relaxed);
    done_tasks_.store(0, std::memory_order_relaxed);
    const uint64_t generation = generation_of(state_.load(std::memory_order_relaxed)) + 1;
    state_.store((generation << 32) | kOpen, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
        { std::lock_guard<std::mutex> lock(mutex_); }
        wake_.notify_all();
    }
    work(0);
    while (done_tasks_.load(std::memory_order_acquire) < n_tasks) LQ_CPU_RELAX();
    // Close the loop, then wait for the workers still inside to leave it.
    state_.fetch_and(~kOpen, std::memory_order_acq_rel);
    while ((state_.load(std::memory_order_acquire) & kInsideMask) != 0) LQ_CPU_RELAX();
}

void ThreadPool::worker_main(int thread) {
    uint64_t seen = 0;
    for (;;) {
        // Wait for a new generation: spin for a while, then sleep.
        const auto spin_until = std::chrono::steady_clock::now() + spin_;
        uint32_t spins = 0;
        while (generation_of(state_.load(std::memory_order_acquire)) == seen) {
            LQ_CPU_RELAX();
            if ((++spins & 255) == 0 && std::chrono::steady_clock::now() > spin_until) {
                std::unique_lock<std::mutex> lock(mutex_);
                sleepers_.fetch_add(1, std::memory_order_seq_cst);
                wake_.wait(lock, [&] { return generation_of(state_.load(std::memory_order_seq_cst)) != seen; });
                sleepers_.fetch_sub(1, std::memory_order_relaxed);
                break;
            }
        }
        if (stopping_.load()) return;
        // Join the loop of the generation we saw, if it is still open.
        uint64_t state = state_.load(std::memory_order_acquire);
        seen = generation_of(state);
        bool joined = false;
        while ((state & kOpen) && generation_of(state) == seen) {
            if (state_.compare_exchange_weak(state, state + 1, std::memory_order_acq_rel)) {
                joined = true;
                break;
            }
        }
        if (!joined) continue;
        work(thread);
        state_.fetch_sub(1, std::memory_order_release);
    }
}

}  // namespace lq
