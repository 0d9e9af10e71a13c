// Validation and normalisation of incoming records, whatever their channel: JSON bodies,
// CSV imports and SMS commands all turn their cells into InputCells and come out with a
// typed store::Row or a list of {field, message} problems a person can act on.
// Depends on the schema and text parsing only: no HTTP, no SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "registry/schema.h"
#include "store/value.h"

namespace harvest::registry {

struct InputCell {
  // kCompound: a JSON object or array (`text` holds it serialized, for messages only).
  enum Kind { kAbsent, kNull, kBool, kInteger, kReal, kText, kCompound };
  Kind kind = kAbsent;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;
  std::string text;

  static InputCell Text(std::string value) {
    return InputCell{.kind = kText, .text = std::move(value)};
  }
};

struct FieldProblem {
  std::string field;
  std::string message;
};

struct ValidationContext {
  std::string default_area_code = "876";
  int64_t max_book_receipts = 1000;  // config books.max_receipts
};

// Text as the registry keeps it: valid UTF-8 without control characters (tab and line
// breaks only when `multiline`), at most `max_length` characters. Returns the problem.
std::optional<std::string> CheckText(std::string_view text, size_t max_length, bool multiline);

// Converts one cell to the field's stored form. Empty text is null. Returns the problem,
// naming the value, or nullopt.
std::optional<std::string> ConvertCell(const FieldDef& field, const InputCell& cell,
                                       const ValidationContext& context, store::Value& out);

// Builds a new row from cells positional over the dataset's fields (kAbsent where not
// given): converts each, applies fallbacks, checks required fields and cross-field rules.
std::vector<FieldProblem> BuildRow(const DatasetDef& set, const std::vector<InputCell>& cells,
                                   const ValidationContext& context, store::Row& row);

// Changes a stored row by the cells given (every cell not kAbsent; the others keep their
// stored values): converts each, gives an emptied field its fallback, refuses emptying a
// required one, then checks the cross-field rules on the result. `changed` lists the
// fields given, in schema order.
std::vector<FieldProblem> MergeRow(const DatasetDef& set, const std::vector<InputCell>& cells,
                                   const ValidationContext& context, store::Row& row,
                                   std::vector<int>* changed = nullptr);

// Rules that involve several fields or the domain's lists (commodity names, Monday
// weeks, receipt ranges and book sizes, quantities, Jamaican coordinates). Also used
// after a PATCH is merged.
std::vector<FieldProblem> CheckRowRules(const DatasetDef& set, store::Row& row,
                                        const ValidationContext& context = {});

}  // namespace harvest::registry
