// /sales/new: a digital receipt recorded by staff (SPEC §9), through the same
// services::RegistryService::RecordSale as the API's POST /api/v1/sales and the farmer's
// S text, so the receipt must lie in an active book and is recorded once, whichever channel.
#include "api/api_error.h"
#include "api/responses.h"
#include "pages/layout.h"
#include "pages/registry_pages.h"
#include "pages/staff_forms.h"

namespace harvest::pages {
namespace {

const std::vector<std::string> kFields = {"receipt", "commodity",  "quantity",
                                          "unit",    "buyer_name", "buyer_phone"};

void CommodityField(Html& html, std::string_view value, const FieldProblems& problems) {
  const Strings& s = English();
  html.Open("label", {{"for", "commodity"}}).Text(s.field_commodity).Text(" ");
  html.Element("span", s.required_mark, {{"class", "req"}}).Close("label");
  auto found = problems.find("commodity");
  if (found != problems.end()) {
    html.Element("span", found->second, {{"class", "problem"}, {"id", "commodity-problem"}});
    html.Open("select", {{"id", "commodity"},
                         {"name", "commodity"},
                         {"aria-describedby", "commodity-problem"},
                         {"aria-invalid", "true"}});
  } else {
    html.Open("select", {{"id", "commodity"}, {"name", "commodity"}});
  }
  html.Element("option", s.choose, {{"value", ""}});
  for (const registry::Commodity& c : registry::Commodities()) {
    Option(html, c.name, c.name, c.name == value);
  }
  html.Close("select");
}

http::Response SaleForm(const http::Request& request, const auth::Principal& who, int status,
                        const Form& values, const FieldProblems& problems) {
  const Strings& s = English();
  const registry::DatasetDef& sales = Dataset("sales");
  Html body;
  body.Element("h1", s.sale_new_title);
  std::string recorded = QueryValue(request, "recorded");
  if (!problems.empty()) {
    ProblemsNotice(body, problems, kFields);
  } else if (!recorded.empty()) {
    body.Open("p", {{"class", "notice"}, {"role", "status"}});
    body.Text(s.sale_recorded).Text(" ").Text(s.field_receipt).Text(" ").Text(recorded).Text(". ");
    std::string farmer = QueryValue(request, "farmer");
    if (!farmer.empty()) {
      body.Element("a", s.farmer_title, {{"href", "/farmers/" + http::PercentEncode(farmer)}});
    }
    body.Close("p");
  } else {
    body.Element("p", s.sale_new_intro);
  }
  body.Open("form", {{"method", "post"}, {"action", "/sales/new"}, {"novalidate", ""}});
  CsrfField(body, who.csrf);
  for (const std::string& field : kFields) {
    if (field == "commodity") {
      CommodityField(body, FormValue(values, field), problems);
    } else {
      bool required = sales.Field(field)->required;
      SchemaField(body, sales, field, FormValue(values, field), problems, required);
    }
  }
  body.Element("button", s.sale_button, {{"type", "submit"}});
  body.Close("form");
  return Page(status, s.sale_new_title, who, body.Take());
}

http::Response NewSale(services::RegistryService& records, const http::Request& request,
                       const auth::Principal& who) {
  const registry::DatasetDef& sales = Dataset("sales");
  records.RequireWrite(who, sales);
  if (request.method == "GET" || request.method == "HEAD") {
    return SaleForm(request, who, 200, {}, {});
  }
  Form form = http::ParseQueryString(request.body);
  RequireCsrf(form, who);
  verify::SaleRequest sale;
  sale.cells = CellsOf(sales, form, kFields);
  // A receipt typed as on paper ("#4,512") is read as every channel reads one.
  std::string typed = FormValue(form, "receipt");
  if (std::optional<int64_t> number = verify::ParseReceiptNumber(typed)) {
    sale.cells[static_cast<size_t>(sales.FieldIndex("receipt"))] =
        registry::InputCell{.kind = registry::InputCell::kInteger, .integer = *number};
  }
  try {
    store::Row row = records.RecordSale(who, std::move(sale));
    return Redirect("/sales/new?recorded=" + CellText(sales, row, "receipt") +
                    "&farmer=" + http::PercentEncode(CellText(sales, row, "farmer_id")));
  } catch (const verify::FieldError& e) {
    bool conflict = e.kind() == verify::FieldError::Kind::kConflict;
    http::Request fresh;  // no "recorded" notice on a failed form
    return SaleForm(fresh, who, conflict ? 409 : 422, form, ProblemsOf(sales, e));
  }
}

}  // namespace

std::optional<http::Response> SalePages(services::RegistryService& records, http::Request& request,
                                        auth::Principal& who) {
  if (request.path != "/sales/new") {
    return std::nullopt;
  }
  if (request.method != "GET" && request.method != "HEAD" && request.method != "POST") {
    api::MethodNotAllowed("GET, HEAD, POST");
  }
  return StaffOnly(request, who, [&] { return NewSale(records, request, who); });
}

}  // namespace harvest::pages
