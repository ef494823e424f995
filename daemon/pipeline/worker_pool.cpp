#include "pipeline/worker_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <latch>
#include <mutex>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace sm::pipeline {

struct WorkerPool::Workers {
  explicit Workers(std::size_t n) : pool(n) {}
  boost::asio::thread_pool pool;
};

WorkerPool::WorkerPool(std::size_t threads) : threads_(std::max<std::size_t>(1, threads)) {
  if (threads_ > 1) workers_ = std::make_unique<Workers>(threads_ - 1);
}

WorkerPool::~WorkerPool() {
  if (workers_) workers_->pool.join();
}

void WorkerPool::for_each(std::size_t n, const std::function<void(std::size_t)>& work) {
  if (n == 0) return;
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  const auto drain = [&] {
    for (std::size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
      try {
        work(i);
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  // No more helpers than items beyond the caller's first.
  const std::size_t helpers = workers_ ? std::min(threads_ - 1, n - 1) : 0;
  std::latch done(static_cast<std::ptrdiff_t>(helpers));
  for (std::size_t h = 0; h < helpers; ++h) {
    boost::asio::post(workers_->pool, [&] {
      drain();
      done.count_down();
    });
  }
  drain();
  done.wait();
  if (error) std::rethrow_exception(error);
}

}  // namespace sm::pipeline
