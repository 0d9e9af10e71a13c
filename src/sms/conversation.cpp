#include "sms/conversation.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "registry/clock.h"
#include "registry/parish.h"
#include "registry/text_values.h"
#include "sms/gsm7.h"
#include "sms/replies.h"

namespace harvest::sms {
namespace {

using registry::DatasetDef;

const DatasetDef& Set(std::string_view name) {
  return *registry::FindDataset(name);
}

const store::Value& Cell(const DatasetDef& set, const store::Row& row, std::string_view field) {
  return row[static_cast<size_t>(set.FieldIndex(field))];
}

std::string Text(const DatasetDef& set, const store::Row& row, std::string_view field) {
  return store::ValueText(Cell(set, row, field));
}

store::Filter Eq(const DatasetDef& set, std::string_view field, store::Value value) {
  return store::Filter{set.FieldIndex(field), store::FilterOp::kEq, {std::move(value)}};
}

// Said to anyone who may not check receipts: it must not depend on the receipt or farmer asked
// about, so an unregistered or blocked number learns nothing from it.
constexpr std::string_view kNotOfficer =
    "this phone may not check receipts or farmers. Officers: ask your station to register "
    "your number";

std::string Money(const store::Value& v) {
  double amount = 0;
  if (const auto* d = std::get_if<double>(&v)) {
    amount = *d;
  } else if (const auto* i = std::get_if<int64_t>(&v)) {
    amount = static_cast<double>(*i);
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", amount);
  std::string s = text;
  if (s.ends_with(".00")) {
    s.resize(s.size() - 3);
  }
  return s;
}

std::string ShortPoint(const std::string& point) {
  return point == "wholesale"  ? "whsl"
         : point == "farmgate" ? "farm"
         : point == "retail"   ? "rtl"
                               : point;
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!word.empty()) {
        words.push_back(std::move(word));
        word.clear();
      }
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) {
    words.push_back(std::move(word));
  }
  return words;
}

std::string Join(const std::vector<std::string>& words, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    out += (out.empty() ? "" : " ") + words[i];
  }
  return out;
}

const registry::Commodity* MatchCommodity(const std::string& name) {
  if (const registry::Commodity* exact = registry::FindCommodity(name)) {
    return exact;
  }
  for (const registry::Commodity& c : registry::Commodities()) {
    if (verify::SameCommodity(c.name, name)) {
      return &c;
    }
  }
  return nullptr;
}

auth::Principal OfficerPrincipal(const Sender& sender) {
  auth::Principal who;
  who.role = registry::kPolice;
  who.officer_id = sender.officer_id;
  who.actor = "officer:" + std::to_string(sender.officer_id);
  who.channel = "sms";
  return who;
}

}  // namespace

std::string FormatPrices(store::Store& store, std::string_view query) {
  std::vector<std::string> words = Words(query);
  std::string parish;
  // The parish, if any, is at the end: "P yam St. Elizabeth", "P yam ELZ".
  for (size_t take = std::min<size_t>(3, words.size() > 0 ? words.size() - 1 : 0); take > 0;
       --take) {
    if (auto code = registry::NormalizeParish(Join(words, words.size() - take, words.size()))) {
      parish = std::string(*code);
      words.resize(words.size() - take);
      break;
    }
  }
  std::string name = Join(words, 0, words.size());
  if (name.empty()) {
    return FormatError("say which commodity, e.g. P yam or P yam St. Elizabeth");
  }
  const registry::Commodity* commodity = MatchCommodity(name);
  if (!commodity) {
    return FormatError("no prices for " + CutToSeptets(name, 30) + ". Try e.g. P yam");
  }
  const DatasetDef& prices = Set("prices");
  store::Selection sel;
  sel.filters.push_back(Eq(prices, "commodity", std::string(commodity->name)));
  if (!parish.empty()) {
    sel.filters.push_back(Eq(prices, "parish", parish));
  }
  sel.sort.push_back({prices.FieldIndex("week_of"), true});
  sel.limit = 200;
  std::vector<store::Row> rows = store.Select(prices, sel);
  std::string where = parish.empty() ? "" : " " + parish;
  if (rows.empty()) {
    return FormatError("no prices yet for " + std::string(commodity->name) + where);
  }
  std::string week = Text(prices, rows.front(), "week_of");
  std::string text = "PRICES " + std::string(commodity->name) + where + ", week of " + week +
                     ", J$/" + std::string(commodity->unit) + ":";
  // Wholesale first, the price traders quote; farm gate and retail where room allows.
  std::stable_sort(rows.begin(), rows.end(), [&](const store::Row& a, const store::Row& b) {
    auto rank = [&](const store::Row& r) {
      std::string point = Text(prices, r, "price_point");
      return point == "wholesale" ? 0 : point == "farmgate" ? 1 : 2;
    };
    return rank(a) < rank(b);
  });
  bool first = true;
  for (const store::Row& row : rows) {
    if (Text(prices, row, "week_of") != week || Text(prices, row, "unit") != commodity->unit) {
      continue;
    }
    std::string item = parish.empty() ? Text(prices, row, "parish") + " " : "";
    item += ShortPoint(Text(prices, row, "price_point")) + " " + Money(Cell(prices, row, "price"));
    text += (first ? " " : ", ") + item;
    first = false;
  }
  return FitSms(text + ".", kMaxSegments);
}

namespace {

// Gateway message ids are matched together with their sender (SPEC §10).
std::string MessageKey(const std::string& gateway, const std::string& sender,
                       const std::string& message_id) {
  return gateway + "\n" + sender + "\n" + message_id;
}

}  // namespace

Conversation::Conversation(store::Store& store, const config::Config& config, auth::AuditLog& audit,
                           verify::VerificationService& verification,
                           services::RegistryService& records)
    : store_(store),
      config_(config),
      audit_(audit),
      verification_(verification),
      records_(records) {
  audit_.log().OnCommitted([this](const store::LogBatch& batch) {
    if (batch.sms_replies.empty()) {
      return;
    }
    std::lock_guard lock(replies_mutex_);
    for (const store::SmsReply& r : batch.sms_replies) {
      unwritten_.erase(MessageKey(r.gateway, r.sender, r.message_id));
    }
  });
}

Conversation::~Conversation() {
  audit_.log().Flush();
}

std::optional<std::string> Conversation::EarlierReply(const IncomingSms& sms) {
  // Memory first: a batch is committed before its ids leave `unwritten_`, so an id is
  // always in one of the two.
  {
    std::lock_guard lock(replies_mutex_);
    auto found = unwritten_.find(MessageKey(sms.gateway, sms.from, sms.message_id));
    if (found != unwritten_.end()) {
      audit_.log().Expect(found->second.ticket);  // answered once that reply is kept
      return found->second.reply;
    }
  }
  return store_.FindSmsReply(sms.gateway, sms.from, sms.message_id);
}

std::optional<std::string> Conversation::AnsweredByAnotherServer(const IncomingSms& sms) {
  // A gateway retry may reach another server of the database while the first delivery is
  // still being answered there: this one waits for that reply rather than act again.
  // The wait holds this request's thread: it is short, and looks for the reply (one query)
  // ten times a second, trying the claim again (the other server may have given it up) twice
  // a second.
  constexpr int kStaleAfterSeconds = 30;  // a claim this old lost its server
  constexpr auto kWait = std::chrono::seconds(2);
  constexpr int kLooksPerClaim = 5;
  auto deadline = std::chrono::steady_clock::now() + kWait;
  for (int look = 0;; ++look) {
    if (look % kLooksPerClaim == 0 &&
        store_.ClaimSmsMessage(sms.gateway, sms.from, sms.message_id, kStaleAfterSeconds)) {
      return std::nullopt;
    }
    if (auto kept = store_.FindSmsReply(sms.gateway, sms.from, sms.message_id)) {
      return kept;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw store::Unavailable(store::Unavailable::Reason::kLocked,
                               "message " + sms.message_id + " from " + sms.from +
                                   " is being answered by another server; its reply is given "
                                   "to a retry once kept");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::string Conversation::Handle(const IncomingSms& sms) {
  if (sms.message_id.empty()) {
    return Process(sms);
  }
  std::string id = MessageKey(sms.gateway, sms.from, sms.message_id);
  {
    // Only the lookup waits for a concurrent delivery of the same id, not other messages.
    std::unique_lock lock(in_flight_mutex_);
    in_flight_done_.wait(lock, [&] { return !in_flight_.contains(id); });
    in_flight_.insert(id);
  }
  auto done = [&] {
    std::lock_guard lock(in_flight_mutex_);
    in_flight_.erase(id);
    in_flight_done_.notify_all();
  };
  std::string reply;
  bool claimed = false;
  try {
    if (auto earlier = EarlierReply(sms)) {
      done();
      return *earlier;
    }
    if (auto others = AnsweredByAnotherServer(sms)) {
      done();
      return *others;
    }
    claimed = true;
    reply = Process(sms);
    {
      // Under the lock, so the committer cannot forget the reply before it is held here.
      std::lock_guard lock(replies_mutex_);
      uint64_t ticket = audit_.log().Add(
          store::SmsReply{sms.gateway, sms.message_id, sms.from, registry::NowRfc3339(), reply});
      unwritten_[id] = Unwritten{reply, ticket};
    }
  } catch (...) {
    if (claimed) {
      try {
        store_.ReleaseSmsClaim(sms.gateway, sms.from, sms.message_id);
      } catch (...) {
        // The database is gone too: the claim goes stale instead.
      }
    }
    done();
    throw;
  }
  done();
  return reply;
}

std::string Conversation::Process(const IncomingSms& sms) {
  Sender sender = Resolve(sms.from);
  std::string gate = Throttle(sender);
  if (!gate.empty()) {
    return gate == "\x01" ? "" : gate;
  }
  Command cmd = ParseCommand(sms.text);
  return Dispatch(cmd, sender);
}

Sender Conversation::Resolve(const std::string& from) {
  // Officers send check after check from the same phone: who a phone belongs to is kept
  // until the registry changes (any write moves the stamp; the logs do not).
  uint64_t stamp = store_.ChangeStamp();
  {
    std::lock_guard lock(senders_mutex_);
    if (senders_stamp_ != stamp || senders_.size() >= kSendersKept) {
      senders_.clear();
      senders_stamp_ = stamp;
    }
    auto known = senders_.find(from);
    if (known != senders_.end()) {
      return known->second;
    }
  }
  Sender sender = LookUpSender(from);
  std::lock_guard lock(senders_mutex_);
  if (senders_stamp_ == stamp) {
    senders_.emplace(from, sender);
  }
  return sender;
}

Sender Conversation::LookUpSender(const std::string& from) {
  Sender sender;
  std::optional<std::string> phone = registry::NormalizePhone(from, config_.default_area_code);
  if (!phone) {
    sender.phone = from;
    return sender;
  }
  sender.phone = *phone;
  const DatasetDef& officers = Set("officers");
  store::Selection by_phone;
  by_phone.filters.push_back(Eq(officers, "phone", *phone));
  by_phone.filters.push_back(Eq(officers, "status", std::string("active")));
  by_phone.limit = 1;
  for (const store::Row& row : store_.Select(officers, by_phone)) {
    if (const auto* id = std::get_if<int64_t>(&Cell(officers, row, "id"))) {
      sender.officer_id = *id;
      sender.officer_parish = Text(officers, row, "parish");
    }
  }
  const DatasetDef& farmers = Set("farmers");
  store::Selection farmer_phone;
  farmer_phone.filters.push_back(Eq(farmers, "phone", *phone));
  farmer_phone.limit = 10;  // a family may share one phone
  for (const store::Row& row : store_.Select(farmers, farmer_phone)) {
    sender.farmer_ids.push_back(Text(farmers, row, "id"));
  }
  return sender;
}

std::string Conversation::Throttle(const Sender& sender) {
  int limit =
      sender.officer() ? config_.sms.officer_checks_per_hour : config_.sms.other_messages_per_hour;
  if (limit <= 0) {
    return "";
  }
  int64_t now = verification_.Now();
  // Counted in the store, so every server of a shared database counts the same hour.
  int64_t wait = store_.TakeQuota("sms:" + sender.phone, now, 3600, limit);
  std::lock_guard lock(limits_mutex_);
  if (now - last_prune_ > 600) {  // keep memory bounded by the phones silenced this hour
    last_prune_ = now;
    std::erase_if(silenced_until_, [now](const auto& entry) { return entry.second <= now; });
  }
  if (wait == 0) {
    silenced_until_.erase(sender.phone);
    return "";
  }
  // The notice once, then silence until the hour frees (each server notices once).
  auto [silenced, first] = silenced_until_.try_emplace(sender.phone, now + wait);
  if (!first && silenced->second > now) {
    return "\x01";
  }
  silenced->second = now + wait;
  int64_t wait_min = (wait + 59) / 60;
  return FormatError("too many messages from this phone (" + std::to_string(limit) +
                     " an hour). Try again in " + std::to_string(std::max<int64_t>(1, wait_min)) +
                     " min. Further messages get no reply until then");
}

std::string Conversation::Dispatch(const Command& cmd, const Sender& sender) {
  switch (cmd.kind) {
    case CommandKind::kReceipt:
    case CommandKind::kFarmer:
      if (!sender.officer()) {
        return FormatError(kNotOfficer);
      }
      break;
    case CommandKind::kSell:
    case CommandKind::kLost:
      if (!sender.farmer()) {
        return FormatError(
            "this phone is not registered to a farmer. Ask RADA to add it to "
            "your registration");
      }
      break;
    default:
      break;
  }
  if (!cmd.error.empty()) {
    return FormatError(cmd.error);
  }
  switch (cmd.kind) {
    case CommandKind::kReceipt:
      return Verify(cmd, sender);
    case CommandKind::kFarmer:
      return Farmer(cmd, sender);
    case CommandKind::kSell:
      return Sell(cmd, sender);
    case CommandKind::kLost:
      return Lost(cmd, sender);
    case CommandKind::kPrice:
      return Price(cmd);
    case CommandKind::kHelp:
      return FormatHelp(sender.officer(), sender.farmer());
    case CommandKind::kUnknown:
    case CommandKind::kEmpty:
      break;
  }
  return FormatError("send HELP for the list of commands");
}

std::string Conversation::Verify(const Command& cmd, const Sender& sender) {
  verify::CheckRequest request;
  request.receipt = cmd.receipt;
  request.channel = "sms";
  request.officer_id = sender.officer_id;
  request.parish = sender.officer_parish;
  auth::Principal checker = OfficerPrincipal(sender);
  request.checker = &checker;
  request.observed.commodity = cmd.commodity;
  if (cmd.quantity) {
    request.observed.quantity = cmd.quantity->amount;
    request.observed.unit = cmd.quantity->unit;
  }
  verify::CheckOutcome outcome = verification_.Check(request);
  return FormatVerifyReply(outcome.facts, outcome.result);
}

std::string Conversation::Farmer(const Command& cmd, const Sender& sender) {
  std::optional<store::Row> row = store_.Get(Set("farmers"), cmd.farmer_id);
  if (!row) {
    return FormatFarmerNotFound(cmd.farmer_id);
  }
  audit_.Record(OfficerPrincipal(sender), "read", "farmers", cmd.farmer_id, "sms lookup");
  return FormatFarmerReply(verify::FarmerFactsOf(*row), verify::UtcDate(verification_.Now()));
}

std::string Conversation::Sell(const Command& cmd, const Sender& sender) {
  const DatasetDef& sales = Set("sales");
  verify::SaleRequest request;
  request.only_farmers = sender.farmer_ids;
  request.cells.resize(sales.fields.size());
  auto put = [&](std::string_view field, registry::InputCell cell) {
    request.cells[static_cast<size_t>(sales.FieldIndex(field))] = std::move(cell);
  };
  put("receipt",
      registry::InputCell{.kind = registry::InputCell::kInteger, .integer = cmd.receipt});
  put("commodity", registry::InputCell::Text(cmd.commodity));
  if (cmd.quantity) {
    put("quantity",
        registry::InputCell{.kind = registry::InputCell::kReal, .real = cmd.quantity->amount});
    put("unit", registry::InputCell::Text(cmd.quantity->unit));
  }
  if (!cmd.buyer_phone.empty()) {
    put("buyer_phone", registry::InputCell::Text(cmd.buyer_phone));
  }
  try {
    auth::Principal who{registry::kPublic, 0, 0, sender.phone, "sms"};
    store::Row row = records_.RecordSale(who, std::move(request));
    std::optional<store::Row> book = verification_.BookHolding(cmd.receipt);
    std::string serial = book ? Text(Set("books"), *book, "serial") : "";
    return FormatSaleRecorded(cmd.receipt, verify::SaleFactsOf(row), serial);
  } catch (const services::Forbidden& e) {
    return FormatError(e.what());
  } catch (const verify::FieldError& e) {
    std::string what = e.what();
    if (!e.details().empty() && e.kind() == verify::FieldError::Kind::kInvalid) {
      what = e.details().front().field + " " + e.details().front().message;
    }
    return FormatError(what);
  }
}

std::string Conversation::Lost(const Command& cmd, const Sender& sender) {
  verify::ReportRequest request;
  request.book = cmd.number_text;
  request.by_receipt = true;
  request.status = cmd.word == "STOLEN" ? "stolen" : "lost";
  request.only_farmers = sender.farmer_ids;
  try {
    auth::Principal who{registry::kPublic, 0, 0, sender.phone, "sms"};
    store::Row row = records_.ReportBook(who, request);
    return FormatBookReported(verify::BookFactsOf(row));
  } catch (const services::Forbidden& e) {
    return FormatError(e.what());
  } catch (const verify::FieldError& e) {
    return FormatError(e.what());
  }
}

std::string Conversation::Price(const Command& cmd) {
  return FormatPrices(store_, cmd.query);
}

}  // namespace harvest::sms
