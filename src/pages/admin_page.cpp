// /admin (SPEC §9, admin only): API keys, web logins and police officers. Every change is a
// POST form with the csrf field, made by auth::Administration — the same service as
// `harvest key|user|officer` — which checks the role, the rules and writes the audit entry;
// a change that worked answers 303 to the list (Post/Redirect/Get), except a new key,
// whose secret is shown once on the answer itself. The audit log is admin_audit_page.cpp.
#include <algorithm>
#include <charconv>

#include "api/api_error.h"
#include "api/responses.h"
#include "auth/privacy.h"
#include "pages/admin_pages.h"
#include "pages/layout.h"
#include "pages/page_access.h"
#include "registry/parish.h"

namespace harvest::pages {
namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kRoles[] = {"partner", "police", "extension", "admin"};

// What a form sent back, and the problem the service named (field and message).
struct Typed {
  Form form;
  std::string field;
  std::string problem;
};

std::string_view Or(std::string_view value, std::string_view fallback) {
  return value.empty() ? fallback : value;
}

// A labelled input; the problem, when it is about this field, said next to it.
void Field(Html& html, const Typed& typed, Name name, std::string_view label, std::string_view hint,
           std::string_view type, std::string_view autocomplete, bool required) {
  std::string_view id = name.text();
  std::string hint_id = std::string(id) + "-hint";
  std::string problem_id = std::string(id) + "-problem";
  bool wrong = typed.field == id;
  html.Element("label", label, {{"for", id}});
  if (!hint.empty()) {
    html.Element("span", hint, {{"class", "hint"}, {"id", hint_id}});
  }
  if (wrong) {
    html.Element("span", typed.problem, {{"class", "problem"}, {"id", problem_id}});
  }
  std::string value = type == "password" ? std::string() : FormValue(typed.form, id);
  std::string described = wrong ? problem_id : (hint.empty() ? std::string() : hint_id);
  std::vector<Attr> attrs{{"id", id},
                          {"name", id},
                          {"type", type},
                          {"autocomplete", autocomplete},
                          {"aria-invalid", wrong ? "true" : "false"},
                          {"value", value}};
  if (required) {
    attrs.push_back({"required", ""});
  }
  if (!described.empty()) {
    attrs.push_back({"aria-describedby", described});
  }
  html.Void("input", attrs);
}

void Select(Html& html, const Typed& typed, Name name, std::string_view label,
            std::string_view placeholder,
            const std::vector<std::pair<std::string, std::string>>& options) {
  std::string_view id = name.text();
  bool wrong = typed.field == id;
  std::string problem_id = std::string(id) + "-problem";
  html.Element("label", label, {{"for", id}});
  if (wrong) {
    html.Element("span", typed.problem, {{"class", "problem"}, {"id", problem_id}});
  }
  std::vector<Attr> attrs{
      {"id", id}, {"name", id}, {"required", ""}, {"aria-invalid", wrong ? "true" : "false"}};
  if (wrong) {
    attrs.push_back({"aria-describedby", problem_id});
  }
  html.Open("select", attrs);
  html.Element("option", placeholder, {{"value", ""}});
  std::string chosen = FormValue(typed.form, id);
  for (const auto& [value, text] : options) {
    Option(html, value, text, value == chosen);
  }
  html.Close("select");
}

std::vector<std::pair<std::string, std::string>> RoleOptions() {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string_view role : kRoles) {
    out.emplace_back(role, role);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParishOptions() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const registry::Parish& p : registry::Parishes()) {
    out.emplace_back(p.code, p.name);
  }
  return out;
}

// One button in a table row that posts `name=value` to `action`.
void RowButton(Html& html, const auth::Principal& who, std::string_view action, Name name,
               std::string_view value, std::string_view text, const std::string& accessible) {
  html.Open("form", {{"method", "post"}, {"action", action}, {"class", "row-action"}});
  CsrfField(html, who.csrf);
  html.Void("input", {{"type", "hidden"}, {"name", name.text()}, {"value", value}});
  html.Element("button", text, {{"type", "submit"}, {"aria-label", accessible}});
  html.Close("form");
}

void Notice(Html& html, std::string_view text, bool error) {
  if (!text.empty()) {
    html.Element(
        "p", text,
        {{"class", error ? "notice error" : "notice"}, {"role", error ? "alert" : "status"}});
  }
}

void Back(Html& html) {
  html.Open("p").Element("a", English().admin_back, {{"href", "/admin"}}).Close("p");
}

int StatusOf(const auth::AdminError& e) {
  switch (e.kind()) {
    case auth::AdminError::Kind::kInvalid:
      return 422;
    case auth::AdminError::Kind::kConflict:
      return 409;
    case auth::AdminError::Kind::kNotFound:
      return 404;
    case auth::AdminError::Kind::kForbidden:
      break;
  }
  throw api::ApiError(403, "forbidden", e.what());
}

// ---- keys ----

http::Response KeysPage(auth::Administration& admin, const auth::Principal& who, int status,
                        std::string_view notice, const Typed& typed) {
  const Strings& s = English();
  Html body;
  body.Element("h1", s.admin_keys);
  Notice(body, typed.problem.empty() ? notice : std::string_view(s.form_problems), status >= 400);
  if (!typed.problem.empty() && typed.field.empty()) {
    Notice(body, typed.problem, true);
  }
  body.Element("p", s.admin_keys_intro);
  body.Open("p").Element("a", s.key_create_heading, {{"href", "#create"}}).Close("p");
  std::vector<store::ApiKey> keys = admin.Keys(who);
  if (keys.empty()) {
    body.Element("p", s.no_keys);
  } else {
    body.Open("div", {{"class", "table-wrap"},
                      {"tabindex", "0"},
                      {"role", "region"},
                      {"aria-labelledby", "keys-caption"}});
    body.Open("table", {{"class", "wide"}});
    body.Element("caption", s.admin_keys, {{"id", "keys-caption"}});
    body.Open("thead").Open("tr");
    for (std::string_view h : {s.key_id, s.key_prefix, s.key_role, s.key_name, s.key_created,
                               s.key_last_used, s.key_state}) {
      body.Element("th", h, {{"scope", "col"}});
    }
    body.Element("td", "").Close("tr").Close("thead").Open("tbody");
    for (const store::ApiKey& k : keys) {
      std::string id = std::to_string(k.id);
      body.Open("tr", {{"data-key", id}});
      body.Element("td", id).Element("td", k.prefix).Element("td", registry::RoleName(k.role));
      body.Element("td", k.name).Element("td", k.created_at);
      body.Element("td", Or(k.last_used_at, s.never));
      if (k.revoked_at.empty()) {
        body.Element("td", s.key_valid).Open("td");
        RowButton(body, who, "/admin/keys/revoke", "id", id, s.key_revoke_button,
                  std::string(s.key_revoke_button) + " " + id + " (" + k.name + ")");
        body.Close("td");
      } else {
        body.Element("td", std::string(s.key_revoked_on) + " " + k.revoked_at).Element("td", "");
      }
      body.Close("tr");
    }
    body.Close("tbody").Close("table").Close("div");
  }
  body.Element("h2", s.key_create_heading, {{"id", "create"}});
  body.Open("form", {{"method", "post"}, {"action", "/admin/keys"}});
  CsrfField(body, who.csrf);
  Field(body, typed, "name", s.key_name, s.key_name_hint, "text", "off", true);
  Select(body, typed, "role", s.key_role, s.any, RoleOptions());
  body.Element("button", s.key_create_button, {{"type", "submit"}});
  body.Close("form");
  Back(body);
  return Page(status, s.admin_keys, who, body.Take());
}

http::Response CreateKey(auth::Administration& admin, const auth::Principal& who,
                         const Form& form) {
  const Strings& s = English();
  auth::NewKey made;
  try {
    made = admin.CreateKey(who, FormValue(form, "role"), FormValue(form, "name"));
  } catch (const auth::AdminError& e) {
    return KeysPage(admin, who, StatusOf(e), {}, Typed{form, e.field(), e.what()});
  }
  // Not a redirect: the secret exists only in this answer (never stored, never in a URL).
  Html body;
  body.Element("h1", s.key_created_title);
  Notice(body, s.key_secret_once, false);
  body.Open("dl");
  body.Element("dt", s.key_secret_label);
  body.Open("dd").Element("code", made.secret, {{"id", "secret"}, {"class", "secret"}}).Close("dd");
  body.Element("dt", s.key_id).Element("dd", std::to_string(made.key.id));
  body.Element("dt", s.key_name).Element("dd", made.key.name);
  body.Element("dt", s.key_role).Element("dd", registry::RoleName(made.key.role));
  body.Close("dl");
  body.Open("p").Element("a", s.admin_keys, {{"href", "/admin/keys"}}).Close("p");
  return Page(201, s.key_created_title, who, body.Take());
}

http::Response RevokeKey(auth::Administration& admin, const auth::Principal& who,
                         const Form& form) {
  std::string text = FormValue(form, "id");
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  try {
    if (ec != std::errc() || end != text.data() + text.size()) {
      throw auth::AdminError(auth::AdminError::Kind::kNotFound, "id",
                             "no valid key with id '" + text + "'");
    }
    admin.RevokeKey(who, id);
  } catch (const auth::AdminError& e) {
    return KeysPage(admin, who, StatusOf(e), {}, Typed{{}, "", e.what()});
  }
  return Redirect("/admin/keys?done=revoked");
}

// ---- web logins ----

http::Response UsersPage(auth::Administration& admin, const auth::Principal& who, int status,
                         std::string_view notice, const Typed& typed) {
  const Strings& s = English();
  Html body;
  body.Element("h1", s.admin_users);
  Notice(body, typed.problem.empty() ? notice : std::string_view(s.form_problems), status >= 400);
  if (!typed.problem.empty() && typed.field.empty()) {
    Notice(body, typed.problem, true);
  }
  body.Element("p", s.admin_users_intro);
  body.Open("p").Element("a", s.user_add_heading, {{"href", "#add"}}).Close("p");
  std::vector<store::WebUser> users = admin.Users(who);
  if (users.empty()) {
    body.Element("p", s.no_users);
  } else {
    body.Open("div", {{"class", "table-wrap"},
                      {"tabindex", "0"},
                      {"role", "region"},
                      {"aria-labelledby", "users-caption"}});
    body.Open("table");
    body.Element("caption", s.admin_users, {{"id", "users-caption"}});
    body.Open("thead").Open("tr");
    for (std::string_view h : {s.user_login, s.user_role, s.user_created, s.user_state}) {
      body.Element("th", h, {{"scope", "col"}});
    }
    body.Element("td", "").Close("tr").Close("thead").Open("tbody");
    for (const store::WebUser& u : users) {
      body.Open("tr", {{"data-login", u.login}});
      body.Element("td", u.login).Element("td", registry::RoleName(u.role));
      body.Element("td", u.created_at);
      if (u.disabled_at.empty()) {
        body.Element("td", s.user_enabled).Open("td");
        if (who.actor != "user:" + u.login) {  // an admin does not lock themself out here
          RowButton(body, who, "/admin/users/disable", "login", u.login, s.user_disable_button,
                    std::string(s.user_disable_button) + " " + u.login);
        }
        body.Close("td");
      } else {
        body.Element("td", std::string(s.user_disabled_on) + " " + u.disabled_at).Element("td", "");
      }
      body.Close("tr");
    }
    body.Close("tbody").Close("table").Close("div");
  }
  body.Element("h2", s.user_add_heading, {{"id", "add"}});
  body.Open("form", {{"method", "post"}, {"action", "/admin/users"}});
  CsrfField(body, who.csrf);
  Field(body, typed, "login", s.user_login, s.user_login_hint, "text", "off", true);
  Select(body, typed, "role", s.user_role, s.any, RoleOptions());
  Field(body, typed, "password", s.user_password, s.user_password_hint, "password", "new-password",
        true);
  body.Element("button", s.user_add_button, {{"type", "submit"}});
  body.Close("form");
  Back(body);
  return Page(status, s.admin_users, who, body.Take());
}

// ---- officers ----

http::Response OfficersPage(auth::Administration& admin, const auth::Principal& who, int status,
                            std::string_view notice, const Typed& typed) {
  const Strings& s = English();
  Html body;
  body.Element("h1", s.admin_officers);
  Notice(body, typed.problem.empty() ? notice : std::string_view(s.form_problems), status >= 400);
  if (!typed.problem.empty() && typed.field.empty()) {
    Notice(body, typed.problem, true);
  }
  body.Element("p", s.admin_officers_intro);
  body.Open("p").Element("a", s.officer_add_heading, {{"href", "#add"}}).Close("p");
  std::vector<auth::Officer> officers = admin.Officers(who);
  if (officers.empty()) {
    body.Element("p", s.no_officers);
  } else {
    body.Open("div", {{"class", "table-wrap"},
                      {"tabindex", "0"},
                      {"role", "region"},
                      {"aria-labelledby", "officers-caption"}});
    body.Open("table", {{"class", "wide"}});
    body.Element("caption", s.admin_officers, {{"id", "officers-caption"}});
    body.Open("thead").Open("tr");
    for (std::string_view h : {s.officer_id, s.officer_phone, s.officer_badge, s.key_name,
                               s.officer_station, s.officer_parish, s.officer_status}) {
      body.Element("th", h, {{"scope", "col"}});
    }
    body.Element("td", "").Close("tr").Close("thead").Open("tbody");
    for (const auth::Officer& o : officers) {
      body.Open("tr", {{"data-phone", o.phone}});
      body.Element("td", o.id).Element("td", o.phone).Element("td", o.badge);
      body.Element("td", o.name).Element("td", o.station);
      body.Element("td", o.parish.empty() ? std::string_view() : registry::ParishName(o.parish));
      body.Element("td", o.status).Open("td");
      if (o.status == "active") {
        RowButton(body, who, "/admin/officers/block", "phone", o.phone, s.officer_block_button,
                  std::string(s.officer_block_button) + " " + o.phone);
      }
      body.Close("td").Close("tr");
    }
    body.Close("tbody").Close("table").Close("div");
  }
  body.Element("h2", s.officer_add_heading, {{"id", "add"}});
  body.Open("form", {{"method", "post"}, {"action", "/admin/officers"}});
  CsrfField(body, who.csrf);
  Field(body, typed, "phone", s.officer_phone, s.officer_phone_hint, "tel", "off", true);
  Field(body, typed, "badge", s.officer_badge, {}, "text", "off", true);
  Field(body, typed, "name", s.officer_name, {}, "text", "off", false);
  Field(body, typed, "station", s.officer_station, {}, "text", "off", true);
  Select(body, typed, "parish", s.officer_parish, s.choose_parish, ParishOptions());
  body.Element("button", s.officer_add_button, {{"type", "submit"}});
  body.Close("form");
  Back(body);
  return Page(status, s.admin_officers, who, body.Take());
}

http::Response Overview(const auth::Principal& who) {
  const Strings& s = English();
  Html body;
  body.Element("h1", s.admin_title);
  body.Element("p", s.admin_intro);
  body.Open("ul", {{"class", "menu"}});
  struct Entry {
    std::string_view href, title, intro;
  };
  for (const Entry& e : {Entry{"/admin/keys", s.admin_keys, s.admin_keys_intro},
                         Entry{"/admin/users", s.admin_users, s.admin_users_intro},
                         Entry{"/admin/officers", s.admin_officers, s.admin_officers_intro},
                         Entry{"/admin/audit", s.admin_audit, s.admin_audit_intro}}) {
    body.Open("li").Element("a", e.title, {{"href", e.href}}).Text(" ");
    body.Element("span", e.intro, {{"class", "hint"}}).Close("li");
  }
  body.Close("ul");
  return Page(200, s.admin_title, who, body.Take());
}

std::string_view DoneNotice(const http::Request& request) {
  const Strings& s = English();
  std::string done = QueryValue(request, "done");
  if (done == "revoked") {
    return s.key_revoked_notice;
  }
  if (done == "added") {
    return s.user_added_notice;
  }
  if (done == "disabled") {
    return s.user_disabled_notice;
  }
  if (done == "officer") {
    return s.officer_added_notice;
  }
  if (done == "reactivated") {
    return s.officer_reactivated_notice;
  }
  if (done == "blocked") {
    return s.officer_blocked_notice;
  }
  return {};
}

// A POST to a list page: the form, checked for its csrf field, then the change.
http::Response Change(auth::Administration& admin, const http::Request& request,
                      const auth::Principal& who) {
  Form form = http::ParseQueryString(request.body);
  RequireCsrf(form, who);
  const std::string& path = request.path;
  if (path == "/admin/keys") {
    return CreateKey(admin, who, form);
  }
  if (path == "/admin/keys/revoke") {
    return RevokeKey(admin, who, form);
  }
  try {
    if (path == "/admin/users") {
      admin.AddUser(who, FormValue(form, "login"), FormValue(form, "role"),
                    FormValue(form, "password"));
      return Redirect("/admin/users?done=added");
    }
    if (path == "/admin/users/disable") {
      admin.DisableUser(who, FormValue(form, "login"));
      return Redirect("/admin/users?done=disabled");
    }
    if (path == "/admin/officers") {
      auth::OfficerInput in{FormValue(form, "phone"), FormValue(form, "badge"),
                            FormValue(form, "station"), FormValue(form, "parish"),
                            FormValue(form, "name")};
      bool again = admin.AddOfficer(who, in).reactivated;
      return Redirect(again ? "/admin/officers?done=reactivated" : "/admin/officers?done=officer");
    }
    admin.BlockOfficer(who, FormValue(form, "phone"));
    return Redirect("/admin/officers?done=blocked");
  } catch (const auth::AdminError& e) {
    int status = StatusOf(e);
    bool row_action = path.ends_with("/disable") || path.ends_with("/block");
    Typed typed{row_action ? Form{} : form, row_action ? "" : e.field(), e.what()};
    if (path.starts_with("/admin/users")) {
      return UsersPage(admin, who, status, {}, typed);
    }
    return OfficersPage(admin, who, status, {}, typed);
  }
}

}  // namespace

std::optional<http::Response> AdminPages(web::Context& context, auth::Administration& admin,
                                         http::Request& request, auth::Principal& who) {
  const std::string& path = request.path;
  if (path != "/admin" && !path.starts_with("/admin/")) {
    return std::nullopt;
  }
  static constexpr std::string_view kPosts[] = {"/admin/keys",     "/admin/keys/revoke",
                                                "/admin/users",    "/admin/users/disable",
                                                "/admin/officers", "/admin/officers/block"};
  static constexpr std::string_view kReads[] = {"/admin", "/admin/keys", "/admin/users",
                                                "/admin/officers", "/admin/audit"};
  bool posts = std::find(std::begin(kPosts), std::end(kPosts), path) != std::end(kPosts);
  bool reads = std::find(std::begin(kReads), std::end(kReads), path) != std::end(kReads);
  if (!posts && !reads) {
    return std::nullopt;
  }
  bool read = request.method == "GET" || request.method == "HEAD";
  if (read && !reads) {
    api::MethodNotAllowed("POST");
  }
  if (!read && (request.method != "POST" || !posts)) {
    api::MethodNotAllowed(posts ? "GET, HEAD, POST" : "GET, HEAD");
  }
  if (auto login = RequirePageRole(request, who, auth::MayAdminister(who.role), "administer")) {
    return login;
  }
  if (!read) {
    return Change(admin, request, who);
  }
  if (path == "/admin/keys") {
    return KeysPage(admin, who, 200, DoneNotice(request), {});
  }
  if (path == "/admin/users") {
    return UsersPage(admin, who, 200, DoneNotice(request), {});
  }
  if (path == "/admin/officers") {
    return OfficersPage(admin, who, 200, DoneNotice(request), {});
  }
  if (path == "/admin/audit") {
    return AuditPage(context, request, who);
  }
  return Overview(who);
}

}  // namespace harvest::pages
