// The verdict engine: turns the facts the store gathered about one receipt check into one of
// VALID, CHECK, ALERT or UNKNOWN plus the signals behind it (SPEC §5).
// It only decides. It must not depend on the store, HTTP, SMS, SQL or Boost: the caller fetches
// the facts, passes the clock in, and records the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace harvest::verify {

// Signal codes, exactly as SPEC §5 names them; API clients match on these strings.
namespace code {
inline constexpr std::string_view kNotInAnyBook = "not_in_any_book";
inline constexpr std::string_view kBookStolen = "book_stolen";
inline constexpr std::string_view kBookLost = "book_lost";
inline constexpr std::string_view kBookCancelled = "book_cancelled";
inline constexpr std::string_view kFarmerUnderInvestigation = "farmer_under_investigation";
inline constexpr std::string_view kFarmerInactive = "farmer_inactive";
inline constexpr std::string_view kFarmerUnverified = "farmer_unverified";
inline constexpr std::string_view kCardExpired = "card_expired";
inline constexpr std::string_view kReceiptRechecked = "receipt_rechecked";
inline constexpr std::string_view kSaleMismatch = "sale_mismatch";
inline constexpr std::string_view kVolumeImplausible = "volume_implausible";
}  // namespace code

// SPEC §5 says the thresholds are configurable; these defaults are the numbers it states.
struct Thresholds {
  int recheck_count = 3;  // earlier checks within recheck_window_hours that make a re-check
  int recheck_window_hours = 72;
  int recheck_parishes = 2;  // distinct parishes within parish_window_hours, this check included
  int parish_window_hours = 24;
  double quantity_tolerance = 0.10;  // observed may exceed the recorded sale by this fraction
  double volume_factor = 1.5;        // season sales may reach this multiple of expected volume
};

struct BookFacts {
  std::string serial;
  int64_t first_receipt = 0;
  int64_t last_receipt = 0;       // inclusive
  std::string status;             // active | lost | stolen | cancelled
  std::string status_changed_on;  // YYYY-MM-DD, or "" when none is on record (card_expired)
  std::string farmer_id;
};

struct FarmerFacts {
  std::string id;
  std::string first_name;
  std::string last_name;
  std::string alias;
  std::string parish;  // code, e.g. THO
  std::string status;  // active | suspended | deceased
  bool verified = false;
  bool under_investigation = false;
  std::string card_expires_on;  // YYYY-MM-DD, or "" when none is on record (card_expired)
};

// The digital receipt recorded on this number.
struct SaleFacts {
  std::string commodity;
  double quantity = 0;
  std::string unit;
  std::string sold_at;  // RFC 3339
};

struct PriorCheck {
  int64_t at_unix = 0;
  std::string parish;  // code, or "" when the check had no place
};

// What the officer sees on the truck; empty fields were not observed.
struct Observed {
  std::string commodity;
  std::optional<double> quantity;
  std::string unit;  // "" means "the same unit as the recorded sale"
};

struct VolumeFacts {
  std::string crop;
  double season_sales_kg = 0;  // the farmer's recorded sales of the crop this season
  double expected_kg = 0;      // expected volume of that crop on his farms
};

struct ReceiptFacts {
  int64_t receipt = 0;
  std::optional<BookFacts> book;      // the book whose range holds the receipt, if any
  std::optional<FarmerFacts> farmer;  // the book's farmer
  std::optional<SaleFacts> sale;      // the digital receipt recorded on this number, if any
  // Earlier checks of this receipt, not including the one being evaluated. The store may pass
  // more history than the windows cover; the engine filters by time.
  std::vector<PriorCheck> prior_checks;
  std::string parish;  // where this check happens, if known ("" otherwise)
  Observed observed;
  std::optional<VolumeFacts> volume;  // season sales vs expected for the sale's/observed crop
};

enum class Verdict { kValid, kCheck, kAlert, kUnknown };

struct Signal {
  std::string code;     // one of harvest::verify::code
  std::string message;  // one plain sentence for an officer; may end up in an SMS
};

struct Result {
  Verdict verdict = Verdict::kUnknown;
  // Most important first: ALERT signals (book, then farmer), then CHECK signals with the ones
  // that point at theft (sale mismatch, re-checks, volume) ahead of paperwork lapses (not
  // verified, card expired). Replies that have room for one signal show signals[0].
  std::vector<Signal> signals;
};

// Decides the verdict. `now_unix` is the time of this check; "today" for the card expiry is its
// UTC date. A book whose range does not hold `facts.receipt` is treated as no book.
Result Evaluate(const ReceiptFacts& facts, const Thresholds& thresholds, int64_t now_unix);

// "VALID", "CHECK", "ALERT", "UNKNOWN".
std::string_view VerdictWord(Verdict v);

// The UTC calendar date of a Unix time, as YYYY-MM-DD.
std::string UtcDate(int64_t unix_seconds);

// Units of quantity. They live beside the engine because it is the one place that compares
// quantities; the SMS parser uses the same vocabulary so a unit typed on a phone compares
// correctly with one recorded through the API.
//
// Canonical names: kg g lb oz tonne (mass), unit dozen (count), and the containers bunch hand
// bundle bag box crate tray bucket litre, which only compare with themselves. Returns "" for a
// word that is not a unit. Accepts any case, plurals and common spellings (kgs, kilo, lbs,
// pound, doz, dz, pcs, each...).
std::string CanonicalUnit(std::string_view word);
// Every canonical unit name, in a sensible order for a list to choose from (mass, count,
// containers).
std::vector<std::string_view> UnitNames();

// `amount` of `from` expressed in `to`, when the two units measure the same thing (mass with
// mass, count with count, or the same container); nullopt otherwise. Unit names may be any
// spelling CanonicalUnit accepts.
std::optional<double> ConvertQuantity(double amount, std::string_view from, std::string_view to);

// "500 kg", "2.5 lb", "12 dozen", "3 bunches": up to two decimals, the canonical unit name, and
// a plural only for tonnes and the container words.
std::string FormatQuantity(double amount, std::string_view unit);

// True when two commodity names denote the same produce: compared without case, punctuation or
// plural endings, and one name's words containing the other's ("yellow yam" matches "yam", so an
// officer need not know the variety).
bool SameCommodity(std::string_view a, std::string_view b);

}  // namespace harvest::verify
