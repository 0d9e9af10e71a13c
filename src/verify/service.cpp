#include "verify/service.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iostream>

#include "auth/audit_log.h"
#include "registry/clock.h"
#include "registry/text_values.h"

namespace harvest::verify {
namespace {

using registry::DatasetDef;

const DatasetDef& Set(std::string_view name) {
  return *registry::FindDataset(name);
}

// Reads rows by field name, so the code below reads like the schema.
struct Fields {
  const DatasetDef& set;
  const store::Row& row;
  const store::Value& operator[](std::string_view name) const {
    return row[static_cast<size_t>(set.FieldIndex(name))];
  }
  std::string Text(std::string_view name) const { return store::ValueText((*this)[name]); }
  int64_t Int(std::string_view name) const {
    const auto* v = std::get_if<int64_t>(&(*this)[name]);
    return v ? *v : 0;
  }
  double Real(std::string_view name) const {
    const store::Value& v = (*this)[name];
    if (const auto* d = std::get_if<double>(&v)) {
      return *d;
    }
    if (const auto* i = std::get_if<int64_t>(&v)) {
      return static_cast<double>(*i);
    }
    return 0;
  }
};

store::Filter Where(const DatasetDef& set, std::string_view field, store::FilterOp op,
                    store::Value value) {
  return store::Filter{set.FieldIndex(field), op, {std::move(value)}};
}

// A row read from the store, cut to the fields a check shows (as the index holds them).
std::optional<store::Row> Kept(std::optional<store::Row> row, const std::vector<int>& fields) {
  if (row) {
    row = KeepFields(*row, fields);
  }
  return row;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

BookFacts BookFactsOf(const store::Row& row) {
  Fields f{Set("books"), row};
  return BookFacts{f.Text("serial"), f.Int("first_receipt"),      f.Int("last_receipt"),
                   f.Text("status"), f.Text("status_changed_on"), f.Text("farmer_id")};
}

FarmerFacts FarmerFactsOf(const store::Row& row) {
  Fields f{Set("farmers"), row};
  return FarmerFacts{f.Text("id"),
                     f.Text("first_name"),
                     f.Text("last_name"),
                     f.Text("alias"),
                     f.Text("parish"),
                     f.Text("status"),
                     f.Int("verified") != 0,
                     f.Int("under_investigation") != 0,
                     f.Text("card_expires_on")};
}

SaleFacts SaleFactsOf(const store::Row& row) {
  Fields f{Set("sales"), row};
  return SaleFacts{f.Text("commodity"), f.Real("quantity"), f.Text("unit"), f.Text("sold_at")};
}

std::optional<int64_t> ParseRfc3339(std::string_view text) {
  if (text.size() < 19 || text[10] != 'T') {
    return std::nullopt;
  }
  auto days = registry::IsoDateToDays(text.substr(0, 10));
  auto two = [&](size_t at) -> int {
    char a = text[at];
    char b = text[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') {
      return -1;
    }
    return (a - '0') * 10 + (b - '0');
  };
  int h = two(11);
  int m = two(14);
  int s = two(17);
  if (!days || h < 0 || m < 0 || s < 0) {
    return std::nullopt;
  }
  return *days * 86400 + h * 3600 + m * 60 + s;
}

VerificationService::VerificationService(store::Store& store, const config::Config& config,
                                         Clock clock, store::LogWriter& log)
    : store_(store),
      config_(config),
      clock_(std::move(clock)),
      validation_{config.default_area_code},
      recent_(horizon(), config.verify.recheck_count, config.verify.recheck_parishes),
      log_(log),
      index_(store) {
  feed_.Load(clock_() - horizon());
}

VerificationService::VerificationService(store::Store& store, const config::Config& config,
                                         Clock clock)
    : store_(store),
      config_(config),
      clock_(std::move(clock)),
      validation_{config.default_area_code},
      recent_(horizon(), config.verify.recheck_count, config.verify.recheck_parishes),
      own_log_(std::make_unique<store::LogWriter>(store)),
      log_(*own_log_),
      index_(store) {
  feed_.Load(clock_() - horizon());
}

int64_t VerificationService::horizon() const {
  return int64_t{
             std::max(config_.verify.recheck_window_hours, config_.verify.parish_window_hours)} *
         3600;
}

std::optional<store::Row> VerificationService::BookHolding(int64_t receipt) {
  const DatasetDef& books = Set("books");
  store::Selection sel;
  sel.filters.push_back(Where(books, "first_receipt", store::FilterOp::kLte, receipt));
  sel.sort.push_back({books.FieldIndex("first_receipt"), true});
  sel.limit = 1;
  std::vector<store::Row> rows = store_.Select(books, sel);
  if (rows.empty() || Fields{books, rows[0]}.Int("last_receipt") < receipt) {
    return std::nullopt;
  }
  return rows[0];
}

CheckOutcome VerificationService::Check(const CheckRequest& request) {
  int64_t now = clock_();
  // A key, or else a web login, meets the same hourly limit (officers' SMS have their own).
  int limit = config_.verify.key_checks_per_hour;
  int64_t wait = 0;
  std::string who_checks;
  // Counted in the store, so every server of a shared database counts the same hour.
  if (request.key_id > 0) {
    wait = store_.TakeQuota("key:" + std::to_string(request.key_id), now, 3600, limit);
    who_checks = "this key";
  } else if (request.checker && request.checker->actor.starts_with("user:")) {
    wait = store_.TakeQuota("login:" + request.checker->actor.substr(5), now, 3600, limit);
    who_checks = "this login";
  }
  if (wait > 0) {
    throw FieldError(FieldError::Kind::kTooMany,
                     who_checks + " has made " + std::to_string(limit) +
                         " checks in the last hour, its limit; try again in " +
                         std::to_string(wait) + " s")
        .WithRetryAfter(wait);
  }
  CheckOutcome out;
  out.facts.receipt = request.receipt;
  out.facts.parish = request.parish;
  out.facts.observed = request.observed;
  ReceiptIndex::View memory = index_.Current();
  ReceiptIndex::Holding held = memory.BookHolding(request.receipt);
  out.book =
      held.known ? std::move(held.book) : Kept(BookHolding(request.receipt), CheckedBookFields());
  if (out.book) {
    out.facts.book = BookFactsOf(*out.book);
    out.farmer = held.known ? std::move(held.farmer)
                            : Kept(store_.Get(Set("farmers"), out.facts.book->farmer_id),
                                   CheckedFarmerFields());
    if (out.farmer) {
      out.facts.farmer = FarmerFactsOf(*out.farmer);
    }
    if (!memory.NoSale(request.receipt)) {
      out.sale = store_.Get(Set("sales"), request.receipt);
    }
    if (out.sale) {
      out.facts.sale = SaleFactsOf(*out.sale);
    }
    GatherVolume(out);
  }
  const config::VerifySettings& v = config_.verify;
  Thresholds thresholds{v.recheck_count,       v.recheck_window_hours, v.recheck_parishes,
                        v.parish_window_hours, v.quantity_tolerance,   v.volume_factor};
  // Prior checks are read last and the new one added right after (on SQLite), so two
  // officers checking the same receipt at once each see the other at worst one check late.
  // A repeat by the same checker within minutes is one check with the one it repeats.
  uint32_t checker = RecentChecks::Checker(request.officer_id, request.key_id);
  // Where other servers record checks too, their checks (and this one's, once committed)
  // come into memory from the log, so every server counts the same history.
  bool shared = store_.SharedByServers();
  if (shared) {
    feed_.CatchUp();
  }
  out.facts.prior_checks = recent_.Of(request.receipt, now - horizon(), checker, now);
  out.result = Evaluate(out.facts, thresholds, now);
  if (!shared) {
    recent_.Add(request.receipt, {now, request.parish}, checker);
  }

  const DatasetDef& checks = Set("verifications");
  store::Row row(checks.fields.size());
  auto put = [&](std::string_view name, store::Value value) {
    row[static_cast<size_t>(checks.FieldIndex(name))] = std::move(value);
  };
  put("at", registry::UnixToRfc3339(now));
  put("receipt", request.receipt);
  put("channel", request.channel);
  if (request.officer_id > 0) {
    put("officer_id", request.officer_id);
  }
  if (request.key_id > 0) {
    put("key_id", request.key_id);
  }
  put("verdict", std::string(VerdictWord(out.result.verdict)));
  std::string signals;
  for (const Signal& s : out.result.signals) {
    signals += (signals.empty() ? "" : ",") + s.code;
  }
  put("signals", signals);
  if (!request.parish.empty()) {
    put("parish", request.parish);
  }
  log_.AddCheck(std::move(row));
  if (request.checker && out.facts.farmer) {
    auth::AuditLog(log_).Record(*request.checker, "read", "farmers", out.facts.farmer->id,
                                "verify receipt " + std::to_string(request.receipt));
  }
  return out;
}

void VerificationService::GatherVolume(CheckOutcome& out) {
  std::string crop = !out.facts.observed.commodity.empty() ? out.facts.observed.commodity
                     : out.facts.sale                      ? out.facts.sale->commodity
                                                           : "";
  if (crop.empty() || !out.facts.book) {
    return;
  }
  const std::string& farmer = out.facts.book->farmer_id;
  const DatasetDef& sales = Set("sales");
  int64_t season_start = clock_() - int64_t{config_.verify.season_days} * 86400;
  store::Selection sel;
  sel.filters.push_back(Where(sales, "farmer_id", store::FilterOp::kEq, farmer));
  sel.filters.push_back(
      Where(sales, "sold_at", store::FilterOp::kGte, registry::UnixToRfc3339(season_start)));
  VolumeFacts volume{crop, 0, 0};
  for (const store::Row& row : store_.Select(sales, sel)) {
    Fields f{sales, row};
    if (SameCommodity(f.Text("commodity"), crop)) {
      volume.season_sales_kg +=
          ConvertQuantity(f.Real("quantity"), f.Text("unit"), "kg").value_or(0);
    }
  }
  if (volume.season_sales_kg <= 0) {
    return;  // nothing sold yet: nothing can be implausible
  }
  const DatasetDef& farms = Set("farms");
  const DatasetDef& crops = Set("crops");
  store::Selection by_farmer;
  by_farmer.filters.push_back(Where(farms, "farmer_id", store::FilterOp::kEq, farmer));
  std::vector<store::Value> farm_ids;
  for (const store::Row& row : store_.Select(farms, by_farmer)) {
    farm_ids.push_back(row[static_cast<size_t>(farms.FieldIndex("id"))]);
  }
  if (!farm_ids.empty()) {
    store::Selection on_farms;
    on_farms.filters.push_back(
        store::Filter{crops.FieldIndex("farm_id"), store::FilterOp::kIn, farm_ids});
    for (const store::Row& row : store_.Select(crops, on_farms)) {
      Fields f{crops, row};
      if (SameCommodity(f.Text("crop"), crop) && f.Text("status") != "failed") {
        volume.expected_kg += f.Real("expected_volume_kg");
      }
    }
  }
  out.facts.volume = volume;
}

store::Row VerificationService::RecordSale(SaleRequest request) {
  const DatasetDef& sales = Set("sales");
  auto cell = [&](std::string_view name) -> registry::InputCell& {
    size_t index = static_cast<size_t>(sales.FieldIndex(name));
    if (request.cells.size() < sales.fields.size()) {
      request.cells.resize(sales.fields.size());
    }
    return request.cells[index];
  };
  cell("channel") = registry::InputCell::Text(request.channel);
  if (cell("sold_at").kind == registry::InputCell::kAbsent) {
    cell("sold_at") = registry::InputCell::Text(registry::UnixToRfc3339(clock_()));
  }
  store::Row row;
  std::vector<registry::FieldProblem> problems =
      registry::BuildRow(sales, request.cells, validation_, row);
  if (!problems.empty()) {
    throw FieldError(FieldError::Kind::kInvalid, "the sale is not valid", std::move(problems));
  }
  Fields f{sales, row};
  int64_t receipt = f.Int("receipt");
  std::optional<store::Row> book = BookHolding(receipt);
  std::string number = std::to_string(receipt);
  if (book) {
    BookFacts b = BookFactsOf(*book);
    if (!request.only_farmers.empty() && !Contains(request.only_farmers, b.farmer_id)) {
      book.reset();  // someone else's book: the sender learns no more than "not yours"
    } else if (b.status != "active") {
      throw FieldError(FieldError::Kind::kConflict,
                       "receipt " + number + " is in book " + b.serial + ", which is " + b.status);
    } else if (!f.Text("farmer_id").empty() && f.Text("farmer_id") != b.farmer_id) {
      throw FieldError(FieldError::Kind::kInvalid,
                       "receipt " + number + " is in book " + b.serial + " of another farmer",
                       {{"farmer_id", "must be the book's farmer " + b.farmer_id}});
    }
  }
  if (!book) {
    if (!request.only_farmers.empty()) {
      throw FieldError(FieldError::Kind::kNotYours,
                       "receipt " + number + " is not in an active book of yours");
    }
    throw FieldError(FieldError::Kind::kInvalid, "receipt " + number + " is in no book",
                     {{"receipt", "is in no book"}});
  }
  if (store_.Get(sales, receipt)) {
    throw FieldError(FieldError::Kind::kConflict,
                     "a sale is already recorded on receipt " + number);
  }
  try {
    return store_.Write(sales, {std::move(row)}, store::WriteMode::kInsert).rows.front();
  } catch (const store::WriteError& e) {
    std::vector<registry::FieldProblem> details;
    for (const store::RowError& r : e.errors()) {
      details.push_back({r.field, r.message});
    }
    // A concurrent duplicate (a gateway retry racing the first delivery) lands here.
    throw FieldError(e.conflict() ? FieldError::Kind::kConflict : FieldError::Kind::kInvalid,
                     e.what(), std::move(details));
  }
}

store::Row VerificationService::ReportBook(const ReportRequest& request) {
  const DatasetDef& books = Set("books");
  if (request.status != "lost" && request.status != "stolen") {
    throw FieldError(FieldError::Kind::kInvalid, "status must be lost or stolen",
                     {{"status", "must be lost or stolen, not '" + request.status + "'"}});
  }
  // Only books the sender may report are candidates at all (SPEC §10: a farmer's LOST looks
  // among his own books), so another book's serial never hides his receipt, nor the reverse.
  auto mine = [&](std::optional<store::Row> book) {
    if (book && !request.only_farmers.empty() &&
        !Contains(request.only_farmers, BookFactsOf(*book).farmer_id)) {
      book.reset();
    }
    return book;
  };
  auto by_serial = [&]() {
    std::optional<store::Row> book = mine(store_.Get(books, request.book));
    if (!book && request.book.size() < 6 && !request.book.empty()) {
      // Serials are printed with leading zeros ("000045"); people type "45".
      book = mine(store_.Get(books, std::string(6 - request.book.size(), '0') + request.book));
    }
    return book;
  };
  auto by_receipt = [&]() -> std::optional<store::Row> {
    int64_t number = 0;
    auto [end, ec] =
        std::from_chars(request.book.data(), request.book.data() + request.book.size(), number);
    if (ec != std::errc() || end != request.book.data() + request.book.size()) {
      return std::nullopt;
    }
    return mine(BookHolding(number));
  };
  // A number on a receipt is the receipt first, then a serial.
  std::optional<store::Row> book = request.by_receipt ? by_receipt() : by_serial();
  if (!book && request.by_receipt) {
    book = by_serial();
  }
  if (!book) {
    if (!request.only_farmers.empty()) {
      throw FieldError(FieldError::Kind::kNotYours,
                       "no book of yours holds receipt or serial " + request.book);
    }
    throw FieldError(FieldError::Kind::kNotFound, "no book with serial " + request.book);
  }
  BookFacts b = BookFactsOf(*book);
  if (b.status != "active") {
    throw FieldError(FieldError::Kind::kConflict,
                     "book " + b.serial + " is already " + b.status +
                         (b.status_changed_on.empty() ? "" : " since " + b.status_changed_on));
  }
  std::vector<std::pair<int, store::Value>> changes{
      {books.FieldIndex("status"), request.status},
      {books.FieldIndex("status_changed_on"), UtcDate(clock_())}};
  std::optional<store::Row> updated = store_.Update(books, b.serial, changes);
  if (!updated) {
    throw FieldError(FieldError::Kind::kNotFound, "no book with serial " + b.serial);
  }
  return *updated;
}

std::optional<int64_t> ParseReceiptNumber(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != '#' && c != ',' && c != ' ' && c != '-') {
      return std::nullopt;
    }
  }
  if (digits.empty() || digits.size() > 15) {  // as over SMS; books are numbered far below
    return std::nullopt;
  }
  int64_t number = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc() || end != digits.data() + digits.size() || number < 1) {
    return std::nullopt;
  }
  return number;
}

}  // namespace harvest::verify
