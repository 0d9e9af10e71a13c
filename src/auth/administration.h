// Administration (SPEC §3, §7, §9): API keys, web logins and SMS-authorised police
// officers. The one place their rules live — who may do it (admin), what a login, a key's
// name, a password or an officer's phone must be, re-activating a blocked officer — and
// where each change is audited; `harvest key|user|officer` and the /admin page both call it.
// Must not depend on HTTP or the CLI.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "registry/validate.h"
#include "store/store.h"

namespace harvest::auth {

// Where the audit entries of administration go: the server queues them with the logs'
// group commit (AuditLog), a command writes them at once.
using AuditSink = std::function<void(const Principal& who, std::string action,
                                     std::string dataset, std::string record,
                                     std::string detail)>;

// A refused administration request, naming the input it is about (`field`: role, name,
// login, password, phone, badge, station, parish, id) so each channel can say it in place.
class AdminError : public std::runtime_error {
 public:
  enum class Kind { kInvalid, kConflict, kNotFound, kForbidden };
  AdminError(Kind kind, std::string field, const std::string& message)
      : std::runtime_error(message), kind_(kind), field_(std::move(field)) {}
  Kind kind() const { return kind_; }
  const std::string& field() const { return field_; }

 private:
  Kind kind_;
  std::string field_;
};

struct NewKey {
  store::ApiKey key;
  std::string secret;  // shown once, never stored
};

struct OfficerInput {
  std::string phone, badge, station, parish, name;
};

struct OfficerOutcome {
  std::string id;
  std::string phone;  // as stored (E.164)
  bool reactivated = false;
};

// An officer as listed (officers are few: a listing reads them all).
struct Officer {
  std::string id, phone, badge, name, station, parish, status;
};

class Administration {
 public:
  Administration(store::Store& store, registry::ValidationContext validation, AuditSink audit);

  // Keys (role: partner, police, extension or admin; name: who it is for).
  NewKey CreateKey(const Principal& who, std::string_view role, std::string_view name);
  void RevokeKey(const Principal& who, int64_t id);
  std::vector<store::ApiKey> Keys(const Principal& who);

  // Web logins: the login is kept as Sessions::NormalLogin writes it.
  store::WebUser AddUser(const Principal& who, std::string_view login, std::string_view role,
                         std::string_view password);
  // Ends the login's sessions at once.
  void DisableUser(const Principal& who, std::string_view login);
  std::vector<store::WebUser> Users(const Principal& who);

  // Officers: adding the phone of a blocked officer re-activates it with the new details.
  OfficerOutcome AddOfficer(const Principal& who, const OfficerInput& input);
  // Returns the officer's id.
  std::string BlockOfficer(const Principal& who, std::string_view phone);
  std::vector<Officer> Officers(const Principal& who);

  // A login name as kept, or AdminError naming "login".
  static std::string CheckedLogin(std::string_view typed);

 private:
  store::Store& store_;
  registry::ValidationContext validation_;
  AuditSink audit_;
};

// The AuditSink of a command run by hand: written at once, as actor "cli".
AuditSink WriteAuditNow(store::Store& store);

// The principal of a command run by hand on the server (channel cli, role admin).
Principal CommandLine();

}  // namespace harvest::auth
