#include "sms/gsm7.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace harvest::sms {

namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one code point at `pos` and advances past it. Malformed sequences (overlong forms,
// surrogates, values past U+10FFFF, truncated tails) yield kInvalid and consume one byte, so the
// next byte gets its own chance to start a character.
char32_t NextCodePoint(std::string_view s, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    len = 2;
    cp = lead & 0x1F;
    min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    len = 3;
    cp = lead & 0x0F;
    min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    len = 4;
    cp = lead & 0x07;
    min = 0x10000;
  } else {
    ++pos;
    return kInvalid;
  }
  if (pos + len > s.size()) {
    ++pos;
    return kInvalid;
  }
  for (size_t i = 1; i < len; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) {
      ++pos;
      return kInvalid;
    }
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++pos;
    return kInvalid;
  }
  pos += len;
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsExtension(char32_t cp) {
  switch (cp) {
    case 0x0C:
    case '^':
    case '{':
    case '}':
    case '\\':
    case '[':
    case '~':
    case ']':
    case '|':
    case 0x20AC:  // €
      return true;
    default:
      return false;
  }
}

// The GSM-7 basic set outside ASCII: £ ¥ è é ù ì ò Ç Ø ø Å å Δ _ Φ Γ Λ Ω Π Ψ Σ Θ Ξ Æ æ ß É ¤ ¡
// Ä Ö Ñ Ü § ¿ ä ö ñ ü à.
constexpr char32_t kBasicNonAscii[] = {
    0x00A3, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC, 0x00F2, 0x00C7, 0x00D8, 0x00F8,
    0x00C5, 0x00E5, 0x0394, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8, 0x03A3,
    0x0398, 0x039E, 0x00C6, 0x00E6, 0x00DF, 0x00C9, 0x00A4, 0x00A1, 0x00C4, 0x00D6,
    0x00D1, 0x00DC, 0x00A7, 0x00BF, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
};

bool IsBasic(char32_t cp) {
  if (cp == '\n' || cp == '\r') {
    return true;
  }
  if (cp >= 0x20 && cp < 0x7F) {
    // Of printable ASCII, the backtick has no GSM-7 code, and ^{}\[~]| are extension characters.
    return cp != '`' && !IsExtension(cp);
  }
  return std::find(std::begin(kBasicNonAscii), std::end(kBasicNonAscii), cp) !=
         std::end(kBasicNonAscii);
}

bool IsGsmChar(char32_t cp) {
  return IsBasic(cp) || IsExtension(cp);
}

// Base letters of U+00C0..U+00FF; '*' marks the entries handled by the switch in Fold.
constexpr std::string_view kLatin1Letters =
    "AAAAAA*CEEEEIIII"
    "DNOOOOO*OUUUUY**"
    "aaaaaa*ceeeeiiii"
    "dnooooo*ouuuuy*y";

// Base letters of U+0100..U+017F (Latin Extended-A); '*' as above.
constexpr std::string_view kLatinExtALetters =
    "AaAaAaCcCcCcCcDd"
    "DdEeEeEeEeEeGgGg"
    "GgGgHhHhIiIiIiIi"
    "Ii**JjKkkLlLlLlL"
    "lLlNnNnNnnNnOoOo"
    "Oo**RrRrRrSsSsSs"
    "SsTtTtTtUuUuUuUu"
    "UuUuWwYyYZzZzZzs";

// The replacement for one code point: itself when it may stay, otherwise its ASCII stand-in,
// "" to drop it, or "?" when nothing sensible exists.
std::string Fold(char32_t cp) {
  switch (cp) {
    case 0x00C6:
      return "AE";
    case 0x00E6:
      return "ae";
    case 0x00DF:
      return "ss";
    case 0x00D7:
      return "x";
    case 0x00F7:
      return "/";
    case 0x00DE:
      return "TH";
    case 0x00FE:
      return "th";
    case 0x0132:
      return "IJ";
    case 0x0133:
      return "ij";
    case 0x0152:
      return "OE";
    case 0x0153:
      return "oe";
    case 0x0218:
      return "S";
    case 0x0219:
      return "s";
    case 0x021A:
      return "T";
    case 0x021B:
      return "t";
    case '`':
    case 0x00B4:  // acute accent
    case 0x02BC:  // modifier apostrophe
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:  // prime
    case 0x2039:
    case 0x203A:
      return "'";
    case 0x00AB:
    case 0x00BB:
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:  // double prime
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:  // minus sign
    case 0x2022:  // bullet
      return "-";
    case 0x2026:
      return "...";
    case 0x00B7:
      return ".";
    case 0x2044:
      return "/";
    case 0x00BC:
      return "1/4";
    case 0x00BD:
      return "1/2";
    case 0x00BE:
      return "3/4";
    case 0x00A2:
      return "c";
    case 0x00A9:
      return "(c)";
    case 0x00AE:
      return "(R)";
    case 0x2122:
      return "TM";
    case '\t':
    case 0x0B:
    case 0x0C:  // form feed is an extension character, but no phone shows it
    case 0x00A0:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return " ";
    case 0x2028:
    case 0x2029:
      return "\n";
    case 0x00AD:  // soft hyphen
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
      return "";
    default:
      break;
  }
  if (cp >= 0x2000 && cp <= 0x200A) {
    return " ";
  }
  if (cp >= 0x0300 && cp <= 0x036F) {
    return "";  // combining accents: "e" + U+0301 is just "e"
  }
  if (cp >= 0xFF01 && cp <= 0xFF5E) {
    return Fold(cp - 0xFEE0);  // fullwidth forms of ASCII
  }
  if (cp >= 0x00C0 && cp <= 0x00FF && kLatin1Letters[cp - 0x00C0] != '*') {
    return std::string(1, kLatin1Letters[cp - 0x00C0]);
  }
  if (cp >= 0x0100 && cp <= 0x017F && kLatinExtALetters[cp - 0x0100] != '*') {
    return std::string(1, kLatinExtALetters[cp - 0x0100]);
  }
  if (IsGsmChar(cp)) {
    std::string same;
    AppendUtf8(same, cp);
    return same;
  }
  return "?";
}

// Byte offset where `text` must end so it takes at most `budget` septets.
size_t PrefixWithin(std::string_view text, size_t budget) {
  size_t pos = 0;
  size_t used = 0;
  while (pos < text.size()) {
    size_t next = pos;
    char32_t cp = NextCodePoint(text, next);
    size_t cost = IsExtension(cp) ? 2 : 1;
    if (used + cost > budget) {
      break;
    }
    used += cost;
    pos = next;
  }
  return pos;
}

}  // namespace

namespace {

// What Transliterate writes for one code point.
void AppendFolded(std::string& out, char32_t cp) {
  if (cp == kInvalid) {
    out.push_back('?');
  } else if (cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t' && cp != 0x0B && cp != 0x0C) {
    out.push_back('?');
  } else if (cp == 0x7F) {
    out.push_back('?');
  } else {
    out += Fold(cp);
  }
}

}  // namespace

std::string Transliterate(std::string_view utf8) {
  // Replies are mostly ASCII: its 128 answers are worked out once (Fold builds a string per
  // call, a tenth of an SMS reply's cost).
  static const std::array<std::string, 128> kAscii = [] {
    std::array<std::string, 128> table;
    for (char32_t c = 0; c < 128; ++c) {
      AppendFolded(table[c], c);
    }
    return table;
  }();
  std::string out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    auto byte = static_cast<unsigned char>(utf8[pos]);
    if (byte < 0x80) {
      out += kAscii[byte];
      ++pos;
      continue;
    }
    AppendFolded(out, NextCodePoint(utf8, pos));
  }
  return out;
}

size_t Septets(std::string_view gsm_text) {
  size_t count = 0;
  size_t pos = 0;
  while (pos < gsm_text.size()) {
    count += IsExtension(NextCodePoint(gsm_text, pos)) ? 2 : 1;
  }
  return count;
}

size_t Segments(std::string_view gsm_text) {
  size_t septets = Septets(gsm_text);
  if (septets <= kSingleSmsSeptets) {
    return 1;
  }
  return (septets + kConcatenatedSeptets - 1) / kConcatenatedSeptets;
}

std::string CutToSeptets(std::string_view utf8, size_t max_septets) {
  std::string text = Transliterate(utf8);
  if (Septets(text) <= max_septets) {
    return text;
  }
  constexpr std::string_view kEllipsis = "...";
  if (max_septets <= kEllipsis.size()) {
    return std::string(kEllipsis.substr(0, max_septets));
  }
  size_t end = PrefixWithin(text, max_septets - kEllipsis.size());
  // Back off to the last space unless that would throw away more than half the room, as a
  // single long word (a URL, a run of digits) is better cut than dropped.
  if (end < text.size() && text[end] != ' ') {
    size_t space = text.rfind(' ', end);
    if (space != std::string::npos && space >= end / 2) {
      end = space;
    }
  }
  std::string out = text.substr(0, end);
  while (!out.empty() && std::string_view(" \n\r,;:.-").find(out.back()) != std::string::npos) {
    out.pop_back();
  }
  return out + std::string(kEllipsis);
}

std::string FitSms(std::string_view utf8, size_t max_segments) {
  size_t budget = max_segments <= 1 ? kSingleSmsSeptets : max_segments * kConcatenatedSeptets;
  return CutToSeptets(utf8, budget);
}

bool IsGsm7(std::string_view utf8) {
  size_t pos = 0;
  while (pos < utf8.size()) {
    char32_t cp = NextCodePoint(utf8, pos);
    if (cp == kInvalid || !IsGsmChar(cp)) {
      return false;
    }
  }
  return true;
}

}  // namespace harvest::sms
