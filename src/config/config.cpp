#include "config/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <set>
#include <stdexcept>
#include <vector>

namespace harvest::config {
namespace {

// The parsed file and the keys read from it. Every setting is read with Take, which records
// its key; whatever else the file holds is an unknown key. So the keys Harvest knows are the
// keys it reads: a new setting is one Take line, and the check knows it at once.
class ConfigFile {
 public:
  ConfigFile(toml::table table, std::string file)
      : table_(std::move(table)), file_(std::move(file)) {}

  // The value at a dotted key, or nullptr; the key counts as known either way.
  const toml::node* Read(std::string_view key) {
    known_.emplace(key);
    return table_.at_path(key).node();
  }
  // Throws std::runtime_error naming every key of the file that nothing read, with its line.
  void RejectUnknownKeys() const;

 private:
  struct Problem {
    uint32_t line;
    std::string text;
  };
  void Walk(const toml::table& table, const std::string& prefix,
            std::vector<Problem>& problems) const;
  bool IsTableOfKnownKeys(std::string_view path) const;
  std::string Suggestion(std::string_view unknown) const;

  toml::table table_;
  std::string file_;
  std::set<std::string, std::less<>> known_;
};

std::string_view TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "a whole number";
    case toml::node_type::floating_point:
      return "a number with a fraction";
    case toml::node_type::boolean:
      return "true/false";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date or time";
  }
}

[[noreturn]] void WrongType(const std::string& file, std::string_view key, const toml::node& node,
                            std::string_view wanted) {
  throw std::runtime_error(file + ":" + std::to_string(node.source().begin.line) + ": " +
                           std::string(key) + " must be " + std::string(wanted) + ", not " +
                           std::string(TypeName(node)));
}

// Reads one setting, if the file has it, into `out`; a value of another type stops the command
// (a quoted number is a string, `threads = true` is not 1).
template <typename T>
void Take(ConfigFile& t, std::string_view key, T& out, const std::string& file) {
  const toml::node* node = t.Read(key);
  if (!node) {
    return;
  }
  if constexpr (std::is_same_v<T, std::string>) {
    if (!node->is_string()) {
      WrongType(file, key, *node, "a string (in quotes)");
    }
    out = *node->value_exact<std::string>();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!node->is_boolean()) {
      WrongType(file, key, *node, "true or false");
    }
    out = *node->value_exact<bool>();
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!node->is_number()) {
      WrongType(file, key, *node, "a number");
    }
    out = static_cast<T>(*node->value<double>());
  } else {
    static_assert(std::is_integral_v<T>, "a setting is a string, bool, number or whole number");
    if (!node->is_integer()) {
      WrongType(file, key, *node, "a whole number");
    }
    int64_t v = *node->value_exact<int64_t>();
    constexpr uint64_t kMax = std::numeric_limits<T>::max();
    if (v < 0 || static_cast<uint64_t>(v) > kMax) {
      throw std::runtime_error(file + ":" + std::to_string(node->source().begin.line) + ": " +
                               std::string(key) + " must be from 0 to " + std::to_string(kMax) +
                               ", not " + std::to_string(v));
    }
    out = static_cast<T>(v);
  }
}

// Letters to change, add or drop to turn one key into another (for "did you mean").
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view LastPart(std::string_view key) {
  size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

bool ConfigFile::IsTableOfKnownKeys(std::string_view path) const {
  std::string prefix = std::string(path) + ".";
  auto it = known_.lower_bound(prefix);
  return it != known_.end() && it->starts_with(prefix);
}

// The known key the unknown one was most likely meant to be: a close spelling, or the same
// name in another table (`secret` for `kannel.secret`).
std::string ConfigFile::Suggestion(std::string_view unknown) const {
  std::string best;
  size_t best_distance = std::max<size_t>(2, unknown.size() / 4) + 1;
  for (const std::string& key : known_) {
    size_t d = EditDistance(unknown, key);
    if (LastPart(key) == LastPart(unknown)) {
      d = std::min<size_t>(d, 1);
    }
    if (d < best_distance) {
      best_distance = d;
      best = key;
    }
  }
  return best.empty() ? "" : " (did you mean " + best + "?)";
}

void ConfigFile::Walk(const toml::table& table, const std::string& prefix,
                      std::vector<Problem>& problems) const {
  for (const auto& [name, node] : table) {
    std::string path = prefix + std::string(name.str());
    uint32_t line = name.source().begin.line;
    if (const toml::table* inner = node.as_table()) {
      if (inner->empty() && !IsTableOfKnownKeys(path)) {
        problems.push_back({line, "unknown table [" + path + "]" + Suggestion(path)});
      }
      Walk(*inner, path + ".", problems);
    } else if (!known_.contains(path)) {
      if (IsTableOfKnownKeys(path)) {
        problems.push_back({line, path + " must be a table of settings ([" + path + "]), not " +
                                      std::string(TypeName(node))});
      } else {
        problems.push_back({line, "unknown key " + path + Suggestion(path)});
      }
    }
  }
}

void ConfigFile::RejectUnknownKeys() const {
  std::vector<Problem> problems;
  Walk(table_, "", problems);
  if (problems.empty()) {
    return;
  }
  std::stable_sort(problems.begin(), problems.end(),
                   [](const Problem& a, const Problem& b) { return a.line < b.line; });
  std::string message;
  for (const Problem& p : problems) {
    message += (message.empty() ? "" : "\n") + file_ + ":" + std::to_string(p.line) + ": " + p.text;
  }
  throw std::runtime_error(message);
}

void FromEnv(const char* name, std::string& out) {
  if (const char* v = std::getenv(name); v && *v) {
    out = v;
  }
}

}  // namespace

Config LoadConfig(const std::string& explicit_path) {
  Config c;
  std::string path = explicit_path;
  if (path.empty()) {
    FromEnv("HARVEST_CONFIG", path);
  }
  if (!path.empty()) {
    toml::table parsed;
    try {
      parsed = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      throw std::runtime_error(path + ":" + std::to_string(e.source().begin.line) + ": " +
                               std::string(e.description()));
    }
    ConfigFile t(std::move(parsed), path);
    Take(t, "db", c.db, path);
    Take(t, "db_read", c.db_read, path);
    Take(t, "postgres.transaction_pooling", c.postgres.transaction_pooling, path);
    Take(t, "postgres.pool_size", c.postgres.pool_size, path);
    if (c.postgres.pool_size > 10000) {
      throw std::runtime_error(path + ": postgres.pool_size must be at most 10000, not " +
                               std::to_string(c.postgres.pool_size));
    }
    Take(t, "listen", c.listen, path);
    Take(t, "public_url", c.public_url, path);
    Take(t, "default_area_code", c.default_area_code, path);
    Take(t, "threads", c.threads, path);
    Take(t, "limits.write_wait_ms", c.limits.write_wait_ms, path);
    Take(t, "twilio.auth_token", c.twilio_auth_token, path);
    Take(t, "kannel.secret", c.kannel_secret, path);
    Take(t, "privacy.suppression_threshold", c.suppression_threshold, path);
    Take(t, "verify.recheck_count", c.verify.recheck_count, path);
    Take(t, "verify.recheck_window_hours", c.verify.recheck_window_hours, path);
    Take(t, "verify.recheck_parishes", c.verify.recheck_parishes, path);
    Take(t, "verify.parish_window_hours", c.verify.parish_window_hours, path);
    Take(t, "verify.quantity_tolerance", c.verify.quantity_tolerance, path);
    Take(t, "verify.volume_factor", c.verify.volume_factor, path);
    Take(t, "verify.season_days", c.verify.season_days, path);
    Take(t, "verify.key_checks_per_hour", c.verify.key_checks_per_hour, path);
    Take(t, "sms.officer_checks_per_hour", c.sms.officer_checks_per_hour, path);
    Take(t, "sms.other_messages_per_hour", c.sms.other_messages_per_hour, path);
    Take(t, "limits.query_ms", c.limits.query_ms, path);
    Take(t, "limits.cache_mb", c.limits.cache_mb, path);
    Take(t, "books.max_receipts", c.books.max_receipts, path);
    if (c.books.max_receipts < 1) {
      throw std::runtime_error(path + ": books.max_receipts must be 1 or more");
    }
    Take(t, "limits.connections", c.limits.connections, path);
    Take(t, "limits.connections_per_ip", c.limits.connections_per_ip, path);
    Take(t, "limits.shutdown_grace_ms", c.limits.shutdown_grace_ms, path);
    if (c.limits.connections == 0 || c.limits.connections_per_ip == 0) {
      throw std::runtime_error(path + ": limits.connections and limits.connections_per_ip " +
                               "must be at least 1");
    }
    Take(t, "web.session_idle_seconds", c.web.session_idle_seconds, path);
    Take(t, "web.session_max_seconds", c.web.session_max_seconds, path);
    Take(t, "web.login_failures", c.web.login_failures, path);
    Take(t, "web.login_window_seconds", c.web.login_window_seconds, path);
    Take(t, "web.map_tile_url", c.web.map_tile_url, path);
    if (!c.web.map_tile_url.empty() && !c.web.map_tile_url.starts_with("https://") &&
        !c.web.map_tile_url.starts_with("http://")) {
      throw std::runtime_error(path + ": web.map_tile_url must be an http(s) URL, not '" +
                               c.web.map_tile_url + "'");
    }
    if (c.web.login_failures < 1) {
      throw std::runtime_error(path + ": web.login_failures must be at least 1");
    }
    // After every Take: a key nothing has read is unknown (a mistyped secret, a stray table).
    t.RejectUnknownKeys();
  }
  FromEnv("HARVEST_DB", c.db);
  FromEnv("HARVEST_DB_READ", c.db_read);
  if (const char* pool = std::getenv("HARVEST_DB_POOL"); pool && *pool) {
    char* end = nullptr;
    unsigned long size = std::strtoul(pool, &end, 10);
    if (*end != '\0' || pool[0] == '-' || size > 10000) {
      throw std::runtime_error("HARVEST_DB_POOL must be a number of connections (0: one per "
                               "thread), not '" + std::string(pool) + "'");
    }
    c.postgres.pool_size = static_cast<unsigned>(size);
  }
  FromEnv("HARVEST_LISTEN", c.listen);
  FromEnv("HARVEST_PUBLIC_URL", c.public_url);
  FromEnv("HARVEST_TWILIO_AUTH_TOKEN", c.twilio_auth_token);
  FromEnv("HARVEST_KANNEL_SECRET", c.kannel_secret);
  FromEnv("HARVEST_DEFAULT_AREA_CODE", c.default_area_code);
  if (c.default_area_code.size() != 3) {
    throw std::runtime_error("default_area_code must be 3 digits, not '" + c.default_area_code +
                             "'");
  }
  return c;
}

}  // namespace harvest::config
