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

struct BookSettings {
  int64_t max_receipts = 1000;  // receipts one book may hold
};

// [limits], SPEC §10: what one request, one client and the whole server may take.
struct LimitsSettings {
  int query_ms = 2000;  // a collection query past this is stopped (503 with Retry-After)
  int cache_mb = 64;    // answers kept in memory, all threads together
  // How long a server write waits for another process's write lock (a CLI import) before
  // it answers 503.
  int write_wait_ms = 5000;
  unsigned connections = 4096;      // open connections in total
  unsigned connections_per_ip = 256;  // ... and from one client address
  int shutdown_grace_ms = 10000;    // SIGTERM waits this long for requests in flight
};

// [web], SPEC §9: staff sessions and the login rate limit.
struct WebSettings {
  int session_idle_seconds = 8 * 3600;  // a session unused this long has ended
  int session_max_seconds = 12 * 3600;  // ... and any session this long after its login
  int login_failures = 5;               // failed logins of one login name within ...
  int login_window_seconds = 15 * 60;   // ... this window: further attempts get 429
  // Tiles under the /stats map, e.g. https://tile.example.org/{z}/{x}/{y}.png; empty: none,
  // the parishes are drawn on a plain background and the page fetches nothing elsewhere.
  std::string map_tile_url;
};

// [postgres], SPEC §11.
struct PostgresSettings {
  // `db` is PgBouncer (or another pooler) in transaction mode: no prepared statements.
  bool transaction_pooling = false;
  // Connections this server opens to each database server, shared by its threads; 0: one
  // per thread (env HARVEST_DB_POOL).
  unsigned pool_size = 0;
};

struct Config {
  std::string db = "harvest.db";
  // Hot standbys for the open-data reads: postgresql:// URLs, comma separated; empty: none.
  std::string db_read;
  std::string listen = "127.0.0.1:8080";
  std::string public_url;  // empty: http://<listen>
  std::string twilio_auth_token;
  std::string kannel_secret;
  std::string default_area_code = "876";
  int suppression_threshold = 5;
  unsigned threads = 0;  // I/O threads; 0: one per core this process may run on
  VerifySettings verify;
  SmsSettings sms;
  BookSettings books;
  LimitsSettings limits;
  WebSettings web;
  PostgresSettings postgres;
};

// Throws std::runtime_error naming the file, key and value when something is wrong.
Config LoadConfig(const std::string& path);

}  // namespace harvest::config
