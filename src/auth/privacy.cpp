#include "auth/privacy.h"

#include <cmath>
#include <stdexcept>

#include "auth/farm_token.h"

namespace harvest::auth {
namespace {

// Set once at start-up, before any thread formats a row.
std::optional<FarmTokenKey> farm_token_key;

const FarmTokenKey& InstalledKey() {
  if (!farm_token_key) {
    throw std::logic_error("the farm token key was not loaded from the database");
  }
  return *farm_token_key;
}

}  // namespace

bool CanList(const registry::DatasetDef& set, registry::Role role) {
  return (set.list_roles & role) != 0;
}

bool CanRead(const registry::DatasetDef& set, registry::Role role) {
  return (set.item_roles & role) != 0;
}

bool CanWrite(const registry::DatasetDef& set, registry::Role role) {
  return (set.write_roles & role) != 0;
}

bool ReadIsAudited(const registry::DatasetDef& set) {
  return ((set.list_roles | set.item_roles) & registry::kPartner) == 0;
}

bool MayCheckReceipts(registry::Role role) {
  return role == registry::kPolice || role == registry::kExtension || role == registry::kAdmin;
}

bool MayAdminister(registry::Role role) {
  return role == registry::kAdmin;
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
  if (FieldOpaque(field, role)) {
    if (const auto* farm = std::get_if<int64_t>(&v)) {
      return FarmToken(*farm);
    }
  }
  if (FieldCoarsened(field, role)) {
    if (const auto* d = std::get_if<double>(&v)) {
      return std::round(*d * 10.0) / 10.0;
    }
  }
  return v;
}

}  // namespace harvest::auth

namespace harvest::auth {

bool FieldOpaque(const registry::FieldDef& field, registry::Role role) {
  return (field.opaque & role) != 0;
}

void SetFarmTokenKey(std::string_view hex) {
  std::optional<FarmTokenKey> key = ParseFarmTokenKey(hex);
  if (!key) {
    throw std::runtime_error("farm_token_key in the database must be 32 hex digits");
  }
  farm_token_key = key;
}

std::string FarmToken(int64_t farm) {
  return SealFarm(InstalledKey(), farm);
}

std::optional<int64_t> FarmFromToken(std::string_view token) {
  return OpenFarmToken(InstalledKey(), token);
}

bool PagesByKeyToken(const registry::DatasetDef& set, registry::Role role) {
  return !set.key_token.empty() &&
         FieldOpaque(set.fields[static_cast<size_t>(set.KeyIndex())], role);
}

std::optional<store::Value> Unpresent(const registry::FieldDef& field, registry::Role role,
                                      const std::string& text) {
  if (!FieldOpaque(field, role)) {
    return store::Value{text};
  }
  if (std::optional<int64_t> farm = FarmFromToken(text)) {
    return store::Value{*farm};
  }
  return std::nullopt;
}

}  // namespace harvest::auth
