// Values and rows as they travel between the store, the domain rules and the formats.
// A row is positional: cell i belongs to field i of its DatasetDef.
// Depends on nothing but the standard library.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace harvest::store {

// Booleans travel as integers 0/1; the field's type says how to render them.
using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Row = std::vector<Value>;

inline bool IsNull(const Value& v) {
  return std::holds_alternative<std::monostate>(v);
}

// Renders a value as text for CSV, cursors and messages (null → "").
std::string ValueText(const Value& v);

}  // namespace harvest::store
