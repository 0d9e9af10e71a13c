// harvest import DATASET FILE: all-or-nothing CSV import naming every bad row as
// FILE:LINE: field: message.
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "auth/privacy.h"
#include "cli/commands.h"
#include "opendata/csv.h"
#include "registry/clock.h"
#include "registry/validate.h"

namespace harvest::cli {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CommandError("cannot read " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Parsed {
  std::vector<store::Row> rows;
  std::vector<size_t> lines;  // file line of each row
  std::vector<std::string> problems;
};

Parsed ParseCsv(const registry::DatasetDef& set, const std::string& path, const std::string& text,
                const registry::ValidationContext& context) {
  Parsed out;
  csv::Reader reader(text);
  std::vector<std::string> fields;
  size_t line = 0;
  try {
    if (!reader.Next(fields, line)) {
      throw CommandError(path + ": the file is empty; expected a header row of field names");
    }
    std::vector<int> columns;  // field index per column, -1 to skip
    for (const std::string& raw : fields) {
      std::string name = raw;
      int index = set.FieldIndex(name);
      // Derived columns of our own exports are accepted and ignored.
      if (index < 0 && name.ends_with("_name") && set.Field(name.substr(0, name.size() - 5))) {
        columns.push_back(-1);
        continue;
      }
      if (index < 0) {
        out.problems.push_back(path + ":" + std::to_string(line) + ": " + name +
                               ": unknown column for " + set.name);
      }
      columns.push_back(index);
    }
    if (!out.problems.empty()) {
      return out;
    }
    std::vector<registry::InputCell> cells(set.fields.size());
    while (reader.Next(fields, line)) {
      if (fields.size() != columns.size()) {
        out.problems.push_back(path + ":" + std::to_string(line) + ": row has " +
                               std::to_string(fields.size()) + " fields, the header has " +
                               std::to_string(columns.size()));
        continue;
      }
      for (auto& cell : cells) {
        cell.kind = registry::InputCell::kAbsent;
      }
      for (size_t c = 0; c < columns.size(); ++c) {
        if (columns[c] >= 0) {
          auto& cell = cells[static_cast<size_t>(columns[c])];
          cell.kind = registry::InputCell::kText;
          cell.text = fields[c];
        }
      }
      store::Row row;
      auto problems = registry::BuildRow(set, cells, context, row);
      for (const auto& p : problems) {
        out.problems.push_back(path + ":" + std::to_string(line) + ": " + p.field + ": " +
                               p.message);
      }
      if (problems.empty()) {
        out.rows.push_back(std::move(row));
        out.lines.push_back(line);
      }
    }
  } catch (const csv::CsvError& e) {
    out.problems.push_back(path + ":" + std::to_string(e.line) + ": " + e.what());
  }
  return out;
}

}  // namespace

void RegisterImport(CLI::App& app, Globals& globals) {
  auto* cmd = app.add_subcommand("import", "import a CSV file into a dataset, all or nothing");
  auto dataset = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  auto dry_run = std::make_shared<bool>(false);
  auto wait = std::make_shared<double>(30);
  cmd->add_option("DATASET", *dataset,
                  "farmers, farms, crops, livestock, prices, books, sales, officers")
      ->required();
  cmd->add_option("FILE", *file, "CSV with a header row of field names")->required();
  cmd->add_flag("--dry-run", *dry_run, "check every row, write nothing");
  cmd->add_option("--wait", *wait,
                  "seconds to wait for another writer to release the database (default 30)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([&globals, dataset, file, dry_run, wait] {
    const registry::DatasetDef* set = registry::FindDataset(*dataset);
    if (!set || set->write_roles == 0) {
      throw CommandError(
          "cannot import into '" + *dataset +
          "': use farmers, farms, crops, livestock, prices, books, sales or officers");
    }
    auto start = std::chrono::steady_clock::now();
    config::Config config = globals.LoadConfig();
    config.write_wait_ms = static_cast<int>(*wait * 1000);
    std::string text = ReadFile(*file);
    Parsed parsed = ParseCsv(*set, *file, text, {config.default_area_code});
    auto locked = [&](const store::Unavailable& e) {
      std::ostringstream waited;
      waited << *wait;
      return CommandError("cannot import " + *file + ": " + e.what() + " (waited " +
                          waited.str() +
                          " s; try again when it is done, or wait longer with --wait)");
    };
    std::unique_ptr<store::Store> store;
    try {
      store = globals.OpenStore(config);  // may migrate: a write
    } catch (const store::Unavailable& e) {
      throw locked(e);
    }
    store::WriteResult result;
    if (parsed.problems.empty()) {
      try {
        // The audit entry is kept in the import's own transaction: both or neither.
        store->Atomically([&] {
          result =
              store->Write(*set, std::move(parsed.rows), store::WriteMode::kUpsert, *dry_run);
          if (!*dry_run) {
            store->AppendAudit({store::AuditEntry{
                registry::NowRfc3339(), "cli", "admin", "cli", "import", set->name, *file,
                std::to_string(result.inserted + result.updated) + " rows"}});
          }
        });
      } catch (const store::Unavailable& e) {
        throw locked(e);
      } catch (const store::WriteError& e) {
        for (const store::RowError& r : e.errors()) {
          parsed.problems.push_back(*file + ":" + std::to_string(parsed.lines[r.row]) + ": " +
                                    (r.field.empty() ? "" : r.field + ": ") + r.message);
        }
      }
    }
    if (!parsed.problems.empty()) {
      for (const std::string& p : parsed.problems) {
        std::cerr << p << "\n";
      }
      throw CommandError(std::to_string(parsed.problems.size()) + " problem" +
                         (parsed.problems.size() == 1 ? "" : "s") + " in " + *file +
                         "; nothing was imported");
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << (*dry_run ? "checked " : "imported ") << result.inserted + result.updated
              << " rows into " << set->name << " (" << result.inserted << " new, " << result.updated
              << " updated) in " << seconds << " s"
              << (*dry_run ? "; nothing was written (--dry-run)" : "") << "\n";
  });
}

}  // namespace harvest::cli
