// /farmers (search), /farmers/new (register), /farmers/{id} (view) and /farmers/{id}/edit
// (SPEC §9). Each parses its form or query into a services request and shows the result;
// who may do what, and what is valid, is decided by services::RegistryService.
#include <algorithm>

#include "api/api_error.h"
#include "api/responses.h"
#include "auth/privacy.h"
#include "pages/layout.h"
#include "pages/registry_pages.h"
#include "pages/staff_forms.h"
#include "registry/clock.h"
#include "registry/parish.h"

namespace harvest::pages {
namespace {

const std::vector<std::string> kListed = {"id", "last_name", "first_name", "parish", "status"};

http::Response Search(services::RegistryService& records, const http::Request& request,
                      const auth::Principal& who) {
  const Strings& s = English();
  services::FarmerQuery query;
  query.text = QueryValue(request, "q");
  std::string parish = QueryValue(request, "parish");
  if (auto code = registry::NormalizeParish(parish)) {
    query.parish = std::string(*code);
  }
  query.after = QueryValue(request, "after");
  SearchView view{.action = "/farmers",
                  .title = s.farmers_title,
                  .intro = s.farmers_intro,
                  .label = s.search_label,
                  .hint = s.search_hint,
                  .new_text = s.farmers_register,
                  .new_href = "/farmers/new",
                  .none = s.farmers_none,
                  .numeric = false,
                  .select = "parish",
                  .select_label = s.field_parish,
                  .any = s.parish_any,
                  .options = {},
                  .columns = kListed,
                  .link_prefix = "/farmers/"};
  for (const registry::Parish& p : registry::Parishes()) {
    view.options.emplace_back(std::string(p.code), std::string(p.name));
  }
  return SearchPage(who, view, Dataset("farmers"), query.text, query.parish,
                    records.SearchFarmers(who, query));
}

// The register form, or with `edit_id` the edit form of that farmer; `values` fill the inputs.
http::Response FarmerForm(const auth::Principal& who, int status, const Form& values,
                          const FieldProblems& problems, const std::string& edit_id) {
  const Strings& s = English();
  const registry::DatasetDef& farmers = Dataset("farmers");
  bool editing = !edit_id.empty();
  std::string_view title = editing ? s.farmer_edit_title : s.farmer_new_title;
  Html body;
  body.Element("h1", title);
  std::vector<std::string> shown = EditableFields(farmers, who.role);
  if (editing) {
    std::erase(shown, farmers.key);
  }
  if (!problems.empty()) {
    ProblemsNotice(body, problems, shown);
  } else {
    body.Element("p", s.farmer_new_intro);
  }
  std::string action =
      editing ? "/farmers/" + http::PercentEncode(edit_id) + "/edit" : std::string("/farmers/new");
  body.Open("form", {{"method", "post"}, {"action", action}, {"novalidate", ""}});
  CsrfField(body, who.csrf);
  for (const std::string& field : shown) {
    const registry::FieldDef& def = *farmers.Field(field);
    SchemaField(body, farmers, field, FormValue(values, field), problems, def.required);
  }
  body.Element("button", editing ? s.save_button : s.register_button, {{"type", "submit"}});
  body.Close("form");
  return Page(status, title, who, body.Take());
}

int FailureStatus(bool conflict) {
  return conflict ? 409 : 422;
}

http::Response Register(services::RegistryService& records, const http::Request& request,
                        const auth::Principal& who) {
  const registry::DatasetDef& farmers = Dataset("farmers");
  records.RequireWrite(who, farmers);
  if (request.method == "GET" || request.method == "HEAD") {
    Form defaults{{"registered_on", registry::TodayIso()},
                  {"verified", "0"},
                  {"status", "active"},
                  {"under_investigation", "0"}};
    return FarmerForm(who, 200, defaults, {}, "");
  }
  Form form = http::ParseQueryString(request.body);
  RequireCsrf(form, who);
  registry::InputRow cells = CellsOf(farmers, form, EditableFields(farmers, who.role));
  try {
    store::Row row = records.RegisterFarmer(who, cells);
    std::string id = CellText(farmers, row, "id");
    return Redirect("/farmers/" + http::PercentEncode(id) + "?done=registered");
  } catch (const store::WriteError& e) {
    return FarmerForm(who, FailureStatus(e.conflict()), form, ProblemsOf(farmers, e), "");
  }
}

http::Response Edit(services::RegistryService& records, const http::Request& request,
                    const auth::Principal& who, const std::string& id) {
  const registry::DatasetDef& farmers = Dataset("farmers");
  records.RequireWrite(who, farmers);
  std::optional<services::FarmerFile> file = records.Farmer(who, id);
  if (!file) {
    throw api::ApiError(404, "not_found", "no farmer " + id);
  }
  std::vector<std::string> fields = EditableFields(farmers, who.role);
  if (request.method == "GET" || request.method == "HEAD") {
    Form stored;
    for (const std::string& field : fields) {
      stored.emplace_back(field, CellText(farmers, file->farmer, field));
    }
    return FarmerForm(who, 200, stored, {}, id);
  }
  Form form = http::ParseQueryString(request.body);
  RequireCsrf(form, who);
  // Only what the officer changed is sent, so the audit names those fields and a cleared
  // field becomes null.
  registry::InputRow cells(farmers.fields.size());
  for (const std::string& field : fields) {
    if (field == farmers.key) {
      continue;
    }
    bool sent = std::any_of(form.begin(), form.end(),
                            [&](const auto& pair) { return pair.first == field; });
    std::string value = FormValue(form, field);
    if (sent && value != CellText(farmers, file->farmer, field)) {
      size_t index = static_cast<size_t>(farmers.FieldIndex(field));
      cells[index] = value.empty() ? registry::InputCell{.kind = registry::InputCell::kNull}
                                   : registry::InputCell::Text(value);
    }
  }
  try {
    records.EditFarmer(who, id, cells);
    return Redirect("/farmers/" + http::PercentEncode(id) + "?done=saved");
  } catch (const store::WriteError& e) {
    return FarmerForm(who, FailureStatus(e.conflict()), form, ProblemsOf(farmers, e), id);
  }
}

std::vector<std::string> Names(const registry::DatasetDef& set, registry::Role role) {
  std::vector<std::string> out;
  for (int index : auth::VisibleFields(set, role)) {
    out.push_back(set.fields[static_cast<size_t>(index)].name);
  }
  return out;
}

http::Response View(services::RegistryService& records, const http::Request& request,
                    const auth::Principal& who, const std::string& id) {
  const Strings& s = English();
  std::optional<services::FarmerFile> file = records.Farmer(who, id);
  if (!file) {
    throw api::ApiError(404, "not_found", "no farmer " + id);
  }
  const registry::DatasetDef& farmers = Dataset("farmers");
  std::string name = CellText(farmers, file->farmer, "first_name") + " " +
                     CellText(farmers, file->farmer, "last_name");
  Html body;
  body.Element("h1", name);
  std::string done = QueryValue(request, "done");
  if (done == "registered" || done == "saved") {
    body.Element("p", done == "saved" ? s.farmer_saved : s.farmer_registered,
                 {{"class", "notice"}, {"role", "status"}});
  }
  FactList(body, farmers, file->farmer, Names(farmers, who.role));
  bool staff = auth::CanWrite(farmers, who.role);
  if (staff) {
    std::string edit = "/farmers/" + http::PercentEncode(id) + "/edit";
    std::string sell = "/books/new?farmer_id=" + http::PercentEncode(id);
    body.Open("p", {{"class", "actions"}});
    body.Element("a", s.farmer_edit, {{"href", edit}});
    body.Element("a", s.sell_book_here, {{"href", sell}});
    body.Close("p");
  }
  if (auth::CanList(Dataset("farms"), who.role)) {
    body.Element("h2", s.farms_heading);
    if (file->farms.empty()) {
      body.Element("p", s.none_recorded);
    } else {
      RowTable(body, Dataset("farms"), file->farms,
               {"id", "parish", "district", "size_ha", "tenure", "status"}, "", s.farms_heading);
    }
  }
  if (auth::CanList(Dataset("books"), who.role)) {
    body.Element("h2", s.books_heading);
    if (file->books.empty()) {
      body.Element("p", s.none_recorded);
    } else {
      RowTable(body, Dataset("books"), file->books,
               {"serial", "first_receipt", "last_receipt", "status", "sold_on"}, "/books/",
               s.books_heading);
    }
  }
  if (auth::CanList(Dataset("sales"), who.role)) {
    body.Element("h2", s.sales_heading);
    if (file->sales.empty()) {
      body.Element("p", s.none_recorded);
    } else {
      RowTable(body, Dataset("sales"), file->sales,
               {"receipt", "commodity", "quantity", "unit", "sold_at", "channel"}, "",
               s.sales_heading);
    }
  }
  return Page(200, s.farmer_title, who, body.Take());
}

void Methods(const http::Request& request, bool post) {
  bool read = request.method == "GET" || request.method == "HEAD";
  if (!read && !(post && request.method == "POST")) {
    api::MethodNotAllowed(post ? "GET, HEAD, POST" : "GET, HEAD");
  }
}

}  // namespace

std::optional<http::Response> FarmerPages(services::RegistryService& records,
                                          http::Request& request, auth::Principal& who) {
  const std::string& path = request.path;
  constexpr std::string_view kPrefix = "/farmers/";
  if (path == "/farmers") {
    Methods(request, false);
    return StaffOnly(request, who, [&] { return Search(records, request, who); });
  }
  if (path == "/farmers/new") {
    Methods(request, true);
    return StaffOnly(request, who, [&] { return Register(records, request, who); });
  }
  if (!path.starts_with(kPrefix)) {
    return std::nullopt;
  }
  std::string rest = path.substr(kPrefix.size());
  constexpr std::string_view kEdit = "/edit";
  if (rest.ends_with(kEdit) && rest.size() > kEdit.size()) {
    std::string id = rest.substr(0, rest.size() - kEdit.size());
    if (id.find('/') == std::string::npos) {
      Methods(request, true);
      return StaffOnly(request, who, [&] { return Edit(records, request, who, id); });
    }
  }
  if (rest.empty() || rest.find('/') != std::string::npos) {
    return std::nullopt;
  }
  Methods(request, false);
  return StaffOnly(request, who, [&] { return View(records, request, who, rest); });
}

}  // namespace harvest::pages
