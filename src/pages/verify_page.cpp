// /verify (SPEC §9): one field and a button; a verdict card out. The check goes through the
// same VerificationService as the JSON API and SMS, so it is decided by the same rules and
// recorded in `verifications` (channel web) like any other.
#include <charconv>
#include <cstdlib>

#include "api/api_error.h"
#include "api/responses.h"
#include "auth/privacy.h"
#include "pages/layout.h"
#include "pages/page_access.h"
#include "pages/pages.h"
#include "registry/parish.h"

namespace harvest::pages {
namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

struct VerifyInput {
  std::string receipt, commodity, quantity, unit;
};

struct Problems {
  std::string_view receipt, quantity, unit;
  bool any() const { return !receipt.empty() || !quantity.empty() || !unit.empty(); }
};

std::string Cell(const registry::DatasetDef& set, const store::Row& row, std::string_view name) {
  int index = set.FieldIndex(name);
  return index < 0 ? std::string() : store::ValueText(row[static_cast<size_t>(index)]);
}

std::string_view YesNo(const Strings& s, const std::string& cell) {
  return cell == "1" || cell == "true" ? s.yes : s.no;
}

void Fact(Html& html, std::string_view term, std::string_view value) {
  html.Element("dt", term).Element("dd", value);
}

// Labelled input; `problem` (if any) is said next to it and tied to it for screen readers.
void Input(Html& html, std::string_view id, std::string_view label, std::string_view value,
           std::string_view problem) {
  html.Element("label", label, {{"for", id}});
  std::string problem_id = std::string(id) + "-problem";
  if (!problem.empty()) {
    html.Element("span", problem, {{"class", "problem"}, {"id", problem_id}});
  }
  if (id == "receipt") {
    html.Element("span", English().receipt_hint, {{"class", "hint"}, {"id", "receipt-hint"}});
    html.Void("input", {{"id", id},
                        {"name", id},
                        {"type", "text"},
                        {"inputmode", "numeric"},
                        {"autocomplete", "off"},
                        {"required", ""},
                        {"aria-describedby", problem.empty() ? "receipt-hint" : problem_id},
                        {"aria-invalid", problem.empty() ? "false" : "true"},
                        {"value", value}});
  } else {
    html.Void("input", {{"id", id},
                        {"name", id},
                        {"type", "text"},
                        {"inputmode", id == "quantity" ? "decimal" : "text"},
                        {"autocomplete", "off"},
                        {"aria-invalid", problem.empty() ? "false" : "true"},
                        {"value", value}});
  }
}

void VerifyForm(Html& html, const auth::Principal& who, const VerifyInput& in,
                const Problems& problems) {
  const Strings& s = English();
  html.Open("form", {{"method", "post"}, {"action", "/verify"}});
  CsrfField(html, who.csrf);
  Input(html, "receipt", s.receipt_label, in.receipt, problems.receipt);
  // Folded away unless it holds something: most checks are of the number alone.
  if (in.commodity.empty() && in.quantity.empty() && in.unit.empty()) {
    html.Open("details", {{"class", "observed"}});
  } else {
    html.Open("details", {{"class", "observed"}, {"open", ""}});
  }
  html.Element("summary", s.observed_legend);
  html.Open("fieldset").Element("legend", s.observed_legend);
  Input(html, "commodity", s.commodity_label, in.commodity, {});
  Input(html, "quantity", s.quantity_label, in.quantity, problems.quantity);
  html.Element("label", s.unit_label, {{"for", "unit"}});
  if (!problems.unit.empty()) {
    html.Element("span", problems.unit, {{"class", "problem"}});
  }
  html.Open("select", {{"id", "unit"}, {"name", "unit"}});
  html.Element("option", s.unit_any, {{"value", ""}});
  for (std::string_view unit : verify::UnitNames()) {
    Option(html, unit, unit, unit == in.unit);
  }
  html.Close("select").Close("fieldset").Close("details");
  html.Element("button", s.check_button, {{"type", "submit"}});
  html.Close("form");
}

std::string_view VerdictText(const Strings& s, verify::Verdict verdict) {
  switch (verdict) {
    case verify::Verdict::kValid:
      return s.verdict_valid;
    case verify::Verdict::kCheck:
      return s.verdict_check;
    case verify::Verdict::kAlert:
      return s.verdict_alert;
    case verify::Verdict::kUnknown:
      break;
  }
  return s.verdict_unknown;
}

void VerdictCard(Html& html, int64_t receipt, const verify::CheckOutcome& outcome) {
  const Strings& s = English();
  std::string word(verify::VerdictWord(outcome.result.verdict));
  std::string number = std::to_string(receipt);
  std::string verdict_class = "verdict v-" + word;
  html.Open("section", {{"class", "card"}, {"aria-labelledby", "verdict"}});
  html.Open("h2", {{"class", verdict_class}, {"id", "verdict"}});
  html.Text(word).Text(" ").Open("small").Text(s.verdict_heading).Text(" ").Text(number);
  html.Text(": ").Text(VerdictText(s, outcome.result.verdict)).Close("small").Close("h2");
  html.Open("div", {{"class", "body"}});
  html.Element("h3", s.signals_heading);
  if (outcome.result.signals.empty()) {
    html.Element("p", s.no_signals);
  } else {
    html.Open("ul", {{"class", "signals"}});
    for (const verify::Signal& signal : outcome.result.signals) {
      std::string_view plain = SignalText(s, signal.code);
      html.Element("li", plain.empty() ? std::string_view(signal.message) : plain,
                   {{"data-code", signal.code}});
    }
    html.Close("ul");
  }
  if (outcome.book) {
    const registry::DatasetDef& books = *registry::FindDataset("books");
    const store::Row& b = *outcome.book;
    html.Element("h3", s.book_heading).Open("dl");
    Fact(html, s.book_serial, Cell(books, b, "serial"));
    Fact(html, s.book_receipts,
         Cell(books, b, "first_receipt") + " - " + Cell(books, b, "last_receipt"));
    Fact(html, s.book_status, Cell(books, b, "status"));
    std::string since = Cell(books, b, "status_changed_on");
    Fact(html, s.book_since, since.empty() ? s.none : std::string_view(since));
    html.Close("dl");
  }
  if (outcome.farmer) {
    // The police view of the farmer (SPEC §3), whoever asks: enough to judge the receipt.
    const registry::DatasetDef& farmers = *registry::FindDataset("farmers");
    const store::Row& f = *outcome.farmer;
    html.Element("h3", s.farmer_heading).Open("dl");
    Fact(html, s.farmer_id, Cell(farmers, f, "id"));
    Fact(html, s.farmer_name, Cell(farmers, f, "first_name") + " " + Cell(farmers, f, "last_name"));
    std::string alias = Cell(farmers, f, "alias");
    Fact(html, s.farmer_alias, alias.empty() ? s.none : std::string_view(alias));
    std::string parish = Cell(farmers, f, "parish");
    Fact(html, s.farmer_parish, registry::ParishName(parish));
    Fact(html, s.farmer_verified, YesNo(s, Cell(farmers, f, "verified")));
    std::string expires = Cell(farmers, f, "card_expires_on");
    Fact(html, s.farmer_card_expires, expires.empty() ? s.none : std::string_view(expires));
    Fact(html, s.farmer_status, Cell(farmers, f, "status"));
    Fact(html, s.farmer_investigation, YesNo(s, Cell(farmers, f, "under_investigation")));
    html.Close("dl");
  }
  if (outcome.book) {
    html.Element("h3", s.sale_heading);
    if (outcome.sale) {
      const registry::DatasetDef& sales = *registry::FindDataset("sales");
      const store::Row& sale = *outcome.sale;
      html.Open("dl");
      Fact(html, s.sale_commodity, Cell(sales, sale, "commodity"));
      Fact(html, s.sale_quantity,
           verify::FormatQuantity(std::strtod(Cell(sales, sale, "quantity").c_str(), nullptr),
                                  Cell(sales, sale, "unit")));
      Fact(html, s.sale_sold_at, Cell(sales, sale, "sold_at"));
      Fact(html, s.sale_channel, Cell(sales, sale, "channel"));
      html.Close("dl");
    } else {
      html.Element("p", s.no_sale);
    }
  }
  html.Close("div").Close("section");
}

// The form's values as a typed check; problems in the catalogue's words.
verify::CheckRequest ParseForm(const VerifyInput& in, const auth::Principal& who,
                               Problems& problems) {
  const Strings& s = English();
  verify::CheckRequest check;
  check.channel = "web";
  check.key_id = who.key_id;
  check.checker = &who;
  if (std::optional<int64_t> number = verify::ParseReceiptNumber(in.receipt)) {
    check.receipt = *number;
  } else {
    problems.receipt = s.bad_receipt;
  }
  check.observed.commodity = in.commodity;
  if (!in.quantity.empty()) {
    double amount = 0;
    const char* end = in.quantity.data() + in.quantity.size();
    auto [stop, ec] = std::from_chars(in.quantity.data(), end, amount);
    if (ec != std::errc() || stop != end || !(amount > 0) || amount > 1e6) {
      problems.quantity = s.bad_quantity;
    } else {
      check.observed.quantity = amount;
    }
  }
  if (!in.unit.empty()) {
    check.observed.unit = verify::CanonicalUnit(in.unit);
    if (check.observed.unit.empty()) {
      problems.unit = s.bad_unit;
    } else if (in.quantity.empty()) {
      problems.unit = s.unit_needs_quantity;
    }
  }
  return check;
}

api::ApiError FromFieldError(const verify::FieldError& e) {
  if (e.kind() == verify::FieldError::Kind::kTooMany) {
    return api::ApiError(429, "too_many_requests", e.what())
        .WithHeader("Retry-After", std::to_string(e.retry_after()));
  }
  return api::ApiError(422, "invalid", e.what());
}

}  // namespace

http::Response VerifyPage(web::Context& context, verify::VerificationService& verification,
                          http::Request& request, auth::Principal& who) {
  const Strings& s = English();
  bool read = request.method == "GET" || request.method == "HEAD";
  if (!read && request.method != "POST") {
    api::MethodNotAllowed("GET, HEAD, POST");
  }
  if (auto refused =
          RequirePageRole(request, who, auth::MayCheckReceipts(who.role), "verify receipts")) {
    return *refused;
  }
  Html body;
  body.Element("h1", s.verify_title);
  if (read) {
    body.Element("p", s.verify_intro);
    VerifyForm(body, who, {}, {});
    return Page(200, s.verify_title, who, body.Take());
  }
  Form form = http::ParseQueryString(request.body);
  RequireCsrf(form, who);
  VerifyInput in{FormValue(form, "receipt"), FormValue(form, "commodity"),
                 FormValue(form, "quantity"), FormValue(form, "unit")};
  Problems problems;
  verify::CheckRequest check = ParseForm(in, who, problems);
  if (problems.any()) {
    body.Element("p", s.form_problems, {{"class", "notice error"}, {"role", "alert"}});
    VerifyForm(body, who, in, problems);
    return Page(422, s.verify_title, who, body.Take());
  }
  verify::CheckOutcome outcome;
  try {
    outcome = verification.Check(check);
  } catch (const verify::FieldError& e) {
    throw FromFieldError(e);
  }
  VerdictCard(body, check.receipt, outcome);
  body.Element("h2", s.check_another);
  VerifyForm(body, who, {}, {});
  return Page(200, s.verify_title, who, body.Take());
}

}  // namespace harvest::pages
