#include "registry/parish.h"

#include <cstddef>

namespace harvest::registry {
namespace {

// Centroids are approximate (about 0.05 degrees); they place a parish's marker, not a boundary.
constexpr std::array<Parish, 14> kParishes = {{
    {"KIN", "Kingston", 17.972, -76.792},
    {"AND", "St. Andrew", 18.075, -76.745},
    {"THO", "St. Thomas", 17.975, -76.435},
    {"POR", "Portland", 18.120, -76.530},
    {"MRY", "St. Mary", 18.305, -76.915},
    {"ANN", "St. Ann", 18.330, -77.235},
    {"TRL", "Trelawny", 18.350, -77.600},
    {"JAM", "St. James", 18.385, -77.860},
    {"HAN", "Hanover", 18.395, -78.140},
    {"WML", "Westmoreland", 18.240, -78.135},
    {"ELZ", "St. Elizabeth", 18.060, -77.740},
    {"MAN", "Manchester", 18.070, -77.510},
    {"CLA", "Clarendon", 18.040, -77.255},
    {"CAT", "St. Catherine", 18.050, -77.030},
}};

// Each parish's name reduced the way CompactKey reduces input ("St. Elizabeth" -> STELIZABETH),
// plus misspellings common enough in extracts to be unambiguous.
struct Alias {
  std::string_view key;
  std::string_view code;
};
constexpr std::array<Alias, 15> kAliases = {{
    {"KINGSTON", "KIN"},
    {"STANDREW", "AND"},
    {"STTHOMAS", "THO"},
    {"PORTLAND", "POR"},
    {"STMARY", "MRY"},
    {"STANN", "ANN"},
    {"TRELAWNY", "TRL"},
    {"STJAMES", "JAM"},
    {"HANOVER", "HAN"},
    {"WESTMORELAND", "WML"},
    {"WESTMORLAND", "WML"},
    {"STELIZABETH", "ELZ"},
    {"MANCHESTER", "MAN"},
    {"CLARENDON", "CLA"},
    {"STCATHERINE", "CAT"},
}};

// Longer than any parish name plus "PARISH"; longer input cannot be a parish.
constexpr size_t kMaxKey = 32;

bool IsIgnorable(char c) {
  return c == ' ' || c == '\t' || c == '.' || c == '-' || c == '_' || c == '\r' || c == '\n';
}

char ToUpper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Upper-cases and drops spaces and punctuation into `buf`, so "st. elizabeth" and "ST.ELIZABETH"
// meet at "STELIZABETH". Returns nullopt when the result would not fit.
std::optional<std::string_view> CompactKey(std::string_view input, std::array<char, kMaxKey>& buf) {
  size_t n = 0;
  for (char c : input) {
    if (IsIgnorable(c)) {
      continue;
    }
    if (n == buf.size()) {
      return std::nullopt;
    }
    buf[n++] = ToUpper(c);
  }
  return std::string_view(buf.data(), n);
}

}  // namespace

const std::array<Parish, 14>& Parishes() {
  return kParishes;
}

std::optional<std::string_view> NormalizeParish(std::string_view input) {
  std::array<char, kMaxKey> buf;
  std::optional<std::string_view> compact = CompactKey(input, buf);
  if (!compact || compact->empty()) {
    return std::nullopt;
  }
  std::string_view key = *compact;
  for (const Parish& parish : kParishes) {
    if (key == parish.code) {
      return parish.code;
    }
  }
  // "St. Elizabeth Parish" and "Parish of St. Elizabeth" both occur in extracts.
  if (key.ends_with("PARISH")) {
    key.remove_suffix(6);
  } else if (key.starts_with("PARISHOF")) {
    key.remove_prefix(8);
  }
  // "Saint" is spelled out in some extracts where the aliases abbreviate it to "ST".
  const bool saint = key.starts_with("SAINT");
  const std::string_view rest = saint ? key.substr(5) : key;
  for (const Alias& alias : kAliases) {
    const bool match =
        saint ? (alias.key.starts_with("ST") && alias.key.substr(2) == rest) : alias.key == key;
    if (match) {
      return alias.code;
    }
  }
  return std::nullopt;
}

std::string_view ParishName(std::string_view code) {
  for (const Parish& parish : kParishes) {
    if (parish.code == code) {
      return parish.name;
    }
  }
  return {};
}

}  // namespace harvest::registry
