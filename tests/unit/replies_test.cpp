// SMS reply texts (SPEC §6): verdict word first, one SMS each, GSM-7 only, TwiML escaping.
#include "sms/replies.h"

#include <gtest/gtest.h>

#include "sms/gsm7.h"

namespace harvest::sms {
namespace {

constexpr int64_t kNow = 1795176000;  // 2026-11-20T12:00:00Z

verify::ReceiptFacts Facts() {
  verify::ReceiptFacts f;
  f.receipt = 4512;
  f.book = verify::BookFacts{"000045", 4501, 4600, "active", "", "081117655"};
  f.farmer = verify::FarmerFacts{"081117655", "John", "Brown", "Bigga",     "THO",
                                 "active",    true,   false,   "2027-03-31"};
  f.sale = verify::SaleFacts{"yam", 500, "kg", "2026-11-20T08:00:00Z"};
  f.parish = "THO";
  return f;
}

// A farmer whose every field is as long and as un-GSM as the registry allows.
std::string U8(std::u8string_view s) {
  return std::string(s.begin(), s.end());
}

// A farmer whose every field is as long and as un-GSM as the registry allows.
verify::FarmerFacts Unwieldy() {
  verify::FarmerFacts f;
  f.id = "081117655";
  f.first_name = U8(u8"Zoë Marguerite-Anne—Elizabeth");
  f.last_name = U8(u8"O’Connor-Fitzgerald-Montgomery-Smythe 🌱");
  f.alias = U8(u8"“Big Belly Man from Seaforth”");
  f.parish = "ELZ";
  f.status = "suspended";
  f.verified = false;
  f.under_investigation = true;
  f.card_expires_on = "2020-01-31";
  return f;
}

void ExpectOneSms(const std::string& text) {
  EXPECT_TRUE(IsGsm7(text)) << text;
  EXPECT_LE(Septets(text), 160u) << text;
}

std::string Reply(const verify::ReceiptFacts& f) {
  std::string text = FormatVerifyReply(f, verify::Evaluate(f, {}, kNow));
  ExpectOneSms(text);
  return text;
}

TEST(Replies, Valid) {
  EXPECT_EQ(Reply(Facts()),
            "VALID 4512: book 000045, John Brown (081117655), St. Thomas. Verified, card to "
            "2027-03-31. Sale: 500 kg yam 2026-11-20.");
  verify::ReceiptFacts no_sale = Facts();
  no_sale.sale.reset();
  EXPECT_EQ(Reply(no_sale),
            "VALID 4512: book 000045, John Brown (081117655), St. Thomas. Verified, card to "
            "2027-03-31.");
}

TEST(Replies, Unknown) {
  verify::ReceiptFacts f;
  f.receipt = 999999;
  EXPECT_EQ(Reply(f), "UNKNOWN 999999: this number is in no Harvest receipt book.");
}

TEST(Replies, AlertStolen) {
  verify::ReceiptFacts f = Facts();
  f.book->status = "stolen";
  f.book->status_changed_on = "2026-10-01";
  std::string text = Reply(f);
  EXPECT_TRUE(text.starts_with(
      "ALERT 4512: book 000045 reported STOLEN 2026-10-01. Hold the produce; call the station."))
      << text;
}

TEST(Replies, CheckShowsTheMostImportantSignalFirst) {
  verify::ReceiptFacts f = Facts();
  f.observed = {"dasheen", 800, "kg"};
  f.farmer->verified = false;
  std::string text = Reply(f);
  EXPECT_TRUE(
      text.starts_with("CHECK 4512: observed 800 kg dasheen, but the recorded sale is "
                       "500 kg yam."))
      << text;
}

TEST(Replies, CheckCardExpired) {
  verify::ReceiptFacts f = Facts();
  f.farmer->card_expires_on = "2026-03-31";
  std::string text = Reply(f);
  EXPECT_TRUE(
      text.starts_with("CHECK 4512: registration card expired 2026-03-31. Book 000045, "
                       "John Brown (081117655), St. Thomas."))
      << text;
}

TEST(Replies, EveryVerdictFitsWithUnwieldyNames) {
  verify::ReceiptFacts f = Facts();
  f.farmer = Unwieldy();
  f.sale->commodity = "St. Vincent yellow yam (extra large, washed, Grade A export quality)";
  f.observed = {U8(u8"dásheen"), 9000, "bags"};
  f.prior_checks = {{kNow - 60, "CAT"}, {kNow - 120, "MRY"}, {kNow - 180, "KIN"}};
  f.volume = verify::VolumeFacts{"yam", 123456789, 1};
  f.book->status = "stolen";
  f.book->status_changed_on = "2026-10-01";
  std::string alert = Reply(f);
  EXPECT_TRUE(alert.starts_with("ALERT 4512: book 000045 reported STOLEN")) << alert;
  EXPECT_NE(alert.find("Hold the produce; call the station."), std::string::npos) << alert;

  f.book->status = "active";
  f.farmer->status = "active";
  f.farmer->under_investigation = false;
  std::string check = Reply(f);
  EXPECT_TRUE(check.starts_with("CHECK 4512: ")) << check;

  verify::ReceiptFacts valid = Facts();
  valid.farmer->first_name = Unwieldy().first_name;
  valid.farmer->last_name = Unwieldy().last_name;
  valid.sale->commodity = f.sale->commodity;
  EXPECT_TRUE(Reply(valid).starts_with("VALID 4512: book 000045, Zoe")) << Reply(valid);

  verify::ReceiptFacts unknown;
  unknown.receipt = 999999999999999;
  EXPECT_TRUE(Reply(unknown).starts_with("UNKNOWN 999999999999999: "));
}

TEST(Replies, Farmer) {
  verify::FarmerFacts farmer = Facts().farmer.value();
  EXPECT_EQ(FormatFarmerReply(farmer),
            "FARMER 081117655: John Brown (\"Bigga\"), St. Thomas, ACTIVE, verified, card to "
            "2027-03-31. Under investigation: no.");
  farmer.alias = "";
  farmer.verified = false;
  farmer.under_investigation = true;
  farmer.status = "suspended";
  EXPECT_EQ(FormatFarmerReply(farmer, "2027-04-01"),
            "FARMER 081117655: John Brown, St. Thomas, SUSPENDED, NOT verified, card EXPIRED "
            "2027-03-31. Under investigation: YES.");
}

TEST(Replies, FarmerWithUnwieldyNameKeepsTheStatus) {
  std::string text = FormatFarmerReply(Unwieldy(), "2026-11-20");
  ExpectOneSms(text);
  EXPECT_TRUE(text.starts_with("FARMER 081117655: Zoe Marguerite-Anne")) << text;
  EXPECT_EQ(text.find("Big Belly"), std::string::npos) << "the alias gives way first";
  EXPECT_TRUE(
      text.ends_with(", St. Elizabeth, SUSPENDED, NOT verified, card EXPIRED "
                     "2020-01-31. Under investigation: YES."))
      << text;
}

TEST(Replies, FarmerNotFound) {
  std::string text = FormatFarmerNotFound("81117655");
  ExpectOneSms(text);
  EXPECT_TRUE(text.starts_with("ERROR no farmer with ID 81117655.")) << text;
  ExpectOneSms(FormatFarmerNotFound(std::string(400, '9')));
}

TEST(Replies, SaleAndBookReports) {
  verify::SaleFacts sale{"yam", 500, "kg", "2026-11-20T08:00:00Z"};
  std::string sold = FormatSaleRecorded(4512, sale, "000045");
  ExpectOneSms(sold);
  EXPECT_TRUE(sold.starts_with("SOLD 4512: 500 kg yam recorded on book 000045, 2026-11-20."))
      << sold;
  sale.commodity = std::string(300, 'y');
  ExpectOneSms(FormatSaleRecorded(4512, sale, "000045"));

  verify::BookFacts book{"000045", 4501, 4600, "stolen", "2026-11-20", "081117655"};
  std::string reported = FormatBookReported(book);
  ExpectOneSms(reported);
  EXPECT_TRUE(reported.starts_with(
      "REPORTED: book 000045 (receipts 4501-4600) marked STOLEN on 2026-11-20."))
      << reported;
}

TEST(Replies, HelpListsWhatTheSenderMayUse) {
  std::string everyone = FormatHelp(false, false);
  std::string officer = FormatHelp(true, false);
  std::string farmer = FormatHelp(false, true);
  std::string both = FormatHelp(true, true);
  for (const std::string& text : {everyone, officer, farmer, both}) {
    ExpectOneSms(text);
    EXPECT_EQ(text.find("..."), std::string::npos) << "help was cut: " << text;
    EXPECT_NE(text.find("P yam"), std::string::npos);
  }
  EXPECT_EQ(everyone.find("R 4512"), std::string::npos);
  EXPECT_EQ(everyone.find("S 4512"), std::string::npos);
  EXPECT_NE(officer.find("R 4512"), std::string::npos);
  EXPECT_NE(officer.find("F 081117655"), std::string::npos);
  EXPECT_EQ(officer.find("S 4512"), std::string::npos);
  EXPECT_NE(farmer.find("S 4512"), std::string::npos);
  EXPECT_NE(farmer.find("LOST"), std::string::npos);
  EXPECT_EQ(farmer.find("R 4512"), std::string::npos);
  for (const char* command : {"R 4512", "F 0811", "S 4512", "LOST", "P yam"}) {
    EXPECT_NE(both.find(command), std::string::npos) << command;
  }
}

TEST(Replies, Error) {
  EXPECT_EQ(FormatError("receipt number \"ABC\" is not a number. Send: R 4512 [500kg yam]"),
            "ERROR receipt number \"ABC\" is not a number. Send: R 4512 [500kg yam].");
  EXPECT_EQ(FormatError("ERROR: too many messages."), "ERROR too many messages.");
  EXPECT_EQ(FormatError(""), "ERROR something went wrong.");
  std::string long_error = FormatError(std::string(1000, 'x') + U8(u8" café"));
  ExpectOneSms(long_error);
  EXPECT_TRUE(long_error.starts_with("ERROR "));
}

TEST(Replies, TwimlEscapes) {
  EXPECT_EQ(TwimlMessage("VALID 4512: A&B <x> \"q\" 'a'"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>VALID 4512: A&amp;B "
            "&lt;x&gt; &quot;q&quot; &apos;a&apos;</Message></Response>");
  EXPECT_EQ(TwimlMessage(std::string("a\x01z\nc", 5)),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>az\nc</Message>"
            "</Response>");
  EXPECT_EQ(TwimlMessage(""), "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>");
}

}  // namespace
}  // namespace harvest::sms
