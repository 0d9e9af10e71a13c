// The `harvest` command line (SPEC §7): one Register function per command. Each adds
// its CLI11 subcommand and the callback that runs it. Failures throw CommandError
// (exit 1); CLI11 reports usage errors (exit 2).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "auth/administration.h"
#include "config/config.h"
#include "store/store.h"

namespace harvest::cli {

class CommandError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Options every command shares, filled before the callback runs.
struct Globals {
  std::string db;           // --db, else HARVEST_DB, else config, else harvest.db
  std::string config_path;  // --config, else HARVEST_CONFIG

  config::Config LoadConfig() const;
  std::unique_ptr<store::Store> OpenStore(const config::Config& config) const;
};

// The administration service for a command run by hand (audited at once, as "cli"), and
// its refusals as a CommandError with the message, which names the field ("phone ...").
auth::Administration Administration(store::Store& store, const config::Config& config);
CommandError FromAdminError(const auth::AdminError& e);

void RegisterServe(CLI::App& app, Globals& globals);
void RegisterDemo(CLI::App& app, Globals& globals);
void RegisterImport(CLI::App& app, Globals& globals);
void RegisterExport(CLI::App& app, Globals& globals);
void RegisterKey(CLI::App& app, Globals& globals);
void RegisterBackup(CLI::App& app, Globals& globals);
void RegisterOfficer(CLI::App& app, Globals& globals);
void RegisterUser(CLI::App& app, Globals& globals);

}  // namespace harvest::cli

namespace harvest::cli {

// Well-known keys for demo databases, one per role (never use them on real data).
struct DemoKey {
  std::string role;
  std::string key;
};
std::vector<DemoKey> EnsureDemoKeys(store::Store& store);
// Loads demo data into an empty store; prints a summary to stderr. Returns false when the
// store already had data.
bool LoadDemoIfEmpty(store::Store& store, int64_t farmers, uint64_t seed);

// `serve --demo`: the SMS gateways whose secret is not configured get a well-known demo one
// (printed at start, like the demo keys). Returns which: a bit per gateway.
struct DemoGateways {
  bool kannel = false;
  bool twilio = false;
};
DemoGateways EnableDemoGateways(config::Config& config);
// The demo part of the start-up text: keys, ready curl commands for the API and for SMS.
void PrintDemoWelcome(store::Store& store, const config::Config& config, const std::string& base,
                      DemoGateways gateways);

}  // namespace harvest::cli
