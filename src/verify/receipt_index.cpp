#include "verify/receipt_index.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "registry/schema.h"

namespace harvest::verify {
namespace {

using registry::DatasetDef;

const DatasetDef& Set(std::string_view name) {
  return *registry::FindDataset(name);
}

std::vector<int> FieldsNamed(const DatasetDef& set, std::initializer_list<std::string_view> names) {
  std::vector<int> fields;
  for (std::string_view name : names) {
    fields.push_back(set.FieldIndex(name));
  }
  return fields;
}

// Rows packed into one byte string, a few dozen bytes each instead of a vector of variants
// (hundreds): 170,000 farmers fit in about 12 MB. Each cell is a tag byte, then 8 bytes for a
// number or a length byte run and the bytes for text.
enum Tag : char { kNull, kInt, kReal, kText };

void PutLength(std::string& out, size_t n) {
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
}

size_t GetLength(const char*& p) {
  size_t n = 0;
  for (int shift = 0;; shift += 7) {
    auto byte = static_cast<unsigned char>(*p++);
    n |= static_cast<size_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      return n;
    }
  }
}

// A number's 8 bytes, as stored and read back.
template <typename Number>
void PutNumber(std::string& out, Tag tag, Number n) {
  out += tag;
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
}

template <typename Number>
Number GetNumber(const char*& p) {
  Number n;
  std::memcpy(&n, p, sizeof n);
  p += sizeof n;
  return n;
}

void Pack(std::string& out, const store::Row& row, const std::vector<int>& fields) {
  for (int f : fields) {
    const store::Value& v = row[static_cast<size_t>(f)];
    if (const auto* i = std::get_if<int64_t>(&v)) {
      PutNumber(out, kInt, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      PutNumber(out, kReal, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      out += kText;
      PutLength(out, s->size());
      out += *s;
    } else {
      out += kNull;
    }
  }
}

store::Row Unpack(const std::string& packed, uint32_t at, const DatasetDef& set,
                  const std::vector<int>& fields) {
  store::Row row(set.fields.size());
  const char* p = packed.data() + at;
  for (int f : fields) {
    store::Value& cell = row[static_cast<size_t>(f)];
    switch (*p++) {
      case kInt:
        cell = GetNumber<int64_t>(p);
        break;
      case kReal:
        cell = GetNumber<double>(p);
        break;
      case kText: {
        size_t n = GetLength(p);
        cell = std::string(p, n);
        p += n;
        break;
      }
      default:
        break;
    }
  }
  return row;
}

// The first packed cell as text (a farmer's id); "" when it is not text.
std::string_view FirstText(const std::string& packed, uint32_t at) {
  const char* p = packed.data() + at;
  if (*p++ != kText) {
    return {};
  }
  size_t n = GetLength(p);
  return {p, n};
}

// The arena is addressed with 32-bit offsets (half the index size of 64-bit ones); a dataset
// too large for that is simply not held in memory, and checks read the store.
bool Fits(const std::string& packed) {
  return packed.size() < std::numeric_limits<uint32_t>::max();
}

int64_t IntOf(const store::Row& row, int field) {
  const auto* v = std::get_if<int64_t>(&row[static_cast<size_t>(field)]);
  return v ? *v : 0;
}

}  // namespace

struct ReceiptIndex::BookPart {
  uint64_t books_stamp = 0;
  uint64_t farmers_stamp = 0;
  std::vector<int64_t> first;  // ascending; books never overlap (SPEC §2)
  std::vector<int64_t> last;
  std::vector<uint32_t> at;      // the book's packed row
  std::vector<uint32_t> farmer;  // its farmer's packed row, kNoFarmer if none
  std::string books_packed;      // the books' rows
  std::string farmers_packed;    // the farmers' rows
  static constexpr uint32_t kNoFarmer = std::numeric_limits<uint32_t>::max();
};

struct ReceiptIndex::SalePart {
  uint64_t stamp = 0;
  std::vector<int64_t> receipts;  // ascending
};

namespace {

// Every row of a dataset, these fields only, in storage order (each part is sorted in memory:
// walking an index to read a whole table in order is many times slower).
store::Selection Everything(std::vector<int> fields) {
  store::Selection all;
  all.fields = std::move(fields);
  all.any_order = true;
  return all;
}

// Books with their farmers, each book pointing at its farmer's row: a check finds both with
// one binary search.
std::shared_ptr<const ReceiptIndex::BookPart> CopyBooks(store::Store& store, uint64_t books_stamp,
                                                        uint64_t farmers_stamp) {
  using Part = ReceiptIndex::BookPart;
  auto part = std::make_shared<Part>();
  part->books_stamp = books_stamp;
  part->farmers_stamp = farmers_stamp;
  const DatasetDef& farmers = Set("farmers");
  // The farmers' rows by id, only while copying (a sorted array: a hash map of 170,000
  // strings would add its size to the server's peak memory).
  std::vector<uint32_t> farmer_at;
  store.Scan(farmers, Everything(CheckedFarmerFields()), [&](const store::Row& row) {
    farmer_at.push_back(static_cast<uint32_t>(part->farmers_packed.size()));
    Pack(part->farmers_packed, row, CheckedFarmerFields());
    return Fits(part->farmers_packed);
  });
  auto id_at = [&](uint32_t at) { return FirstText(part->farmers_packed, at); };
  std::sort(farmer_at.begin(), farmer_at.end(),
            [&](uint32_t a, uint32_t b) { return id_at(a) < id_at(b); });
  auto row_of = [&](std::string_view id) {
    auto it = std::lower_bound(farmer_at.begin(), farmer_at.end(), id,
                               [&](uint32_t at, std::string_view key) { return id_at(at) < key; });
    return it != farmer_at.end() && id_at(*it) == id ? *it : Part::kNoFarmer;
  };
  const DatasetDef& books = Set("books");
  int first = books.FieldIndex("first_receipt");
  int last = books.FieldIndex("last_receipt");
  int owner = books.FieldIndex("farmer_id");
  struct Span {
    int64_t first, last;
    uint32_t at, farmer;
  };
  std::vector<Span> spans;
  store.Scan(books, Everything(CheckedBookFields()), [&](const store::Row& row) {
    spans.push_back({IntOf(row, first), IntOf(row, last),
                     static_cast<uint32_t>(part->books_packed.size()),
                     row_of(store::ValueText(row[static_cast<size_t>(owner)]))});
    Pack(part->books_packed, row, CheckedBookFields());
    return Fits(part->books_packed);
  });
  if (!Fits(part->books_packed) || !Fits(part->farmers_packed)) {
    return nullptr;
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.first < b.first; });
  for (const Span& span : spans) {
    part->first.push_back(span.first);
    part->last.push_back(span.last);
    part->at.push_back(span.at);
    part->farmer.push_back(span.farmer);
  }
  return part;
}

std::shared_ptr<const ReceiptIndex::SalePart> CopySales(store::Store& store, uint64_t stamp) {
  const DatasetDef& sales = Set("sales");
  int receipt = sales.FieldIndex("receipt");
  auto part = std::make_shared<ReceiptIndex::SalePart>();
  part->stamp = stamp;
  store.Scan(sales, Everything({receipt}), [&](const store::Row& row) {
    part->receipts.push_back(IntOf(row, receipt));
    return true;
  });
  std::sort(part->receipts.begin(), part->receipts.end());
  return part;
}

}  // namespace

const std::vector<int>& CheckedBookFields() {
  static const std::vector<int> fields = FieldsNamed(
      Set("books"),
      {"serial", "first_receipt", "last_receipt", "farmer_id", "status", "status_changed_on"});
  return fields;
}

const std::vector<int>& CheckedFarmerFields() {
  static const std::vector<int> fields = [] {
    // The key first, then every field the police may see.
    const DatasetDef& farmers = Set("farmers");
    std::vector<int> list{farmers.FieldIndex(farmers.key)};
    for (size_t i = 0; i < farmers.fields.size(); ++i) {
      if ((farmers.fields[i].visible & registry::kPolice) &&
          farmers.fields[i].name != farmers.key) {
        list.push_back(static_cast<int>(i));
      }
    }
    return list;
  }();
  return fields;
}

store::Row KeepFields(const store::Row& row, const std::vector<int>& fields) {
  store::Row kept(row.size());
  for (int f : fields) {
    kept[static_cast<size_t>(f)] = row[static_cast<size_t>(f)];
  }
  return kept;
}

ReceiptIndex::Holding ReceiptIndex::View::BookHolding(int64_t receipt) const {
  if (!books_) {
    return {};
  }
  const BookPart& part = *books_;
  auto above = std::upper_bound(part.first.begin(), part.first.end(), receipt);
  if (above == part.first.begin()) {
    return {true, std::nullopt, std::nullopt};
  }
  size_t i = static_cast<size_t>(above - part.first.begin()) - 1;
  if (part.last[i] < receipt) {
    return {true, std::nullopt, std::nullopt};
  }
  static const DatasetDef& books = Set("books");
  static const DatasetDef& farmers = Set("farmers");
  Holding held{true, Unpack(part.books_packed, part.at[i], books, CheckedBookFields()),
               std::nullopt};
  if (part.farmer[i] != BookPart::kNoFarmer) {
    held.farmer = Unpack(part.farmers_packed, part.farmer[i], farmers, CheckedFarmerFields());
  }
  return held;
}

bool ReceiptIndex::View::NoSale(int64_t receipt) const {
  return sales_ && !std::binary_search(sales_->receipts.begin(), sales_->receipts.end(), receipt);
}

ReceiptIndex::ReceiptIndex(store::Store& store)
    : store_(store),
      builder_("harvest-index", "copying the registry for receipt checks", 10,
               std::chrono::milliseconds(100), [this] { CopyStale(); }) {
  Refresh();
}

ReceiptIndex::~ReceiptIndex() = default;

ReceiptIndex::View ReceiptIndex::Current() {
  Parts parts;
  {
    std::lock_guard lock(mutex_);
    parts = parts_;
  }
  static const DatasetDef& books = Set("books");
  static const DatasetDef& farmers = Set("farmers");
  static const DatasetDef& sales = Set("sales");
  View view;
  if (parts.books && parts.books->books_stamp == store_.ChangeStamp(books) &&
      parts.books->farmers_stamp == store_.ChangeStamp(farmers)) {
    view.books_ = parts.books;
  }
  if (parts.sales && parts.sales->stamp == store_.ChangeStamp(sales)) {
    view.sales_ = parts.sales;
  }
  if (!view.books_ || !view.sales_) {
    builder_.Wake();  // checks read the store until the copy is done
  }
  return view;
}

void ReceiptIndex::Refresh() {
  builder_.RunNow();
}

void ReceiptIndex::CopyStale() {
  Parts parts;
  {
    std::lock_guard lock(mutex_);
    parts = parts_;
  }
  {
    // One snapshot: each copy holds exactly the rows of the stamp it is labelled with.
    store::ReadScope snapshot(store_);
    uint64_t books = store_.ChangeStamp(Set("books"));
    uint64_t farmers = store_.ChangeStamp(Set("farmers"));
    uint64_t sales = store_.ChangeStamp(Set("sales"));
    if (!parts.books || parts.books->books_stamp != books ||
        parts.books->farmers_stamp != farmers) {
      parts.books = CopyBooks(store_, books, farmers);
    }
    if (!parts.sales || parts.sales->stamp != sales) {
      parts.sales = CopySales(store_, sales);
    }
  }
  std::lock_guard lock(mutex_);
  parts_ = std::move(parts);
}

}  // namespace harvest::verify
