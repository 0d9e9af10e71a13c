#include "registry/aggregates.h"

#include <cmath>
#include <cstdlib>

#include "registry/schema.h"

namespace harvest::registry {
namespace {

// Counts come back as integers from SQLite and as numeric (read as double) from PostgreSQL.
int64_t Whole(const store::Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return *i;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    return static_cast<int64_t>(std::llround(*d));
  }
  return 0;
}

double Real(const store::Value& v) {
  if (const auto* d = std::get_if<double>(&v)) {
    return *d;
  }
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return static_cast<double>(*i);
  }
  return 0;
}

// To `places` decimals: the nearest double to the decimal, as SQL's round gives it.
double Rounded(double value, int places) {
  double scale = std::pow(10.0, places);
  return std::round(value * scale) / scale;
}

int64_t RegistryPart(const std::string& version) {
  return std::strtoll(version.c_str(), nullptr, 10);
}

}  // namespace

bool FeedsAggregates(const DatasetDef& set) {
  return set.name == "farmers" || set.name == "farms" || set.name == "crops";
}

std::string AggregatesVersion(const std::string& registry_version, const std::string& threshold) {
  return registry_version + "/" + threshold;
}

AggregateTables PublishAggregates(const std::vector<store::Row>& crop_cells,
                                  const std::vector<store::Row>& activity_cells,
                                  std::string version) {
  AggregateTables tables;
  int64_t threshold = std::strtoll(version.substr(version.find('/') + 1).c_str(), nullptr, 10);
  tables.version = std::move(version);
  const DatasetDef& production = *FindDataset("production");
  for (const store::Row& cell : crop_cells) {
    store::Row row(production.fields.size());
    std::string parish = store::ValueText(cell[0]);
    std::string crop = store::ValueText(cell[1]);
    bool small = Whole(cell[5]) < threshold;
    row[production.FieldIndex("id")] = parish + ":" + crop;
    row[production.FieldIndex("parish")] = parish;
    row[production.FieldIndex("crop")] = crop;
    if (!small) {
      row[production.FieldIndex("farms")] = Whole(cell[2]);
      row[production.FieldIndex("area_ha")] = Rounded(Real(cell[3]), 2);
      row[production.FieldIndex("expected_volume_kg")] = Rounded(Real(cell[4]), 1);
    }
    row[production.FieldIndex("suppressed")] = int64_t{small};
    tables.production.push_back(std::move(row));
  }
  const DatasetDef& stats = *FindDataset("farmer-stats");
  for (const store::Row& cell : activity_cells) {
    store::Row row(stats.fields.size());
    std::string parish = store::ValueText(cell[0]);
    std::string activity = store::ValueText(cell[1]);
    bool small = Whole(cell[2]) < threshold;
    row[stats.FieldIndex("id")] = parish + ":" + activity;
    row[stats.FieldIndex("parish")] = parish;
    row[stats.FieldIndex("activity")] = activity;
    if (!small) {
      row[stats.FieldIndex("farmers")] = Whole(cell[2]);
      row[stats.FieldIndex("verified")] = Whole(cell[3]);
    }
    row[stats.FieldIndex("suppressed")] = int64_t{small};
    tables.farmer_stats.push_back(std::move(row));
  }
  return tables;
}

bool AggregatesReplace(const std::string& stored, const std::string& computed) {
  return stored != computed && (stored.empty() || RegistryPart(stored) <= RegistryPart(computed));
}

}  // namespace harvest::registry
