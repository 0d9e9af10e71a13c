#include <cstdlib>

#include "auth/privacy.h"
#include "cli/commands.h"
#include "registry/text_values.h"

namespace harvest::cli {

config::Config Globals::LoadConfig() const {
  config::Config config = config::LoadConfig(config_path);
  if (!db.empty()) {
    config.db = db;  // the command line wins over environment and file
  }
  return config;
}

std::unique_ptr<store::Store> Globals::OpenStore(const config::Config& config) const {
  store::OpenOptions options;
  options.write_wait = std::chrono::milliseconds(config.limits.write_wait_ms);
  options.transaction_pooling = config.postgres.transaction_pooling;
  options.pool_size = config.postgres.pool_size;
  for (std::string_view rest = config.db_read; !rest.empty();) {
    size_t comma = rest.find(',');
    std::string url = registry::Trim(rest.substr(0, comma));
    if (!url.empty()) {
      options.read_urls.push_back(url);
    }
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  auto store = store::OpenStore(config.db, options);
  store->SetSetting("suppression_threshold", std::to_string(config.suppression_threshold));
  auth::SetFarmTokenKey(store->Setting("farm_token_key").value_or(""));
  return store;
}

auth::Administration Administration(store::Store& store, const config::Config& config) {
  return auth::Administration(store, {config.default_area_code, config.books.max_receipts},
                              auth::WriteAuditNow(store));
}

// The message already names its field ("phone ...", "login must ..."), as the pages show it;
// not every field is an option (the password comes on stdin).
CommandError FromAdminError(const auth::AdminError& e) {
  return CommandError(e.what());
}

}  // namespace harvest::cli
