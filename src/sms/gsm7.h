// GSM 03.38 (GSM-7) text: transliteration to the 7-bit alphabet, septet and segment counting, and
// cutting a reply so it fits a given number of SMS segments (SPEC §6).
// Works on UTF-8 strings only; it must not depend on gateways, HTTP or anything outside the C++
// standard library.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace harvest::sms {

inline constexpr size_t kSingleSmsSeptets = 160;
inline constexpr size_t kConcatenatedSeptets = 153;  // per part, after the concatenation header
inline constexpr size_t kMaxSegments = 3;            // SPEC §6: nothing ever exceeds 3 segments

// Rewrites UTF-8 text so every character is in the GSM-7 basic set or its extension table, so a
// reply never falls back to UCS-2 (70 characters a part). Accented letters become plain ASCII
// letters (é→e, ü→u, ñ→n, Æ→AE, ß→ss) even where GSM-7 has them, because some handsets and
// SMSC links mangle those code points while a plain letter always arrives. Curly quotes become
// straight ones, dashes '-', '…' "...", exotic spaces ' ', zero-width characters vanish.
// Anything else outside GSM-7 (emoji, other scripts) and every invalid UTF-8 byte becomes '?'.
std::string Transliterate(std::string_view utf8);

// Septets the text needs in GSM-7: extension characters ^ { } \ [ ~ ] | € (and form feed) take
// two, every other character one. Expects Transliterate's output; any other code point counts
// one.
size_t Septets(std::string_view gsm_text);

// SMS segments the text needs: 1 up to 160 septets, otherwise ceil(septets / 153).
size_t Segments(std::string_view gsm_text);

// Transliterates, then, if the text needs more than `max_septets`, cuts it at a word boundary
// and ends it with "..." so the result takes at most `max_septets`. A cut never falls inside a
// character, so an extension character is kept or dropped whole.
std::string CutToSeptets(std::string_view utf8, size_t max_septets);

// CutToSeptets with the budget of `max_segments` segments (160 septets for one, 153 each for
// more). A `max_segments` of 0 is taken as 1.
std::string FitSms(std::string_view utf8, size_t max_segments);

// True when the text is valid UTF-8 and every character is in GSM-7 (basic set or extension), so
// it can be sent without UCS-2 as it is.
bool IsGsm7(std::string_view utf8);

}  // namespace harvest::sms
