// Deterministic synthetic national data: a believable Jamaican registry (farmers, farms, crops,
// livestock, receipt books, digital receipts, police officers) and a year of weekly prices, for
// `harvest demo` and `harvest serve --demo`. The same options always give the same rows, on every
// platform, so docs and tests can rely on them.
// Depends on the store and registry only; knows nothing of HTTP, SMS or formats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.h"

namespace harvest::demo {

struct DemoOptions {
  int64_t farmers = 170000;  // about RADA's register (167,278 in April 2014)
  uint64_t seed = 2014;
  // The reference date: registrations, card expiry, prices and sales are placed relative to it.
  // Fixed here so output is deterministic; callers normally pass registry::TodayIso().
  std::string today = "2026-11-23";
};

// Rows that docs and tests can use, found in the generated data rather than hard-coded.
struct DemoSamples {
  // A receipt in an active book of an active, verified, unexpired farmer who is not under
  // investigation, with no sale recorded on it: it verifies VALID.
  std::string valid_receipt_farmer_id;
  int64_t valid_receipt = 0;
  int64_t stolen_receipt = 0;   // in a book reported stolen: ALERT
  int64_t unknown_receipt = 0;  // in no book: UNKNOWN
  // A farmer in good standing for identity lookups (the valid receipt's owner, who has a phone).
  std::string farmer_id;
  std::string officer_phone;  // an active officer, E.164
  std::string commodity;      // a crop the sample farmer grows, with weekly prices
  std::string parish;         // a parish code where `commodity` has weekly prices
};

struct DemoSummary {
  int64_t farmers = 0;
  int64_t farms = 0;
  int64_t crops = 0;
  int64_t livestock = 0;
  int64_t prices = 0;
  int64_t books = 0;
  int64_t stolen_books = 0;
  int64_t sales = 0;
  int64_t officers = 0;
  DemoSamples samples;
};

// Rows of a demo database for a newcomer to try by SMS, found in what the store holds now
// (which may have changed since the demo was made: earlier tries recorded sales).
struct TrySamples {
  std::string officer_phone;  // an active officer, E.164
  // A farmer in good standing whose phone is his alone, and two receipts of one of his active
  // books with no sale recorded: `check_receipt` verifies VALID, `sell_receipt` is for S.
  std::string farmer_id;
  std::string farmer_phone;
  int64_t check_receipt = 0;
  int64_t sell_receipt = 0;
  std::string book_serial;     // the book both receipts are in
  std::string commodity;       // the crop he expects most of
  double sell_kg = 0;          // a quantity well inside what his farms expect
  int64_t stolen_receipt = 0;  // in a book reported stolen: ALERT; 0 when there is none
};

// nullopt when the store has no active officer or no such farmer (not demo data, or emptied).
std::optional<TrySamples> FindTrySamples(store::Store& store, std::string_view today);

// Fills an empty store, all or nothing (one store.Atomically). Throws std::invalid_argument
// for bad options (fewer than 2 or more than 5,000,000 farmers, a `today` that is not an ISO
// date) and std::runtime_error when the store already holds farmers; store errors pass through.
DemoSummary GenerateDemo(store::Store& store, const DemoOptions& options);

}  // namespace harvest::demo
