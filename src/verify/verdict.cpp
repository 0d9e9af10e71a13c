#include "verify/verdict.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

namespace harvest::verify {

namespace {

// Floating-point products such as 500 * 1.1 land a hair either side of the exact limit; this
// keeps "exactly at the threshold" on the allowed side.
constexpr double kRelativeSlack = 1e-9;

bool Exceeds(double value, double limit) {
  return value > limit + std::max(1.0, std::abs(limit)) * kRelativeSlack;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

enum class Dimension { kMass, kCount, kContainer };

struct UnitDef {
  std::string_view name;
  Dimension dimension;
  double factor;  // in kg for mass, in pieces for count; unused for containers
};

constexpr std::array<UnitDef, 17> kUnits = {{
    {"kg", Dimension::kMass, 1.0},
    {"g", Dimension::kMass, 0.001},
    {"lb", Dimension::kMass, 0.45359237},
    {"oz", Dimension::kMass, 0.028349523125},
    {"tonne", Dimension::kMass, 1000.0},
    {"unit", Dimension::kCount, 1.0},
    {"dozen", Dimension::kCount, 12.0},
    {"bunch", Dimension::kContainer, 0},
    {"hand", Dimension::kContainer, 0},
    {"bundle", Dimension::kContainer, 0},
    {"bag", Dimension::kContainer, 0},
    {"box", Dimension::kContainer, 0},
    {"crate", Dimension::kContainer, 0},
    {"tray", Dimension::kContainer, 0},
    {"bucket", Dimension::kContainer, 0},
    {"barrel", Dimension::kContainer, 0},
    {"litre", Dimension::kContainer, 0},
}};

struct Spelling {
  std::string_view word;
  std::string_view unit;
};

// Spellings seen on phones and in registry extracts. Plain plurals ("bags", "crates") need no
// entry: CanonicalUnit retries without a trailing "s". "ton" is taken as the metric tonne, the
// only ton the registry records.
constexpr std::array<Spelling, 42> kSpellings = {{
    {"kgs", "kg"},       {"kilo", "kg"},       {"kilos", "kg"},       {"kilogram", "kg"},
    {"kilograms", "kg"}, {"kilogramme", "kg"}, {"kilogrammes", "kg"}, {"gm", "g"},
    {"gms", "g"},        {"gram", "g"},        {"gramme", "g"},       {"grammes", "g"},
    {"lbs", "lb"},       {"pound", "lb"},      {"ounce", "oz"},       {"t", "tonne"},
    {"ton", "tonne"},    {"mt", "tonne"},      {"u", "unit"},         {"pc", "unit"},
    {"pcs", "unit"},     {"piece", "unit"},    {"each", "unit"},      {"ea", "unit"},
    {"head", "unit"},    {"doz", "dozen"},     {"dz", "dozen"},       {"dzn", "dozen"},
    {"dozn", "dozen"},   {"bunches", "bunch"}, {"bnch", "bunch"},     {"bch", "bunch"},
    {"bndl", "bundle"},  {"sack", "bag"},      {"boxes", "box"},      {"bx", "box"},
    {"crt", "crate"},    {"brl", "barrel"},    {"l", "litre"},        {"lt", "litre"},
    {"ltr", "litre"},    {"liter", "litre"},
}};

}  // namespace

std::vector<std::string_view> UnitNames() {
  std::vector<std::string_view> names;
  for (const UnitDef& u : kUnits) {
    names.push_back(u.name);
  }
  return names;
}

namespace {

const UnitDef* FindUnit(std::string_view word) {
  std::string canonical = CanonicalUnit(word);
  for (const UnitDef& u : kUnits) {
    if (u.name == canonical) {
      return &u;
    }
  }
  return nullptr;
}

std::string LookupUnit(const std::string& word) {
  for (const UnitDef& u : kUnits) {
    if (u.name == word) {
      return std::string(u.name);
    }
  }
  for (const Spelling& s : kSpellings) {
    if (s.word == word) {
      return std::string(s.unit);
    }
  }
  return "";
}

std::string FormatAmount(double amount) {
  char buf[64];
  if (!(std::abs(amount) < 1e15)) {
    // Nonsense from a typo ("5000000000000000 kg") is shown, not trusted to %.2f's width.
    std::snprintf(buf, sizeof buf, "%g", amount);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.2f", amount);
  std::string s(buf);
  while (!s.empty() && s.back() == '0') {
    s.pop_back();
  }
  if (!s.empty() && s.back() == '.') {
    s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

// Words of a commodity name, lowercased, punctuation dropped and plural endings removed, so
// "Irish Potatoes" and "irish potato" compare equal.
std::vector<std::string> CommodityWords(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (word.empty()) {
      return;
    }
    if (word.size() > 4 && word.ends_with("ies")) {
      word = word.substr(0, word.size() - 3) + "y";
    } else if (word.size() > 4 && word.ends_with("oes")) {
      word.resize(word.size() - 2);
    } else if (word.size() > 3 && word.back() == 's' && !word.ends_with("ss")) {
      word.pop_back();
    }
    words.push_back(word);
    word.clear();
  };
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      word.push_back(static_cast<char>(std::tolower(u)));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

bool ContainsAll(const std::vector<std::string>& haystack,
                 const std::vector<std::string>& needles) {
  return std::all_of(needles.begin(), needles.end(), [&](const std::string& n) {
    return std::find(haystack.begin(), haystack.end(), n) != haystack.end();
  });
}

std::string Capitalized(std::string s) {
  if (!s.empty()) {
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  }
  return s;
}

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

std::string OnDate(std::string_view date) {
  return date.empty() ? std::string() : " " + std::string(date);
}

void AddBookSignals(const BookFacts& book, std::vector<Signal>& out) {
  std::string status = Lower(Trim(book.status));
  std::string subject = "Book " + book.serial;
  if (status == "stolen") {
    out.push_back({std::string(code::kBookStolen),
                   subject + " reported STOLEN" + OnDate(book.status_changed_on) + "."});
  } else if (status == "lost") {
    out.push_back({std::string(code::kBookLost),
                   subject + " reported LOST" + OnDate(book.status_changed_on) + "."});
  } else if (status == "cancelled") {
    out.push_back({std::string(code::kBookCancelled),
                   subject + " was CANCELLED" + OnDate(book.status_changed_on) + "."});
  }
}

void AddFarmerAlerts(const FarmerFacts& farmer, std::vector<Signal>& out) {
  std::string subject = "Farmer " + farmer.id;
  if (farmer.under_investigation) {
    out.push_back(
        {std::string(code::kFarmerUnderInvestigation), subject + " is under investigation."});
  }
  std::string status = Lower(Trim(farmer.status));
  if (status == "deceased") {
    out.push_back({std::string(code::kFarmerInactive), subject + " is recorded as DECEASED."});
  } else if (!status.empty() && status != "active") {
    std::string upper = status;
    for (char& c : upper) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    out.push_back({std::string(code::kFarmerInactive), subject + " is " + upper + "."});
  }
}

std::optional<Signal> SaleMismatch(const SaleFacts& sale, const Observed& observed,
                                   const Thresholds& thresholds) {
  bool commodity_differs = !Trim(observed.commodity).empty() && !Trim(sale.commodity).empty() &&
                           !SameCommodity(observed.commodity, sale.commodity);
  bool units_differ = false;
  bool over = false;
  std::string observed_unit = Trim(observed.unit).empty() ? sale.unit : observed.unit;
  if (observed.quantity) {
    std::optional<double> in_sale_units =
        ConvertQuantity(*observed.quantity, observed_unit, sale.unit);
    if (!in_sale_units) {
      units_differ = true;
    } else {
      over = Exceeds(*in_sale_units, sale.quantity * (1.0 + thresholds.quantity_tolerance));
    }
  }
  if (!commodity_differs && !units_differ && !over) {
    return std::nullopt;
  }
  std::string recorded =
      FormatQuantity(sale.quantity, sale.unit) + " " + Lower(Trim(sale.commodity));
  std::string seen_quantity =
      observed.quantity ? FormatQuantity(*observed.quantity, observed_unit) : "";
  std::string seen_commodity = commodity_differs ? Lower(Trim(observed.commodity)) : "";
  std::string seen = Trim(seen_quantity + " " + seen_commodity);
  std::string message;
  if (units_differ) {
    message = "Units differ: observed " + seen + ", but the recorded sale is " + recorded + ".";
  } else if (over && !commodity_differs) {
    message = "Observed " + seen + ", more than the recorded sale of " + recorded + ".";
  } else {
    message = "Observed " + seen + ", but the recorded sale is " + recorded + ".";
  }
  return Signal{std::string(code::kSaleMismatch), message};
}

std::optional<Signal> Recheck(const ReceiptFacts& facts, const Thresholds& thresholds,
                              int64_t now_unix) {
  const int64_t count_window = int64_t{thresholds.recheck_window_hours} * 3600;
  const int64_t parish_window = int64_t{thresholds.parish_window_hours} * 3600;
  int recent = 0;
  std::set<std::string> parishes;
  if (!Trim(facts.parish).empty()) {
    parishes.insert(Lower(Trim(facts.parish)));
  }
  for (const PriorCheck& check : facts.prior_checks) {
    // A check stamped slightly in the future (clock skew between servers) still counts.
    int64_t age = now_unix - check.at_unix;
    if (age <= count_window) {
      ++recent;
    }
    if (age <= parish_window && !Trim(check.parish).empty()) {
      parishes.insert(Lower(Trim(check.parish)));
    }
  }
  // A non-positive threshold switches that test off rather than firing on every check.
  bool too_many = thresholds.recheck_count > 0 && recent >= thresholds.recheck_count;
  bool too_spread = thresholds.recheck_parishes > 0 &&
                    static_cast<int>(parishes.size()) >= thresholds.recheck_parishes;
  if (!too_many && !too_spread) {
    return std::nullopt;
  }
  std::string message = "Receipt already checked";
  if (too_many) {
    message += " " + std::to_string(recent) + (recent == 1 ? " time" : " times") + " in " +
               std::to_string(thresholds.recheck_window_hours) + " h";
  }
  if (too_many && too_spread) {
    message += ",";
  }
  if (too_spread) {
    message += " in " + std::to_string(parishes.size()) + " parishes within " +
               std::to_string(thresholds.parish_window_hours) + " h";
  }
  return Signal{std::string(code::kReceiptRechecked), message + "."};
}

std::optional<Signal> Volume(const VolumeFacts& volume, const Thresholds& thresholds) {
  if (thresholds.volume_factor <= 0 ||
      !Exceeds(volume.season_sales_kg, volume.expected_kg * thresholds.volume_factor)) {
    return std::nullopt;
  }
  std::string crop = Lower(Trim(volume.crop));
  std::string sales = Capitalized(crop.empty() ? "crop" : crop) + " sales this season, " +
                      FormatAmount(volume.season_sales_kg) + " kg,";
  std::string message;
  if (volume.expected_kg <= 0) {
    message = sales + " but his farms have none of it on record.";
  } else {
    message = sales + " are over " + FormatAmount(thresholds.volume_factor * 100) + "% of the " +
              FormatAmount(volume.expected_kg) + " kg his farms should yield.";
  }
  return Signal{std::string(code::kVolumeImplausible), message};
}

}  // namespace

std::string CanonicalUnit(std::string_view word) {
  std::string w = Lower(Trim(word));
  while (!w.empty() && w.back() == '.') {
    w.pop_back();
  }
  if (w.empty()) {
    return "";
  }
  std::string found = LookupUnit(w);
  if (found.empty() && w.size() > 2 && w.back() == 's') {
    found = LookupUnit(w.substr(0, w.size() - 1));
  }
  return found;
}

std::optional<double> ConvertQuantity(double amount, std::string_view from, std::string_view to) {
  const UnitDef* a = FindUnit(from);
  const UnitDef* b = FindUnit(to);
  if (a == nullptr || b == nullptr) {
    // Units outside the vocabulary compare only with the same word.
    if (a == nullptr && b == nullptr && !Trim(from).empty() &&
        Lower(Trim(from)) == Lower(Trim(to))) {
      return amount;
    }
    return std::nullopt;
  }
  if (a == b) {
    return amount;
  }
  if (a->dimension != b->dimension || a->dimension == Dimension::kContainer) {
    return std::nullopt;
  }
  return amount * a->factor / b->factor;
}

bool SameCommodity(std::string_view a, std::string_view b) {
  std::vector<std::string> wa = CommodityWords(a);
  std::vector<std::string> wb = CommodityWords(b);
  if (wa.empty() || wb.empty()) {
    return wa.empty() && wb.empty();
  }
  return ContainsAll(wa, wb) || ContainsAll(wb, wa);
}

std::string FormatQuantity(double amount, std::string_view unit) {
  std::string canonical = CanonicalUnit(unit);
  std::string shown = canonical.empty() ? Lower(Trim(unit)) : canonical;
  if (shown.empty()) {
    return FormatAmount(amount);
  }
  // Abbreviations and "dozen" never take a plural; the container words do.
  bool countable = !canonical.empty() && FindUnit(canonical)->dimension != Dimension::kMass &&
                   canonical != "dozen";
  if (countable && amount != 1.0) {
    shown += (canonical == "bunch" || canonical == "box") ? "es" : "s";
  } else if (canonical == "tonne" && amount != 1.0) {
    shown += "s";
  }
  return FormatAmount(amount) + " " + shown;
}

std::string_view VerdictWord(Verdict v) {
  switch (v) {
    case Verdict::kValid:
      return "VALID";
    case Verdict::kCheck:
      return "CHECK";
    case Verdict::kAlert:
      return "ALERT";
    case Verdict::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::string UtcDate(int64_t unix_seconds) {
  using std::chrono::days;
  using std::chrono::seconds;
  using std::chrono::sys_seconds;
  const std::chrono::year_month_day ymd{
      std::chrono::floor<days>(sys_seconds{seconds{unix_seconds}})};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

Result Evaluate(const ReceiptFacts& facts, const Thresholds& thresholds, int64_t now_unix) {
  Result result;
  const bool in_book = facts.book && facts.receipt >= facts.book->first_receipt &&
                       facts.receipt <= facts.book->last_receipt;
  if (!in_book) {
    result.verdict = Verdict::kUnknown;
    result.signals.push_back(
        {std::string(code::kNotInAnyBook), "This number is in no Harvest receipt book."});
    return result;
  }

  std::vector<Signal> alerts;
  AddBookSignals(*facts.book, alerts);
  if (facts.farmer) {
    AddFarmerAlerts(*facts.farmer, alerts);
  }

  std::vector<Signal> checks;
  if (facts.sale) {
    if (std::optional<Signal> s = SaleMismatch(*facts.sale, facts.observed, thresholds)) {
      checks.push_back(*s);
    }
  }
  if (std::optional<Signal> s = Recheck(facts, thresholds, now_unix)) {
    checks.push_back(*s);
  }
  if (facts.volume) {
    if (std::optional<Signal> s = Volume(*facts.volume, thresholds)) {
      checks.push_back(*s);
    }
  }
  if (!facts.farmer) {
    // The store guarantees a book's farmer exists; if that ever breaks, nobody vouches for this
    // receipt, which is what "not verified" means to an officer.
    checks.push_back({std::string(code::kFarmerUnverified),
                      "Book " + facts.book->serial + " has no farmer on record."});
  } else {
    const FarmerFacts& farmer = *facts.farmer;
    if (!farmer.verified) {
      checks.push_back(
          {std::string(code::kFarmerUnverified), "Farmer " + farmer.id + " is not verified."});
    }
    // ISO dates order as strings; the card is good through its expiry date. A card with no
    // expiry on record (or an unreadable one) vouches for nothing the officer can see, so it
    // counts as expired: CHECK, never VALID.
    if (!IsIsoDate(farmer.card_expires_on)) {
      checks.push_back({std::string(code::kCardExpired),
                        "No registration card expiry on record for farmer " + farmer.id + "."});
    } else if (farmer.card_expires_on < UtcDate(now_unix)) {
      checks.push_back({std::string(code::kCardExpired),
                        "Registration card expired " + farmer.card_expires_on + "."});
    }
  }

  result.verdict = !alerts.empty()   ? Verdict::kAlert
                   : !checks.empty() ? Verdict::kCheck
                                     : Verdict::kValid;
  result.signals = std::move(alerts);
  result.signals.insert(result.signals.end(), checks.begin(), checks.end());
  return result;
}

}  // namespace harvest::verify
