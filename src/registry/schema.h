// The datasets Harvest publishes and keeps, described once as data: fields, types, which
// roles see each field, who may read and write. The query language, the store, the
// formats, the privacy rules and /openapi.json are all driven from these descriptions,
// so a field added here shows up everywhere consistently.
// Depends on nothing but the standard library.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace harvest::registry {

// Roles as bits so a field or dataset can name the set of roles allowed to see it.
enum Role : uint8_t {
  kPublic = 1,
  kPartner = 2,
  kPolice = 4,
  kExtension = 8,
  kAdmin = 16,
};
using RoleMask = uint8_t;
constexpr RoleMask kEveryone = kPublic | kPartner | kPolice | kExtension | kAdmin;
constexpr RoleMask kStaff = kExtension | kAdmin;

std::string_view RoleName(Role role);
// Accepts the names public, partner, police, extension, admin.
bool ParseRole(std::string_view name, Role& role);

enum class FieldType {
  kText,  // free text
  kId,    // identifier given as text (farmer registration numbers keep leading zeros)
  kInteger,
  kReal,
  kMoney,      // JMD with 2 decimals, stored as a REAL rounded to cents
  kBoolean,    // stored as 0/1, rendered as true/false
  kDate,       // YYYY-MM-DD
  kTimestamp,  // RFC 3339 UTC
  kEnum,       // one of `choices`
  kParish,     // stored as the 3-letter code; output adds `parish_name` in JSON
  kPhone,      // stored E.164
};

std::string_view FieldTypeName(FieldType type);  // for metadata and OpenAPI

struct FieldDef {
  std::string name;
  FieldType type = FieldType::kText;
  std::string description;
  RoleMask visible = kEveryone;  // who may see the field (within readers of the dataset)
  bool required = false;         // on create
  bool writable = true;          // false: server-assigned or derived
  bool personal = false;         // identifies a person: reads are audited
  RoleMask rounded = 0;          // roles that get the value rounded to 0.1 (coordinates)
  std::string references;        // dataset whose key this field holds (foreign key), or ""
  std::string fallback;          // value a new row gets when the field is left empty
  std::vector<std::string> choices;
  // Text: at most this many characters (names and short fields 100, free text 2,000);
  // `multiline` free text may hold tabs and line breaks, other text no control character.
  size_t max_length = 100;
  bool multiline = false;
  // Numbers: the largest value accepted (0: no bound beyond "not negative"), and whether
  // zero is refused too (a quantity sold).
  double max_value = 0;
  bool positive = false;
  // Roles that see the value only as an opaque token (auth::Present): farm numbers for
  // partners, which would otherwise tell which farms share an owner.
  RoleMask opaque = 0;
};

struct DatasetDef {
  std::string name;   // as in the URL: farmers, farm-stats...
  std::string table;  // SQL table or view name
  std::string description;
  std::string key;             // the key field's name
  bool key_generated = false;  // integer key assigned by the store when absent
  std::vector<FieldDef> fields;
  RoleMask list_roles = 0;   // may GET the collection
  RoleMask item_roles = 0;   // may GET one item
  RoleMask write_roles = 0;  // may POST / PATCH
  bool aggregate = false;    // computed, read-only, small-cell suppressed
  bool has_place = false;    // rows carry lat/lon (GeoJSON available)
  // An append-only record of what happened (receipt checks, audit entries) rather than
  // registry data: writing it does not move Store::ChangeStamp.
  bool log = false;
  // A stored column, not a field, holding the key as the roles of the key field's `opaque`
  // mask see it (the farm token): the store fills it on every insert, and pages for those
  // roles are ordered by it (auth::PagesByKeyToken), so that neighbouring rows say nothing
  // of the hidden keys' order. Empty for datasets without one.
  std::string key_token;

  const FieldDef* Field(std::string_view field_name) const;
  int FieldIndex(std::string_view field_name) const;  // -1 when absent
  int KeyIndex() const { return FieldIndex(key); }
  bool HasPersonalFields() const;
};

// All datasets in the order they are listed in /api/v1.
std::span<const DatasetDef> Datasets();
const DatasetDef* FindDataset(std::string_view name);

// Commodities known to the registry (the reference list `commodities`).
struct Commodity {
  std::string_view name;
  std::string_view category;  // root, vegetable, fruit, condiment, export, livestock
  std::string_view unit;      // usual unit of weekly prices
};
std::span<const Commodity> Commodities();
// Case- and space-insensitive match on the commodity name; nullptr when unknown.
const Commodity* FindCommodity(std::string_view name);

}  // namespace harvest::registry
