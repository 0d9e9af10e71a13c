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
    // Items stay queued (visible to Pending) until their batch is committed, so a reader
    // never misses one; it may see one twice, stored and still queued, and must allow for it.
    std::lock_guard flushing(flush_mutex_);
    std::vector<Item> batch;
    {
      std::lock_guard lock(mutex_);
      batch = queue_;
    }
    if (batch.empty()) {
      return;
    }
    try {
      write_(batch);
    } catch (const std::exception& e) {
      std::cerr << "harvest: writing " << what_ << " failed, will retry: " << e.what() << "\n";
      return;
    }
    std::lock_guard lock(mutex_);
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(batch.size()));
  }

  // The items not yet known to be stored. Read them before querying the store: an item
  // is then in the copy, in the store, or both.
  std::vector<Item> Pending() {
    std::lock_guard lock(mutex_);
    return queue_;
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
  std::mutex flush_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Item> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after every other member is ready
};

}  // namespace harvest::store
