// Group commit for the logs (SPEC §10): audit entries, receipt checks and the SMS replies
// kept for gateway retries. A request adds its records with a queue push; one committer
// thread writes whatever is queued in one transaction as soon as the previous commit ends,
// so many requests share one commit; and the request's answer leaves only once the commit
// that holds its records is done (WhenCommitted, without holding an I/O thread, or
// WaitCommitted). A server killed with SIGKILL therefore loses nothing it has answered.
// A failed commit (the write lock held past its bound, a full disk) fails the requests
// waiting on it, which answer "try again later"; its records stay queued and go with the
// next attempt, so what was answered as failed may still be kept, never the other way.
// Must not depend on HTTP or SMS.
#pragma once

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"

namespace harvest::store {

class LogWriter;

// The latest record a thread queued, and with which writer.
struct LogTicket {
  const LogWriter* owner = nullptr;
  uint64_t ticket = 0;
};

class LogWriter {
 public:
  // Called once a commit is done: with nullptr when it succeeded, else with why it failed.
  using Done = std::function<void(const Unavailable* failure)>;
  // Told about each batch after it is committed (the SMS conversation forgets the replies
  // it held in memory until then).
  using Committed = std::function<void(const LogBatch&)>;

  explicit LogWriter(Store& store) : store_(store), thread_([this] {
    pthread_setname_np(pthread_self(), "harvest-log");
    Run();
  }) {}

  // Commits what is still queued.
  ~LogWriter() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // Register before any record is added.
  void OnCommitted(Committed committed) {
    std::lock_guard lock(mutex_);
    committed_hooks_.push_back(std::move(committed));
  }

  // Queue one record; its ticket becomes the calling thread's pending one (TakePending).
  uint64_t Add(AuditEntry entry) {
    return Queue([&](LogBatch& b) { b.audit.push_back(std::move(entry)); });
  }
  uint64_t AddCheck(Row check) {
    return Queue([&](LogBatch& b) { b.checks.push_back(std::move(check)); });
  }
  // Queued with the others, but not the calling thread's pending ticket: the answer does not
  // wait for it (a key's last use, which the caller's answer does not depend on).
  void AddUnawaited(KeyUse use) {
    Queue([&](LogBatch& b) { b.key_uses.push_back(std::move(use)); }, false);
  }
  uint64_t Add(SmsReply reply) {
    return Queue([&](LogBatch& b) { b.sms_replies.push_back(std::move(reply)); });
  }

  // Makes the calling thread's answer wait for `ticket` too (a retried SMS answered from a
  // reply whose commit is still under way).
  void Expect(uint64_t ticket) {
    if (pending_.owner != this || pending_.ticket < ticket) {
      pending_ = LogTicket{this, ticket};
    }
  }

  // The latest ticket the calling thread queued (or expects) since it last asked; 0: none.
  uint64_t TakePending() {
    uint64_t ticket = pending_.owner == this ? pending_.ticket : 0;
    pending_ = LogTicket{};
    return ticket;
  }

  // Calls `done` once the records up to `ticket` are committed, or their commit failed:
  // right away when that is already so, else from the committer thread.
  void WhenCommitted(uint64_t ticket, Done done) {
    std::unique_lock lock(mutex_);
    if (ticket <= committed_) {
      lock.unlock();
      done(nullptr);
      return;
    }
    waiting_.emplace(ticket, std::move(done));
  }

  // Blocks until the records up to `ticket` are committed; throws Unavailable if their
  // commit failed.
  void WaitCommitted(uint64_t ticket) {
    std::promise<void> promise;
    std::future<void> committed = promise.get_future();
    WhenCommitted(ticket, [&promise](const Unavailable* failure) {
      if (failure) {
        promise.set_exception(std::make_exception_ptr(*failure));
      } else {
        promise.set_value();
      }
    });
    committed.get();
  }

  // Waits for everything queued so far, by any thread, to be committed (or to fail).
  void Flush() {
    uint64_t upto;
    {
      std::lock_guard lock(mutex_);
      upto = last_ticket_;
    }
    try {
      WaitCommitted(upto);
    } catch (const Unavailable&) {
      // Reported by the committer; the records stay queued for its next attempt.
    }
  }

  // Waits for everything the calling thread queued.
  void WaitPending() {
    if (uint64_t ticket = TakePending()) {
      WaitCommitted(ticket);
    }
  }

 private:
  template <typename Put>
  uint64_t Queue(Put put, bool awaited = true) {
    uint64_t ticket;
    bool first;
    {
      std::lock_guard lock(mutex_);
      first = queue_.empty();
      put(queue_);
      ticket = ++last_ticket_;
    }
    if (first) {
      wake_.notify_one();  // the committer sleeps only on an empty queue (or a pause)
    }
    if (awaited) {
      Expect(ticket);
    }
    return ticket;
  }

  void Run() {
    std::unique_lock lock(mutex_);
    auto last_start = std::chrono::steady_clock::now();
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, nothing left
      }
      // At most one commit per gather interval: each commit makes every other connection
      // drop its page cache and writes the table's last pages to the WAL again.
      wake_.wait_until(lock, last_start + kGather, [this] { return stopping_; });
      last_start = std::chrono::steady_clock::now();
      LogBatch batch;
      std::swap(batch, queue_);
      uint64_t upto = last_ticket_;
      lock.unlock();
      std::optional<Unavailable> failure;
      try {
        store_.AppendLogs(batch);
      } catch (const Unavailable& e) {
        failure = e;
      } catch (const std::exception& e) {
        failure = Unavailable(Unavailable::Reason::kLocked,
                              std::string("the logs could not be written: ") + e.what());
      }
      if (failure) {
        std::cerr << "harvest: writing " << batch.size()
                  << " log records failed, will retry: " << failure->what() << "\n";
      } else {
        for (const Committed& hook : committed_hooks_) {
          hook(batch);
        }
      }
      lock.lock();
      if (failure) {
        // Back in front of what was queued meanwhile, to be retried in order.
        batch.Append(std::move(queue_));
        queue_ = std::move(batch);
      } else {
        committed_ = upto;
      }
      std::multimap<uint64_t, Done> answered;
      auto end = waiting_.upper_bound(upto);
      answered.insert(std::make_move_iterator(waiting_.begin()), std::make_move_iterator(end));
      waiting_.erase(waiting_.begin(), end);
      lock.unlock();
      for (auto& [ticket, done] : answered) {
        done(failure ? &*failure : nullptr);
      }
      lock.lock();
      if (failure) {
        // The disk or the lock will not be free again at once: pace the attempts.
        wake_.wait_for(lock, kRetryPause, [this] { return stopping_; });
        if (stopping_ && ++final_attempts_ > kFinalAttempts) {
          return;
        }
      }
    }
  }

  // Measured on two shared cores at 64 connections: committing as soon as the previous
  // commit ended gave the fewest checks a second (about 8,000), 0.3 and 1 ms about 12,000
  // and 14,000, 3 ms no better than 1 ms.
  static constexpr std::chrono::milliseconds kGather{1};
  static constexpr std::chrono::milliseconds kRetryPause{100};
  static constexpr int kFinalAttempts = 3;  // after the server stops, before giving up

  static inline thread_local LogTicket pending_;

  Store& store_;
  std::mutex mutex_;
  std::condition_variable wake_;
  LogBatch queue_;
  uint64_t last_ticket_ = 0;  // tickets count records queued, from 1
  uint64_t committed_ = 0;    // every ticket up to this one is committed
  std::multimap<uint64_t, Done> waiting_;
  std::vector<Committed> committed_hooks_;
  bool stopping_ = false;
  int final_attempts_ = 0;
  std::thread thread_;  // last: starts after every other member is ready
};

}  // namespace harvest::store
