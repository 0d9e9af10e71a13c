// Demo police officers allowed to check receipts by SMS: about 60, posted mostly where praedial
// larceny clusters, a few blocked (moved or lost their phone).
#include <cstdio>
#include <set>

#include "demo/generator.h"

namespace harvest::demo {
namespace {

constexpr int kOfficers = 60;
constexpr int kBlocked = 3;

std::string_view Rank(Random& random) {
  double u = random.Unit();
  return u < 0.5 ? "Const." : u < 0.75 ? "Cpl." : u < 0.92 ? "Sgt." : "Insp.";
}

}  // namespace

std::string WriteOfficers(store::Store& store, uint64_t seed, int64_t& written) {
  Random random(seed, kOfficerStream);
  std::vector<double> weights;
  for (const ParishPlaces& place : Places()) {
    weights.push_back(place.officer_weight);
  }
  WeightedTable parishes(weights);
  std::set<int64_t> blocked;
  while (blocked.size() < kBlocked) {
    blocked.insert(random.Between(0, kOfficers - 1));
  }
  std::set<int64_t> badges;
  std::set<int64_t> phones;
  std::string sample_phone;
  PendingRows officers(store, "officers", written);
  for (int64_t i = 0; i < kOfficers; ++i) {
    int64_t badge = 0;
    while (badge == 0 || !badges.insert(badge).second) {
      badge = random.Between(10000, 99999);
    }
    int64_t line = 0;
    // +1876 2XX XXXX: a range no demo farmer's phone uses.
    while (line == 0 || !phones.insert(line).second) {
      line = random.Between(2000000, 2999999);
    }
    char phone[20];
    std::snprintf(phone, sizeof phone, "+1876%07lld", static_cast<long long>(line));
    const ParishPlaces& place = Places()[parishes.Pick(random)];
    bool active = !blocked.contains(i);
    if (active && sample_phone.empty()) {
      sample_phone = phone;
    }

    store::Row& row = officers.Add();
    auto set = [&](std::string_view field, store::Value value) {
      row[officers.Field(field)] = std::move(value);
    };
    set("phone", std::string(phone));
    set("badge", "JCF " + std::to_string(badge));
    std::string_view rank = Rank(random);
    set("name", std::string(rank) + " " + PersonName(random, random.Chance(0.25)));
    set("station", std::string(random.Pick(std::span(place.police_stations))));
    set("parish", std::string(place.code));
    set("status", std::string(active ? "active" : "blocked"));
  }
  officers.Flush();
  return sample_phone;
}

}  // namespace harvest::demo
