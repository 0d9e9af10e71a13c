// The SQLite backend's web logins, sessions and failed-login counts (SPEC §9, §11). Kept
// apart from sqlite_store.cpp, whose rules are the registry's.
#include "registry/clock.h"
#include "store/sqlite/sqlite_store.h"

namespace harvest::store::sqlite {
namespace {

constexpr const char* kUserColumns =
    "id, login, role, password_hash, created_at, coalesce(disabled_at, '')";

WebUser ReadUser(const Statement& stmt) {
  WebUser user;
  user.id = stmt.ColumnInt(0);
  user.login = stmt.ColumnText(1);
  registry::ParseRole(stmt.ColumnText(2), user.role);
  user.password_hash = stmt.ColumnText(3);
  user.created_at = stmt.ColumnText(4);
  user.disabled_at = stmt.ColumnText(5);
  return user;
}

}  // namespace

WebUser SqliteStore::CreateUser(const std::string& login, registry::Role role,
                                const std::string& password_hash) {
  Connection& conn = Conn();
  Transaction tx(conn);
  if (FindUser(login)) {
    throw WriteError({{0, "login", "a login named '" + login + "' exists already", true}});
  }
  Statement& stmt = conn.Prepare(std::string("INSERT INTO users (login, role, password_hash, "
                                             "created_at) VALUES (?, ?, ?, ?) RETURNING ") +
                                 kUserColumns);
  stmt.Bind(1, login)
      .Bind(2, std::string(registry::RoleName(role)))
      .Bind(3, password_hash)
      .Bind(4, registry::NowRfc3339());
  stmt.Step();
  WebUser user = ReadUser(stmt);
  stmt.Reset();
  tx.Commit();
  return user;
}

std::optional<WebUser> SqliteStore::FindUser(const std::string& login) {
  Statement& stmt =
      Conn().Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE login = ?");
  stmt.Bind(1, login);
  std::optional<WebUser> user;
  if (stmt.Step()) {
    user = ReadUser(stmt);
  }
  stmt.Reset();
  return user;
}

std::vector<WebUser> SqliteStore::ListUsers() {
  Statement& stmt =
      Conn().Prepare(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY id");
  std::vector<WebUser> users;
  while (stmt.Step()) {
    users.push_back(ReadUser(stmt));
  }
  return users;
}

bool SqliteStore::DisableUser(const std::string& login) {
  Connection& conn = Conn();
  Transaction tx(conn);
  Statement& stmt =
      conn.Prepare("UPDATE users SET disabled_at = ? WHERE login = ? AND disabled_at IS NULL");
  stmt.Bind(1, registry::NowRfc3339()).Bind(2, login).Run();
  bool disabled = conn.Changes() > 0;
  Statement& end =
      conn.Prepare("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE login = ?)");
  end.Bind(1, login).Run();
  tx.Commit();
  return disabled;
}

void SqliteStore::CreateSession(const WebSession& session) {
  Connection& conn = Conn();
  Transaction tx(conn);
  Statement& stmt = conn.Prepare(
      "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at) "
      "VALUES (?, ?, ?, ?, ?)");
  stmt.Bind(1, session.token_hash)
      .Bind(2, session.user_id)
      .Bind(3, session.csrf)
      .Bind(4, session.created_at)
      .Bind(5, session.last_seen_at)
      .Run();
  tx.Commit();
}

std::optional<WebSession> SqliteStore::FindSession(const std::string& token_hash) {
  Statement& stmt = Conn().Prepare(
      "SELECT s.token_hash, s.user_id, s.csrf, s.created_at, s.last_seen_at, u.login, u.role, "
      "u.disabled_at IS NOT NULL FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.token_hash = ?");
  stmt.Bind(1, token_hash);
  std::optional<WebSession> session;
  if (stmt.Step()) {
    session.emplace();
    session->token_hash = stmt.ColumnText(0);
    session->user_id = stmt.ColumnInt(1);
    session->csrf = stmt.ColumnText(2);
    session->created_at = stmt.ColumnInt(3);
    session->last_seen_at = stmt.ColumnInt(4);
    session->login = stmt.ColumnText(5);
    registry::ParseRole(stmt.ColumnText(6), session->role);
    session->user_disabled = stmt.ColumnInt(7) != 0;
  }
  stmt.Reset();
  return session;
}

void SqliteStore::TouchSession(const std::string& token_hash, int64_t at) {
  Connection& conn = Conn();
  Transaction tx(conn);
  Statement& stmt =
      conn.Prepare("UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE token_hash = ?");
  stmt.Bind(1, at).Bind(2, token_hash).Run();
  tx.Commit();
}

void SqliteStore::EndSession(const std::string& token_hash) {
  Connection& conn = Conn();
  Transaction tx(conn);
  Statement& stmt = conn.Prepare("DELETE FROM sessions WHERE token_hash = ?");
  stmt.Bind(1, token_hash).Run();
  tx.Commit();
}

void SqliteStore::RecordLoginFailure(const std::string& login, int64_t at, int64_t forget_before) {
  Connection& conn = Conn();
  Transaction tx(conn);
  // Every login's old failures, not only this one's: guessed logins that never fail again
  // would otherwise stay for ever. Failures cost an Argon2id check each, so the window holds
  // few rows to scan.
  Statement& forget = conn.Prepare("DELETE FROM login_failures WHERE at < ?");
  forget.Bind(1, forget_before).Run();
  Statement& stmt = conn.Prepare("INSERT INTO login_failures (login, at) VALUES (?, ?)");
  stmt.Bind(1, login).Bind(2, at).Run();
  tx.Commit();
}

std::vector<int64_t> SqliteStore::LoginFailuresSince(const std::string& login, int64_t since) {
  Statement& stmt =
      Conn().Prepare("SELECT at FROM login_failures WHERE login = ? AND at >= ? ORDER BY at");
  stmt.Bind(1, login).Bind(2, since);
  std::vector<int64_t> times;
  while (stmt.Step()) {
    times.push_back(stmt.ColumnInt(0));
  }
  return times;
}

}  // namespace harvest::store::sqlite
