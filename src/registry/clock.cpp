#include "registry/clock.h"

#include <chrono>
#include <ctime>

namespace harvest::registry {

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string UnixToRfc3339(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string NowRfc3339() {
  return UnixToRfc3339(NowUnix());
}

std::string TodayIso() {
  return NowRfc3339().substr(0, 10);
}

}  // namespace harvest::registry
