// harvest key create|list|revoke: API keys, through the administration service.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"

namespace harvest::cli {

void RegisterKey(CLI::App& app, Globals& globals) {
  auto* key = app.add_subcommand("key", "API keys: create, list, revoke");
  key->require_subcommand(1);

  auto* create = key->add_subcommand("create", "create a key; prints it once, on the first line");
  auto role = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  create->add_option("--role", *role, "partner, police, extension or admin")
      ->required()
      ->check(CLI::IsMember({"partner", "police", "extension", "admin"}));
  create->add_option("--name", *name, "who the key is for (e.g. 'Clarendon police')")->required();
  create->callback([&globals, role, name] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    try {
      auth::NewKey made = Administration(*store, config).CreateKey(auth::CommandLine(), *role, *name);
      std::cout << made.secret << std::endl;
      std::cerr << "key " << made.key.id << " (" << *role << ", " << made.key.name
                << ") created; it is shown only now, keep it safe\n";
    } catch (const auth::AdminError& e) {
      throw FromAdminError(e);
    }
  });

  auto* list = key->add_subcommand("list", "list keys (never their secret)");
  list->callback([&globals] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    std::printf("%-4s %-10s %-10s %-21s %-21s %-21s %s\n", "ID", "PREFIX", "ROLE", "CREATED",
                "REVOKED", "LAST USED", "NAME");
    for (const store::ApiKey& k : Administration(*store, config).Keys(auth::CommandLine())) {
      std::printf("%-4lld %-10s %-10s %-21s %-21s %-21s %s\n", static_cast<long long>(k.id),
                  k.prefix.c_str(), std::string(registry::RoleName(k.role)).c_str(),
                  k.created_at.c_str(), k.revoked_at.empty() ? "-" : k.revoked_at.c_str(),
                  k.last_used_at.empty() ? "-" : k.last_used_at.c_str(), k.name.c_str());
    }
  });

  auto* revoke = key->add_subcommand("revoke", "revoke a key at once");
  auto id = std::make_shared<int64_t>(0);
  revoke->add_option("ID", *id, "the key's id from 'key list'")->required();
  revoke->callback([&globals, id] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    try {
      Administration(*store, config).RevokeKey(auth::CommandLine(), *id);
    } catch (const auth::AdminError& e) {
      throw CommandError(e.what());
    }
    std::cerr << "key " << *id << " revoked\n";
  });
}

}  // namespace harvest::cli
