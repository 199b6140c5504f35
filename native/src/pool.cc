#include "pool.h"

namespace eto {

Pool::Pool(int threads) : threads_(threads < 1 ? 1 : threads) {
  for (int i = 1; i < threads_; i++) workers_.emplace_back([this] { work(); });
}

Pool::~Pool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void Pool::drain(UnitFn fn, const void* job, int64_t total) {
  for (int64_t unit = next_.fetch_add(1); unit < total; unit = next_.fetch_add(1)) fn(job, unit);
}

void Pool::run(UnitFn fn, const void* job, int64_t total, bool parallel) {
  if (!parallel || workers_.empty() || total < 2) {
    for (int64_t unit = 0; unit < total; unit++) fn(job, unit);
    return;
  }
  {
    std::unique_lock<std::mutex> lock(mutex_);
    // a late worker of the previous run must leave before its job is replaced
    idle_.wait(lock, [this] { return active_ == 0; });
    fn_ = fn;
    job_ = job;
    total_ = total;
    next_.store(0);
    generation_++;
  }
  wake_.notify_all();
  drain(fn, job, total);
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return active_ == 0; });
}

void Pool::work() {
  uint64_t seen = 0;
  for (;;) {
    UnitFn fn;
    const void* job;
    int64_t total;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      fn = fn_;
      job = job_;
      total = total_;
      active_++;
    }
    drain(fn, job, total);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      active_--;
    }
    idle_.notify_all();
  }
}

}  // namespace eto
