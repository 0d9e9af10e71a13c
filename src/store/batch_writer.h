// Writes items to the store in batches from one background thread, so that a request
// records something (an audit entry, a receipt check) with a queue push instead of a disk
// write. The queue is flushed every `interval` (100 ms by default) and on destruction; a
// failed batch is kept for the next attempt. A crash can lose at most the last interval of
// queued items.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

namespace harvest::store {

template <typename Item>
class BatchWriter {
 public:
  using Write = std::function<void(const std::vector<Item>&)>;

  // `what` names the items in error messages ("audit entries").
  BatchWriter(std::string what, Write write,
              std::chrono::milliseconds interval = std::chrono::milliseconds(100))
      : what_(std::move(what)),
        write_(std::move(write)),
        interval_(interval),
        thread_([this] { Run(); }) {}

  ~BatchWriter() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  void Push(Item item) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(item));
  }

  void Flush() {
    // Held exclusively while a batch moves from the queue to the store (see ReadConsistent).
    std::unique_lock moving(moving_);
    std::vector<Item> batch;
    {
      std::lock_guard lock(mutex_);
      batch.swap(queue_);
    }
    if (batch.empty()) {
      return;
    }
    try {
      write_(batch);
    } catch (const std::exception& e) {
      std::cerr << "harvest: writing " << what_ << " failed, will retry: " << e.what() << "\n";
      std::lock_guard lock(mutex_);
      queue_.insert(queue_.begin(), batch.begin(), batch.end());
    }
  }

  // Runs `read_stored` (a store query) and then shows every still-queued item to
  // `pending`, with no batch moving in between: each item is seen exactly once, stored or
  // queued, never both or neither.
  void ReadConsistent(const std::function<void()>& read_stored,
                      const std::function<void(const Item&)>& pending) {
    std::shared_lock steady(moving_);
    read_stored();
    std::lock_guard lock(mutex_);
    for (const Item& item : queue_) {
      pending(item);
    }
  }

 private:
  void Run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, interval_);
      lock.unlock();
      Flush();
      lock.lock();
    }
    lock.unlock();
    Flush();
  }

  std::string what_;
  Write write_;
  std::chrono::milliseconds interval_;
  std::shared_mutex moving_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Item> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after every other member is ready
};

}  // namespace harvest::store
