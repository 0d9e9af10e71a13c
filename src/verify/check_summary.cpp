#include "verify/check_summary.h"

#include <algorithm>

#include "auth/privacy.h"
#include "registry/parish.h"
#include "registry/text_values.h"

namespace harvest::verify {
namespace {

bool Ignored(std::string_view name) {
  return name.starts_with("utm_") || name == "fbclid" || name == "gclid" || name == "_";
}

std::string TimeBound(const std::string& parameter, const std::string& text) {
  if (registry::IsIsoDate(text)) {
    return text + "T00:00:00Z";
  }
  if (registry::IsRfc3339Utc(text)) {
    return text;
  }
  throw SelectionError(parameter, "parameter '" + parameter +
                                      "' takes a date like 2026-12-07 or a UTC time like "
                                      "2026-12-07T14:00:00Z, not '" +
                                      text + "'");
}

}  // namespace

store::CheckSelection ParseCheckSelection(const QueryPairs& query, const std::string& today) {
  store::CheckSelection s;
  std::vector<std::string> seen;
  for (const auto& [name, raw] : query) {
    if (Ignored(name)) {
      continue;
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      throw SelectionError(name, "parameter '" + name + "' is given twice");
    }
    seen.push_back(name);
    std::string value = registry::Trim(raw);
    if (name != "at__gte" && name != "at__lt" && name != "parish" && name != "verdict") {
      throw SelectionError(name, "unknown parameter '" + name.substr(0, 100) +
                                     "': checks are filtered by at__gte, at__lt, parish and "
                                     "verdict");
    }
    if (value.empty()) {
      continue;
    }
    if (name == "at__gte") {
      s.from = TimeBound(name, value);
    } else if (name == "at__lt") {
      s.to = TimeBound(name, value);
    } else if (name == "parish") {
      auto code = registry::NormalizeParish(value);
      if (!code) {
        throw SelectionError(
            name, "parameter 'parish': no parish is called '" + value.substr(0, 100) + "'");
      }
      s.parish = std::string(*code);
    } else {
      std::string word = value;
      std::transform(word.begin(), word.end(), word.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (word != "VALID" && word != "CHECK" && word != "ALERT" && word != "UNKNOWN") {
        throw SelectionError(name,
                             "parameter 'verdict' takes VALID, CHECK, ALERT or UNKNOWN, "
                             "not '" +
                                 value.substr(0, 100) + "'");
      }
      s.verdict = word;
    }
  }
  if (s.from.empty() && s.to.empty()) {
    auto days = registry::IsoDateToDays(today);
    s.from = registry::DaysToIsoDate(days.value_or(0) - (kDefaultCheckDays - 1)) + "T00:00:00Z";
  }
  if (!s.from.empty() && !s.to.empty() && s.to <= s.from) {
    throw SelectionError(
        "at__lt", "parameter 'at__lt' (" + s.to + ") must come after at__gte (" + s.from + ")");
  }
  return s;
}

QueryPairs SelectionQuery(const store::CheckSelection& s) {
  QueryPairs out;
  auto put = [&](const char* name, const std::string& value) {
    if (!value.empty()) {
      out.emplace_back(name, value);
    }
  };
  put("at__gte", s.from);
  put("at__lt", s.to);
  put("parish", s.parish);
  put("verdict", s.verdict);
  return out;
}

CheckSummary Summarize(store::Store& store, const auth::Principal& who,
                       const store::CheckSelection& selection) {
  if (!auth::MayCheckReceipts(who.role)) {
    throw PermissionError("the " + std::string(registry::RoleName(who.role)) +
                          " role may not see the receipt checks");
  }
  CheckSummary summary;
  summary.per_day = store.CountChecksPerDay(selection);
  summary.by_parish = store.CountWarningsByParish(selection);
  summary.rechecked = store.MostRecheckedReceipts(selection, kRecheckedRows);
  return summary;
}

}  // namespace harvest::verify
