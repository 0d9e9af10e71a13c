#include "store/key_token.h"

#include <stdexcept>

namespace harvest::store {

Value KeyToken(const std::optional<auth::FarmTokenKey>& secret, const Value& key) {
  const int64_t* number = std::get_if<int64_t>(&key);
  if (!number) {
    return key;
  }
  if (!secret) {
    throw std::runtime_error("farm_token_key in the database must be 32 hex digits");
  }
  return auth::SealFarm(*secret, *number);
}

SqlQuery BuildSelectSealed(const registry::DatasetDef& set, const Selection& selection,
                           Dialect dialect, const std::optional<auth::FarmTokenKey>& secret) {
  if (!selection.key_token || selection.after.empty()) {
    return BuildSelect(set, selection, dialect);
  }
  Selection seek = selection;
  std::vector<SortKey> sort = EffectiveSort(set, seek.sort, true);
  for (size_t i = 0; i < sort.size() && i < seek.after.size(); ++i) {
    if (sort[i].key_token) {
      seek.after[i] = KeyToken(secret, seek.after[i]);
    }
  }
  return BuildSelect(set, seek, dialect);
}

}  // namespace harvest::store
