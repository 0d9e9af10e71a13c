// Field operations over the registry (SPEC §4 "Field operations", §5): checking a receipt
// (gathering the facts from the receipt index and the Store, running the verdict engine,
// recording the check in `verifications`), recording a digital receipt, and reporting a book lost
// or stolen. Shared by the HTTP routes and the SMS conversation, so both channels apply the same
// rules. Depends on the Store, the registry and the verdict engine; it must not know about HTTP,
// SMS, gateways or SQL. The clock is injected so tests and the engine agree on "now".
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "auth/principal.h"
#include "config/config.h"
#include "registry/validate.h"
#include "store/batch_writer.h"
#include "store/store.h"
#include "verify/check_feed.h"
#include "verify/receipt_index.h"
#include "verify/recent_checks.h"
#include "verify/verdict.h"

namespace harvest::verify {

using Clock = std::function<int64_t()>;  // Unix seconds

// One receipt check as a channel asked for it.
struct CheckRequest {
  int64_t receipt = 0;
  Observed observed;
  std::string channel = "api";  // sms, web, api
  int64_t officer_id = 0;       // SMS checks
  int64_t key_id = 0;           // API checks
  std::string parish;           // where the check happens (code), "" if unknown
  // Who checks: the farmer the answer shows is a read of personal data, audited as theirs
  // in the check's own group commit (every channel alike). Null: no audit entry (tests).
  const auth::Principal* checker = nullptr;
};

// The verdict with the facts and stored rows behind it, for each channel's formatter.
struct CheckOutcome {
  ReceiptFacts facts;
  Result result;
  // The books and farmers rows hold only the fields a check shows (CheckedBookFields,
  // CheckedFarmerFields: the farmer's police view); the other cells are null.
  std::optional<store::Row> book;
  std::optional<store::Row> farmer;
  std::optional<store::Row> sale;  // sales row
};

// A refused field operation, classified so each channel can answer in its own words
// (HTTP status, SMS ERROR text).
class FieldError : public std::runtime_error {
 public:
  // kTooMany: the checker's hourly limit is reached; retry_after() says for how long.
  enum class Kind { kInvalid, kNotFound, kConflict, kNotYours, kTooMany };
  FieldError(Kind kind, const std::string& message,
             std::vector<registry::FieldProblem> details = {})
      : std::runtime_error(message), kind_(kind), details_(std::move(details)) {}
  Kind kind() const { return kind_; }
  const std::vector<registry::FieldProblem>& details() const { return details_; }
  int64_t retry_after() const { return retry_after_; }  // seconds (kTooMany)
  FieldError& WithRetryAfter(int64_t seconds) {
    retry_after_ = seconds;
    return *this;
  }

 private:
  Kind kind_;
  std::vector<registry::FieldProblem> details_;
  int64_t retry_after_ = 0;
};

struct SaleRequest {
  std::vector<registry::InputCell> cells;  // positional over the sales fields
  std::string channel = "api";
  // SMS: the farmers registered on the sender's phone; the receipt must be in an active book of
  // one of them. Empty for staff, who may record on any farmer's book.
  std::vector<std::string> only_farmers;
};

struct ReportRequest {
  std::string book;         // a serial, or (with by_receipt) a receipt number's digits
  bool by_receipt = false;  // SMS LOST: a receipt number first, else a serial
  std::string status;       // lost | stolen
  std::vector<std::string> only_farmers;  // as in SaleRequest
};

class VerificationService {
 public:
  // Checks are recorded through `log` (group commit: the channel's answer waits for it).
  VerificationService(store::Store& store, const config::Config& config, Clock clock,
                      store::LogWriter& log);
  // With a LogWriter of its own, which commits what is still queued on destruction.
  VerificationService(store::Store& store, const config::Config& config, Clock clock);
  VerificationService(const VerificationService&) = delete;
  VerificationService& operator=(const VerificationService&) = delete;

  // Gathers the facts, decides, and queues the check for `verifications` (the calling
  // thread's pending LogWriter ticket: its answer must wait for that commit). Never throws
  // for an unknown receipt (that is the UNKNOWN verdict); store failures pass through.
  // A check by an API key past `verify.key_checks_per_hour` throws FieldError kTooMany and
  // is not recorded (officers' SMS are limited per phone by the conversation).
  CheckOutcome Check(const CheckRequest& request);

  // Records a digital receipt; returns the stored sales row. Throws FieldError.
  store::Row RecordSale(SaleRequest request);

  // Marks a book lost or stolen as of today; returns the stored books row. Throws FieldError:
  // kNotFound for an unknown book, kConflict when it is already lost, stolen or cancelled.
  store::Row ReportBook(const ReportRequest& request);

  // The book whose range holds `receipt`, if any (index-backed: one row read).
  std::optional<store::Row> BookHolding(int64_t receipt);

  int64_t Now() const { return clock_(); }

 private:
  void GatherVolume(CheckOutcome& outcome);
  // How far back the recheck signals look (the longer of their windows), in seconds.
  int64_t horizon() const;

  store::Store& store_;
  const config::Config& config_;
  Clock clock_;
  const registry::ValidationContext validation_;

  // Checks are recorded by the group committer, so a check costs a queue push (and its
  // answer a wait for the commit); the recheck history is read from memory, where every
  // check of the window is.
  RecentChecks recent_;
  CheckFeed feed_{store_, recent_};  // fills recent_ from the log (at start; shared databases)
  std::unique_ptr<store::LogWriter> own_log_;  // only without a shared one
  store::LogWriter& log_;
  // Books, farmers and sold receipts in memory: a check reads the store only for what has
  // changed since they were copied (and for a sale's details).
  ReceiptIndex index_;
};

// Facts for the verdict engine and the reply formatters, from stored rows.
BookFacts BookFactsOf(const store::Row& books_row);
FarmerFacts FarmerFactsOf(const store::Row& farmers_row);
SaleFacts SaleFactsOf(const store::Row& sales_row);

// A receipt number as people write it: digits, with "#", ",", "-" and spaces tolerated as on
// paper ("#4512", "4,512"); nullopt for anything else, 0, or more than 15 digits. Every
// channel that takes a number typed by a person reads it with this.
std::optional<int64_t> ParseReceiptNumber(std::string_view text);

// Unix seconds of an RFC 3339 UTC timestamp ("2026-11-20T14:03:00Z"); nullopt if malformed.
std::optional<int64_t> ParseRfc3339(std::string_view text);

}  // namespace harvest::verify
