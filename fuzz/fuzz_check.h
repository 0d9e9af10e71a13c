// What every fuzz target shares: the input as text, and a check that aborts (so libFuzzer
// keeps the input as a crash) when a property of the code under test does not hold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace harvest::fuzz {

inline std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

[[noreturn]] inline void Fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: property does not hold: %s\n", file, line, what);
  std::abort();
}

}  // namespace harvest::fuzz

#define FUZZ_CHECK(cond) \
  ((cond) ? (void)0 : ::harvest::fuzz::Fail(#cond, __FILE__, __LINE__))
