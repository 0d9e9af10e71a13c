#include "services/registry_service.h"

#include <algorithm>
#include <cassert>

#include "auth/privacy.h"
#include "registry/clock.h"

namespace harvest::services {
namespace {

using registry::DatasetDef;

const DatasetDef& Set(std::string_view name) {
  const DatasetDef* set = registry::FindDataset(name);
  assert(set);
  return *set;
}

// A field's index, resolved once per call site's name: the schema is fixed at start-up, so
// an unknown name is a programmer's error.
int Field(const DatasetDef& set, std::string_view name) {
  int index = set.FieldIndex(name);
  assert(index >= 0);
  return index;
}

store::Filter Where(const DatasetDef& set, std::string_view field, store::FilterOp op,
                    store::Value value) {
  return store::Filter{Field(set, field), op, {std::move(value)}};
}

std::string Text(const DatasetDef& set, const store::Row& row, std::string_view field) {
  return store::ValueText(row[static_cast<size_t>(Field(set, field))]);
}

std::string KeyText(const DatasetDef& set, const store::Row& row) {
  return store::ValueText(row[static_cast<size_t>(set.KeyIndex())]);
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The digits of a number as people type it ("000 045", "4-512"); "" if anything else.
std::string Digits(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      out.push_back(c);
    } else if (c != ' ' && c != '-' && c != '#') {
      return {};
    }
  }
  return out;
}

// `row` with only the fields `role` sees (the others null), values as the role sees them.
store::Row AsSeenBy(const DatasetDef& set, registry::Role role, const store::Row& row) {
  store::Row out(set.fields.size());
  for (int field : auth::VisibleFields(set, role)) {
    size_t i = static_cast<size_t>(field);
    out[i] = auth::Present(set.fields[i], role, row[i]);
  }
  return out;
}

std::vector<store::Row> AsSeenBy(const DatasetDef& set, registry::Role role,
                                 std::vector<store::Row> rows) {
  for (store::Row& row : rows) {
    row = AsSeenBy(set, role, row);
  }
  return rows;
}

// One page of `selection` (limit + 1 read, to know whether another follows); `next` is the
// key of the last row shown.
RowPage PageOf(store::Store& store, const DatasetDef& set, registry::Role role,
               store::Selection selection, int64_t limit) {
  selection.limit = limit + 1;
  RowPage page;
  page.rows = store.Select(set, selection);
  if (static_cast<int64_t>(page.rows.size()) > limit) {
    page.rows.resize(static_cast<size_t>(limit));
    page.next = KeyText(set, page.rows.back());
  }
  page.rows = AsSeenBy(set, role, std::move(page.rows));
  return page;
}

std::string ChangedFields(const DatasetDef& set, const std::vector<int>& changed) {
  std::string fields;
  for (int field : changed) {
    fields += (fields.empty() ? "" : ",") + set.fields[static_cast<size_t>(field)].name;
  }
  return fields;
}

std::string SaleChannel(const auth::Principal& who) {
  return who.channel == "sms" || who.channel == "web" ? who.channel : "api";
}

}  // namespace

std::string NamePrefix(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  std::string out(text);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') {
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  }
  return out;
}

void RegistryService::RequireWrite(const auth::Principal& who, const DatasetDef& set) const {
  if (!auth::CanWrite(set, who.role)) {
    throw Forbidden("the " + std::string(registry::RoleName(who.role)) + " role may not write " +
                    set.name);
  }
}

void RegistryService::AuditRead(const auth::Principal& who, const DatasetDef& set,
                                std::string record, std::string detail) {
  if (auth::ReadIsAudited(set)) {
    audit_.Record(who, "read", set.name, std::move(record), std::move(detail));
  }
}

void RegistryService::RequireRead(const auth::Principal& who, const DatasetDef& set) const {
  if (!auth::CanList(set, who.role)) {
    throw Forbidden("the " + std::string(registry::RoleName(who.role)) + " role may not search " +
                    set.name);
  }
}

store::WriteResult RegistryService::Create(const auth::Principal& who, const DatasetDef& set,
                                           const std::vector<registry::InputRow>& rows,
                                           const std::vector<std::string>& names) {
  RequireWrite(who, set);
  store::WriteResult written =
      registry::RecordService(store_, validation_).Create(set, rows, names);
  std::string first = KeyText(set, written.rows.front());
  audit_.Record(who, "create", set.name, written.rows.size() > 1 ? first + "..." : first,
                std::to_string(written.rows.size()) + " rows");
  return written;
}

std::optional<store::Row> RegistryService::Change(const auth::Principal& who, const DatasetDef& set,
                                                  const store::Value& key,
                                                  const registry::InputRow& cells) {
  RequireWrite(who, set);
  std::vector<int> changed;
  std::optional<store::Row> row =
      registry::RecordService(store_, validation_).Change(set, key, cells, &changed);
  if (row) {
    audit_.Record(who, "update", set.name, store::ValueText(key), ChangedFields(set, changed));
  }
  return row;
}

store::Row RegistryService::RegisterFarmer(const auth::Principal& who,
                                           const registry::InputRow& cells) {
  return Create(who, Set("farmers"), {cells}, {"this farmer"}).rows.front();
}

std::optional<store::Row> RegistryService::EditFarmer(const auth::Principal& who,
                                                      const std::string& id,
                                                      const registry::InputRow& cells) {
  return Change(who, Set("farmers"), store::Value(id), cells);
}

std::vector<store::Selection> ProposalSelections() {
  const DatasetDef& books = Set("books");
  // Books never overlap, so the book with the greatest first receipt also holds the
  // greatest receipt: one seek at the end of the first_receipt index.
  store::Selection highest;
  highest.sort.push_back({Field(books, "first_receipt"), true});
  highest.fields = {books.KeyIndex(), Field(books, "last_receipt")};
  highest.limit = 1;
  // The greatest serial: the key's own index, read backwards.
  store::Selection serials;
  serials.sort.push_back({books.KeyIndex(), true});
  serials.fields = {books.KeyIndex()};
  serials.limit = 1;
  return {highest, serials};
}

BookProposal RegistryService::ProposeBook() const {
  const DatasetDef& books = Set("books");
  std::vector<store::Selection> reads = ProposalSelections();
  BookProposal proposal;
  std::vector<store::Row> last = store_.Select(books, reads[0]);
  if (!last.empty()) {
    if (const auto* receipt = std::get_if<int64_t>(
            &last.front()[static_cast<size_t>(Field(books, "last_receipt"))])) {
      proposal.first_receipt = *receipt + 1;
    }
  }
  int64_t size = std::min(kBookSize, validation_.max_book_receipts);
  proposal.last_receipt = proposal.first_receipt + size - 1;
  std::vector<store::Row> top = store_.Select(books, reads[1]);
  std::string serial = top.empty() ? "000000" : KeyText(books, top.front());
  if (AllDigits(serial) && serial.size() < 18) {
    std::string next = std::to_string(std::stoll(serial) + 1);
    size_t width = std::max<size_t>(serial.size(), 6);
    proposal.serial = std::string(width > next.size() ? width - next.size() : 0, '0') + next;
  }
  return proposal;
}

store::Row RegistryService::SellBook(const auth::Principal& who, registry::InputRow cells) {
  const DatasetDef& books = Set("books");
  cells.resize(books.fields.size());
  registry::InputCell& sold_on = cells[static_cast<size_t>(Field(books, "sold_on"))];
  if (sold_on.kind == registry::InputCell::kAbsent) {
    sold_on = registry::InputCell::Text(registry::TodayIso());
  }
  return Create(who, books, {cells}, {"this book"}).rows.front();
}

store::Row RegistryService::ReportBook(const auth::Principal& who,
                                       const verify::ReportRequest& request) {
  if (request.only_farmers.empty()) {
    RequireWrite(who, Set("books"));  // staff; a farmer reports only among his own books
  }
  store::Row row = verification_.ReportBook(request);
  audit_.Record(who, "update", "books", KeyText(Set("books"), row), "reported " + request.status);
  return row;
}

store::Row RegistryService::RecordSale(const auth::Principal& who, verify::SaleRequest request) {
  if (request.only_farmers.empty()) {
    RequireWrite(who, Set("sales"));  // staff; a farmer records only on his own books
  }
  request.channel = SaleChannel(who);
  store::Row row = verification_.RecordSale(std::move(request));
  audit_.Record(who, "create", "sales", KeyText(Set("sales"), row), "sale by " + who.channel);
  return row;
}

RowPage RegistryService::SearchFarmers(const auth::Principal& who, const FarmerQuery& query) {
  const DatasetDef& farmers = Set("farmers");
  RequireRead(who, farmers);
  AuditRead(who, farmers, "?text=" + query.text + "&parish=" + query.parish, "search");
  std::string number = Digits(query.text);
  if (!number.empty()) {
    // A registration number: the one record, if it is in the parish asked for.
    RowPage page;
    std::optional<store::Row> row = store_.Get(farmers, number);
    if (row && (query.parish.empty() || Text(farmers, *row, "parish") == query.parish)) {
      page.rows.push_back(AsSeenBy(farmers, who.role, *row));
    }
    return page;
  }
  store::Selection selection;
  selection.fields = auth::VisibleFields(farmers, who.role);
  if (!query.parish.empty()) {
    selection.filters.push_back(Where(farmers, "parish", store::FilterOp::kEq, query.parish));
  }
  std::string name = NamePrefix(query.text);
  if (!name.empty()) {
    // The family names that begin so: a range of the (parish,) last_name index. Every such
    // name sorts below the prefix followed by U+10FFFF, the last code point (byte order, which
    // is code point order in UTF-8: SQLite's, and PostgreSQL's C collation). The bound must be
    // valid UTF-8 itself: PostgreSQL refuses a parameter that is not (a byte 0xFF was).
    selection.filters.push_back(Where(farmers, "last_name", store::FilterOp::kGte, name));
    selection.filters.push_back(
        Where(farmers, "last_name", store::FilterOp::kLt, name + "\xf4\x8f\xbf\xbf"));
    selection.sort.push_back({Field(farmers, "last_name"), false});
  }
  if (!query.after.empty()) {
    if (name.empty()) {
      selection.after = {query.after};
    } else if (std::optional<store::Row> last = store_.Get(farmers, query.after)) {
      selection.after = {Text(farmers, *last, "last_name"), query.after};
    }
  }
  return PageOf(store_, farmers, who.role, std::move(selection), query.limit);
}

std::optional<FarmerFile> RegistryService::Farmer(const auth::Principal& who,
                                                  const std::string& id) {
  const DatasetDef& farmers = Set("farmers");
  // The whole file (farms, books, sales) is for those who keep the register; police learn
  // a farmer's identity through a receipt check or the F text.
  RequireRead(who, farmers);
  std::optional<store::Row> row = store_.Get(farmers, id);
  if (!row) {
    return std::nullopt;
  }
  AuditRead(who, farmers, id, "record");
  FarmerFile file;
  file.farmer = AsSeenBy(farmers, who.role, *row);
  auto of_farmer = [&](std::string_view dataset, std::vector<store::Row>& out,
                       std::optional<store::SortKey> sort, int64_t limit) {
    const DatasetDef& set = Set(dataset);
    if (!auth::CanList(set, who.role)) {
      return;
    }
    store::Selection selection;
    selection.filters.push_back(Where(set, "farmer_id", store::FilterOp::kEq, id));
    if (sort) {
      selection.sort.push_back(*sort);
    }
    selection.limit = limit;
    out = AsSeenBy(set, who.role, store_.Select(set, selection));
    AuditRead(who, set, "?farmer_id=" + id, "farmer's record");
  };
  of_farmer("farms", file.farms, std::nullopt, 200);
  of_farmer("books", file.books, std::nullopt, 200);
  of_farmer("sales", file.sales, store::SortKey{Field(Set("sales"), "sold_at"), true},
            FarmerFile::kRecentSales);
  return file;
}

RowPage RegistryService::SearchBooks(const auth::Principal& who, const BookQuery& query) {
  const DatasetDef& books = Set("books");
  RequireRead(who, books);
  AuditRead(who, books, "?text=" + query.text + "&status=" + query.status, "search");
  std::string number = Digits(query.text);
  if (!query.text.empty()) {
    // A serial ("45" is book 000045), a receipt number the book holds, or a farmer's
    // registration number: every book any of them names.
    RowPage page;
    auto add = [&](std::optional<store::Row> row) {
      if (!row || (!query.status.empty() && Text(books, *row, "status") != query.status)) {
        return;
      }
      for (const store::Row& seen : page.rows) {
        if (KeyText(books, seen) == KeyText(books, *row)) {
          return;
        }
      }
      page.rows.push_back(AsSeenBy(books, who.role, *row));
    };
    add(store_.Get(books, query.text));
    if (!number.empty()) {
      if (number.size() < 6) {
        add(store_.Get(books, std::string(6 - number.size(), '0') + number));
      }
      if (std::optional<int64_t> receipt = verify::ParseReceiptNumber(number)) {
        add(verification_.BookHolding(*receipt));
      }
      store::Selection of_farmer;
      of_farmer.filters.push_back(Where(books, "farmer_id", store::FilterOp::kEq, number));
      of_farmer.limit = 200;
      for (store::Row& row : store_.Select(books, of_farmer)) {
        add(std::move(row));
      }
    }
    return page;
  }
  store::Selection selection;
  if (!query.status.empty()) {
    selection.filters.push_back(Where(books, "status", store::FilterOp::kEq, query.status));
  }
  if (!query.after.empty()) {
    selection.after = {query.after};
  }
  return PageOf(store_, books, who.role, std::move(selection), query.limit);
}

std::optional<BookFile> RegistryService::Book(const auth::Principal& who,
                                              const std::string& serial) {
  const DatasetDef& books = Set("books");
  RequireRead(who, books);
  std::optional<store::Row> row = store_.Get(books, serial);
  if (!row) {
    return std::nullopt;
  }
  AuditRead(who, books, serial, "record");
  BookFile file;
  file.book = AsSeenBy(books, who.role, *row);
  const DatasetDef& farmers = Set("farmers");
  std::string farmer_id = Text(books, *row, "farmer_id");
  if (std::optional<store::Row> farmer = store_.Get(farmers, farmer_id)) {
    AuditRead(who, farmers, farmer_id, "book " + serial);
    // The identity the receipt checks show: enough to know whose book it is.
    file.farmer = AsSeenBy(farmers, registry::kPolice, *farmer);
  }
  const DatasetDef& sales = Set("sales");
  if (auth::CanList(sales, who.role)) {
    store::Selection on_book;
    on_book.filters.push_back(Where(sales, "receipt", store::FilterOp::kGte,
                                    (*row)[static_cast<size_t>(Field(books, "first_receipt"))]));
    on_book.filters.push_back(Where(sales, "receipt", store::FilterOp::kLte,
                                    (*row)[static_cast<size_t>(Field(books, "last_receipt"))]));
    on_book.limit = 200;
    file.sales = AsSeenBy(sales, who.role, store_.Select(sales, on_book));
    AuditRead(who, sales, "?book=" + serial, "sales on the book");
  }
  return file;
}

}  // namespace harvest::services
