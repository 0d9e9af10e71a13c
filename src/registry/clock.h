// Wall-clock time as the registry records it (UTC). Code that decides on time (the verdict
// engine) takes `now` as a parameter instead, so tests can fix it.
#pragma once

#include <cstdint>
#include <string>

namespace harvest::registry {

int64_t NowUnix();
std::string NowRfc3339();  // 2026-11-20T14:03:00Z
std::string UnixToRfc3339(int64_t unix_seconds);
std::string TodayIso();  // 2026-11-20

}  // namespace harvest::registry
