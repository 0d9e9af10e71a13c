#include "config/config.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <stdexcept>

namespace harvest::config {
namespace {

template <typename T>
void Take(const toml::table& table, std::string_view path, T& out, const std::string& file) {
  toml::node_view node = table.at_path(path);
  if (!node) {
    return;
  }
  if constexpr (std::is_same_v<T, std::string>) {
    if (auto v = node.value<std::string>()) {
      out = *v;
      return;
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if (auto v = node.value<double>()) {
      out = *v;
      return;
    }
  } else {
    if (auto v = node.value<int64_t>(); v && *v >= 0) {
      out = static_cast<T>(*v);
      return;
    }
  }
  throw std::runtime_error(file + ": " + std::string(path) + ": wrong type of value");
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
    toml::table t;
    try {
      t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      throw std::runtime_error(path + ":" + std::to_string(e.source().begin.line) + ": " +
                               std::string(e.description()));
    }
    Take(t, "db", c.db, path);
    Take(t, "listen", c.listen, path);
    Take(t, "public_url", c.public_url, path);
    Take(t, "default_area_code", c.default_area_code, path);
    Take(t, "threads", c.threads, path);
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
    Take(t, "sms.officer_checks_per_hour", c.sms.officer_checks_per_hour, path);
    Take(t, "sms.other_messages_per_hour", c.sms.other_messages_per_hour, path);
    Take(t, "limits.query_ms", c.limits.query_ms, path);
    Take(t, "limits.cache_mb", c.limits.cache_mb, path);
  }
  FromEnv("HARVEST_DB", c.db);
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
