#include "http/metrics.h"

#include <cstdio>

#include "registry/clock.h"

namespace harvest::http {

Metrics::Metrics() : started_(registry::NowUnix()) {}

void Metrics::Observe(std::string_view route, int status, double seconds) {
  size_t r = kRoutes.size() - 1;
  for (size_t i = 0; i < kRoutes.size(); ++i) {
    if (kRoutes[i] == route) {
      r = i;
    }
  }
  PerRoute& m = routes_[r];
  size_t cls = static_cast<size_t>(status / 100);
  m.by_class[cls < m.by_class.size() ? cls : 0].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) {
    ++b;
  }
  m.buckets[b].fetch_add(1, std::memory_order_relaxed);
  m.micros_total.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out;
  char line[256];
  out +=
      "# HELP harvest_http_requests_total HTTP requests answered, by route group and status "
      "class.\n";
  out += "# TYPE harvest_http_requests_total counter\n";
  for (size_t r = 0; r < kRoutes.size(); ++r) {
    for (size_t c = 1; c < 6; ++c) {
      std::snprintf(line, sizeof line,
                    "harvest_http_requests_total{route=\"%s\",status=\"%zuxx\"} %llu\n",
                    std::string(kRoutes[r]).c_str(), c,
                    static_cast<unsigned long long>(routes_[r].by_class[c].load()));
      out += line;
    }
  }
  out += "# HELP harvest_http_request_duration_seconds Time to answer a request.\n";
  out += "# TYPE harvest_http_request_duration_seconds histogram\n";
  for (size_t r = 0; r < kRoutes.size(); ++r) {
    uint64_t cumulative = 0;
    std::string name(kRoutes[r]);
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += routes_[r].buckets[b].load();
      if (b < kBuckets.size()) {
        std::snprintf(line, sizeof line,
                      "harvest_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                      name.c_str(), kBuckets[b], static_cast<unsigned long long>(cumulative));
      } else {
        std::snprintf(
            line, sizeof line,
            "harvest_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
            name.c_str(), static_cast<unsigned long long>(cumulative));
      }
      out += line;
    }
    std::snprintf(line, sizeof line,
                  "harvest_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "harvest_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  name.c_str(), static_cast<double>(routes_[r].micros_total.load()) / 1e6,
                  name.c_str(), static_cast<unsigned long long>(cumulative));
    out += line;
  }
  std::snprintf(line, sizeof line,
                "# HELP harvest_uptime_seconds Seconds since the server started.\n"
                "# TYPE harvest_uptime_seconds gauge\nharvest_uptime_seconds %lld\n",
                static_cast<long long>(registry::NowUnix() - started_));
  out += line;
  return out;
}

}  // namespace harvest::http
