// Writes to the registry datasets, whatever the channel: API POST and PATCH, CSV import
// and (soon) web forms all come here, so each rule of a change is applied once: only the
// fields named change, a key given twice in one batch is refused naming both rows, a
// book's status change dates itself, and every row is validated (registry/validate.h)
// before the store runs the rules that need its data (registry/stored_rules.h: overlaps,
// sold receipts, unique TRNs) inside the write.
// Problems come back as store::WriteError, each naming its row, field and value.
// Depends on the schema, validation and the Store interface: no HTTP, no SQL, no CSV.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "registry/schema.h"
#include "registry/validate.h"
#include "store/store.h"

namespace harvest::registry {

// Cells positional over a dataset's fields, kAbsent where the input did not name a field.
using InputRow = std::vector<InputCell>;

class RecordService {
 public:
  RecordService(store::Store& store, ValidationContext context)
      : store_(store), context_(std::move(context)) {}

  // New records, all or nothing. `names` says how messages call each row ("[2]",
  // "line 7"); without it, "row N".
  store::WriteResult Create(const DatasetDef& set, const std::vector<InputRow>& rows,
                            const std::vector<std::string>& names = {});

  // An import, all or nothing: a row whose key is stored changes only the fields it names
  // (a CSV without a column keeps that column's stored values); the other rows are new.
  // `dry_run` checks everything and keeps nothing.
  store::WriteResult Import(const DatasetDef& set, const std::vector<InputRow>& rows,
                            const std::vector<std::string>& names, bool dry_run);

  // Changes the fields named in `cells` of the record with `key` (PATCH); the key and
  // server-set fields cannot change. Returns the stored row, nullopt for an unknown key;
  // `changed` gets the fields written, in schema order.
  std::optional<store::Row> Change(const DatasetDef& set, const store::Value& key,
                                   const InputRow& cells, std::vector<int>* changed = nullptr);

 private:
  // Builds or merges the row for input row `index` (stored: the record with its key, if
  // any); appends its problems to `errors`.
  void Prepare(const DatasetDef& set, const InputRow& cells,
               const std::optional<store::Row>& stored, size_t index, store::Row& row,
               std::vector<store::RowError>& errors);

  store::Store& store_;
  ValidationContext context_;
};

}  // namespace harvest::registry
