#include "pages/staff_forms.h"

#include <algorithm>

#include "api/api_error.h"
#include "api/collection_read.h"
#include "auth/privacy.h"
#include "pages/layout.h"
#include "pages/page_access.h"
#include "registry/parish.h"

namespace harvest::pages {
namespace {

std::string_view Label(const registry::DatasetDef& set, std::string_view field) {
  std::string_view label = FieldLabel(English(), set.name, field);
  return label.empty() ? field : label;
}

bool IsBoolean(const registry::FieldDef& f) {
  return f.type == registry::FieldType::kBoolean;
}

}  // namespace

const registry::DatasetDef& Dataset(std::string_view name) {
  return *registry::FindDataset(name);
}

static void AddProblem(const registry::DatasetDef& set, FieldProblems& out,
                       const std::string& field, const std::string& message) {
  std::string& text = out[field];
  text += text.empty() ? "" : " ";
  if (!field.empty()) {
    text += std::string(Label(set, field)) + " ";
  }
  text += message;
}

FieldProblems ProblemsOf(const registry::DatasetDef& set, const store::WriteError& error) {
  FieldProblems out;
  for (const store::RowError& e : error.errors()) {
    AddProblem(set, out, set.Field(e.field) ? e.field : "", e.message);
  }
  return out;
}

FieldProblems ProblemsOf(const registry::DatasetDef& set, const verify::FieldError& error) {
  FieldProblems out;
  for (const registry::FieldProblem& p : error.details()) {
    AddProblem(set, out, set.Field(p.field) ? p.field : "", p.message);
  }
  if (out.empty()) {
    out[""] = error.what();
  }
  return out;
}

http::Response StaffOnly(const http::Request& request, const auth::Principal& who,
                         const std::function<http::Response()>& work) {
  try {
    return work();
  } catch (const services::Forbidden& e) {
    return RefusePage(request, who, e.what());
  }
}

void SchemaField(Html& html, const registry::DatasetDef& set, std::string_view field,
                 std::string_view value, const FieldProblems& problems, bool required) {
  const Strings& s = English();
  const registry::FieldDef& def = *set.Field(field);
  std::string id(field);
  std::string problem_id = id + "-problem";
  auto found = problems.find(id);
  bool bad = found != problems.end();
  html.Open("label", {{"for", id}}).Text(Label(set, field));
  if (required) {
    html.Text(" ").Element("span", s.required_mark, {{"class", "req"}});
  }
  html.Close("label");
  if (bad) {
    html.Element("span", found->second, {{"class", "problem"}, {"id", problem_id}});
  }
  std::string_view described = bad ? std::string_view(problem_id) : std::string_view();
  std::string_view invalid = bad ? "true" : "false";
  bool choice = def.type == registry::FieldType::kEnum ||
                def.type == registry::FieldType::kParish || IsBoolean(def);
  if (choice) {
    if (bad) {
      html.Open(
          "select",
          {{"id", id}, {"name", id}, {"aria-describedby", described}, {"aria-invalid", invalid}});
    } else {
      html.Open("select", {{"id", id}, {"name", id}});
    }
    Option(html, "", s.choose, value.empty());
    if (def.type == registry::FieldType::kParish) {
      for (const registry::Parish& p : registry::Parishes()) {
        Option(html, p.code, p.name, value == p.code);
      }
    } else if (IsBoolean(def)) {
      Option(html, "1", s.yes, value == "1");
      Option(html, "0", s.no, value == "0");
    } else {
      for (const std::string& c : def.choices) {
        Option(html, c, c, value == c);
      }
    }
    html.Close("select");
    return;
  }
  if (def.multiline) {
    if (bad) {
      html.Element("textarea", value,
                   {{"id", id},
                    {"name", id},
                    {"rows", "3"},
                    {"aria-describedby", described},
                    {"aria-invalid", invalid}});
    } else {
      html.Element("textarea", value, {{"id", id}, {"name", id}, {"rows", "3"}});
    }
    return;
  }
  std::string_view type = "text";
  std::string_view mode = "text";
  switch (def.type) {
    case registry::FieldType::kDate:
      type = "date";
      break;
    case registry::FieldType::kPhone:
      type = "tel";
      mode = "tel";
      break;
    case registry::FieldType::kInteger:
    case registry::FieldType::kId:
      mode = "numeric";
      break;
    case registry::FieldType::kReal:
    case registry::FieldType::kMoney:
      mode = "decimal";
      break;
    default:
      break;
  }
  if (bad && required) {
    html.Void("input", {{"id", id},
                        {"name", id},
                        {"type", type},
                        {"inputmode", mode},
                        {"value", value},
                        {"required", ""},
                        {"aria-describedby", described},
                        {"aria-invalid", invalid}});
  } else if (bad) {
    html.Void("input", {{"id", id},
                        {"name", id},
                        {"type", type},
                        {"inputmode", mode},
                        {"value", value},
                        {"aria-describedby", described},
                        {"aria-invalid", invalid}});
  } else if (required) {
    html.Void("input", {{"id", id},
                        {"name", id},
                        {"type", type},
                        {"inputmode", mode},
                        {"value", value},
                        {"required", ""}});
  } else {
    html.Void("input",
              {{"id", id}, {"name", id}, {"type", type}, {"inputmode", mode}, {"value", value}});
  }
}

void ProblemsNotice(Html& html, const FieldProblems& problems,
                    const std::vector<std::string>& shown) {
  // What no input of the form shows is said here, so that no problem goes unsaid.
  std::string text;
  for (const auto& [field, problem] : problems) {
    if (std::find(shown.begin(), shown.end(), field) == shown.end()) {
      text += (text.empty() ? "" : " ") + problem;
    }
  }
  html.Element("p", text.empty() ? English().form_problems : std::string_view(text),
               {{"class", "notice error"}, {"role", "alert"}});
}

registry::InputRow CellsOf(const registry::DatasetDef& set, const Form& form,
                           const std::vector<std::string>& names) {
  registry::InputRow cells(set.fields.size());
  for (const std::string& name : names) {
    int index = set.FieldIndex(name);
    std::string value = FormValue(form, name);
    if (index >= 0 && !value.empty()) {
      cells[static_cast<size_t>(index)] = registry::InputCell::Text(std::move(value));
    }
  }
  return cells;
}

std::string CellText(const registry::DatasetDef& set, const store::Row& row,
                     std::string_view field) {
  int index = set.FieldIndex(field);
  if (index < 0 || static_cast<size_t>(index) >= row.size() ||
      store::IsNull(row[static_cast<size_t>(index)])) {
    return {};
  }
  return store::ValueText(row[static_cast<size_t>(index)]);
}

std::string Shown(const registry::DatasetDef& set, const store::Row& row, std::string_view field) {
  std::string text = CellText(set, row, field);
  const registry::FieldDef* def = set.Field(field);
  if (text.empty() || !def) {
    return text;
  }
  if (def->type == registry::FieldType::kParish) {
    std::string_view name = registry::ParishName(text);
    return name.empty() ? text : std::string(name);
  }
  if (IsBoolean(*def)) {
    return std::string(text == "1" || text == "true" ? English().yes : English().no);
  }
  return text;
}

void FactList(Html& html, const registry::DatasetDef& set, const store::Row& row,
              const std::vector<std::string>& fields) {
  html.Open("dl");
  for (const std::string& field : fields) {
    std::string value = Shown(set, row, field);
    if (!value.empty()) {
      html.Element("dt", Label(set, field)).Element("dd", value);
    }
  }
  html.Close("dl");
}

void RowTable(Html& html, const registry::DatasetDef& set, const std::vector<store::Row>& rows,
              const std::vector<std::string>& fields, std::string_view link_prefix,
              std::string_view caption) {
  // Focusable, so a keyboard can scroll a table wider than a phone.
  html.Open("div",
            {{"class", "scroll"}, {"tabindex", "0"}, {"role", "region"}, {"aria-label", caption}});
  html.Open("table").Element("caption", caption, {{"class", "sr-only"}}).Open("thead").Open("tr");
  for (const std::string& field : fields) {
    html.Element("th", Label(set, field), {{"scope", "col"}});
  }
  html.Close("tr").Close("thead").Open("tbody");
  for (const store::Row& row : rows) {
    html.Open("tr");
    for (size_t i = 0; i < fields.size(); ++i) {
      std::string value = Shown(set, row, fields[i]);
      if (i == 0 && !link_prefix.empty()) {
        std::string href = std::string(link_prefix) + http::PercentEncode(value);
        html.Open("td").Element("a", value, {{"href", href}}).Close("td");
      } else {
        html.Element("td", value);
      }
    }
    html.Close("tr");
  }
  html.Close("tbody").Close("table").Close("div");
}

http::Response SearchPage(const auth::Principal& who, const SearchView& view,
                          const registry::DatasetDef& set, std::string_view text,
                          std::string_view chosen, const services::RowPage& page) {
  const Strings& s = English();
  std::string_view select = view.select.text();
  Html body;
  body.Element("h1", view.title);
  body.Element("p", view.intro);
  body.Open("form", {{"method", "get"}, {"action", view.action}, {"role", "search"}});
  body.Element("label", view.label, {{"for", "q"}});
  body.Element("span", view.hint, {{"class", "hint"}, {"id", "q-hint"}});
  body.Void("input", {{"id", "q"},
                      {"name", "q"},
                      {"type", "search"},
                      {"inputmode", view.numeric ? "numeric" : "text"},
                      {"autocomplete", "off"},
                      {"aria-describedby", "q-hint"},
                      {"value", text}});
  body.Element("label", view.select_label, {{"for", select}});
  body.Open("select", {{"id", select}, {"name", select}});
  std::vector<std::pair<std::string, std::string>> choices{{"", std::string(view.any)}};
  choices.insert(choices.end(), view.options.begin(), view.options.end());
  for (const auto& [value, label] : choices) {
    Option(body, value, label, value == chosen);
  }
  body.Close("select");
  body.Element("button", s.search_button, {{"type", "submit"}});
  body.Close("form");
  body.Open("p").Element("a", view.new_text, {{"href", view.new_href}}).Close("p");
  if (page.rows.empty()) {
    body.Element("p", view.none, {{"class", "notice"}, {"role", "status"}});
  } else {
    RowTable(body, set, page.rows, view.columns, view.link_prefix, view.title);
  }
  if (!page.next.empty()) {
    std::string href = std::string(view.action) + "?" +
                       api::QueryText({{"q", std::string(text)},
                                       {std::string(select), std::string(chosen)},
                                       {"after", page.next}});
    body.Open("p").Element("a", s.next_page, {{"href", href}, {"rel", "next"}}).Close("p");
  }
  return Page(200, view.title, who, body.Take());
}

std::vector<std::string> EditableFields(const registry::DatasetDef& set, registry::Role role) {
  std::vector<std::string> out;
  for (int index : auth::VisibleFields(set, role)) {
    const registry::FieldDef& f = set.fields[static_cast<size_t>(index)];
    if (f.writable) {
      out.push_back(f.name);
    }
  }
  return out;
}

}  // namespace harvest::pages
