#include <filesystem>
#include <iostream>

#include "cli/commands.h"

namespace harvest::cli {

void RegisterBackup(CLI::App& app, Globals& globals) {
  auto* cmd = app.add_subcommand("backup", "write a consistent copy of the database while it runs");
  auto file = std::make_shared<std::string>();
  cmd->add_option("FILE", *file, "where to write the copy (must not exist)")->required();
  cmd->callback([&globals, file] {
    if (std::filesystem::exists(*file)) {
      throw CommandError(*file + " already exists; choose a new file name");
    }
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    store->Backup(*file);
    std::cerr << "harvest: backup of " << config.db << " written to " << *file << "\n";
  });
}

}  // namespace harvest::cli
