#include "registry/record_service.h"

#include <algorithm>
#include <unordered_map>

#include "registry/clock.h"

namespace harvest::registry {
namespace {

std::string NameOf(const std::vector<std::string>& names, size_t index) {
  return index < names.size() ? names[index] : "row " + std::to_string(index + 1);
}

// The key a row names, converted as stored; nullopt when it names none (a generated key)
// or an unreadable one (the row's own validation reports that).
std::optional<store::Value> KeyOf(const DatasetDef& set, const InputRow& cells,
                                  const ValidationContext& context) {
  size_t key = static_cast<size_t>(set.KeyIndex());
  if (key >= cells.size() || cells[key].kind == InputCell::kAbsent) {
    return std::nullopt;
  }
  store::Value value;
  if (ConvertCell(set.fields[key], cells[key], context, value) || store::IsNull(value)) {
    return std::nullopt;
  }
  return value;
}

// A key given twice in one batch: the later row wins silently otherwise. One error per
// repeat, naming the row it repeats.
void FindRepeatedKeys(const DatasetDef& set, const std::vector<InputRow>& rows,
                      const std::vector<std::string>& names, const ValidationContext& context,
                      std::vector<store::RowError>& errors) {
  std::unordered_map<std::string, size_t> first_seen;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::optional<store::Value> key = KeyOf(set, rows[i], context);
    if (!key) {
      continue;
    }
    std::string text = store::ValueText(*key);
    auto [it, fresh] = first_seen.emplace(text, i);
    if (!fresh) {
      errors.push_back({i, set.key,
                        set.key + " " + text + " is given twice: on " + NameOf(names, it->second) +
                            " and on " + NameOf(names, i)});
    }
  }
}

// A book whose status changes is dated today unless the change gives the date.
void DateStatusChange(const DatasetDef& set, const InputRow& cells, const store::Row& stored,
                      store::Row& row) {
  int status = set.FieldIndex("status");
  int changed_on = set.FieldIndex("status_changed_on");
  if (set.name != "books" || status < 0 || changed_on < 0) {
    return;
  }
  bool date_given = static_cast<size_t>(changed_on) < cells.size() &&
                    cells[static_cast<size_t>(changed_on)].kind != InputCell::kAbsent;
  if (!date_given && row[static_cast<size_t>(status)] != stored[static_cast<size_t>(status)]) {
    row[static_cast<size_t>(changed_on)] = TodayIso();
  }
}

}  // namespace

void RecordService::Prepare(const DatasetDef& set, const InputRow& cells,
                            const std::optional<store::Row>& stored, size_t index, store::Row& row,
                            std::vector<store::RowError>& errors) {
  std::vector<FieldProblem> problems;
  if (stored) {
    row = *stored;
    problems = MergeRow(set, cells, context_, row);
    if (problems.empty()) {
      DateStatusChange(set, cells, *stored, row);
    }
  } else {
    problems = BuildRow(set, cells, context_, row);
  }
  for (FieldProblem& p : problems) {
    errors.push_back({index, std::move(p.field), std::move(p.message)});
  }
}

store::WriteResult RecordService::Create(const DatasetDef& set, const std::vector<InputRow>& rows,
                                         const std::vector<std::string>& names) {
  std::vector<store::RowError> errors;
  std::vector<store::Row> built(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    Prepare(set, rows[i], std::nullopt, i, built[i], errors);
  }
  FindRepeatedKeys(set, rows, names, context_, errors);
  if (!errors.empty()) {
    throw store::WriteError(std::move(errors));
  }
  return store_.Write(set, std::move(built), store::WriteMode::kInsert);
}

store::WriteResult RecordService::Import(const DatasetDef& set, const std::vector<InputRow>& rows,
                                         const std::vector<std::string>& names, bool dry_run) {
  std::vector<store::RowError> errors;
  FindRepeatedKeys(set, rows, names, context_, errors);
  store::WriteResult result;
  // One transaction from the first read of a stored row to the last write, so no other
  // writer can change a row between its merge and its write.
  store_.Atomically([&] {
    std::vector<store::Row> built(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      std::optional<store::Value> key = KeyOf(set, rows[i], context_);
      std::optional<store::Row> stored = key ? store_.Get(set, *key) : std::nullopt;
      Prepare(set, rows[i], stored, i, built[i], errors);
    }
    if (!errors.empty()) {
      // In file order, so that an import names its lines top to bottom.
      std::stable_sort(
          errors.begin(), errors.end(),
          [](const store::RowError& a, const store::RowError& b) { return a.row < b.row; });
      throw store::WriteError(std::move(errors));
    }
    result = store_.Write(set, std::move(built), store::WriteMode::kUpsert, dry_run);
  });
  return result;
}

std::optional<store::Row> RecordService::Change(const DatasetDef& set, const store::Value& key,
                                                const InputRow& cells, std::vector<int>* changed) {
  std::vector<store::RowError> errors;
  for (size_t i = 0; i < cells.size() && i < set.fields.size(); ++i) {
    const FieldDef& field = set.fields[i];
    if (cells[i].kind != InputCell::kAbsent && (!field.writable || field.name == set.key)) {
      errors.push_back({0, field.name, "cannot be changed"});
    }
  }
  if (!errors.empty()) {
    throw store::WriteError(std::move(errors));
  }
  std::optional<store::Row> row;
  store_.Atomically([&] {
    std::optional<store::Row> stored = store_.Get(set, key);
    if (!stored) {
      return;
    }
    store::Row merged;
    Prepare(set, cells, stored, 0, merged, errors);
    if (!errors.empty()) {
      throw store::WriteError(std::move(errors));
    }
    std::vector<std::pair<int, store::Value>> changes;
    for (size_t i = 0; i < set.fields.size(); ++i) {
      if (merged[i] != (*stored)[i] || (i < cells.size() && cells[i].kind != InputCell::kAbsent)) {
        changes.emplace_back(static_cast<int>(i), merged[i]);
        if (changed) {
          changed->push_back(static_cast<int>(i));
        }
      }
    }
    row = store_.Update(set, key, changes);
  });
  return row;
}

}  // namespace harvest::registry
