// harvest user add|list|disable: staff web logins (SPEC §7, §9), through the administration
// service. The password is read from stdin, never from the command line (where `ps` and
// shell history would show it).
#include <cstdio>
#include <iostream>

#include "auth/sessions.h"
#include "cli/commands.h"

namespace harvest::cli {
namespace {

// The first line of stdin, without its line ending.
std::string PasswordFromStdin() {
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') {
    password.pop_back();
  }
  return password;
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
    try {
      auth::Administration::CheckedLogin(*login);  // before waiting for a password
      std::string password = PasswordFromStdin();
      config::Config config = globals.LoadConfig();
      auto store = globals.OpenStore(config);
      store::WebUser made =
          Administration(*store, config).AddUser(auth::CommandLine(), *login, *role, password);
      std::cerr << "user " << made.login << " (" << *role << ") added\n";
    } catch (const auth::AdminError& e) {
      throw FromAdminError(e);
    }
  });

  auto* list = user->add_subcommand("list", "list web logins (never their passwords)");
  list->callback([&globals] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    std::printf("%-24s %-10s %-21s %s\n", "LOGIN", "ROLE", "CREATED", "DISABLED");
    for (const store::WebUser& u : Administration(*store, config).Users(auth::CommandLine())) {
      std::printf("%-24s %-10s %-21s %s\n", u.login.c_str(),
                  std::string(registry::RoleName(u.role)).c_str(), u.created_at.c_str(),
                  u.disabled_at.empty() ? "-" : u.disabled_at.c_str());
    }
  });

  auto* disable = user->add_subcommand("disable", "stop a login at once (its sessions end)");
  auto gone = std::make_shared<std::string>();
  disable->add_option("--login", *gone, "the login name")->required();
  disable->callback([&globals, gone] {
    config::Config config = globals.LoadConfig();
    auto store = globals.OpenStore(config);
    try {
      Administration(*store, config).DisableUser(auth::CommandLine(), *gone);
    } catch (const auth::AdminError& e) {
      throw CommandError(e.what());
    }
    std::cerr << "user " << auth::Sessions::NormalLogin(*gone)
              << " disabled; its sessions have ended\n";
  });
}

}  // namespace harvest::cli
