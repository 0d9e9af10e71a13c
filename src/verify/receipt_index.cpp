#include "verify/receipt_index.h"

#include <algorithm>
#include <cstring>
#include <iostream>
#include <limits>

#include "registry/schema.h"
#include "store/batch_writer.h"

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

void Pack(std::string& out, const store::Row& row, const std::vector<int>& fields) {
  for (int f : fields) {
    const store::Value& v = row[static_cast<size_t>(f)];
    if (const auto* i = std::get_if<int64_t>(&v)) {
      out += kInt;
      out.append(reinterpret_cast<const char*>(i), sizeof *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      out += kReal;
      out.append(reinterpret_cast<const char*>(d), sizeof *d);
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
      case kInt: {
        int64_t i;
        std::memcpy(&i, p, sizeof i);
        p += sizeof i;
        cell = i;
        break;
      }
      case kReal: {
        double d;
        std::memcpy(&d, p, sizeof d);
        p += sizeof d;
        cell = d;
        break;
      }
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

// The first packed cell as text (the farmers' key); "" when it is not text.
std::string_view FirstText(const std::string& packed, uint32_t at) {
  const char* p = packed.data() + at;
  if (*p++ != kText) {
    return {};
  }
  size_t n = GetLength(p);
  return {p, n};
}

// The first 8 bytes of `id` as a number that orders as the text does.
uint64_t Prefix(std::string_view id) {
  uint64_t key = 0;
  for (size_t i = 0; i < 8; ++i) {
    key = (key << 8) | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0);
  }
  return key;
}

// The arena is addressed with 32-bit offsets (half the index size of 64-bit ones); a dataset
// too large for that is simply not held in memory, and checks read the store.
bool Fits(const std::string& packed) {
  return packed.size() < std::numeric_limits<uint32_t>::max();
}

// Every row of a dataset, these fields only, in storage order (each part is sorted in memory:
// walking an index to read a whole table in order is many times slower).
store::Selection Everything(std::vector<int> fields) {
  store::Selection all;
  all.fields = std::move(fields);
  all.any_order = true;
  return all;
}

int64_t IntOf(const store::Row& row, int field) {
  const auto* v = std::get_if<int64_t>(&row[static_cast<size_t>(field)]);
  return v ? *v : 0;
}

}  // namespace

struct ReceiptIndex::BookPart {
  uint64_t stamp = 0;
  std::vector<int64_t> first;  // ascending; books never overlap (SPEC §2)
  std::vector<int64_t> last;
  std::vector<uint32_t> at;
  std::string packed;
};

struct ReceiptIndex::FarmerPart {
  uint64_t stamp = 0;
  std::vector<uint32_t> at;  // ordered by farmer id, the first packed cell
  // The first 8 bytes of each id, in the same order: the binary search runs over this
  // compact array instead of reaching into `packed` at every step.
  std::vector<uint64_t> prefix;
  std::string packed;
};

struct ReceiptIndex::SalePart {
  uint64_t stamp = 0;
  std::vector<int64_t> receipts;  // ascending
};

namespace {

std::shared_ptr<const ReceiptIndex::BookPart> CopyBooks(store::Store& store, uint64_t stamp) {
  const DatasetDef& books = Set("books");
  int first = books.FieldIndex("first_receipt");
  int last = books.FieldIndex("last_receipt");
  struct Span {
    int64_t first, last;
    uint32_t at;
  };
  std::vector<Span> spans;
  auto part = std::make_shared<ReceiptIndex::BookPart>();
  part->stamp = stamp;
  store.Scan(books, Everything(CheckedBookFields()), [&](const store::Row& row) {
    spans.push_back({IntOf(row, first), IntOf(row, last), static_cast<uint32_t>(part->packed.size())});
    Pack(part->packed, row, CheckedBookFields());
    return Fits(part->packed);
  });
  if (!Fits(part->packed)) {
    return nullptr;
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.first < b.first; });
  for (const Span& s : spans) {
    part->first.push_back(s.first);
    part->last.push_back(s.last);
    part->at.push_back(s.at);
  }
  return part;
}

std::shared_ptr<const ReceiptIndex::FarmerPart> CopyFarmers(store::Store& store, uint64_t stamp) {
  auto part = std::make_shared<ReceiptIndex::FarmerPart>();
  part->stamp = stamp;
  store.Scan(Set("farmers"), Everything(CheckedFarmerFields()), [&](const store::Row& row) {
    part->at.push_back(static_cast<uint32_t>(part->packed.size()));
    Pack(part->packed, row, CheckedFarmerFields());
    return Fits(part->packed);
  });
  if (!Fits(part->packed)) {
    return nullptr;
  }
  // Ordered here, with the comparison the lookup uses.
  std::sort(part->at.begin(), part->at.end(), [&](uint32_t a, uint32_t b) {
    return FirstText(part->packed, a) < FirstText(part->packed, b);
  });
  for (uint32_t at : part->at) {
    part->prefix.push_back(Prefix(FirstText(part->packed, at)));
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
  static const std::vector<int> fields =
      FieldsNamed(Set("books"), {"serial", "first_receipt", "last_receipt", "farmer_id", "status",
                                 "status_changed_on"});
  return fields;
}

const std::vector<int>& CheckedFarmerFields() {
  static const std::vector<int> fields = [] {
    // The key first (the index is ordered by it), then every field the police may see.
    const DatasetDef& farmers = Set("farmers");
    std::vector<int> list{farmers.FieldIndex(farmers.key)};
    for (size_t i = 0; i < farmers.fields.size(); ++i) {
      if ((farmers.fields[i].visible & registry::kPolice) && farmers.fields[i].name != farmers.key) {
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

ReceiptIndex::Found ReceiptIndex::View::BookHolding(int64_t receipt) const {
  if (!books_) {
    return {};
  }
  const BookPart& part = *books_;
  auto above = std::upper_bound(part.first.begin(), part.first.end(), receipt);
  if (above == part.first.begin()) {
    return {true, std::nullopt};
  }
  size_t i = static_cast<size_t>(above - part.first.begin()) - 1;
  if (part.last[i] < receipt) {
    return {true, std::nullopt};
  }
  return {true, Unpack(part.packed, part.at[i], Set("books"), CheckedBookFields())};
}

ReceiptIndex::Found ReceiptIndex::View::Farmer(std::string_view id) const {
  if (!farmers_) {
    return {};
  }
  const FarmerPart& part = *farmers_;
  uint64_t key = Prefix(id);
  for (auto it = std::lower_bound(part.prefix.begin(), part.prefix.end(), key);
       it != part.prefix.end() && *it == key; ++it) {
    uint32_t at = part.at[static_cast<size_t>(it - part.prefix.begin())];
    if (FirstText(part.packed, at) == id) {
      return {true, Unpack(part.packed, at, Set("farmers"), CheckedFarmerFields())};
    }
  }
  return {true, std::nullopt};
}

bool ReceiptIndex::View::NoSale(int64_t receipt) const {
  return sales_ && !std::binary_search(sales_->receipts.begin(), sales_->receipts.end(), receipt);
}

ReceiptIndex::ReceiptIndex(store::Store& store) : store_(store) {
  Refresh();
  builder_ = std::thread([this] {
    store::LowerThreadPriority();
    Run();
  });
}

ReceiptIndex::~ReceiptIndex() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  builder_.join();
}

ReceiptIndex::View ReceiptIndex::Current() {
  Parts parts;
  {
    std::lock_guard lock(mutex_);
    parts = parts_;
  }
  View view;
  bool stale = false;
  auto take = [&](const auto& part, const char* dataset, auto& into) {
    if (part && part->stamp == store_.ChangeStamp(Set(dataset))) {
      into = part;
    } else {
      stale = true;
    }
  };
  take(parts.books, "books", view.books_);
  take(parts.farmers, "farmers", view.farmers_);
  take(parts.sales, "sales", view.sales_);
  if (stale) {
    std::lock_guard lock(mutex_);
    if (!wanted_) {
      wanted_ = true;
      wake_.notify_one();
    }
  }
  return view;
}

void ReceiptIndex::Refresh() {
  std::lock_guard one_at_a_time(build_mutex_);
  auto started = std::chrono::steady_clock::now();
  Parts parts;
  {
    std::lock_guard lock(mutex_);
    parts = parts_;
  }
  uint64_t copied = 0;
  {
    // One snapshot: each copy holds exactly the rows of the stamp it is labelled with.
    store::ReadScope snapshot(store_);
    uint64_t books = store_.ChangeStamp(Set("books"));
    uint64_t farmers = store_.ChangeStamp(Set("farmers"));
    uint64_t sales = store_.ChangeStamp(Set("sales"));
    if (!parts.books || parts.books->stamp != books) {
      parts.books = CopyBooks(store_, books);
      ++copied;
    }
    if (!parts.farmers || parts.farmers->stamp != farmers) {
      parts.farmers = CopyFarmers(store_, farmers);
      ++copied;
    }
    if (!parts.sales || parts.sales->stamp != sales) {
      parts.sales = CopySales(store_, sales);
      ++copied;
    }
  }
  auto took = std::chrono::steady_clock::now() - started;
  std::lock_guard lock(mutex_);
  parts_ = std::move(parts);
  builds_ += copied;
  last_build_ = std::chrono::steady_clock::now();
  pause_ = std::max<std::chrono::steady_clock::duration>(std::chrono::milliseconds(100), 10 * took);
}

uint64_t ReceiptIndex::builds() const {
  std::lock_guard lock(mutex_);
  return builds_;
}

void ReceiptIndex::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || wanted_; });
    if (wake_.wait_until(lock, last_build_ + pause_, [&] { return stopping_; })) {
      return;
    }
    wanted_ = false;
    lock.unlock();
    try {
      Refresh();
    } catch (const std::exception& e) {
      // Checks go on reading the store; the next stale check asks again.
      std::cerr << "harvest: could not copy the registry for receipt checks: " << e.what()
                << "\n";
      std::lock_guard pace(mutex_);
      last_build_ = std::chrono::steady_clock::now();
    }
    lock.lock();
  }
}

}  // namespace harvest::verify
