// The demo generator's own random numbers: xoshiro256** seeded through splitmix64, with uniform
// and weighted helpers built from integer arithmetic and basic floating-point operations only.
// std:: distributions are avoided on purpose: their output differs between standard libraries,
// and the demo data must be the same everywhere for a given seed.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace harvest::demo {

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Random {
 public:
  // `stream` separates independent sequences drawn from one seed (prices do not move when the
  // number of farmers changes).
  explicit Random(uint64_t seed, uint64_t stream = 0) {
    uint64_t mix = seed ^ (stream * 0xd1b54a32d192ed03ULL);
    for (uint64_t& word : state_) {
      word = SplitMix64(mix);
    }
  }

  uint64_t Next() {
    uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. The modulo bias is below 2^-40 for the sizes used here.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform in [lo, hi], inclusive.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1) with 53 random bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Real(double lo, double hi) { return lo + (hi - lo) * Unit(); }
  bool Chance(double p) { return Unit() < p; }

  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

// Picks indices in proportion to fixed weights (binary search over running totals).
class WeightedTable {
 public:
  WeightedTable() = default;
  explicit WeightedTable(std::span<const double> weights) {
    double total = 0;
    running_.reserve(weights.size());
    for (double w : weights) {
      total += w > 0 ? w : 0;
      running_.push_back(total);
    }
  }

  bool empty() const { return running_.empty() || running_.back() <= 0; }

  size_t Pick(Random& random) const {
    double target = random.Unit() * running_.back();
    auto it = std::upper_bound(running_.begin(), running_.end(), target);
    return std::min(static_cast<size_t>(it - running_.begin()), running_.size() - 1);
  }

 private:
  std::vector<double> running_;
};

}  // namespace harvest::demo
