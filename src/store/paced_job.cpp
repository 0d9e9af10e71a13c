#include "store/paced_job.h"

#include <pthread.h>

#include <algorithm>
#include <iostream>

namespace harvest::store {

PacedJob::PacedJob(std::string thread_name, std::string what, int spacing,
                   std::chrono::milliseconds floor, std::function<void()> job)
    : what_(std::move(what)), spacing_(spacing), floor_(floor), job_(std::move(job)) {
  thread_ = std::thread([this, name = std::move(thread_name)] {
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    Loop();
  });
}

PacedJob::~PacedJob() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PacedJob::Wake() {
  std::lock_guard lock(mutex_);
  if (!wanted_) {
    wanted_ = true;
    wake_.notify_one();
  }
}

void PacedJob::RunNow() {
  std::lock_guard one_at_a_time(run_mutex_);
  auto started = std::chrono::steady_clock::now();
  try {
    job_();
  } catch (...) {
    std::lock_guard lock(mutex_);
    next_run_ = std::chrono::steady_clock::now() + floor_;
    throw;
  }
  auto took = std::chrono::steady_clock::now() - started;
  std::lock_guard lock(mutex_);
  next_run_ = std::chrono::steady_clock::now() +
              std::max<std::chrono::steady_clock::duration>(floor_, spacing_ * took);
}

void PacedJob::Loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || wanted_; });
    if (wake_.wait_until(lock, next_run_, [&] { return stopping_; })) {
      return;
    }
    wanted_ = false;
    lock.unlock();
    try {
      RunNow();
    } catch (const std::exception& e) {
      std::cerr << "harvest: " << what_ << " failed (tried again on the next change): " << e.what()
                << "\n";
    }
    lock.lock();
  }
}

}  // namespace harvest::store
