#include <chrono>
#include <iostream>

#include "auth/keys.h"
#include "cli/commands.h"
#include "demo/demo.h"
#include "http/message.h"
#include "registry/clock.h"
#include "sms/twilio_signature.h"

namespace harvest::cli {
namespace {

// Well-known like the demo keys, and like them only for demo data.
constexpr std::string_view kDemoKannelSecret = "hv_demo_kannel";
constexpr std::string_view kDemoTwilioToken = "hv_demo_twilio";

void PrintApiTries(store::Store& store, const std::string& base,
                   const std::optional<demo::TrySamples>& samples) {
  store::Selection one;
  one.limit = 1;
  std::string farmer = "081117655";
  if (samples) {
    farmer = samples->farmer_id;
  } else if (auto farmers = store.Select(*registry::FindDataset("farmers"), one);
             !farmers.empty()) {
    farmer = store::ValueText(farmers[0][0]);
  }
  const registry::DatasetDef& prices = *registry::FindDataset("prices");
  auto price = store.Select(prices, one);
  std::string commodity =
      price.empty() ? "yellow yam" : store::ValueText(price[0][prices.FieldIndex("commodity")]);
  std::string parish =
      price.empty() ? "ELZ" : store::ValueText(price[0][prices.FieldIndex("parish")]);
  std::cout << "\nTry the API:\n"
            << "  curl '" << base << "/api/v1/prices?commodity=" << http::PercentEncode(commodity)
            << "&parish=" << parish << "&sort=-week_of&limit=5'\n"
            << "  curl '" << base << "/api/v1/production.csv?parish=" << parish << "'\n"
            << "  curl -H 'Authorization: Bearer hv_demo_police' " << base << "/api/v1/farmers/"
            << farmer << "\n"
            << "  curl -H 'Authorization: Bearer hv_demo_partner' '" << base
            << "/api/v1/farms.geojson?parish=THO&limit=3'\n";
}

std::string KannelTry(const std::string& base, std::string_view secret, const std::string& from,
                      const std::string& text) {
  return "  curl '" + base + "/sms/kannel?key=" + std::string(secret) +
         "&from=" + http::PercentEncode(from) + "&text=" + http::PercentEncode(text) + "'\n";
}

std::string TwilioTry(const std::string& public_url, std::string_view token,
                      const std::string& from, const std::string& text) {
  std::string url = public_url;
  while (url.ends_with('/')) {
    url.pop_back();
  }
  url += "/sms/twilio";
  std::string signature = sms::TwilioSignature(url, {{"From", from}, {"Body", text}}, token);
  return "  curl -H 'X-Twilio-Signature: " + signature + "' -d 'From=" + http::PercentEncode(from) +
         "' -d 'Body=" + http::PercentEncode(text) + "' " + url + "\n";
}

void PrintSmsTries(const config::Config& config, const std::string& base, DemoGateways gateways,
                   const std::optional<demo::TrySamples>& samples) {
  std::cout << "\nSMS webhooks:\n";
  if (gateways.kannel) {
    std::cout << "  Kannel secret      " << kDemoKannelSecret
              << "   (demo only; set HARVEST_KANNEL_SECRET for real use)\n";
  } else {
    std::cout << "  Kannel             the configured secret (shown below as SECRET)\n";
  }
  if (gateways.twilio) {
    std::cout << "  Twilio auth token  " << kDemoTwilioToken
              << "   (demo only; set HARVEST_TWILIO_AUTH_TOKEN for real use)\n";
  }
  if (!samples) {
    std::cout << "  (no active officer and farmer in good standing to suggest SMS with)\n";
    return;
  }
  const demo::TrySamples& s = *samples;
  std::string_view secret = gateways.kannel ? kDemoKannelSecret : "SECRET";
  std::string quantity = std::to_string(static_cast<int64_t>(s.sell_kg)) + "kg";
  std::cout << "\nTry SMS from the terminal (Kannel's webhook; the reply is the answer):\n"
            << "  # an officer checks a receipt: VALID (CHECK once checked 3 times in 72 h)\n"
            << KannelTry(base, secret, s.officer_phone, "R " + std::to_string(s.check_receipt));
  if (s.stolen_receipt != 0) {
    std::cout << "  # a receipt from a book reported stolen: ALERT\n"
              << KannelTry(base, secret, s.officer_phone, "R " + std::to_string(s.stolen_receipt));
  }
  std::cout << "  # farmer " << s.farmer_id << " records a sale on his own receipt by SMS\n"
            << KannelTry(base, secret, s.farmer_phone,
                         "S " + std::to_string(s.sell_receipt) + " " + quantity + " " + s.commodity)
            << "  # the officer checks that receipt against the load on the truck\n"
            << KannelTry(
                   base, secret, s.officer_phone,
                   "R " + std::to_string(s.sell_receipt) + " " + quantity + " " + s.commodity);
  if (gateways.twilio) {
    std::cout << "  # the first check through Twilio's webhook, signed with the demo token\n"
              << TwilioTry(config.public_url.empty() ? base : config.public_url, kDemoTwilioToken,
                           s.officer_phone, "R " + std::to_string(s.check_receipt));
  }
}

}  // namespace

DemoGateways EnableDemoGateways(config::Config& config) {
  DemoGateways enabled;
  if (config.kannel_secret.empty()) {
    config.kannel_secret = kDemoKannelSecret;
    enabled.kannel = true;
  }
  if (config.twilio_auth_token.empty()) {
    config.twilio_auth_token = kDemoTwilioToken;
    enabled.twilio = true;
  }
  return enabled;
}

void PrintDemoWelcome(store::Store& store, const config::Config& config, const std::string& base,
                      DemoGateways gateways) {
  std::cout << "\nDemo keys (demo data only):\n";
  for (const DemoKey& k : EnsureDemoKeys(store)) {
    std::cout << "  " << k.role << std::string(11 - k.role.size(), ' ') << k.key << "\n";
  }
  std::optional<demo::TrySamples> samples = demo::FindTrySamples(store, registry::TodayIso());
  PrintApiTries(store, base, samples);
  PrintSmsTries(config, base, gateways, samples);
}

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
