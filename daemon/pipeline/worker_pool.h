#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace sm::pipeline {

// Spreads the iterations of a loop over the calling thread and a fixed set of worker threads (a
// boost::asio::thread_pool), for work whose items are independent and uneven (a record whose names are all
// cached takes a tenth of one that is screened afresh): each thread takes the next item until none is left.
class WorkerPool {
 public:
  // `threads` counts the caller: 1 runs everything on the caller, with no worker.
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  std::size_t threads() const { return threads_; }

  // Calls work(i) once for every i in [0, n) and returns when all calls have returned. An exception thrown by a
  // call is rethrown here, after the others have finished.
  void for_each(std::size_t n, const std::function<void(std::size_t)>& work);

 private:
  struct Workers;
  std::size_t threads_;
  std::unique_ptr<Workers> workers_;
};

}  // namespace sm::pipeline
