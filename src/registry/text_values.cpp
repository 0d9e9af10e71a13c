#include "registry/text_values.h"

#include <array>
#include <cstdio>

namespace harvest::registry {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

char ToLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLower(a[i]) != lower[i]) {
      return false;
    }
  }
  return true;
}

// Reads exactly `count` digits at `pos`; false if any is not a digit.
bool ReadDigits(std::string_view s, size_t pos, size_t count, unsigned& out) {
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!IsDigit(s[i])) {
      return false;
    }
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

bool IsLeapYear(unsigned y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned DaysInMonth(unsigned y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeapYear(y)) ? 29 : kDays[m - 1];
}

struct CivilDate {
  int64_t y;
  unsigned m;
  unsigned d;
};

// Parses a string already known to satisfy IsIsoDate.
CivilDate ParseValidIsoDate(std::string_view s) {
  unsigned y = 0;
  unsigned m = 0;
  unsigned d = 0;
  ReadDigits(s, 0, 4, y);
  ReadDigits(s, 5, 2, m);
  ReadDigits(s, 8, 2, d);
  return {y, m, d};
}

// NANP area codes never start with 0 or 1, which is how a 10-digit "1876555012" typo is caught.
bool IsNanpAreaCode(std::string_view digits) {
  return digits.size() == 3 && digits[0] >= '2' && digits[0] <= '9' && IsDigit(digits[1]) &&
         IsDigit(digits[2]);
}

}  // namespace

std::optional<std::string> NormalizePhone(std::string_view input,
                                          std::string_view default_area_code) {
  const std::string_view s = TrimView(input);
  const bool plus = s.starts_with('+');
  std::array<char, 15> buf;  // E.164 allows at most 15 digits
  size_t n = 0;
  for (size_t i = plus ? 1 : 0; i < s.size(); ++i) {
    const char c = s[i];
    if (IsDigit(c)) {
      if (n == buf.size()) {
        return std::nullopt;
      }
      buf[n++] = c;
    } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  const std::string_view digits(buf.data(), n);
  if (plus) {
    if (digits.starts_with('1')) {
      if (n != 11 || !IsNanpAreaCode(digits.substr(1, 3))) {
        return std::nullopt;
      }
    } else if (n < 8 || digits.starts_with('0')) {
      return std::nullopt;
    }
    return "+" + std::string(digits);
  }
  if (n == 11 && digits[0] == '1' && IsNanpAreaCode(digits.substr(1, 3))) {
    return "+" + std::string(digits);
  }
  if (n == 10 && IsNanpAreaCode(digits.substr(0, 3))) {
    return "+1" + std::string(digits);
  }
  if (n == 7 && IsNanpAreaCode(default_area_code)) {
    return "+1" + std::string(default_area_code) + std::string(digits);
  }
  return std::nullopt;
}

std::optional<bool> ParseBool(std::string_view input) {
  const std::string_view s = TrimView(input);
  for (std::string_view word : {"true", "yes", "y", "1"}) {
    if (EqualsIgnoreCase(s, word)) {
      return true;
    }
  }
  for (std::string_view word : {"false", "no", "n", "0"}) {
    if (EqualsIgnoreCase(s, word)) {
      return false;
    }
  }
  return std::nullopt;
}

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  unsigned y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (!ReadDigits(s, 0, 4, y) || !ReadDigits(s, 5, 2, m) || !ReadDigits(s, 8, 2, d)) {
    return false;
  }
  return m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

bool IsMonday(std::string_view iso_date) {
  const CivilDate date = ParseValidIsoDate(iso_date);
  const int64_t days = DaysFromCivil(static_cast<int>(date.y), date.m, date.d);
  // 1970-01-01 was a Thursday; with Sunday as 0 that is weekday 4, so Monday is 1.
  const int64_t weekday = ((days + 4) % 7 + 7) % 7;
  return weekday == 1;
}

bool IsRfc3339Utc(std::string_view s) {
  // Shortest form: YYYY-MM-DDTHH:MM:SSZ (20 characters).
  if (s.size() < 20 || !IsIsoDate(s.substr(0, 10)) || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || s.back() != 'Z') {
    return false;
  }
  unsigned hh = 0;
  unsigned mm = 0;
  unsigned ss = 0;
  if (!ReadDigits(s, 11, 2, hh) || !ReadDigits(s, 14, 2, mm) || !ReadDigits(s, 17, 2, ss)) {
    return false;
  }
  // Leap second 60 is refused: stored timestamps must convert to and from day counts exactly.
  if (hh > 23 || mm > 59 || ss > 59) {
    return false;
  }
  if (s.size() == 20) {
    return true;
  }
  const std::string_view fraction = s.substr(19, s.size() - 20);
  if (fraction.size() < 2 || fraction.size() > 10 || fraction[0] != '.') {
    return false;
  }
  for (size_t i = 1; i < fraction.size(); ++i) {
    if (!IsDigit(fraction[i])) {
      return false;
    }
  }
  return true;
}

int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  const int64_t year = static_cast<int64_t>(y) - (m <= 2 ? 1 : 0);
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);              // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> IsoDateToDays(std::string_view s) {
  if (!IsIsoDate(s)) {
    return std::nullopt;
  }
  const CivilDate date = ParseValidIsoDate(s);
  return DaysFromCivil(static_cast<int>(date.y), date.m, date.d);
}

std::string DaysToIsoDate(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);                    // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  std::array<char, 32> buf;
  const int len =
      std::snprintf(buf.data(), buf.size(), "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return std::string(buf.data(), static_cast<size_t>(len));
}

std::optional<int64_t> ParseDecimalCents(std::string_view s) {
  // More integer digits than this would not survive a round trip through a double downstream.
  constexpr size_t kMaxIntegerDigits = 15;
  s = TrimView(s);
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  size_t i = 0;
  int64_t whole = 0;
  while (i < s.size() && IsDigit(s[i])) {
    if (i == kMaxIntegerDigits) {
      return std::nullopt;
    }
    whole = whole * 10 + (s[i] - '0');
    ++i;
  }
  if (i == 0) {
    return std::nullopt;
  }
  int64_t cents = 0;
  if (i < s.size()) {
    if (s[i] != '.' || i + 1 == s.size()) {
      return std::nullopt;
    }
    const std::string_view fraction = s.substr(i + 1);
    for (size_t k = 0; k < fraction.size(); ++k) {
      if (!IsDigit(fraction[k])) {
        return std::nullopt;
      }
      // Spreadsheets pad to fixed decimals ("12.5000"); only non-zero sub-cent digits lose money.
      if (k >= 2 && fraction[k] != '0') {
        return std::nullopt;
      }
      const int64_t digit = fraction[k] - '0';
      if (k == 0) {
        cents += digit * 10;
      } else if (k == 1) {
        cents += digit;
      }
    }
  }
  const int64_t total = whole * 100 + cents;
  return negative ? -total : total;
}

std::string Trim(std::string_view s) {
  return std::string(TrimView(s));
}

std::string_view TrimView(std::string_view s) {
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end && IsAsciiSpace(s[begin])) {
    ++begin;
  }
  while (end > begin && IsAsciiSpace(s[end - 1])) {
    --end;
  }
  return s.substr(begin, end - begin);
}

}  // namespace harvest::registry
