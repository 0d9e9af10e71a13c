// harvest officer add|block|list: the police phones allowed to check receipts by SMS.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "registry/clock.h"
#include "registry/validate.h"

namespace harvest::cli {
namespace {

const registry::DatasetDef& Officers() {
  return *registry::FindDataset("officers");
}

std::string Field(const store::Row& row, std::string_view name) {
  return store::ValueText(row[static_cast<size_t>(Officers().FieldIndex(name))]);
}

std::string NormalPhone(const std::string& input, const config::Config& config) {
  store::Value phone;
  const registry::FieldDef& field = *Officers().Field("phone");
  if (auto problem = registry::ConvertCell(field, registry::InputCell::Text(input),
                                           {config.default_area_code}, phone);
      problem || store::IsNull(phone)) {
    throw CommandError("--phone: " + problem.value_or("is required"));
  }
  return std::get<std::string>(phone);
}

std::optional<store::Row> ByPhone(store::Store& store, const std::string& phone) {
  store::Selection sel;
  sel.filters.push_back(
      store::Filter{Officers().FieldIndex("phone"), store::FilterOp::kEq, {phone}});
  sel.limit = 1;
  auto rows = store.Select(Officers(), sel);
  return rows.empty() ? std::nullopt : std::optional(rows.front());
}

void Audit(store::Store& store, const std::string& action, const std::string& record,
           const std::string& detail) {
  store.AppendAudit({store::AuditEntry{registry::NowRfc3339(), "cli", "admin", "cli", action,
                                       "officers", record, detail}});
}

}  // namespace

void RegisterOfficer(CLI::App& app, Globals& globals) {
  auto* officer = app.add_subcommand("officer", "police officers allowed to check by SMS");
  officer->require_subcommand(1);

  auto* add = officer->add_subcommand("add", "register an officer's phone (or re-activate it)");
  struct AddOptions {
    std::string phone, badge, station, parish, name;
  };
  auto opts = std::make_shared<AddOptions>();
  add->add_option("--phone", opts->phone, "the officer's mobile (876-555-0123 or E.164)")
      ->required();
  add->add_option("--badge", opts->badge, "badge number")->required();
  add->add_option("--station", opts->station, "police station")->required();
  add->add_option("--parish", opts->parish, "parish of the station (code or name)")->required();
  add->add_option("--name", opts->name, "the officer's name");
  add->callback([&globals, opts] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    const registry::DatasetDef& set = Officers();
    std::vector<registry::InputCell> cells(set.fields.size());
    auto put = [&](std::string_view field, const std::string& value) {
      if (!value.empty()) {
        cells[static_cast<size_t>(set.FieldIndex(field))] = registry::InputCell::Text(value);
      }
    };
    put("phone", opts->phone);
    put("badge", opts->badge);
    put("station", opts->station);
    put("parish", opts->parish);
    put("name", opts->name);
    put("status", "active");
    store::Row row;
    auto problems = registry::BuildRow(set, cells, {config.default_area_code}, row);
    if (!problems.empty()) {
      std::string text;
      for (const auto& p : problems) {
        text += (text.empty() ? "--" : "; --") + p.field + ": " + p.message;
      }
      throw CommandError(text);
    }
    std::string phone = NormalPhone(opts->phone, config);
    if (auto existing = ByPhone(*store, phone)) {
      std::string id = Field(*existing, "id");
      if (Field(*existing, "status") == "active") {
        throw CommandError("an active officer already has phone " + phone + " (id " + id + ")");
      }
      std::vector<std::pair<int, store::Value>> changes;
      for (std::string_view f : {"badge", "station", "parish", "name", "status"}) {
        int index = set.FieldIndex(f);
        if (!store::IsNull(row[static_cast<size_t>(index)])) {
          changes.emplace_back(index, row[static_cast<size_t>(index)]);
        }
      }
      store->Update(set, (*existing)[static_cast<size_t>(set.KeyIndex())], changes);
      Audit(*store, "update", id, "re-activated");
      std::cout << id << std::endl;
      std::cerr << "officer " << id << " (" << phone << ") re-activated\n";
      return;
    }
    store::WriteResult written;
    try {
      written = store->Write(set, {row}, store::WriteMode::kInsert);
    } catch (const store::WriteError& e) {
      throw CommandError(e.what());
    }
    std::string id = Field(written.rows.front(), "id");
    Audit(*store, "create", id, "1 rows");
    std::cout << id << std::endl;
    std::cerr << "officer " << id << " (" << phone << ", " << opts->badge
              << ") may now check receipts by SMS\n";
  });

  auto* block = officer->add_subcommand("block", "stop a phone from checking receipts at once");
  auto block_phone = std::make_shared<std::string>();
  block->add_option("--phone", *block_phone, "the officer's phone")->required();
  block->callback([&globals, block_phone] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    std::string phone = NormalPhone(*block_phone, config);
    auto existing = ByPhone(*store, phone);
    if (!existing) {
      throw CommandError("no officer has phone " + phone);
    }
    const registry::DatasetDef& set = Officers();
    store->Update(set, (*existing)[static_cast<size_t>(set.KeyIndex())],
                  {{set.FieldIndex("status"), std::string("blocked")}});
    Audit(*store, "update", Field(*existing, "id"), "blocked");
    std::cerr << "officer " << Field(*existing, "id") << " (" << phone << ") blocked\n";
  });

  auto* list = officer->add_subcommand("list", "list officers");
  list->callback([&globals] {
    auto store = globals.OpenStore(globals.LoadConfig());
    std::printf("%-5s %-14s %-10s %-8s %-6s %-24s %s\n", "ID", "PHONE", "BADGE", "STATUS", "PARISH",
                "STATION", "NAME");
    store::Selection all;
    store->Scan(Officers(), all, [](const store::Row& row) {
      std::printf("%-5s %-14s %-10s %-8s %-6s %-24s %s\n", Field(row, "id").c_str(),
                  Field(row, "phone").c_str(), Field(row, "badge").c_str(),
                  Field(row, "status").c_str(), Field(row, "parish").c_str(),
                  Field(row, "station").c_str(), Field(row, "name").c_str());
      return true;
    });
  });
}

}  // namespace harvest::cli
