// A fixed pool of worker threads for data-parallel loops. The calling
// thread takes part in every loop, so a pool of N threads starts N - 1
// workers. Workers spin briefly after a loop (the next one usually follows
// within microseconds during evaluation) and then sleep.
//
// A loop ends when all its tasks are done, not when every worker has seen
// it: a sleeping worker never delays the caller. Workers join a loop through
// one atomic word (generation, open flag, number of workers inside), so a
// worker that wakes late can neither enter a closed loop nor see the next
// loop's description half-written.
#pragma once

#include <atomic>
#include <condition_variable>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace lq {

class ThreadPool {
public:
    /// How long an idle worker spins for the next loop before it sleeps:
    /// spinning saves the wake-up (tens of microseconds) between the many
    /// short loops of a forward pass.
    static constexpr std::chrono::microseconds kDefaultSpin{300};

    /// @p n_threads total threads including the caller (at least 1); idle
    /// workers spin for @p spin before they sleep. A pool that shares the
    /// cores with another runtime's threads between its loops (the CPU
    /// fallback of the oneDNN backend, whose OpenMP threads run the products)
    /// spins for 0: its spinning would take the cores from them.
    explicit ThreadPool(int n_threads, std::chrono::microseconds spin = kDefaultSpin);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    int size() const { return n_threads_; }

    /// Calls body(task, thread) for every task in [0, n_tasks), spread over
    /// the threads, and returns when all are done. @p body must not throw.
    /// Not re-entrant: one loop at a time per pool.
    template <typename Body>
    void parallel_for(int64_t n_tasks, const Body &body) {
        if (n_tasks <= 0) return;
        if (n_threads_ == 1 || n_tasks == 1) {
            for (int64_t t = 0; t < n_tasks; ++t) body(t, 0);
            return;
        }
        run(n_tasks, [](const void *context, int64_t task, int thread) {
            (*static_cast<const Body *>(context))(task, thread);
        }, &body);
    }

private:
    using Trampoline = void (*)(const void *context, int64_t task, int thread);

    void run(int64_t n_tasks, Trampoline trampoline, const void *context);
    void work(int thread);
    void worker_main(int thread);

    int n_threads_;
    std::chrono::microseconds spin_;
    std::vector<std::thread> workers_;

    // The current loop's description, written only while no worker is inside.
    Trampoline trampoline_ = nullptr;
    const void *context_ = nullptr;
    int64_t n_tasks_ = 0;
    std::atomic<int64_t> next_task_{0};
    std::atomic<int64_t> done_tasks_{0};

    // bits 32..63: generation; bit 31: loop open; bits 0..30: workers inside.
    std::atomic<uint64_t> state_{0};

    // Wake-up of sleeping workers.
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<int> sleepers_{0};
    std::atomic<bool> stopping_{false};
};

}  // namespace lq
