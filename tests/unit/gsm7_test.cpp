// GSM-7 counting, transliteration and fitting (SPEC §6: one SMS is 160 GSM-7 characters).
#include "sms/gsm7.h"

#include <gtest/gtest.h>

namespace harvest::sms {
namespace {

// u8 literals keep the test inputs readable; the API takes UTF-8 in plain chars.
std::string U8(std::u8string_view s) {
  return std::string(s.begin(), s.end());
}

TEST(Gsm7, SeptetsCountExtensionCharactersTwice) {
  EXPECT_EQ(Septets(""), 0u);
  EXPECT_EQ(Septets("hello"), 5u);
  EXPECT_EQ(Septets("^{}\\[~]|"), 16u);
  EXPECT_EQ(Septets(U8(u8"€")), 2u);  // three bytes of UTF-8, two septets
  EXPECT_EQ(Septets(U8(u8"£")), 1u);  // in the basic set
  EXPECT_EQ(Septets("J$500 [wholesale]"), 19u);
}

TEST(Gsm7, SegmentsAt160And161) {
  EXPECT_EQ(Segments(""), 1u);
  EXPECT_EQ(Segments(std::string(160, 'a')), 1u);
  EXPECT_EQ(Segments(std::string(161, 'a')), 2u);
  EXPECT_EQ(Segments(std::string(306, 'a')), 2u);
  EXPECT_EQ(Segments(std::string(307, 'a')), 3u);
  EXPECT_EQ(Segments(std::string(459, 'a')), 3u);
  EXPECT_EQ(Segments(std::string(460, 'a')), 4u);
  // 159 plain characters and one extension character make 161 septets.
  EXPECT_EQ(Segments(std::string(158, 'a') + "["), 1u);
  EXPECT_EQ(Segments(std::string(159, 'a') + "["), 2u);
}

TEST(Gsm7, TransliteratesAccentsQuotesDashes) {
  EXPECT_EQ(Transliterate(U8(u8"café")), "cafe");
  EXPECT_EQ(Transliterate(U8(u8"Müller")), "Muller");
  EXPECT_EQ(Transliterate(U8(u8"Peña")), "Pena");
  EXPECT_EQ(Transliterate(U8(u8"O’Connor")), "O'Connor");
  EXPECT_EQ(Transliterate(U8(u8"“yam”")), "\"yam\"");
  EXPECT_EQ(Transliterate(U8(u8"4501–4600")), "4501-4600");
  EXPECT_EQ(Transliterate(U8(u8"wait—go")), "wait-go");
  EXPECT_EQ(Transliterate(U8(u8"more…")), "more...");
  EXPECT_EQ(Transliterate(U8(u8"a\u00A0b")), "a b");  // no-break space
  EXPECT_EQ(Transliterate(U8(u8"Zoë Æsir ß")), "Zoe AEsir ss");
  EXPECT_EQ(Transliterate(U8(u8"e\u0301")), "e");  // e + combining acute
  EXPECT_EQ(Transliterate("back`tick"), "back'tick");
}

TEST(Gsm7, KeepsGsmSymbolsAndExtension) {
  EXPECT_EQ(Transliterate(U8(u8"£5 €5 {x} [y] ~|^\\")), U8(u8"£5 €5 {x} [y] ~|^\\"));
  EXPECT_EQ(Transliterate("line1\nline2\r\n"), "line1\nline2\r\n");
}

TEST(Gsm7, UnknownAndInvalidBecomeQuestionMarks) {
  EXPECT_EQ(Transliterate(U8(u8"yam 🍠")), "yam ?");
  EXPECT_EQ(Transliterate(U8(u8"中")), "?");
  EXPECT_EQ(Transliterate("a\xFFz"), "a?z");        // stray byte
  EXPECT_EQ(Transliterate("a\xC3"), "a?");          // truncated sequence
  EXPECT_EQ(Transliterate("\xC0\xAF"), "??");       // overlong '/'
  EXPECT_EQ(Transliterate("\xED\xA0\x80"), "???");  // surrogate
  EXPECT_EQ(Transliterate(std::string("a\0z", 3)), "a?z");
}

TEST(Gsm7, TransliteratedTextIsGsm7) {
  std::string messy = U8(u8"Zoë O’Connor “Bigga” 😀 中 ") + "\xFF";
  EXPECT_FALSE(IsGsm7(messy));
  EXPECT_TRUE(IsGsm7(Transliterate(messy)));
}

TEST(Gsm7, IsGsm7) {
  EXPECT_TRUE(IsGsm7(""));
  EXPECT_TRUE(IsGsm7("VALID 4512: book 000045 {ok}"));
  EXPECT_TRUE(IsGsm7(U8(u8"café €")));  // é and € are GSM-7
  EXPECT_FALSE(IsGsm7(U8(u8"O’Connor")));
  EXPECT_FALSE(IsGsm7("`"));
  EXPECT_FALSE(IsGsm7("\xFF"));
}

TEST(Gsm7, FitSmsLeavesShortTextAlone) {
  std::string exact(160, 'a');
  EXPECT_EQ(FitSms(exact, 1), exact);
  EXPECT_EQ(FitSms(U8(u8"café"), 1), "cafe");
}

TEST(Gsm7, FitSmsCutsAtWordBoundary) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "word ";
  }
  std::string fitted = FitSms(text, 1);
  EXPECT_LE(Septets(fitted), 160u);
  EXPECT_TRUE(fitted.ends_with("word..."));
  EXPECT_EQ(fitted.size(), 157u);  // 31 whole words and "...", not "word wo..."
}

TEST(Gsm7, FitSmsNeverSplitsExtensionCharacter) {
  // 156 'a' then "[[[[": the budget for text before "..." is 157 septets, so a '[' (2) cannot
  // start at septet 157.
  std::string text = std::string(156, 'a') + "[[[[";
  std::string fitted = FitSms(text, 1);
  EXPECT_LE(Septets(fitted), 160u);
  EXPECT_EQ(fitted, std::string(156, 'a') + "...");
  std::string euros;
  for (int i = 0; i < 100; ++i) {
    euros += U8(u8"€");
  }
  std::string cut = FitSms(euros, 1);
  EXPECT_LE(Septets(cut), 160u);
  EXPECT_TRUE(IsGsm7(cut));
  EXPECT_EQ(cut.size() % 3, 0u);  // whole € characters plus "..."
}

TEST(Gsm7, FitSmsCapsAtThreeSegments) {
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += U8(u8"yam—");  // non-GSM dash, transliterated first
  }
  std::string fitted = FitSms(text, kMaxSegments);
  EXPECT_LE(Segments(fitted), 3u);
  EXPECT_LE(Septets(fitted), 459u);
  EXPECT_GT(Septets(fitted), 440u);
  EXPECT_TRUE(fitted.ends_with("..."));
  EXPECT_TRUE(IsGsm7(fitted));
}

TEST(Gsm7, CutToSeptets) {
  EXPECT_EQ(CutToSeptets("John Brown", 40), "John Brown");
  EXPECT_EQ(CutToSeptets("Alexander Hamilton Montgomery", 20), "Alexander...");
  EXPECT_EQ(CutToSeptets("Supercalifragilistic", 10), "Superca...");
  EXPECT_EQ(CutToSeptets("abcdef", 2), "..");
}

}  // namespace
}  // namespace harvest::sms
