// SPEC §3 in one place: which role may list, read and write each dataset, which fields
// each role sees, and how values are coarsened (farm coordinates for partners). Every
// output path — API, CSV/GeoJSON, CLI export, SMS — goes through these functions.
#pragma once

#include <vector>

#include "registry/schema.h"
#include "store/value.h"

namespace harvest::auth {

bool CanList(const registry::DatasetDef& set, registry::Role role);
bool CanRead(const registry::DatasetDef& set, registry::Role role);
bool CanWrite(const registry::DatasetDef& set, registry::Role role);

// Indices of the fields `role` may see, in schema order.
std::vector<int> VisibleFields(const registry::DatasetDef& set, registry::Role role);
bool FieldVisible(const registry::FieldDef& field, registry::Role role);
// True when the role sees the field only coarsened, so it may not filter or sort on it.
bool FieldCoarsened(const registry::FieldDef& field, registry::Role role);
// The value as `role` may see it.
store::Value Present(const registry::FieldDef& field, registry::Role role, const store::Value& v);

}  // namespace harvest::auth
