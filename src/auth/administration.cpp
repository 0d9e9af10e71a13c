#include "auth/administration.h"

#include "auth/keys.h"
#include "auth/passwords.h"
#include "auth/privacy.h"
#include "auth/sessions.h"
#include "registry/clock.h"
#include "registry/text_values.h"

namespace harvest::auth {
namespace {

using Kind = AdminError::Kind;

const registry::DatasetDef& OfficerSet() {
  return *registry::FindDataset("officers");
}

std::string Field(const store::Row& row, std::string_view name) {
  return store::ValueText(row[static_cast<size_t>(OfficerSet().FieldIndex(name))]);
}

void RequireAdmin(const Principal& who) {
  if (!MayAdminister(who.role)) {
    throw AdminError(Kind::kForbidden, "",
                     "the " + std::string(registry::RoleName(who.role)) +
                         " role may not manage keys, logins or officers");
  }
}

// Keys and logins are for the roles that log in or call the API; public needs neither.
registry::Role StaffRole(std::string_view name) {
  registry::Role role = registry::kPublic;
  if (!registry::ParseRole(name, role) || role == registry::kPublic) {
    throw AdminError(
        Kind::kInvalid, "role",
        "role must be partner, police, extension or admin, not '" + std::string(name) + "'");
  }
  return role;
}

std::string NormalPhone(std::string_view typed, const registry::ValidationContext& validation) {
  store::Value phone;
  const registry::FieldDef& field = *OfficerSet().Field("phone");
  auto problem = registry::ConvertCell(field, registry::InputCell::Text(std::string(typed)),
                                       validation, phone);
  if (problem || store::IsNull(phone)) {
    throw AdminError(Kind::kInvalid, "phone", "phone " + problem.value_or("is required"));
  }
  return std::get<std::string>(phone);
}

std::optional<store::Row> OfficerByPhone(store::Store& store, const std::string& phone) {
  store::Selection sel;
  sel.filters.push_back(
      store::Filter{OfficerSet().FieldIndex("phone"), store::FilterOp::kEq, {phone}});
  sel.limit = 1;
  auto rows = store.Select(OfficerSet(), sel);
  return rows.empty() ? std::nullopt : std::optional(rows.front());
}

}  // namespace

Administration::Administration(store::Store& store, registry::ValidationContext validation,
                               AuditSink audit)
    : store_(store), validation_(std::move(validation)), audit_(std::move(audit)) {}

NewKey Administration::CreateKey(const Principal& who, std::string_view role_name,
                                 std::string_view name) {
  RequireAdmin(who);
  registry::Role role = StaffRole(role_name);
  std::string trimmed = registry::Trim(name);
  if (trimmed.empty()) {
    throw AdminError(Kind::kInvalid, "name", "name is required: who the key is for");
  }
  if (auto problem = registry::CheckText(trimmed, 100, false)) {
    throw AdminError(Kind::kInvalid, "name", "name " + *problem);
  }
  NewKey made;
  made.secret = GenerateKey();
  made.key = store_.CreateKey(trimmed, role, HashKey(made.secret), made.secret.substr(0, 8));
  audit_(who, "create", "keys", std::to_string(made.key.id),
         std::string(registry::RoleName(role)) + ", " + trimmed);
  return made;
}

void Administration::RevokeKey(const Principal& who, int64_t id) {
  RequireAdmin(who);
  if (!store_.RevokeKey(id)) {
    throw AdminError(Kind::kNotFound, "id", "no valid key with id " + std::to_string(id));
  }
  audit_(who, "revoke", "keys", std::to_string(id), "");
}

std::vector<store::ApiKey> Administration::Keys(const Principal& who) {
  RequireAdmin(who);
  return store_.ListKeys();
}

std::string Administration::CheckedLogin(std::string_view typed) {
  std::string login = Sessions::NormalLogin(typed);
  if (login.empty() || login.size() > kMaxLoginLength) {
    throw AdminError(Kind::kInvalid, "login",
                     "login must have 1 to " + std::to_string(kMaxLoginLength) + " characters");
  }
  for (char c : login) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                   c == '_' || c == '@';
    if (!allowed) {
      throw AdminError(
          Kind::kInvalid, "login",
          "login may hold letters, digits and . - _ @, not '" + std::string(typed) + "'");
    }
  }
  return login;
}

store::WebUser Administration::AddUser(const Principal& who, std::string_view login,
                                       std::string_view role_name, std::string_view password) {
  RequireAdmin(who);
  std::string name = CheckedLogin(login);
  registry::Role role = StaffRole(role_name);
  if (password.size() < kMinPasswordLength) {
    throw AdminError(
        Kind::kInvalid, "password",
        "password must have at least " + std::to_string(kMinPasswordLength) + " characters");
  }
  store::WebUser made;
  try {
    made = store_.CreateUser(name, role, HashPassword(password));
  } catch (const store::WriteError& e) {
    throw AdminError(Kind::kConflict, "login", e.errors().front().message);
  }
  audit_(who, "create", "users", name, "role " + std::string(registry::RoleName(role)));
  return made;
}

void Administration::DisableUser(const Principal& who, std::string_view login) {
  RequireAdmin(who);
  std::string name = Sessions::NormalLogin(login);
  // An administrator on the web would end their own session and perhaps the last way in;
  // another administrator, or `harvest user disable` on the server, may.
  if (who.actor == "user:" + name) {
    throw AdminError(Kind::kConflict, "login", "you cannot disable your own login '" + name + "'");
  }
  if (!store_.DisableUser(name)) {
    throw AdminError(Kind::kNotFound, "login",
                     "no enabled login named '" + std::string(login) + "'");
  }
  audit_(who, "disable", "users", name, "");
}

std::vector<store::WebUser> Administration::Users(const Principal& who) {
  RequireAdmin(who);
  return store_.ListUsers();
}

OfficerOutcome Administration::AddOfficer(const Principal& who, const OfficerInput& in) {
  RequireAdmin(who);
  const registry::DatasetDef& set = OfficerSet();
  std::vector<registry::InputCell> cells(set.fields.size());
  auto put = [&](std::string_view field, const std::string& value) {
    if (!value.empty()) {
      cells[static_cast<size_t>(set.FieldIndex(field))] = registry::InputCell::Text(value);
    }
  };
  put("phone", in.phone);
  put("badge", in.badge);
  put("station", in.station);
  put("parish", in.parish);
  put("name", in.name);
  put("status", "active");
  // The station and its parish say where the officer checks; the schema leaves them
  // optional for stored rows, an officer added by hand names both.
  if (in.station.empty()) {
    throw AdminError(Kind::kInvalid, "station", "station is required");
  }
  if (in.parish.empty()) {
    throw AdminError(Kind::kInvalid, "parish", "parish is required");
  }
  store::Row row;
  auto problems = registry::BuildRow(set, cells, validation_, row);
  if (!problems.empty()) {
    throw AdminError(Kind::kInvalid, problems.front().field,
                     problems.front().field + " " + problems.front().message);
  }
  OfficerOutcome outcome;
  const store::Value& phone = row[static_cast<size_t>(set.FieldIndex("phone"))];
  if (store::IsNull(phone)) {
    throw AdminError(Kind::kInvalid, "phone", "phone is required");
  }
  outcome.phone = std::get<std::string>(phone);  // as BuildRow normalised it
  if (auto existing = OfficerByPhone(store_, outcome.phone)) {
    outcome.id = Field(*existing, "id");
    if (Field(*existing, "status") == "active") {
      throw AdminError(
          Kind::kConflict, "phone",
          "an active officer already has phone " + outcome.phone + " (id " + outcome.id + ")");
    }
    std::vector<std::pair<int, store::Value>> changes;
    for (std::string_view f : {"badge", "station", "parish", "name", "status"}) {
      int index = set.FieldIndex(f);
      if (!store::IsNull(row[static_cast<size_t>(index)])) {
        changes.emplace_back(index, row[static_cast<size_t>(index)]);
      }
    }
    store_.Update(set, (*existing)[static_cast<size_t>(set.KeyIndex())], changes);
    audit_(who, "update", "officers", outcome.id, "re-activated");
    outcome.reactivated = true;
    return outcome;
  }
  store::WriteResult written;
  try {
    written = store_.Write(set, {row}, store::WriteMode::kInsert);
  } catch (const store::WriteError& e) {
    const store::RowError& first = e.errors().front();
    throw AdminError(e.conflict() ? Kind::kConflict : Kind::kInvalid, first.field,
                     first.field + " " + first.message);
  }
  outcome.id = Field(written.rows.front(), "id");
  audit_(who, "create", "officers", outcome.id, "1 rows");
  return outcome;
}

std::string Administration::BlockOfficer(const Principal& who, std::string_view typed_phone) {
  RequireAdmin(who);
  std::string phone = NormalPhone(typed_phone, validation_);
  auto existing = OfficerByPhone(store_, phone);
  if (!existing) {
    throw AdminError(Kind::kNotFound, "phone", "no officer has phone " + phone);
  }
  const registry::DatasetDef& set = OfficerSet();
  store_.Update(set, (*existing)[static_cast<size_t>(set.KeyIndex())],
                {{set.FieldIndex("status"), std::string("blocked")}});
  std::string id = Field(*existing, "id");
  audit_(who, "update", "officers", id, "blocked");
  return id;
}

std::vector<Officer> Administration::Officers(const Principal& who) {
  RequireAdmin(who);
  std::vector<Officer> out;
  store::Selection all;
  store_.Scan(OfficerSet(), all, [&out](const store::Row& row) {
    out.push_back(Officer{Field(row, "id"), Field(row, "phone"), Field(row, "badge"),
                          Field(row, "name"), Field(row, "station"), Field(row, "parish"),
                          Field(row, "status")});
    return true;
  });
  return out;
}

AuditSink WriteAuditNow(store::Store& store) {
  return [&store](const Principal& who, std::string action, std::string dataset, std::string record,
                  std::string detail) {
    store.AppendAudit({store::AuditEntry{
        registry::NowRfc3339(), who.actor, std::string(registry::RoleName(who.role)), who.channel,
        std::move(action), std::move(dataset), std::move(record), std::move(detail)}});
  };
}

Principal CommandLine() {
  Principal who;
  who.role = registry::kAdmin;
  who.actor = "cli";
  who.channel = "cli";
  return who;
}

}  // namespace harvest::auth
