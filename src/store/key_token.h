// The stored token of a dataset's key (DatasetDef::key_token: the opaque farm numbers that
// partners see and page by), the same for every backend: sealed under the database's secret
// (auth/farm_token.h); a key that is not a number is its own token.
#pragma once

#include <optional>

#include "auth/farm_token.h"
#include "registry/schema.h"
#include "store/sql_builder.h"
#include "store/store.h"

namespace harvest::store {

// Throws when a number is to be sealed and the database has no valid secret.
Value KeyToken(const std::optional<auth::FarmTokenKey>& secret, const Value& key);

// BuildSelect of `selection`, whose cursor holds the last row's key where the order is by its
// token: that value becomes the token to seek from.
SqlQuery BuildSelectSealed(const registry::DatasetDef& set, const Selection& selection,
                           Dialect dialect, const std::optional<auth::FarmTokenKey>& secret);

}  // namespace harvest::store
