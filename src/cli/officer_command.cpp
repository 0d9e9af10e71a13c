// harvest officer add|block|list: the police phones allowed to check receipts by SMS,
// through the administration service.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"

namespace harvest::cli {

void RegisterOfficer(CLI::App& app, Globals& globals) {
  auto* officer = app.add_subcommand("officer", "police officers allowed to check by SMS");
  officer->require_subcommand(1);

  auto* add = officer->add_subcommand("add", "register an officer's phone (or re-activate it)");
  auto opts = std::make_shared<auth::OfficerInput>();
  add->add_option("--phone", opts->phone, "the officer's mobile (876-555-0123 or E.164)")
      ->required();
  add->add_option("--badge", opts->badge, "badge number")->required();
  add->add_option("--station", opts->station, "police station")->required();
  add->add_option("--parish", opts->parish, "parish of the station (code or name)")->required();
  add->add_option("--name", opts->name, "the officer's name");
  add->callback([&globals, opts] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    auth::OfficerOutcome made;
    try {
      made = Administration(*store, config).AddOfficer(auth::CommandLine(), *opts);
    } catch (const auth::AdminError& e) {
      throw FromAdminError(e);
    }
    std::cout << made.id << std::endl;
    if (made.reactivated) {
      std::cerr << "officer " << made.id << " (" << made.phone << ") re-activated\n";
    } else {
      std::cerr << "officer " << made.id << " (" << made.phone << ", " << opts->badge
                << ") may now check receipts by SMS\n";
    }
  });

  auto* block = officer->add_subcommand("block", "stop a phone from checking receipts at once");
  auto block_phone = std::make_shared<std::string>();
  block->add_option("--phone", *block_phone, "the officer's phone")->required();
  block->callback([&globals, block_phone] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    try {
      std::string id = Administration(*store, config).BlockOfficer(auth::CommandLine(), *block_phone);
      std::cerr << "officer " << id << " (" << *block_phone << ") blocked\n";
    } catch (const auth::AdminError& e) {
      throw FromAdminError(e);
    }
  });

  auto* list = officer->add_subcommand("list", "list officers");
  list->callback([&globals] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    std::printf("%-5s %-14s %-10s %-8s %-6s %-24s %s\n", "ID", "PHONE", "BADGE", "STATUS", "PARISH",
                "STATION", "NAME");
    for (const auth::Officer& o : Administration(*store, config).Officers(auth::CommandLine())) {
      std::printf("%-5s %-14s %-10s %-8s %-6s %-24s %s\n", o.id.c_str(), o.phone.c_str(),
                  o.badge.c_str(), o.status.c_str(), o.parish.c_str(), o.station.c_str(),
                  o.name.c_str());
    }
  });
}

}  // namespace harvest::cli
