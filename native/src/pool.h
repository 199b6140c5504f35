// A small pool of native worker threads. A run hands out units [0, total) from an atomic counter; the caller
// claims units too, and returns once every unit is done. A worker that has not woken yet is not waited for:
// it finds no units left and goes back to sleep. Idle workers sleep on a condition variable (no spinning).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace eto {

using UnitFn = void (*)(const void* job, int64_t unit);

class Pool {
 public:
  explicit Pool(int threads);
  ~Pool();
  int threads() const { return threads_; }
  /** Runs fn(job, u) for every u in [0, total); on the calling thread alone when !parallel. */
  void run(UnitFn fn, const void* job, int64_t total, bool parallel);

 private:
  void work();
  void drain(UnitFn fn, const void* job, int64_t total);

  int threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  uint64_t generation_ = 0;
  int active_ = 0;  // workers inside a run (guarded by mutex_)
  bool stop_ = false;
  UnitFn fn_ = nullptr;
  const void* job_ = nullptr;
  int64_t total_ = 0;
  std::atomic<int64_t> next_{0};
};

}  // namespace eto
