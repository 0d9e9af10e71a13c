// Chunked writes, date arithmetic and names shared by the demo makers.
#include "demo/generator.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "registry/text_values.h"

namespace harvest::demo {

PendingRows::PendingRows(store::Store& store, std::string_view dataset, int64_t& written)
    : store_(store), set_(*registry::FindDataset(dataset)), written_(written) {
  rows_.reserve(kChunkRows);
}

size_t PendingRows::Field(std::string_view name) const {
  int index = set_.FieldIndex(name);
  if (index < 0) {
    throw std::logic_error("demo data: dataset " + set_.name + " has no field " +
                           std::string(name));
  }
  return static_cast<size_t>(index);
}

store::Row& PendingRows::Add() {
  rows_.emplace_back(set_.fields.size());
  return rows_.back();
}

std::vector<store::Row> PendingRows::Flush() {
  if (rows_.empty()) {
    return {};
  }
  std::vector<store::Row> batch;
  batch.swap(rows_);
  rows_.reserve(kChunkRows);
  written_ += static_cast<int64_t>(batch.size());
  return store_.Write(set_, std::move(batch), store::WriteMode::kInsert).rows;
}

void PendingRows::FlushIfFull() {
  if (rows_.size() >= kChunkRows) {
    Flush();
  }
}

int64_t ParseDay(std::string_view iso_date) {
  std::optional<int64_t> day = registry::IsoDateToDays(iso_date);
  if (!day) {
    throw std::invalid_argument("demo: today must be a date YYYY-MM-DD, not '" +
                                std::string(iso_date) + "'");
  }
  return *day;
}

std::string IsoDate(int64_t day) {
  return registry::DaysToIsoDate(day);
}

int64_t AddYears(int64_t day, int years) {
  std::string iso = IsoDate(day);
  int y = std::stoi(iso.substr(0, 4)) + years;
  unsigned m = static_cast<unsigned>(std::stoi(iso.substr(5, 2)));
  unsigned d = static_cast<unsigned>(std::stoi(iso.substr(8, 2)));
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) {
    d = 28;
  }
  return registry::DaysFromCivil(y, m, d);
}

std::string Timestamp(int64_t day, int64_t second_of_day) {
  char clock[16];
  std::snprintf(clock, sizeof clock, "T%02d:%02d:%02dZ", static_cast<int>(second_of_day / 3600),
                static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60));
  return IsoDate(day) + clock;
}

double Round(double value, int decimals) {
  double scale = 1;
  for (int i = 0; i < decimals; ++i) {
    scale *= 10;
  }
  // Dividing an exact integer gives the double nearest the decimal, as a typed value would be.
  return std::round(value * scale) / scale;
}

std::string PersonName(Random& random, bool female) {
  std::string_view first = female ? random.Pick(FemaleFirstNames()) : random.Pick(MaleFirstNames());
  std::string name(first);
  name += ' ';
  name += random.Pick(LastNames());
  return name;
}

}  // namespace harvest::demo
