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
  enum Kind { kAbsent, kNull, kBool, kInteger, kReal, kText };
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
};

// Converts one cell to the field's stored form. Empty text is null. Returns the problem,
// naming the value, or nullopt.
std::optional<std::string> ConvertCell(const FieldDef& field, const InputCell& cell,
                                       const ValidationContext& context, store::Value& out);

// Builds a new row from cells positional over the dataset's fields (kAbsent where not
// given): converts each, applies fallbacks, checks required fields and cross-field rules.
std::vector<FieldProblem> BuildRow(const DatasetDef& set, const std::vector<InputCell>& cells,
                                   const ValidationContext& context, store::Row& row);

// Rules that involve several fields or the domain's lists (commodity names, Monday
// weeks, receipt ranges, Jamaican coordinates). Also used after a PATCH is merged.
std::vector<FieldProblem> CheckRowRules(const DatasetDef& set, store::Row& row);

}  // namespace harvest::registry
