#include "registry/stored_rules.h"

#include <optional>
#include <string>

namespace harvest::registry {
namespace {

using store::Filter;
using store::FilterOp;
using store::IsNull;
using store::Row;
using store::RowError;
using store::Selection;
using store::Value;
using store::ValueText;

const DatasetDef& Set(std::string_view name) {
  return *FindDataset(name);
}

Filter Where(const DatasetDef& set, std::string_view field, FilterOp op, Value value) {
  return Filter{set.FieldIndex(field), op, {std::move(value)}};
}

std::vector<int> Fields(const DatasetDef& set, std::initializer_list<std::string_view> names) {
  std::vector<int> out;
  for (std::string_view name : names) {
    out.push_back(set.FieldIndex(name));
  }
  return out;
}

// The one stored row `selection` finds first, if any.
std::optional<Row> First(store::Store& store, const DatasetDef& set, Selection selection) {
  selection.limit = 1;
  std::optional<Row> found;
  store.Scan(set, selection, [&](const Row& row) {
    found = row;
    return false;
  });
  return found;
}

const Value& Cell(const DatasetDef& set, const Row& row, std::string_view field) {
  return row[static_cast<size_t>(set.FieldIndex(field))];
}

// Stored books never overlap, so their last receipts rise with their first ones: the book
// holding receipt N, if any, is the one starting nearest at or below N. One index probe.
Selection BookAtOrBelow(const Value& receipt, const Value& other_than) {
  const DatasetDef& books = Set("books");
  Selection s;
  s.filters.push_back(Where(books, "first_receipt", FilterOp::kLte, receipt));
  if (!IsNull(other_than)) {
    s.filters.push_back(Where(books, "serial", FilterOp::kNe, other_than));
  }
  s.sort.push_back({books.FieldIndex("first_receipt"), true});
  s.fields = Fields(books, {"serial", "first_receipt", "last_receipt", "farmer_id", "status"});
  return s;
}

// One row at most: in no order, so no sort by the key's tie-break.
Selection ByKey(const DatasetDef& set, const Value& key, std::vector<int> fields) {
  Selection s;
  s.filters.push_back(Filter{set.KeyIndex(), FilterOp::kEq, {key}});
  s.fields = std::move(fields);
  s.any_order = true;
  return s;
}

// Sales on receipts `first`..`last`, the lowest first (or the highest, `descending`).
Selection SalesIn(const Value& first, const Value& last, bool descending) {
  const DatasetDef& sales = Set("sales");
  Selection s;
  s.filters.push_back(Where(sales, "receipt", FilterOp::kGte, first));
  s.filters.push_back(Where(sales, "receipt", FilterOp::kLte, last));
  s.sort.push_back({sales.FieldIndex("receipt"), descending});
  s.fields = Fields(sales, {"receipt"});
  return s;
}

Selection TrnHolder(const Value& trn, const Value& other_than) {
  const DatasetDef& farmers = Set("farmers");
  Selection s;
  s.filters.push_back(Where(farmers, "trn", FilterOp::kEq, trn));
  if (!IsNull(other_than)) {
    s.filters.push_back(Where(farmers, "id", FilterOp::kNe, other_than));
  }
  s.fields = Fields(farmers, {"id"});
  s.any_order = true;  // a TRN is unique: there is one holder at most
  return s;
}

void CheckReferences(store::Store& store, const DatasetDef& set, const Row& row, size_t index,
                     std::vector<RowError>& errors) {
  for (size_t i = 0; i < set.fields.size(); ++i) {
    const FieldDef& field = set.fields[i];
    if (field.references.empty() || IsNull(row[i])) {
      continue;
    }
    const DatasetDef& parent = *FindDataset(field.references);
    if (!First(store, parent, ByKey(parent, row[i], {parent.KeyIndex()}))) {
      errors.push_back({index, field.name,
                        "no " + std::string(parent.name == "farmers" ? "farmer" : "farm") +
                            " with " + parent.key + " " + ValueText(row[i])});
    }
  }
}

// Once a sale is recorded on a book, moving the book to another farmer or its range off the
// sale would make a sold receipt check UNKNOWN, or VALID under someone who never sold it.
void CheckSoldBook(store::Store& store, const DatasetDef& set, const Row& row, size_t index,
                   std::vector<RowError>& errors) {
  const Value& serial_value = row[static_cast<size_t>(set.KeyIndex())];
  auto stored =
      First(store, set,
            ByKey(set, serial_value, Fields(set, {"first_receipt", "last_receipt", "farmer_id"})));
  if (!stored) {
    return;
  }
  const Value& old_first = Cell(set, *stored, "first_receipt");
  const Value& old_last = Cell(set, *stored, "last_receipt");
  const DatasetDef& sales = Set("sales");
  auto lowest = First(store, sales, SalesIn(old_first, old_last, false));
  if (!lowest) {
    return;
  }
  auto highest = First(store, sales, SalesIn(old_first, old_last, true));
  int64_t low = std::get<int64_t>(Cell(sales, *lowest, "receipt"));
  int64_t high = std::get<int64_t>(Cell(sales, *highest, "receipt"));
  std::vector<Filter> range = SalesIn(old_first, old_last, false).filters;
  int64_t count = store.Count(sales, range);
  std::string serial = ValueText(serial_value);
  std::string old_farmer = ValueText(Cell(set, *stored, "farmer_id"));
  std::string recorded = std::to_string(count) + " sale" + (count == 1 ? "" : "s") +
                         " recorded on receipts " + std::to_string(low) + "-" +
                         std::to_string(high);
  if (ValueText(Cell(set, row, "farmer_id")) != old_farmer) {
    errors.push_back({index, "farmer_id",
                      "book " + serial + " has " + recorded + " by farmer " + old_farmer +
                          ": its farmer cannot change",
                      true});
  }
  int64_t first = std::get<int64_t>(Cell(set, row, "first_receipt"));
  int64_t last = std::get<int64_t>(Cell(set, row, "last_receipt"));
  if (first > low || last < high) {
    errors.push_back({index, first > low ? "first_receipt" : "last_receipt",
                      "book " + serial + " has " + recorded + ": its range must keep them", true});
  }
}

// With every other book in the store, the one just below this one's last receipt is the
// only one that can overlap it (stored books do not overlap each other, and each book's
// first receipt is at most its last). Among rows inserted together: a book starting inside
// a new one is what the new one's probe finds; otherwise take the first book, in receipt
// order, that overlaps the one just below it: that one's probe finds the one below. So
// whenever some books overlap, at least one of them is named.
void CheckOverlap(store::Store& store, const DatasetDef& set, const Row& row, size_t index,
                  std::vector<RowError>& errors) {
  const Value& first = Cell(set, row, "first_receipt");
  const Value& last = Cell(set, row, "last_receipt");
  if (IsNull(first) || IsNull(last)) {
    return;
  }
  auto below = First(store, set, BookAtOrBelow(last, row[static_cast<size_t>(set.KeyIndex())]));
  if (below && std::get<int64_t>(Cell(set, *below, "last_receipt")) >= std::get<int64_t>(first)) {
    errors.push_back({index, "first_receipt",
                      "receipts " + ValueText(first) + "-" + ValueText(last) + " overlap book " +
                          ValueText(Cell(set, *below, "serial")) + " (" +
                          ValueText(Cell(set, *below, "first_receipt")) + "-" +
                          ValueText(Cell(set, *below, "last_receipt")) + ")",
                      true});
  }
}

void CheckBook(store::Store& store, const DatasetDef& set, const Row& row, size_t index,
               std::vector<RowError>& errors) {
  CheckOverlap(store, set, row, index, errors);
  CheckSoldBook(store, set, row, index, errors);
}

// A TRN names one taxpayer; the unique index is the backstop, this names the holder.
void CheckFarmer(store::Store& store, const DatasetDef& set, const Row& row, size_t index,
                 std::vector<RowError>& errors) {
  const Value& trn = Cell(set, row, "trn");
  if (IsNull(trn)) {
    return;
  }
  if (auto holder = First(store, set, TrnHolder(trn, row[static_cast<size_t>(set.KeyIndex())]))) {
    errors.push_back({index, "trn",
                      "TRN " + ValueText(trn) + " is already registered to farmer " +
                          ValueText(Cell(set, *holder, "id")),
                      true});
  }
}

void CheckSale(store::Store& store, const DatasetDef& set, Row& row, size_t index,
               std::vector<RowError>& errors) {
  const Value& receipt = Cell(set, row, "receipt");
  const DatasetDef& books = Set("books");
  auto book = First(store, books, BookAtOrBelow(receipt, Value{}));
  if (!book || std::get<int64_t>(Cell(books, *book, "last_receipt")) < std::get<int64_t>(receipt)) {
    errors.push_back({index, "receipt", "receipt " + ValueText(receipt) + " is in no book"});
    return;
  }
  std::string serial = ValueText(Cell(books, *book, "serial"));
  std::string status = ValueText(Cell(books, *book, "status"));
  const Value& owner = Cell(books, *book, "farmer_id");
  Value& farmer = row[static_cast<size_t>(set.FieldIndex("farmer_id"))];
  if (status != "active") {
    errors.push_back({index, "receipt", "book " + serial + " is " + status, true});
  } else if (!IsNull(farmer) && ValueText(farmer) != ValueText(owner)) {
    errors.push_back({index, "receipt", "book " + serial + " belongs to another farmer"});
  } else {
    farmer = owner;
  }
}

}  // namespace

void CheckStoredRow(store::Store& store, const DatasetDef& set, store::Row& row, size_t index,
                    std::vector<store::RowError>& errors) {
  CheckReferences(store, set, row, index, errors);
  if (set.name == "books") {
    CheckBook(store, set, row, index, errors);
  } else if (set.name == "farmers") {
    CheckFarmer(store, set, row, index, errors);
  } else if (set.name == "sales") {
    CheckSale(store, set, row, index, errors);
  }
}

bool CanCheckAfterInsert(const DatasetDef& set) {
  return !set.aggregate && set.name != "sales";
}

void CheckInsertedRows(store::Store& store, const DatasetDef& set, const std::vector<Row>& rows,
                       std::vector<store::RowError>& errors) {
  if (set.name != "books") {
    return;  // references and a TRN's one holder are the schema's constraints
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    CheckOverlap(store, set, rows[i], i, errors);
  }
}

std::vector<StoredRuleRead> StoredRuleReads() {
  std::vector<StoredRuleRead> out;
  Value n = int64_t{1000};
  Value text = std::string("x");
  for (const DatasetDef* parent : {&Set("farmers"), &Set("farms")}) {
    out.push_back({parent, ByKey(*parent, text, {parent->KeyIndex()})});
  }
  const DatasetDef& books = Set("books");
  out.push_back({&books, BookAtOrBelow(n, text)});
  out.push_back({&books, BookAtOrBelow(n, Value{})});
  out.push_back({&books, ByKey(books, text, {})});
  out.push_back({&Set("sales"), SalesIn(n, n, false)});
  out.push_back({&Set("sales"), SalesIn(n, n, true)});
  out.push_back({&Set("farmers"), TrnHolder(text, text)});
  for (StoredRuleRead& read : out) {
    read.selection.limit = 1;
  }
  return out;
}

}  // namespace harvest::registry
