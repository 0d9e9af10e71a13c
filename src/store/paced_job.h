// A job that a background thread runs again whenever it is asked to, at a bounded cost: the
// copies and rebuilds that keep in-memory or derived data current after writes (the receipt
// index, the published aggregates) run off the request path, and a steady stream of writes
// cannot make them take over a core.
//
// Depends on the standard library only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace harvest::store {

class PacedJob {
 public:
  // After a run that took d, the next starts no sooner than max(floor, spacing·d) later, so
  // the job costs at most 1/spacing of a core. `thread_name` (15 characters at most) shows in
  // `top -H`; `what` names the job in the message logged when a run fails (the next Wake
  // tries again).
  PacedJob(std::string thread_name, std::string what, int spacing, std::chrono::milliseconds floor,
           std::function<void()> job);
  ~PacedJob();  // waits for a run in progress, then stops the thread
  PacedJob(const PacedJob&) = delete;
  PacedJob& operator=(const PacedJob&) = delete;

  // Asks for a run; cheap when one is already asked for.
  void Wake();
  // Runs the job on the calling thread now, one at a time with the background runs; errors
  // reach the caller.
  void RunNow();

 private:
  void Loop();

  const std::string what_;
  const int spacing_;
  const std::chrono::milliseconds floor_;
  const std::function<void()> job_;
  std::mutex run_mutex_;  // one run at a time
  std::mutex mutex_;      // guards what follows
  bool wanted_ = false;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point next_run_{};
  std::condition_variable wake_;
  std::thread thread_;  // last: started once everything above is ready
};

}  // namespace harvest::store
