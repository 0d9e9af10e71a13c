#include <filesystem>
#include <iostream>

#include "cli/commands.h"

namespace harvest::cli {

void RegisterBackup(CLI::App& app, Globals& globals) {
  auto* cmd = app.add_subcommand(
      "backup", "write a consistent copy of a SQLite database while it runs (PostgreSQL: pg_dump)");
  auto file = std::make_shared<std::string>();
  cmd->add_option("FILE", *file, "where to write the copy (must not exist)")->required();
  cmd->callback([&globals, file] {
    if (std::filesystem::exists(*file)) {
      throw CommandError(*file + " already exists; choose a new file name");
    }
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    // Written under a temporary name in the same folder and renamed when complete, so a
    // backup killed half way never leaves a file that looks like a whole copy.
    std::filesystem::path target(*file);
    std::filesystem::path partial =
        target.parent_path() / ("." + target.filename().string() + ".partial");
    std::filesystem::remove(partial);  // left by a backup killed earlier
    try {
      store->Backup(partial.string());
      std::filesystem::rename(partial, target);
    } catch (...) {
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      throw;
    }
    std::cerr << "harvest: backup of " << config.db << " written to " << *file << "\n";
  });
}

}  // namespace harvest::cli
