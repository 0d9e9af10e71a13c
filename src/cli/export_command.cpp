// harvest export DATASET: the rows and privacy rules of the API for a role.
#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "auth/privacy.h"
#include "cli/commands.h"
#include "opendata/formats.h"
#include "registry/clock.h"

namespace harvest::cli {
namespace {

// Who runs the command, for the audit log: the system login.
std::string CliUser() {
  const passwd* pw = getpwuid(geteuid());
  return pw && pw->pw_name ? pw->pw_name : "uid " + std::to_string(geteuid());
}

// Exports of datasets partners cannot see (people, their books and sales, checks) are
// reads of personal data, audited as the API audits them.
bool Personal(const registry::DatasetDef& set) {
  return ((set.list_roles | set.item_roles) & registry::kPartner) == 0;
}

}  // namespace

void RegisterExport(CLI::App& app, Globals& globals) {
  auto* cmd = app.add_subcommand("export", "write a dataset as CSV, JSON or GeoJSON");
  auto dataset = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>("public");
  auto format = std::make_shared<std::string>("csv");
  auto output = std::make_shared<std::string>();
  cmd->add_option("DATASET", *dataset, "dataset name (see /api/v1)")->required();
  cmd->add_option("--role", *role, "export what this role may see (default public)")
      ->check(CLI::IsMember({"public", "partner", "police", "extension", "admin"}));
  cmd->add_option("--format", *format, "csv, json or geojson")
      ->check(CLI::IsMember({"csv", "json", "geojson"}));
  cmd->add_option("-o,--output", *output, "file to write (default standard output)");
  cmd->callback([&globals, dataset, role, format, output] {
    const registry::DatasetDef* set = registry::FindDataset(*dataset);
    if (!set) {
      throw CommandError("unknown dataset '" + *dataset + "' (see /api/v1 for the list)");
    }
    registry::Role who;
    registry::ParseRole(*role, who);
    if (!auth::CanList(*set, who)) {
      throw CommandError("the " + *role + " role may not read " + set->name +
                         "; choose a role with --role");
    }
    opendata::Format fmt = *format == "csv"    ? opendata::Format::kCsv
                           : *format == "json" ? opendata::Format::kJson
                                               : opendata::Format::kGeoJson;
    if (fmt == opendata::Format::kGeoJson && !set->has_place) {
      throw CommandError(set->name + " has no coordinates, so no GeoJSON");
    }
    std::ofstream file;
    if (!output->empty()) {
      file.open(*output, std::ios::binary | std::ios::trunc);
      if (!file) {
        throw CommandError("cannot write " + *output);
      }
    }
    std::ostream& out = output->empty() ? std::cout : file;
    auto store = globals.OpenStore(globals.LoadConfig());
    opendata::RowView view{set, who, auth::VisibleFields(*set, who)};
    std::string chunk;
    int64_t rows = 0;
    if (fmt == opendata::Format::kCsv) {
      opendata::AppendCsvHeader(chunk, view);
    } else {
      chunk = fmt == opendata::Format::kJson ? R"({"data":[)"
                                             : R"({"type":"FeatureCollection","features":[)";
    }
    bool first = true;
    store::Selection selection;
    selection.key_token = auth::PagesByKeyToken(*set, who);  // as the API orders them
    store->Scan(*set, selection, [&](const store::Row& row) {
      if (fmt == opendata::Format::kCsv) {
        opendata::AppendCsvRow(chunk, view, row);
      } else {
        chunk += first ? "\n" : ",\n";
        fmt == opendata::Format::kJson ? opendata::AppendJsonRow(chunk, view, row)
                                       : opendata::AppendGeoJsonFeature(chunk, view, row);
      }
      first = false;
      ++rows;
      if (chunk.size() > (1 << 20)) {
        out << chunk;
        chunk.clear();
      }
      return true;
    });
    if (fmt != opendata::Format::kCsv) {
      chunk += fmt == opendata::Format::kJson ? "\n],\"next\":null}\n" : "\n]}\n";
    }
    out << chunk;
    out.flush();
    if (!out) {
      throw CommandError("writing the export failed (disk full?)");
    }
    if (Personal(*set)) {
      store->AppendAudit({store::AuditEntry{
          registry::NowRfc3339(), "cli:" + CliUser(), std::string(registry::RoleName(who)), "cli",
          "read", set->name, output->empty() ? "export to standard output" : "export to " + *output,
          std::to_string(rows) + " rows (" + *format + ")"}});
    }
  });
}

}  // namespace harvest::cli
