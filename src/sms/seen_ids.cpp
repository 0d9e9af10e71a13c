#include "sms/seen_ids.h"

#include <functional>

namespace harvest::sms {
namespace {

// 10 bits and 7 probes per id: about 1 % false "maybe".
constexpr size_t kBitsPerId = 10;
constexpr int kProbes = 7;
constexpr size_t kFirstCapacity = 1 << 16;

// Two hashes of one id for double hashing (probe i at h1 + i * h2).
std::pair<uint64_t, uint64_t> Hashes(std::string_view id) {
  uint64_t h = std::hash<std::string_view>{}(id);
  // splitmix64's finaliser, to draw a second, independent-looking hash from the first.
  uint64_t z = h + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return {h, z | 1};
}

template <typename Visit>
bool Probe(const std::vector<uint64_t>& bits, std::pair<uint64_t, uint64_t> h, Visit visit) {
  uint64_t n = bits.size() * 64;
  for (int i = 0; i < kProbes; ++i) {
    uint64_t bit = (h.first + static_cast<uint64_t>(i) * h.second) % n;
    if (!visit(bit / 64, uint64_t{1} << (bit % 64))) {
      return false;
    }
  }
  return true;
}

}  // namespace

void SeenIds::Add(std::string_view id) {
  if (filters_.empty() || filters_.back().count >= filters_.back().capacity) {
    size_t capacity = filters_.empty() ? kFirstCapacity : filters_.back().capacity * 2;
    filters_.push_back(Filter{std::vector<uint64_t>(capacity * kBitsPerId / 64), capacity, 0});
  }
  Filter& f = filters_.back();
  Probe(f.bits, Hashes(id), [&](size_t word, uint64_t mask) {
    f.bits[word] |= mask;
    return true;
  });
  ++f.count;
  ++count_;
}

bool SeenIds::MaybeSeen(std::string_view id) const {
  auto h = Hashes(id);
  for (const Filter& f : filters_) {
    if (Probe(f.bits, h, [&](size_t word, uint64_t mask) { return (f.bits[word] & mask) != 0; })) {
      return true;
    }
  }
  return false;
}

}  // namespace harvest::sms
