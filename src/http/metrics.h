// Counters for GET /metrics in the Prometheus text format. Lock-free: each request bumps
// a few atomics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace harvest::http {

class Metrics {
 public:
  Metrics();
  // `route` is a small fixed set of names (dataset, verify, sms, meta, other).
  void Observe(std::string_view route, int status, double seconds);
  std::string Render() const;

 private:
  static constexpr std::array<std::string_view, 6> kRoutes = {"dataset", "verify", "sms",
                                                              "meta",    "web",    "other"};
  static constexpr std::array<double, 8> kBuckets = {0.0005, 0.001, 0.0025, 0.005,
                                                     0.01,   0.025, 0.1,    1.0};
  struct PerRoute {
    std::array<std::atomic<uint64_t>, 6> by_class{};  // 1xx..5xx, index = status / 100
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<uint64_t> micros_total{0};
  };
  std::array<PerRoute, kRoutes.size()> routes_;
  int64_t started_;
};

}  // namespace harvest::http
