// harvest: the agricultural registry, open-data API and receipt verification service.
// main only parses the command line and hands over to src/cli/.
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Harvest: open agricultural registry, open-data API and receipt verification"};
  app.require_subcommand(1);
  // `--db` and `--config` belong to every command and may come before or after its name
  // (`harvest serve --db x.db`, as SPEC §7 writes it, or `harvest --db x.db serve`).
  // Subcommands added below inherit this.
  app.fallthrough();
  harvest::cli::Globals globals;
  app.add_option("--db", globals.db,
                 "database: a SQLite file path or a postgresql:// URL (env HARVEST_DB; default "
                 "harvest.db)");
  app.add_option("--config", globals.config_path, "TOML config file (env HARVEST_CONFIG)");
  app.footer(
      "On PostgreSQL: HARVEST_DB_READ names hot standbys for the open data (postgresql://\n"
      "URLs, comma separated) and HARVEST_DB_POOL the connections one server opens to each\n"
      "database server (0: one per thread). Every other setting: README, Configuration.");
  harvest::cli::RegisterServe(app, globals);
  harvest::cli::RegisterDemo(app, globals);
  harvest::cli::RegisterImport(app, globals);
  harvest::cli::RegisterExport(app, globals);
  harvest::cli::RegisterKey(app, globals);
  harvest::cli::RegisterBackup(app, globals);
  harvest::cli::RegisterOfficer(app, globals);
  harvest::cli::RegisterUser(app, globals);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "harvest: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
