// Parsing and checking of scalar values as registry extracts, forms and SMS write them: phone
// numbers, booleans, ISO dates, RFC 3339 timestamps and money. Pure functions over text.
// Must not depend on anything outside the C++ standard library (no store, HTTP, SMS or clock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace harvest::registry {

// E.164 form of a phone number, e.g. "+18765550123". Accepts "+18765550123", "18765550123",
// "876-555-0123", "(876) 555-0123", "876 555 0123", "8765550123" and 7-digit local numbers
// ("555-0123"), which take "+1" and `default_area_code` (3 digits). Spaces, dots, dashes and
// parentheses may appear anywhere. A NANP area code must start with 2-9. Numbers outside the
// NANP must start with '+' and have 8 to 15 digits. Returns nullopt for anything else (letters,
// wrong digit counts, '+' anywhere but first).
std::optional<std::string> NormalizePhone(std::string_view input,
                                          std::string_view default_area_code);

// true: "true", "yes", "y", "1"; false: "false", "no", "n", "0"; any case, surrounding ASCII
// whitespace ignored. Anything else is nullopt.
std::optional<bool> ParseBool(std::string_view input);

// Exactly YYYY-MM-DD and a real calendar date (proleptic Gregorian, so 2024-02-29 but not
// 2026-02-29).
bool IsIsoDate(std::string_view s);

// Precondition: IsIsoDate(iso_date).
bool IsMonday(std::string_view iso_date);

// "2026-11-20T14:03:00Z" with optional fractional seconds ("...:00.123Z"); UTC ("Z") only.
bool IsRfc3339Utc(std::string_view s);

// Days since 1970-01-01 (negative before it), after Howard Hinnant's days_from_civil.
int64_t DaysFromCivil(int y, unsigned m, unsigned d);

// nullopt unless IsIsoDate(s).
std::optional<int64_t> IsoDateToDays(std::string_view s);

// Inverse of DaysFromCivil, formatted YYYY-MM-DD (an ISO date for years 0000-9999).
std::string DaysToIsoDate(int64_t days);

// Money in whole cents: "1234.5" -> 123450, "12" -> 1200, "-3.25" -> -325. An optional sign,
// at least one integer digit, and up to two decimals, more only if they are zeros ("12.500",
// as spreadsheets pad); surrounding whitespace is ignored. Rejects "1.234", "1,234", "abc", "",
// ".5", "5." and amounts of more than 15 integer digits.
std::optional<int64_t> ParseDecimalCents(std::string_view s);

// `s` without leading and trailing ASCII whitespace.
std::string Trim(std::string_view s);
// The same without allocating; the view points into `s`.
std::string_view TrimView(std::string_view s);

}  // namespace harvest::registry
