// harvest user add|list|disable: staff web logins (SPEC §7, §9). The password is read from
// stdin, never from the command line (where `ps` and shell history would show it).
#include <cstdio>
#include <iostream>

#include "auth/passwords.h"
#include "auth/sessions.h"
#include "cli/commands.h"
#include "registry/clock.h"

namespace harvest::cli {
namespace {

std::string CheckedLogin(const std::string& typed) {
  std::string login = auth::Sessions::NormalLogin(typed);
  if (login.empty() || login.size() > auth::kMaxLoginLength) {
    throw CommandError("--login must have 1 to " + std::to_string(auth::kMaxLoginLength) +
                       " characters");
  }
  for (char c : login) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                   c == '_' || c == '@';
    if (!allowed) {
      throw CommandError("--login may hold letters, digits and . - _ @, not '" + typed + "'");
    }
  }
  return login;
}

// The first line of stdin, without its line ending.
std::string PasswordFromStdin() {
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') {
    password.pop_back();
  }
  if (password.size() < auth::kMinPasswordLength) {
    throw CommandError("the password (the first line of stdin) must have at least " +
                       std::to_string(auth::kMinPasswordLength) + " characters");
  }
  return password;
}

void Audit(store::Store& store, const std::string& action, const std::string& login,
           const std::string& detail) {
  store.AppendAudit({store::AuditEntry{registry::NowRfc3339(), "cli", "admin", "cli", action,
                                       "users", login, detail}});
}

}  // namespace

void RegisterUser(CLI::App& app, Globals& globals) {
  auto* user = app.add_subcommand("user", "staff web logins: add, list, disable");
  user->require_subcommand(1);

  auto* add = user->add_subcommand("add", "add a web login; its password is read from stdin");
  auto login = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  add->add_option("--login", *login, "the login name (letters, digits, . - _ @)")->required();
  add->add_option("--role", *role, "police, extension or admin (or partner)")
      ->required()
      ->check(CLI::IsMember({"partner", "police", "extension", "admin"}));
  add->callback([&globals, login, role] {
    registry::Role parsed;
    registry::ParseRole(*role, parsed);
    std::string name = CheckedLogin(*login);
    std::string password = PasswordFromStdin();
    auto store = globals.OpenStore(globals.LoadConfig());
    try {
      store::WebUser made = store->CreateUser(name, parsed, auth::HashPassword(password));
      Audit(*store, "create", name, "role " + *role);
      std::cerr << "user " << made.login << " (" << *role << ") added\n";
    } catch (const store::WriteError& e) {
      throw CommandError(e.errors().front().message);
    }
  });

  auto* list = user->add_subcommand("list", "list web logins (never their passwords)");
  list->callback([&globals] {
    auto store = globals.OpenStore(globals.LoadConfig());
    std::printf("%-24s %-10s %-21s %s\n", "LOGIN", "ROLE", "CREATED", "DISABLED");
    for (const store::WebUser& u : store->ListUsers()) {
      std::printf("%-24s %-10s %-21s %s\n", u.login.c_str(),
                  std::string(registry::RoleName(u.role)).c_str(), u.created_at.c_str(),
                  u.disabled_at.empty() ? "-" : u.disabled_at.c_str());
    }
  });

  auto* disable = user->add_subcommand("disable", "stop a login at once (its sessions end)");
  auto gone = std::make_shared<std::string>();
  disable->add_option("--login", *gone, "the login name")->required();
  disable->callback([&globals, gone] {
    auto store = globals.OpenStore(globals.LoadConfig());
    std::string name = auth::Sessions::NormalLogin(*gone);
    if (!store->DisableUser(name)) {
      throw CommandError("no enabled login named '" + *gone + "'");
    }
    Audit(*store, "disable", name, "");
    std::cerr << "user " << name << " disabled; its sessions have ended\n";
  });
}

}  // namespace harvest::cli
