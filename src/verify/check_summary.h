// Where and when receipts are checked (SPEC §9 /checks): checks per day by verdict, ALERT
// and CHECK by parish, the most-rechecked receipts, over one selection of the checks. The
// selection is written in the API's filter language (at__gte, at__lt, parish, verdict), so
// a page URL, its CSV links and a script say the same thing. Who may see it (police and up)
// is decided here. Must not depend on HTTP or SQL.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "auth/principal.h"
#include "store/store.h"

namespace harvest::verify {

// A query parameter that cannot be read, named with its value.
class SelectionError : public std::runtime_error {
 public:
  SelectionError(std::string parameter, const std::string& message)
      : std::runtime_error(message), parameter_(std::move(parameter)) {}
  const std::string& parameter() const { return parameter_; }

 private:
  std::string parameter_;
};

// Without a time bound, a summary covers this many days up to today (UTC).
inline constexpr int kDefaultCheckDays = 30;
// The most-rechecked table's length.
inline constexpr int64_t kRecheckedRows = 20;

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// at__gte and at__lt take a date (2026-12-07: its midnight UTC) or an RFC 3339 UTC time;
// parish a code or name; verdict a verdict word (any case). Empty values are no filter;
// link trackers' parameters are ignored; any other parameter is a SelectionError. With
// neither time bound, from is `today` minus kDefaultCheckDays - 1 days, so the selection
// always says its own time span (and links made from it give exactly what was shown).
store::CheckSelection ParseCheckSelection(const QueryPairs& query, const std::string& today);

// The selection as query pairs in the filter language (empty fields left out).
QueryPairs SelectionQuery(const store::CheckSelection& selection);

struct CheckSummary {
  std::vector<store::DailyChecks> per_day;
  std::vector<store::ParishChecks> by_parish;
  std::vector<store::RecheckedReceipt> rechecked;
};

// Who may see the summaries: police, extension and admin (Summarize throws PermissionError
// for anyone else).
class PermissionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

CheckSummary Summarize(store::Store& store, const auth::Principal& who,
                       const store::CheckSelection& selection);

}  // namespace harvest::verify
