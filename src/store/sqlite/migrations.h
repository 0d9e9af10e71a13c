// Brings a SQLite database to the current schema version.
#pragma once

#include "store/sqlite/connection.h"

namespace harvest::store::sqlite {

void Migrate(Connection& conn);

}  // namespace harvest::store::sqlite
