#include "auth/privacy.h"

#include <cmath>

namespace harvest::auth {

bool CanList(const registry::DatasetDef& set, registry::Role role) {
  return (set.list_roles & role) != 0;
}

bool CanRead(const registry::DatasetDef& set, registry::Role role) {
  return (set.item_roles & role) != 0;
}

bool CanWrite(const registry::DatasetDef& set, registry::Role role) {
  return (set.write_roles & role) != 0;
}

bool FieldVisible(const registry::FieldDef& field, registry::Role role) {
  return (field.visible & role) != 0;
}

bool FieldCoarsened(const registry::FieldDef& field, registry::Role role) {
  return (field.rounded & role) != 0;
}

std::vector<int> VisibleFields(const registry::DatasetDef& set, registry::Role role) {
  std::vector<int> fields;
  for (size_t i = 0; i < set.fields.size(); ++i) {
    if (FieldVisible(set.fields[i], role)) {
      fields.push_back(static_cast<int>(i));
    }
  }
  return fields;
}

store::Value Present(const registry::FieldDef& field, registry::Role role, const store::Value& v) {
  if (FieldCoarsened(field, role)) {
    if (const auto* d = std::get_if<double>(&v)) {
      return std::round(*d * 10.0) / 10.0;
    }
  }
  return v;
}

}  // namespace harvest::auth
