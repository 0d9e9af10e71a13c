// Settings from a TOML file (--config or HARVEST_CONFIG) and the environment; the
// environment wins. See README "Configuration" for every key.
#pragma once

#include <cstdint>
#include <string>

namespace harvest::config {

struct VerifySettings {
  int recheck_count = 3;
  int recheck_window_hours = 72;
  int recheck_parishes = 2;
  int parish_window_hours = 24;
  double quantity_tolerance = 0.10;
  double volume_factor = 1.5;
  int season_days = 183;
  int key_checks_per_hour = 600;  // per API key; 0: no limit
};

struct SmsSettings {
  int officer_checks_per_hour = 60;
  int other_messages_per_hour = 20;
};

// [limits] for the HTTP server: connection caps and the shutdown grace period.
struct ConnectionLimits {
  unsigned connections = 4096;
  unsigned connections_per_ip = 256;
  int shutdown_grace_ms = 10000;
};

struct BookSettings {
  int64_t max_receipts = 1000;  // receipts one book may hold
};

struct Config {
  std::string db = "harvest.db";
  std::string listen = "127.0.0.1:8080";
  std::string public_url;  // empty: http://<listen>
  std::string twilio_auth_token;
  std::string kannel_secret;
  std::string default_area_code = "876";
  int suppression_threshold = 5;
  unsigned threads = 0;  // I/O threads; 0: one per core this process may run on
  // limits.write_wait_ms: how long a server write waits for another process's write lock
  // (a CLI import) before it answers 503.
  int write_wait_ms = 5000;
  VerifySettings verify;
  SmsSettings sms;
  ConnectionLimits connection_limits;
  BookSettings books;
};

// Throws std::runtime_error naming the file, key and value when something is wrong.
Config LoadConfig(const std::string& path);

}  // namespace harvest::config
