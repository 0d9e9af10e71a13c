// /books (find), /books/new (sell a book, the next free serial and receipts proposed),
// /books/{serial} (view) and POST /books/{serial}/report (lost or stolen). The rules (no
// overlap, who may report, the status change's date) are services::RegistryService's.
#include <algorithm>

#include "api/api_error.h"
#include "api/responses.h"
#include "auth/privacy.h"
#include "pages/layout.h"
#include "pages/registry_pages.h"
#include "pages/staff_forms.h"
#include "registry/clock.h"

namespace harvest::pages {
namespace {

const std::vector<std::string> kSold = {"serial",  "first_receipt", "last_receipt", "farmer_id",
                                        "sold_on", "outlet",        "parish"};
const std::vector<std::string> kRequired = {"serial", "first_receipt", "last_receipt", "farmer_id"};

bool Required(const std::string& field) {
  return std::find(kRequired.begin(), kRequired.end(), field) != kRequired.end();
}

http::Response Search(services::RegistryService& records, const http::Request& request,
                      const auth::Principal& who) {
  const Strings& s = English();
  const registry::DatasetDef& books = Dataset("books");
  services::BookQuery query;
  query.text = QueryValue(request, "q");
  query.status = QueryValue(request, "status");
  const auto& statuses = books.Field("status")->choices;
  if (std::find(statuses.begin(), statuses.end(), query.status) == statuses.end()) {
    query.status.clear();
  }
  query.after = QueryValue(request, "after");
  SearchView view{.action = "/books",
                  .title = s.books_title,
                  .intro = s.books_intro,
                  .label = s.books_search_label,
                  .hint = s.books_search_hint,
                  .new_text = s.book_new_title,
                  .new_href = "/books/new",
                  .none = s.books_none,
                  .numeric = true,
                  .select = "status",
                  .select_label = s.field_status,
                  .any = s.status_any,
                  .options = {},
                  .columns = {"serial", "first_receipt", "last_receipt", "farmer_id", "status"},
                  .link_prefix = "/books/"};
  for (const std::string& status : statuses) {
    view.options.emplace_back(status, status);
  }
  return SearchPage(who, view, books, query.text, query.status, records.SearchBooks(who, query));
}

http::Response SellForm(const auth::Principal& who, int status, const Form& values,
                        const FieldProblems& problems, bool proposed) {
  const Strings& s = English();
  const registry::DatasetDef& books = Dataset("books");
  Html body;
  body.Element("h1", s.book_new_title);
  if (!problems.empty()) {
    ProblemsNotice(body, problems, kSold);
  } else {
    body.Element("p", proposed ? s.book_new_intro : s.farmer_new_intro);
  }
  body.Open("form", {{"method", "post"}, {"action", "/books/new"}, {"novalidate", ""}});
  CsrfField(body, who.csrf);
  for (const std::string& field : kSold) {
    SchemaField(body, books, field, FormValue(values, field), problems, Required(field));
  }
  body.Element("button", s.sell_button, {{"type", "submit"}});
  body.Close("form");
  return Page(status, s.book_new_title, who, body.Take());
}

http::Response Sell(services::RegistryService& records, const http::Request& request,
                    const auth::Principal& who) {
  const registry::DatasetDef& books = Dataset("books");
  records.RequireWrite(who, books);
  if (request.method == "GET" || request.method == "HEAD") {
    services::BookProposal next = records.ProposeBook();
    Form values{{"serial", next.serial},
                {"first_receipt", std::to_string(next.first_receipt)},
                {"last_receipt", std::to_string(next.last_receipt)},
                {"farmer_id", QueryValue(request, "farmer_id")},
                {"sold_on", registry::TodayIso()}};
    return SellForm(who, 200, values, {}, true);
  }
  Form form = http::ParseQueryString(request.body);
  RequireCsrf(form, who);
  try {
    store::Row row = records.SellBook(who, CellsOf(books, form, kSold));
    return Redirect("/books/" + http::PercentEncode(CellText(books, row, "serial")) + "?done=sold");
  } catch (const store::WriteError& e) {
    return SellForm(who, e.conflict() ? 409 : 422, form, ProblemsOf(books, e), false);
  }
}

http::Response View(services::RegistryService& records, const http::Request& request,
                    const auth::Principal& who, const std::string& serial, int status,
                    const FieldProblems& problems) {
  const Strings& s = English();
  std::optional<services::BookFile> file = records.Book(who, serial);
  if (!file) {
    throw api::ApiError(404, "not_found", "no book " + serial);
  }
  const registry::DatasetDef& books = Dataset("books");
  Html body;
  body.Element("h1", std::string(s.book_title) + " " + serial);
  std::string done = QueryValue(request, "done");
  if (!problems.empty()) {
    ProblemsNotice(body, problems, {});
  } else if (done == "sold" || done == "reported") {
    body.Element("p", done == "sold" ? s.book_sold : s.book_reported,
                 {{"class", "notice"}, {"role", "status"}});
  }
  FactList(body, books, file->book,
           {"serial", "first_receipt", "last_receipt", "status", "status_changed_on", "sold_on",
            "outlet", "parish", "remarks"});
  if (file->farmer) {
    const registry::DatasetDef& farmers = Dataset("farmers");
    std::string id = CellText(farmers, *file->farmer, "id");
    body.Element("h2", s.farmer_title);
    body.Open("p");
    body.Element("a",
                 CellText(farmers, *file->farmer, "first_name") + " " +
                     CellText(farmers, *file->farmer, "last_name") + " (" + id + ")",
                 {{"href", "/farmers/" + http::PercentEncode(id)}});
    body.Close("p");
  }
  body.Element("h2", s.sales_heading);
  if (file->sales.empty()) {
    body.Element("p", s.none_recorded);
  } else {
    RowTable(body, Dataset("sales"), file->sales,
             {"receipt", "commodity", "quantity", "unit", "sold_at", "channel"}, "",
             s.sales_heading);
  }
  body.Element("h2", s.book_report_heading);
  if (CellText(books, file->book, "status") != "active") {
    body.Element("p", s.book_not_active);
  } else if (auth::CanWrite(books, who.role)) {
    body.Element("p", s.book_report_intro);
    std::string action = "/books/" + http::PercentEncode(serial) + "/report";
    body.Open("form", {{"method", "post"}, {"action", action}, {"class", "actions"}});
    CsrfField(body, who.csrf);
    body.Element("button", s.report_lost,
                 {{"type", "submit"}, {"name", "status"}, {"value", "lost"}});
    body.Element(
        "button", s.report_stolen,
        {{"type", "submit"}, {"name", "status"}, {"value", "stolen"}, {"class", "danger"}});
    body.Close("form");
  }
  return Page(status, s.book_title, who, body.Take());
}

http::Response Report(services::RegistryService& records, const http::Request& request,
                      const auth::Principal& who, const std::string& serial) {
  records.RequireWrite(who, Dataset("books"));
  Form form = http::ParseQueryString(request.body);
  RequireCsrf(form, who);
  verify::ReportRequest report;
  report.book = serial;
  report.status = FormValue(form, "status");
  try {
    records.ReportBook(who, report);
  } catch (const verify::FieldError& e) {
    if (e.kind() == verify::FieldError::Kind::kNotFound) {
      throw api::ApiError(404, "not_found", e.what());
    }
    bool conflict = e.kind() == verify::FieldError::Kind::kConflict;
    return View(records, request, who, serial, conflict ? 409 : 422,
                ProblemsOf(Dataset("books"), e));
  }
  return Redirect("/books/" + http::PercentEncode(serial) + "?done=reported");
}

bool Read(const http::Request& request) {
  return request.method == "GET" || request.method == "HEAD";
}

}  // namespace

std::optional<http::Response> BookPages(services::RegistryService& records, http::Request& request,
                                        auth::Principal& who) {
  const std::string& path = request.path;
  constexpr std::string_view kPrefix = "/books/";
  constexpr std::string_view kReport = "/report";
  if (path == "/books") {
    if (!Read(request)) {
      api::MethodNotAllowed("GET, HEAD");
    }
    return StaffOnly(request, who, [&] { return Search(records, request, who); });
  }
  if (path == "/books/new") {
    if (!Read(request) && request.method != "POST") {
      api::MethodNotAllowed("GET, HEAD, POST");
    }
    return StaffOnly(request, who, [&] { return Sell(records, request, who); });
  }
  if (!path.starts_with(kPrefix)) {
    return std::nullopt;
  }
  std::string rest = path.substr(kPrefix.size());
  if (rest.ends_with(kReport) && rest.size() > kReport.size()) {
    std::string serial = rest.substr(0, rest.size() - kReport.size());
    if (serial.find('/') == std::string::npos) {
      if (request.method != "POST") {
        api::MethodNotAllowed("POST");
      }
      return StaffOnly(request, who, [&] { return Report(records, request, who, serial); });
    }
  }
  if (rest.empty() || rest.find('/') != std::string::npos) {
    return std::nullopt;
  }
  if (!Read(request)) {
    api::MethodNotAllowed("GET, HEAD");
  }
  return StaffOnly(request, who, [&] { return View(records, request, who, rest, 200, {}); });
}

}  // namespace harvest::pages
