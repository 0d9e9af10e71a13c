// What the staff registry pages (/farmers, /books, /sales/new) share: the gate that sends
// a visitor to /login or answers 403 when the service refuses the role, form fields written
// from the schema's field definitions (labelled, each problem next to its field and tied to
// it with aria-describedby), form values read back into the cells a service takes, and
// records shown as definition lists and tables. Rules stay in services::RegistryService;
// nothing here decides what is allowed or valid. Must not know about SQL.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "http/message.h"
#include "pages/html.h"
#include "registry/record_service.h"
#include "registry/schema.h"
#include "services/registry_service.h"
#include "store/store.h"
#include "verify/service.h"

namespace harvest::pages {

using Form = std::vector<std::pair<std::string, std::string>>;
// What the service found wrong, by field name; "" holds what names no field.
using FieldProblems = std::map<std::string, std::string>;

// Each problem as "<the field's label> <the service's message>", the value it names kept.
FieldProblems ProblemsOf(const registry::DatasetDef& set, const store::WriteError& error);
FieldProblems ProblemsOf(const registry::DatasetDef& set, const verify::FieldError& error);

// Runs a page's work. A services::Forbidden becomes a redirect to /login (with `next` the
// page asked for) when nobody is logged in, else a 403 page: SPEC §9's rule for a page the
// role may not see.
http::Response StaffOnly(const http::Request& request, const auth::Principal& who,
                         const std::function<http::Response()>& work);


// A labelled input for `field` of `set`, chosen by its type (select for choices, parishes
// and yes/no; date; tel; textarea for multi-line text). `required` adds the mark and the
// attribute.
void SchemaField(Html& html, const registry::DatasetDef& set, std::string_view field,
                 std::string_view value, const FieldProblems& problems, bool required);

// The notice at the top of a form that failed: the problems of fields not among `shown`
// (the form's inputs) and those of no field, else "correct the form".
void ProblemsNotice(Html& html, const FieldProblems& problems,
                    const std::vector<std::string>& shown);

// The form's fields as cells positional over `set`: each of `names` given (non-empty) as
// text, the others kAbsent, so that the service's defaults and "is required" apply.
registry::InputRow CellsOf(const registry::DatasetDef& set, const Form& form,
                           const std::vector<std::string>& names);

// A record's cell as people read it: parish names, Yes/No, "" for null.
std::string Shown(const registry::DatasetDef& set, const store::Row& row, std::string_view field);
// The raw text of a cell ("" for null), as a form holds it.
std::string CellText(const registry::DatasetDef& set, const store::Row& row,
                     std::string_view field);

// <dl> of the record's non-empty cells among `fields`.
void FactList(Html& html, const registry::DatasetDef& set, const store::Row& row,
              const std::vector<std::string>& fields);

// A table of `rows` with a header of field labels; the first column links to
// `link_prefix` + its value when `link_prefix` is not empty.
void RowTable(Html& html, const registry::DatasetDef& set, const std::vector<store::Row>& rows,
              const std::vector<std::string>& fields, std::string_view link_prefix,
              std::string_view caption);

// A staff search page (/farmers, /books): a GET form of one search box and one select, a
// link to the new-record form, the rows found (or a notice) and a link to the next page.
struct SearchView {
  std::string_view action, title, intro, label, hint, new_text, new_href, none;
  bool numeric = false;  // a phone shows its number pad
  // The select: its field name and label, the "any" choice, and (value, text) options.
  Name select;
  std::string_view select_label, any;
  std::vector<std::pair<std::string, std::string>> options;
  // The rows' columns; the first links to `link_prefix` + its value.
  std::vector<std::string> columns;
  std::string_view link_prefix;
};
http::Response SearchPage(const auth::Principal& who, const SearchView& view,
                          const registry::DatasetDef& set, std::string_view text,
                          std::string_view chosen, const services::RowPage& page);

// Names of the writable fields of `set` that `role` sees, in schema order.
std::vector<std::string> EditableFields(const registry::DatasetDef& set, registry::Role role);

const registry::DatasetDef& Dataset(std::string_view name);

}  // namespace harvest::pages
