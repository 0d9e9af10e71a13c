#include <chrono>
#include <iostream>

#include "auth/keys.h"
#include "cli/commands.h"
#include "demo/demo.h"
#include "registry/clock.h"

namespace harvest::cli {

std::vector<DemoKey> EnsureDemoKeys(store::Store& store) {
  std::vector<DemoKey> keys;
  for (registry::Role role :
       {registry::kPartner, registry::kPolice, registry::kExtension, registry::kAdmin}) {
    std::string name(registry::RoleName(role));
    std::string key = "hv_demo_" + name;
    if (!store.FindKey(auth::HashKey(key))) {
      store.CreateKey("demo " + name, role, auth::HashKey(key), key.substr(0, 8));
    }
    keys.push_back({name, key});
  }
  return keys;
}

bool LoadDemoIfEmpty(store::Store& store, int64_t farmers, uint64_t seed) {
  if (!store.Empty()) {
    return false;
  }
  auto start = std::chrono::steady_clock::now();
  std::cerr << "harvest: building demo data for " << farmers << " farmers (seed " << seed
            << ")...\n";
  demo::DemoOptions options;
  options.farmers = farmers;
  options.seed = seed;
  options.today = registry::TodayIso();
  demo::DemoSummary s = demo::GenerateDemo(store, options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "harvest: demo data ready in " << static_cast<int>(seconds * 10) / 10.0
            << " s: " << s.farmers << " farmers, " << s.farms << " farms, " << s.crops << " crops, "
            << s.livestock << " livestock records, " << s.prices << " prices, " << s.books
            << " receipt books (" << s.stolen_books << " stolen), " << s.sales << " sales, "
            << s.officers << " officers\n";
  return true;
}

void RegisterDemo(CLI::App& app, Globals& globals) {
  auto* cmd = app.add_subcommand("demo", "fill an empty database with synthetic national data");
  auto farmers = std::make_shared<int64_t>(170000);
  auto seed = std::make_shared<uint64_t>(2014);
  cmd->add_option("--farmers", *farmers, "number of farmers (default 170000)")
      ->check(CLI::Range(int64_t{2}, int64_t{5000000}));
  cmd->add_option("--seed", *seed, "random seed; the same seed gives the same data");
  cmd->callback([&globals, farmers, seed] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    if (!LoadDemoIfEmpty(*store, *farmers, *seed)) {
      throw CommandError("the database " + config.db +
                         " already holds farmers; demo data goes into an empty database");
    }
    for (const DemoKey& k : EnsureDemoKeys(*store)) {
      std::cout << k.role << " key: " << k.key << "\n";
    }
  });
}

}  // namespace harvest::cli
