// The rules a registry row must meet against what is already stored, once for every
// backend: a reference names a stored farmer or farm; a book's receipts overlap no other
// book's, and once a sale is recorded on a book its farmer and the range holding the sales
// stay; a TRN belongs to one farmer; a sale's receipt is in an active book, whose farmer
// becomes the sale's. A backend calls CheckStoredRow for each row it inserts or changes,
// inside the write's transaction, so what the rule reads is what the write commits against.
// It reads only through the Store interface, each read one index probe or range.
// Depends on the schema and the Store interface: no SQL.
#pragma once

#include <vector>

#include "registry/schema.h"
#include "store/store.h"

namespace harvest::registry {

// Appends to `errors` what is wrong with `row` (the `index`th of its batch) against the
// stored data; a sale's farmer is filled in from its book.
void CheckStoredRow(store::Store& store, const DatasetDef& set, store::Row& row, size_t index,
                    std::vector<store::RowError>& errors);

// Rows inserted together (PostgreSQL's COPY) are checked once they are all in, inside the
// write's transaction: CheckInsertedRows runs the rules that no constraint of the schema
// states (a book's receipts overlap no other book's); references, keys and a TRN's one
// holder fail the insert itself. When either finds a problem the backend undoes the insert
// and writes row by row through CheckStoredRow, whose messages name each row: the outcome is
// the same, and a good batch costs one COPY (and, for books, one index probe per book)
// instead of several round trips per row. Not for sets whose rule fills a row in before it
// is stored (a sale takes its book's farmer).
bool CanCheckAfterInsert(const DatasetDef& set);
void CheckInsertedRows(store::Store& store, const DatasetDef& set,
                       const std::vector<store::Row>& rows, std::vector<store::RowError>& errors);

// The reads CheckStoredRow makes, as selections of each dataset (for tests of their plans).
struct StoredRuleRead {
  const DatasetDef* set;
  store::Selection selection;
};
std::vector<StoredRuleRead> StoredRuleReads();

}  // namespace harvest::registry
