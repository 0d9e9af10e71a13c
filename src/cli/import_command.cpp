// harvest import DATASET FILE: all-or-nothing CSV import naming every bad row as
// FILE:LINE: field: message.
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>

#include "auth/privacy.h"
#include "cli/commands.h"
#include "opendata/csv.h"
#include "registry/record_service.h"
#include "registry/clock.h"

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
  std::vector<registry::InputRow> rows;
  std::vector<size_t> lines;  // file line of each row
  std::vector<std::string> problems;
};

// Latin-1 (ISO 8859-1) bytes as UTF-8: every byte is the code point of the same number.
std::string Latin1ToUtf8(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out.push_back(c);
    } else {
      out.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return out;
}

// The first line that is not UTF-8, refused before anything else is read: a file saved
// in another encoding would otherwise store mangled names, or fail on every row.
std::optional<std::string> CheckEncoding(const std::string& path, const std::string& text) {
  size_t line = 1;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string_view content(text.data() + start, end - start);
    // Only the encoding here: control characters are refused field by field.
    if (auto problem = registry::CheckText(content, SIZE_MAX, true);
        problem && problem->find("UTF-8") != std::string::npos) {
      return path + ":" + std::to_string(line) + ": " + *problem +
             "; the file must be UTF-8 (for a Latin-1 file, add --encoding latin1)";
    }
    ++line;
    start = end + 1;
  }
  return std::nullopt;
}

Parsed ParseCsv(const registry::DatasetDef& set, const std::string& path, const std::string& text) {
  Parsed out;
  csv::Reader reader(text);
  std::vector<std::string> fields;
  size_t line = 0;
  try {
    if (!reader.Next(fields, line)) {
      throw CommandError(path + ": the file is empty; expected a header row of field names");
    }
    std::vector<int> columns;                             // field index per column, -1 to skip
    std::vector<size_t> column_of(set.fields.size(), 0);  // 1-based column of each field
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
      } else if (column_of[static_cast<size_t>(index)] != 0) {
        out.problems.push_back(path + ":" + std::to_string(line) + ": " + name +
                               ": column given twice (columns " +
                               std::to_string(column_of[static_cast<size_t>(index)]) + " and " +
                               std::to_string(columns.size() + 1) + ")");
      } else {
        column_of[static_cast<size_t>(index)] = columns.size() + 1;
      }
      columns.push_back(index);
    }
    if (!out.problems.empty()) {
      return out;
    }
    while (reader.Next(fields, line)) {
      if (fields.size() != columns.size()) {
        out.problems.push_back(path + ":" + std::to_string(line) + ": row has " +
                               std::to_string(fields.size()) + " fields, the header has " +
                               std::to_string(columns.size()));
        continue;
      }
      // Fields without a column stay kAbsent: a stored row keeps their values.
      registry::InputRow cells(set.fields.size());
      for (size_t c = 0; c < columns.size(); ++c) {
        if (columns[c] >= 0) {
          cells[static_cast<size_t>(columns[c])] = registry::InputCell::Text(std::move(fields[c]));
        }
      }
      out.rows.push_back(std::move(cells));
      out.lines.push_back(line);
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
  auto encoding = std::make_shared<std::string>("utf-8");
  cmd->add_option("--encoding", *encoding, "the file's encoding: utf-8 (default) or latin1")
      ->check(CLI::IsMember({"utf-8", "utf8", "latin1", "latin-1", "iso-8859-1"}));
  cmd->add_option("--wait", *wait,
                  "seconds to wait for another writer to release the database (default 30)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([&globals, dataset, file, dry_run, encoding, wait] {
    const registry::DatasetDef* set = registry::FindDataset(*dataset);
    if (!set || set->write_roles == 0) {
      throw CommandError(
          "cannot import into '" + *dataset +
          "': use farmers, farms, crops, livestock, prices, books, sales or officers");
    }
    auto start = std::chrono::steady_clock::now();
    config::Config config = globals.LoadConfig();
    config.limits.write_wait_ms = static_cast<int>(*wait * 1000);
    std::string text = ReadFile(*file);
    if (encoding->starts_with("utf")) {
      if (auto problem = CheckEncoding(*file, text)) {
        std::cerr << *problem << "\n";
        throw CommandError("1 problem in " + *file + "; nothing was imported");
      }
    } else {
      text = Latin1ToUtf8(text);
    }
    Parsed parsed = ParseCsv(*set, *file, text);
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
      std::vector<std::string> names;
      for (size_t line : parsed.lines) {
        names.push_back("line " + std::to_string(line));
      }
      registry::RecordService records(*store,
                                      {config.default_area_code, config.books.max_receipts});
      try {
        // The audit entry is kept in the import's own transaction: both or neither.
        store->Atomically([&] {
          result = records.Import(*set, parsed.rows, names, *dry_run);
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
