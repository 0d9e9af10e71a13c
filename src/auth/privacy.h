// SPEC §3 in one place: which role may list, read and write each dataset, which fields
// each role sees, and how values are coarsened (farm coordinates for partners). Every
// output path — API, CSV/GeoJSON, CLI export, SMS — goes through these functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/schema.h"
#include "store/value.h"

namespace harvest::auth {

bool CanList(const registry::DatasetDef& set, registry::Role role);
bool CanRead(const registry::DatasetDef& set, registry::Role role);
bool CanWrite(const registry::DatasetDef& set, registry::Role role);
// Reads of datasets partners cannot see concern identifiable people or their books: each
// read of one is audited, whichever channel reads it (API, pages, services).
bool ReadIsAudited(const registry::DatasetDef& set);
// Police and up (police, extension, admin): who may check receipts (every channel) and see
// where they are checked (/checks).
bool MayCheckReceipts(registry::Role role);
// Who may administer keys, web logins and officers (/admin, `harvest key|user|officer`).
bool MayAdminister(registry::Role role);

// Indices of the fields `role` may see, in schema order.
std::vector<int> VisibleFields(const registry::DatasetDef& set, registry::Role role);
bool FieldVisible(const registry::FieldDef& field, registry::Role role);
// True when the role sees the field only coarsened, so it may not filter or sort on it.
bool FieldCoarsened(const registry::FieldDef& field, registry::Role role);
// The value as `role` may see it.
store::Value Present(const registry::FieldDef& field, registry::Role role, const store::Value& v);

// Farm numbers are consecutive per owner, so partners, who may not know owners, see each
// farm as an opaque token instead (FieldDef::opaque): the same token for a farm wherever
// it appears (farms.id, crops.farm_id, livestock.farm_id) and on every restart, and no
// way back to the number or to the owner's other farms without the server's secret.
// The token is the farm number encrypted with AES-128 under the secret
// (`farm_token_key`, made once by a migration and kept in the database; auth/farm_token.h),
// so a partner's filter on a token is turned back into the number without a lookup. The
// store keeps each farm's token too (DatasetDef::key_token), to order partners' pages by.
bool FieldOpaque(const registry::FieldDef& field, registry::Role role);
// Installs the secret (32 hex digits) for this process; OpenStore's callers do it once.
void SetFarmTokenKey(std::string_view hex);
std::string FarmToken(int64_t farm);
// The farm number of a token this server gave out; nullopt for anything else.
std::optional<int64_t> FarmFromToken(std::string_view token);
// True when `role` reads pages of `set` in the order of the key's stored token
// (DatasetDef::key_token) rather than of the key: partners' farms. In key order, the
// neighbours of a row would be the farms numbered next to it, often the same owner's.
bool PagesByKeyToken(const registry::DatasetDef& set, registry::Role role);
// A filter value as `role` writes it, in stored form: tokens for opaque fields, the value
// unchanged otherwise. nullopt when the role gave an opaque field something not a token.
std::optional<store::Value> Unpresent(const registry::FieldDef& field, registry::Role role,
                                      const std::string& text);

}  // namespace harvest::auth
