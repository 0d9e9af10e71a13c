// Demo farmers: who they are, where they live, what they do, and the dates and flags RADA keeps.
// Registration numbers, TRNs and phones are affine permutations of the farmer's index (step
// coprime to the number space), so they are unique without remembering the ones handed out.
#include <algorithm>
#include <cstdio>
#include <numeric>

#include "demo/generator.h"
#include "registry/parish.h"
#include "registry/text_values.h"

namespace harvest::demo {
namespace {

constexpr uint64_t kIdSpace = 1000000000;  // 9-digit registration numbers, leading zeros kept
constexpr uint64_t kTrnSpace = 100000000;  // TRNs of individuals: 1 and 8 digits
// Mobile numbers +1876 NXX XXXX with NXX 300-899 except 555 (fictional numbers that tests use);
// officers' phones use 2XX, so no farmer shares an officer's phone.
constexpr uint64_t kExchanges = 599;
constexpr uint64_t kPhoneSpace = kExchanges * 10000;

uint64_t CoprimeStep(Random& random, uint64_t space) {
  for (;;) {
    uint64_t step = space / 3 + random.Below(space / 3);
    if (std::gcd(step, space) == 1) {
      return step;
    }
  }
}

struct ActivityLean {
  std::string_view parish;
  Activity activity;
  double factor;
};

// Where an activity is more (or less) common than the national mix.
constexpr ActivityLean kLeanings[] = {
    {"KIN", Activity::kFisheries, 4},
    {"KIN", Activity::kPoultry, 2},
    {"KIN", Activity::kDomesticCrops, 1.5},
    {"AND", Activity::kTraditionalExport, 3},
    {"AND", Activity::kDomesticCrops, 1.5},
    {"POR", Activity::kTraditionalExport, 3},
    {"MRY", Activity::kTraditionalExport, 2.5},
    {"THO", Activity::kTraditionalExport, 2},
    {"THO", Activity::kGoats, 1.3},
    {"ANN", Activity::kTraditionalExport, 1.5},
    {"ANN", Activity::kCattle, 2},
    {"ELZ", Activity::kDomesticCrops, 1.5},
    {"ELZ", Activity::kCattle, 2},
    {"ELZ", Activity::kGoats, 1.3},
    {"ELZ", Activity::kFisheries, 1.5},
    {"MAN", Activity::kDomesticCrops, 1.5},
    {"MAN", Activity::kCattle, 2},
    {"CLA", Activity::kCattle, 1.5},
    {"CLA", Activity::kGoats, 1.3},
    {"CLA", Activity::kFisheries, 2},
    {"CAT", Activity::kPoultry, 2},
    {"CAT", Activity::kFisheries, 2},
    {"WML", Activity::kFisheries, 2},
    {"WML", Activity::kCattle, 1.5},
    {"HAN", Activity::kFisheries, 1.5},
    {"TRL", Activity::kPigs, 1.5},
};

// Family names heard most often in Jamaica come up more often in the register.
constexpr std::string_view kCommonLastNames[] = {
    "Brown",   "Campbell", "Williams", "Thompson", "Morgan",   "Reid",   "Gordon",
    "Clarke",  "Smith",    "Johnson",  "Wright",   "Lewis",    "Grant",  "Francis",
    "Bailey",  "Henry",    "Robinson", "Walker",   "McKenzie", "Thomas", "Richards",
    "Edwards", "Stewart",  "Palmer",   "Powell",   "Miller",   "Green",  "Allen",
};

}  // namespace

FarmerMaker::FarmerMaker(uint64_t seed, int64_t today)
    : random_(seed, kFarmerStream), today_(today) {
  id_step_ = CoprimeStep(random_, kIdSpace);
  id_offset_ = random_.Below(kIdSpace);
  trn_step_ = CoprimeStep(random_, kTrnSpace);
  trn_offset_ = random_.Below(kTrnSpace);
  phone_step_ = CoprimeStep(random_, kPhoneSpace);
  phone_offset_ = random_.Below(kPhoneSpace);

  std::vector<double> parish_weights;
  for (const ParishPlaces& p : Places()) {
    parish_weights.push_back(p.farmer_weight);
    std::vector<double> weights;
    for (size_t a = 0; a < kActivityCount; ++a) {
      auto activity = static_cast<Activity>(a);
      double w = ActivityWeight(activity);
      for (const ActivityLean& lean : kLeanings) {
        if (lean.parish == p.code && lean.activity == activity) {
          w *= lean.factor;
        }
      }
      weights.push_back(w);
    }
    activities_.emplace_back(weights);
  }
  parishes_ = WeightedTable(parish_weights);

  std::vector<double> name_weights;
  for (std::string_view name : LastNames()) {
    bool common = std::find(std::begin(kCommonLastNames), std::end(kCommonLastNames), name) !=
                  std::end(kCommonLastNames);
    name_weights.push_back(common ? 5 : 1);
  }
  last_names_ = WeightedTable(name_weights);
}

std::string FarmerMaker::IdOf(int64_t index) const {
  uint64_t n = (static_cast<uint64_t>(index) * id_step_ + id_offset_) % kIdSpace;
  char text[16];
  std::snprintf(text, sizeof text, "%09llu", static_cast<unsigned long long>(n));
  return text;
}

std::string FarmerMaker::PhoneOf(int64_t index) const {
  uint64_t n = (static_cast<uint64_t>(index) * phone_step_ + phone_offset_) % kPhoneSpace;
  uint64_t exchange = 300 + n / 10000;
  if (exchange >= 555) {
    ++exchange;
  }
  char text[20];
  std::snprintf(text, sizeof text, "+1876%03llu%04llu", static_cast<unsigned long long>(exchange),
                static_cast<unsigned long long>(n % 10000));
  return text;
}

FarmerPlan FarmerMaker::Make(int64_t index, FarmerPlan::Role role, PendingRows& farmers) {
  bool model = role == FarmerPlan::Role::kModel;
  FarmerPlan plan;
  plan.id = IdOf(index);
  plan.role = role;
  store::Row& row = farmers.Add();
  auto set = [&](std::string_view field, store::Value value) {
    row[farmers.Field(field)] = std::move(value);
  };

  bool female = random_.Chance(0.32);
  set("id", plan.id);
  set("first_name",
      std::string(female ? random_.Pick(FemaleFirstNames()) : random_.Pick(MaleFirstNames())));
  set("last_name", std::string(LastNames()[last_names_.Pick(random_)]));
  if (random_.Chance(0.12)) {
    set("alias", std::string(female ? random_.Pick(FemaleAliases()) : random_.Pick(MaleAliases())));
  }
  set("sex", std::string(female ? "F" : "M"));
  uint64_t trn = 100000000 + (static_cast<uint64_t>(index) * trn_step_ + trn_offset_) % kTrnSpace;
  set("trn", std::to_string(trn));
  if (model || random_.Chance(0.85)) {
    set("phone", PhoneOf(index));
  }

  plan.parish = parishes_.Pick(random_);
  const ParishPlaces& place = Places()[plan.parish];
  plan.district = random_.Below(place.districts.size());
  set("parish", std::string(place.code));
  set("district", std::string(place.districts[plan.district].name));
  set("extension_area", std::string(place.districts[plan.district].extension_area));
  plan.activity = model ? Activity::kNonTraditionalExport
                        : static_cast<Activity>(activities_[plan.parish].Pick(random_));
  set("activity", std::string(ActivityName(plan.activity)));

  Dates(plan, row, farmers);

  std::string remarks;
  double fate = random_.Unit();
  std::string status = "active";
  if (!model && fate < 0.01) {
    status = "deceased";
    remarks = "Deceased; reported by next of kin";
  } else if (!model && fate < 0.02) {
    status = "suspended";
    remarks = "Suspended pending RADA review of registration";
  }
  plan.active = status == "active";
  set("status", status);
  bool investigated = !model && random_.Chance(0.003);
  set("under_investigation", int64_t{investigated ? 1 : 0});
  if (investigated) {
    remarks += remarks.empty() ? "" : "; ";
    remarks += "Under police investigation (praedial larceny)";
  }
  if (!remarks.empty()) {
    set("remarks", remarks);
  }
  return plan;
}

// Registration, verification, card expiry and birth, all consistent with one another and with
// the reference date: a card lasts 3 years and is renewed on the anniversary of registration,
// unless the farmer let it lapse.
void FarmerMaker::Dates(FarmerPlan& plan, store::Row& row, PendingRows& farmers) {
  auto set = [&](std::string_view field, store::Value value) {
    row[farmers.Field(field)] = std::move(value);
  };
  bool model = plan.role == FarmerPlan::Role::kModel;
  int64_t latest = today_ - 1;
  int64_t start = std::min(registry::DaysFromCivil(2008, 1, 1), latest);
  // ABIS enrolled most of its register by 2014; registrations continue at a slower pace.
  int64_t drive_end = std::clamp(registry::DaysFromCivil(2014, 12, 31), start, latest);
  int64_t registered = model                  ? today_ - random_.Between(30, 700)
                       : random_.Chance(0.55) ? random_.Between(start, drive_end)
                                              : random_.Between(drive_end, latest);
  plan.registered_on = registered;
  set("registered_on", IsoDate(registered));

  bool recent = today_ - registered < 180;
  plan.verified = model || random_.Chance(recent ? 0.35 : 0.81);
  set("verified", int64_t{plan.verified ? 1 : 0});
  if (plan.verified) {
    set("verified_on", IsoDate(std::min(latest, registered + random_.Between(7, 120))));
  }

  int cycles = 0;  // full 3-year card periods already over
  while (AddYears(registered, 3 * (cycles + 1)) <= today_) {
    ++cycles;
  }
  bool lapsed = !model && cycles > 0 && random_.Chance(0.24);
  int periods = lapsed ? static_cast<int>(random_.Between(1, cycles)) : cycles + 1;
  set("card_expires_on", IsoDate(AddYears(registered, 3 * periods)));

  // Farmers were at least 18 when they registered; the register skews towards middle age.
  double years_registered = static_cast<double>(today_ - registered) / 365.2425;
  double age = 18 + 67 * (random_.Unit() + random_.Unit() + random_.Unit()) / 3;
  if (age < 18 + years_registered) {
    age = 18 + years_registered + random_.Real(0, 8);
  }
  age = std::clamp(age, 18.05, 85.5);
  set("date_of_birth", IsoDate(today_ - static_cast<int64_t>(age * 365.2425)));
}

}  // namespace harvest::demo
