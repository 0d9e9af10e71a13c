// One SMS exchange, whatever the gateway (SPEC §6): who the sender is (an officer by E.164
// phone, a farmer by registered phone, or nobody), what they may do, per-sender rate limits,
// running the command through the field operations, and the reply text. Gateway message ids
// make a retried message answered the same and acted on once.
// Gateways hand in plain values and send back the text; this module must not know about HTTP,
// TwiML, Kannel or SQL (it reads the registry through the Store interface).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "auth/audit_log.h"
#include "config/config.h"
#include "services/registry_service.h"
#include "sms/command.h"
#include "store/batch_writer.h"
#include "store/store.h"
#include "verify/service.h"

namespace harvest::sms {

struct IncomingSms {
  std::string gateway;     // "twilio", "kannel"
  std::string message_id;  // the gateway's id for the message; "" if none was given
  std::string from;        // sender's number as the gateway wrote it
  std::string text;
};

// Who sent a message, from the registry.
struct Sender {
  std::string phone;       // E.164, or the raw text when it is no phone number
  int64_t officer_id = 0;  // an ACTIVE officer's id; 0 otherwise (blocked officers are nobody)
  std::string officer_parish;
  std::vector<std::string> farmer_ids;  // farmers registered with this phone
  bool officer() const { return officer_id > 0; }
  bool farmer() const { return !farmer_ids.empty(); }
};

class Conversation {
 public:
  // Checks go to `verification`; S and LOST to `records`, which applies and audits them as
  // it does for the API and the pages.
  Conversation(store::Store& store, const config::Config& config, auth::AuditLog& audit,
               verify::VerificationService& verification, services::RegistryService& records);

  // Waits for the replies still being committed (the log's hook points here).
  ~Conversation();
  Conversation(const Conversation&) = delete;
  Conversation& operator=(const Conversation&) = delete;

  // The reply to send; "" means send nothing (rate-limit silence). The reply is kept for
  // retries through the audit log's LogWriter: the caller's answer must wait for the
  // calling thread's pending ticket (LogWriter::TakePending).
  std::string Handle(const IncomingSms& sms);

 private:
  std::string Process(const IncomingSms& sms);
  // The reply already given to this message id, written or not yet.
  std::optional<std::string> EarlierReply(const IncomingSms& sms);
  // Where servers share the database: nullopt once this server has claimed the message
  // (Store::ClaimSmsMessage); another server's reply once it is kept, waited for a few
  // seconds (then Unavailable).
  std::optional<std::string> AnsweredByAnotherServer(const IncomingSms& sms);
  std::string Dispatch(const Command& cmd, const Sender& sender);
  Sender Resolve(const std::string& from);  // cached
  Sender LookUpSender(const std::string& from);
  // Counts the message; "" while under the limit, the ERROR notice once, then "\x01" (silence).
  std::string Throttle(const Sender& sender);

  std::string Verify(const Command& cmd, const Sender& sender);
  std::string Farmer(const Command& cmd, const Sender& sender);
  std::string Sell(const Command& cmd, const Sender& sender);
  std::string Lost(const Command& cmd, const Sender& sender);
  std::string Price(const Command& cmd);

  store::Store& store_;
  const config::Config& config_;
  auth::AuditLog& audit_;
  verify::VerificationService& verification_;
  services::RegistryService& records_;

  // Phones past their hourly limit that have had the notice: silence until the time given.
  std::mutex limits_mutex_;
  std::unordered_map<std::string, int64_t> silenced_until_;
  int64_t last_prune_ = 0;

  // Senders by the number as the gateway wrote it, valid while the store's ChangeStamp is
  // `senders_stamp_`; cleared when it moves or the map is full.
  static constexpr size_t kSendersKept = 20000;
  std::mutex senders_mutex_;
  uint64_t senders_stamp_ = 0;
  std::unordered_map<std::string, Sender> senders_;

  // Message ids being processed: a concurrent retry waits for the first to finish.
  std::mutex in_flight_mutex_;
  std::condition_variable in_flight_done_;
  std::set<std::string> in_flight_;

  // Replies are committed with the other log records (group commit); until their commit is
  // done a retry is answered from `unwritten_`, keyed like `in_flight_` (gateway, sender,
  // message id), and waits for the same commit (the ticket) before it is answered.
  struct Unwritten {
    std::string reply;
    uint64_t ticket = 0;
  };
  std::mutex replies_mutex_;
  std::unordered_map<std::string, Unwritten> unwritten_;
};

// "PRICES yellow yam, week of 2026-11-16, J$/kg: KIN whsl 250.50 ..." for the latest week, cut
// to 3 SMS segments. Exposed for tests.
std::string FormatPrices(store::Store& store, std::string_view query);

}  // namespace harvest::sms
