// The verdict engine against SPEC §5: each signal alone, precedence, and every threshold's edge.
#include "verify/verdict.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace harvest::verify {
namespace {

// 2026-11-20T12:00:00Z
constexpr int64_t kNow = 1795176000;
constexpr int64_t kHour = 3600;

ReceiptFacts GoodFacts() {
  ReceiptFacts f;
  f.receipt = 4512;
  f.book = BookFacts{"000045", 4501, 4600, "active", "", "081117655"};
  f.farmer = FarmerFacts{"081117655", "John", "Brown", "Bigga",     "THO",
                         "active",    true,   false,   "2027-03-31"};
  f.sale = SaleFacts{"yam", 500, "kg", "2026-11-20T08:00:00Z"};
  f.parish = "THO";
  return f;
}

std::vector<std::string> Codes(const Result& r) {
  std::vector<std::string> codes;
  for (const Signal& s : r.signals) {
    codes.push_back(s.code);
  }
  return codes;
}

bool Has(const Result& r, std::string_view code) {
  std::vector<std::string> codes = Codes(r);
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

Result Judge(const ReceiptFacts& f, const Thresholds& t = {}) {
  return Evaluate(f, t, kNow);
}

void ExpectOnly(const ReceiptFacts& f, Verdict verdict, std::string_view code) {
  Result r = Judge(f);
  EXPECT_EQ(r.verdict, verdict) << VerdictWord(r.verdict);
  ASSERT_EQ(r.signals.size(), 1u) << testing::PrintToString(Codes(r));
  EXPECT_EQ(r.signals[0].code, code);
  EXPECT_FALSE(r.signals[0].message.empty());
}

TEST(Verdict, CleanFactsAreValid) {
  Result r = Judge(GoodFacts());
  EXPECT_EQ(r.verdict, Verdict::kValid);
  EXPECT_TRUE(r.signals.empty());
}

TEST(Verdict, NoBookIsUnknown) {
  ReceiptFacts f = GoodFacts();
  f.receipt = 999999;
  f.book.reset();
  f.farmer.reset();
  f.sale.reset();
  ExpectOnly(f, Verdict::kUnknown, code::kNotInAnyBook);
}

TEST(Verdict, FirstAndLastReceiptOfBookAreKnown) {
  for (int64_t n : {4501, 4600}) {
    ReceiptFacts f = GoodFacts();
    f.receipt = n;
    f.sale.reset();
    EXPECT_EQ(Judge(f).verdict, Verdict::kValid) << n;
  }
}

TEST(Verdict, BookNotHoldingTheReceiptIsTreatedAsNoBook) {
  for (int64_t n : {4500, 4601}) {
    ReceiptFacts f = GoodFacts();
    f.receipt = n;
    EXPECT_EQ(Judge(f).verdict, Verdict::kUnknown) << n;
  }
}

TEST(Verdict, UnknownIgnoresEverythingElse) {
  ReceiptFacts f = GoodFacts();
  f.book.reset();
  f.farmer->under_investigation = true;
  ExpectOnly(f, Verdict::kUnknown, code::kNotInAnyBook);
}

TEST(Verdict, BookStolenIsAlert) {
  ReceiptFacts f = GoodFacts();
  f.book->status = "stolen";
  f.book->status_changed_on = "2026-10-01";
  ExpectOnly(f, Verdict::kAlert, code::kBookStolen);
  EXPECT_NE(Judge(f).signals[0].message.find("STOLEN 2026-10-01"), std::string::npos);
}

TEST(Verdict, BookLostIsAlert) {
  ReceiptFacts f = GoodFacts();
  f.book->status = "lost";
  ExpectOnly(f, Verdict::kAlert, code::kBookLost);
}

TEST(Verdict, BookCancelledIsAlert) {
  ReceiptFacts f = GoodFacts();
  f.book->status = "Cancelled";
  ExpectOnly(f, Verdict::kAlert, code::kBookCancelled);
}

TEST(Verdict, FarmerUnderInvestigationIsAlert) {
  ReceiptFacts f = GoodFacts();
  f.farmer->under_investigation = true;
  ExpectOnly(f, Verdict::kAlert, code::kFarmerUnderInvestigation);
}

TEST(Verdict, FarmerSuspendedOrDeceasedIsAlert) {
  for (const char* status : {"suspended", "deceased"}) {
    ReceiptFacts f = GoodFacts();
    f.farmer->status = status;
    ExpectOnly(f, Verdict::kAlert, code::kFarmerInactive);
  }
}

TEST(Verdict, FarmerUnverifiedIsCheck) {
  ReceiptFacts f = GoodFacts();
  f.farmer->verified = false;
  ExpectOnly(f, Verdict::kCheck, code::kFarmerUnverified);
}

TEST(Verdict, BookWithoutFarmerIsCheck) {
  ReceiptFacts f = GoodFacts();
  f.farmer.reset();
  ExpectOnly(f, Verdict::kCheck, code::kFarmerUnverified);
}

TEST(Verdict, CardExpiringTodayIsStillValid) {
  ReceiptFacts f = GoodFacts();
  f.farmer->card_expires_on = "2026-11-20";
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
}

TEST(Verdict, CardExpiredYesterdayIsCheck) {
  ReceiptFacts f = GoodFacts();
  f.farmer->card_expires_on = "2026-11-19";
  ExpectOnly(f, Verdict::kCheck, code::kCardExpired);
}

TEST(Verdict, TodayIsTheUtcDate) {
  EXPECT_EQ(UtcDate(kNow), "2026-11-20");
  EXPECT_EQ(UtcDate(1795219199), "2026-11-20");  // 23:59:59Z
  EXPECT_EQ(UtcDate(1795219200), "2026-11-21");
  EXPECT_EQ(UtcDate(0), "1970-01-01");
  ReceiptFacts f = GoodFacts();
  f.farmer->card_expires_on = "2026-11-20";
  EXPECT_EQ(Evaluate(f, {}, 1795219200).verdict, Verdict::kCheck);
}

// A farmer with no card expiry on record has shown the registry no card: CHECK, as an expired
// one, never VALID.
TEST(Verdict, NoCardDateOnRecordIsCardExpired) {
  ReceiptFacts f = GoodFacts();
  f.farmer->card_expires_on = "";
  ExpectOnly(f, Verdict::kCheck, code::kCardExpired);
  f.farmer->card_expires_on = "soon";
  ExpectOnly(f, Verdict::kCheck, code::kCardExpired);
}

TEST(Verdict, ThreeChecksIn72HoursIsRecheck) {
  ReceiptFacts f = GoodFacts();
  f.prior_checks = {
      {kNow - 1 * kHour, "THO"}, {kNow - 30 * kHour, "THO"}, {kNow - 72 * kHour, "THO"}};
  ExpectOnly(f, Verdict::kCheck, code::kReceiptRechecked);
}

TEST(Verdict, TwoChecksIn72HoursIsNotRecheck) {
  ReceiptFacts f = GoodFacts();
  f.prior_checks = {{kNow - 1 * kHour, "THO"}, {kNow - 30 * kHour, "THO"}};
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
}

TEST(Verdict, CheckJustOutside72HoursDoesNotCount) {
  ReceiptFacts f = GoodFacts();
  f.prior_checks = {
      {kNow - 1 * kHour, "THO"}, {kNow - 30 * kHour, "THO"}, {kNow - 72 * kHour - 1, "THO"}};
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
}

TEST(Verdict, SecondParishWithin24HoursIsRecheck) {
  ReceiptFacts f = GoodFacts();
  f.prior_checks = {{kNow - 24 * kHour, "MRY"}};
  ExpectOnly(f, Verdict::kCheck, code::kReceiptRechecked);
  EXPECT_NE(Judge(f).signals[0].message.find("2 parishes"), std::string::npos);
}

TEST(Verdict, SecondParish25HoursAgoIsNotRecheck) {
  ReceiptFacts f = GoodFacts();
  f.prior_checks = {{kNow - 25 * kHour, "MRY"}};
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
}

TEST(Verdict, SameParishOrUnknownParishIsNotSpread) {
  ReceiptFacts f = GoodFacts();
  f.prior_checks = {{kNow - kHour, "tho"}, {kNow - 2 * kHour, ""}};
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
  // Without this check's parish, two earlier parishes still count.
  f.parish = "";
  f.prior_checks = {{kNow - kHour, "THO"}, {kNow - 2 * kHour, "CAT"}};
  EXPECT_EQ(Judge(f).verdict, Verdict::kCheck);
}

TEST(Verdict, ObservedCommodityDifferentIsMismatch) {
  ReceiptFacts f = GoodFacts();
  f.observed.commodity = "Dasheen";
  ExpectOnly(f, Verdict::kCheck, code::kSaleMismatch);
  EXPECT_NE(Judge(f).signals[0].message.find("dasheen"), std::string::npos);
}

TEST(Verdict, CommodityVarietyCaseAndSpacesMatch) {
  for (const char* seen : {"yellow yam", "  YAM ", "Yams", "St. Vincent yam"}) {
    ReceiptFacts f = GoodFacts();
    f.observed.commodity = seen;
    EXPECT_EQ(Judge(f).verdict, Verdict::kValid) << seen;
  }
  ReceiptFacts f = GoodFacts();
  f.sale->commodity = "Yellow  Yam";
  f.observed.commodity = "yam";
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
  f.sale->commodity = "sweet potato";
  f.observed.commodity = "irish potato";
  EXPECT_EQ(Judge(f).verdict, Verdict::kCheck);
}

TEST(Verdict, QuantityExactlyTenPercentOverIsValid) {
  ReceiptFacts f = GoodFacts();
  f.observed.quantity = 550;
  f.observed.unit = "kg";
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
}

TEST(Verdict, QuantityJustOverTenPercentIsMismatch) {
  ReceiptFacts f = GoodFacts();
  f.observed.quantity = 550.05;  // +10.01 %
  f.observed.unit = "kg";
  ExpectOnly(f, Verdict::kCheck, code::kSaleMismatch);
}

TEST(Verdict, LessThanRecordedIsFine) {
  ReceiptFacts f = GoodFacts();
  f.observed.quantity = 200;
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);  // no unit: the sale's own
}

TEST(Verdict, QuantityConvertsMassUnits) {
  ReceiptFacts f = GoodFacts();
  f.observed.unit = "lb";
  f.observed.quantity = 1200;  // 544.3 kg
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
  f.observed.quantity = 1250;  // 567 kg
  EXPECT_EQ(Judge(f).verdict, Verdict::kCheck);
  f.observed.unit = "tonne";
  f.observed.quantity = 0.55;
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
  f.observed.unit = "g";
  f.observed.quantity = 560000;
  EXPECT_EQ(Judge(f).verdict, Verdict::kCheck);
}

TEST(Verdict, QuantityConvertsDozenAndUnits) {
  ReceiptFacts f = GoodFacts();
  f.sale = SaleFacts{"eggs", 12, "dozen", "2026-11-20T08:00:00Z"};
  f.observed.commodity = "egg";
  f.observed.unit = "pcs";
  f.observed.quantity = 144;
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
  f.observed.quantity = 160;
  EXPECT_EQ(Judge(f).verdict, Verdict::kCheck);
}

TEST(Verdict, IncomparableUnitsAreMismatch) {
  ReceiptFacts f = GoodFacts();
  f.observed.unit = "bag";
  f.observed.quantity = 5;
  ExpectOnly(f, Verdict::kCheck, code::kSaleMismatch);
  EXPECT_NE(Judge(f).signals[0].message.find("Units differ"), std::string::npos);
}

TEST(Verdict, ObservedWithoutSaleIsNoSignal) {
  ReceiptFacts f = GoodFacts();
  f.sale.reset();
  f.observed = {"dasheen", 900, "kg"};
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
}

TEST(Verdict, VolumeExactly150PercentIsValid) {
  ReceiptFacts f = GoodFacts();
  f.volume = VolumeFacts{"yam", 6000, 4000};
  EXPECT_EQ(Judge(f).verdict, Verdict::kValid);
}

TEST(Verdict, VolumeAbove150PercentIsImplausible) {
  ReceiptFacts f = GoodFacts();
  f.volume = VolumeFacts{"yam", 6000.5, 4000};
  ExpectOnly(f, Verdict::kCheck, code::kVolumeImplausible);
  f.volume = VolumeFacts{"yam", 100, 0};  // a crop his farms do not grow
  ExpectOnly(f, Verdict::kCheck, code::kVolumeImplausible);
}

TEST(Verdict, AlertOutranksCheckAndKeepsAllSignals) {
  ReceiptFacts f = GoodFacts();
  f.farmer->verified = false;
  f.farmer->card_expires_on = "2020-01-01";
  f.observed.commodity = "dasheen";
  f.book->status = "stolen";
  f.farmer->under_investigation = true;
  Result r = Judge(f);
  EXPECT_EQ(r.verdict, Verdict::kAlert);
  std::vector<std::string> expected = {"book_stolen", "farmer_under_investigation", "sale_mismatch",
                                       "farmer_unverified", "card_expired"};
  EXPECT_EQ(Codes(r), expected);
}

TEST(Verdict, TheftSignalsComeBeforePaperwork) {
  ReceiptFacts f = GoodFacts();
  f.farmer->verified = false;
  f.volume = VolumeFacts{"yam", 9000, 1000};
  f.prior_checks = {{kNow - kHour, "CAT"}};
  f.observed = {"yam", 800, "kg"};
  Result r = Judge(f);
  EXPECT_EQ(r.verdict, Verdict::kCheck);
  std::vector<std::string> expected = {"sale_mismatch", "receipt_rechecked", "volume_implausible",
                                       "farmer_unverified"};
  EXPECT_EQ(Codes(r), expected);
}

TEST(Verdict, ThresholdsAreConfigurable) {
  Thresholds t;
  t.recheck_count = 5;
  t.recheck_parishes = 3;
  t.quantity_tolerance = 0.5;
  t.volume_factor = 3;
  ReceiptFacts f = GoodFacts();
  f.prior_checks = {{kNow - kHour, "CAT"}, {kNow - kHour, "CAT"}, {kNow - kHour, "CAT"}};
  f.observed.quantity = 700;
  f.volume = VolumeFacts{"yam", 10000, 4000};
  EXPECT_EQ(Judge(f, t).verdict, Verdict::kValid);
  t.recheck_window_hours = 1;
  t.recheck_count = 3;
  EXPECT_TRUE(Has(Judge(f, t), code::kReceiptRechecked));
}

TEST(Verdict, VerdictWords) {
  EXPECT_EQ(VerdictWord(Verdict::kValid), "VALID");
  EXPECT_EQ(VerdictWord(Verdict::kCheck), "CHECK");
  EXPECT_EQ(VerdictWord(Verdict::kAlert), "ALERT");
  EXPECT_EQ(VerdictWord(Verdict::kUnknown), "UNKNOWN");
}

TEST(Units, CanonicalNames) {
  EXPECT_EQ(CanonicalUnit("KGS"), "kg");
  EXPECT_EQ(CanonicalUnit("Kilo"), "kg");
  EXPECT_EQ(CanonicalUnit("lbs."), "lb");
  EXPECT_EQ(CanonicalUnit("pounds"), "lb");
  EXPECT_EQ(CanonicalUnit("doz"), "dozen");
  EXPECT_EQ(CanonicalUnit("dz"), "dozen");
  EXPECT_EQ(CanonicalUnit("each"), "unit");
  EXPECT_EQ(CanonicalUnit("pcs"), "unit");
  EXPECT_EQ(CanonicalUnit("bunches"), "bunch");
  EXPECT_EQ(CanonicalUnit("crates"), "crate");
  EXPECT_EQ(CanonicalUnit("tons"), "tonne");
  EXPECT_EQ(CanonicalUnit("yam"), "");
  EXPECT_EQ(CanonicalUnit(""), "");
}

TEST(Units, FormatQuantity) {
  EXPECT_EQ(FormatQuantity(500, "kg"), "500 kg");
  EXPECT_EQ(FormatQuantity(2.5, "KGS"), "2.5 kg");
  EXPECT_EQ(FormatQuantity(12, "doz"), "12 dozen");
  EXPECT_EQ(FormatQuantity(3, "bunch"), "3 bunches");
  EXPECT_EQ(FormatQuantity(1, "bag"), "1 bag");
  EXPECT_EQ(FormatQuantity(1.0 / 3, "lb"), "0.33 lb");
  EXPECT_EQ(FormatQuantity(7, ""), "7");
}

}  // namespace
}  // namespace harvest::verify
