#include "store/value.h"

#include <charconv>

namespace harvest::store {

std::string ValueText(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&v)) {
    // Shortest text that reads back as the same double, never in exponent form (CSV
    // readers and people both expect 1000000, not 1e+06).
    char buf[400];
    auto result = std::to_chars(buf, buf + sizeof buf, *d, std::chars_format::fixed);
    return std::string(buf, result.ptr);
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    return *s;
  }
  return {};
}

}  // namespace harvest::store
