#include "pages/pages.h"

#include "api/responses.h"
#include "auth/passwords.h"
#include "pages/admin_pages.h"
#include "pages/assets.h"
#include "pages/layout.h"
#include "pages/portal.h"
#include "pages/registry_pages.h"

namespace harvest::pages {
namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

// The login form has no session yet, so its CSRF token is a cookie of its own that the form
// must repeat (a cross-site form cannot read or set it).
constexpr std::string_view kLoginCsrfCookie = "harvest_login_csrf";

bool Secure(const web::Context& context) {
  return context.config.public_url.starts_with("https://");
}

std::string Cookie(const web::Context& context, std::string_view name, std::string_view value,
                   std::string_view attributes) {
  std::string out =
      std::string(name) + "=" + std::string(value) + "; " + std::string(attributes) + "; HttpOnly";
  if (Secure(context)) {
    out += "; Secure";
  }
  return out;
}

// Only a path on this server (not "//host", which browsers read as another site).
std::string LocalPath(const std::string& next) {
  bool local = next.starts_with("/") && !next.starts_with("//") &&
               next.find('\\') == std::string::npos && next.find('\n') == std::string::npos &&
               next.find('\r') == std::string::npos;
  return local ? next : "/verify";
}

http::Response LoginForm(const web::Context& context, const http::Request& request,
                         const auth::Principal& who, int status, std::string_view notice,
                         std::string_view typed_login, std::string_view next) {
  const Strings& s = English();
  std::string token = request.Cookie(kLoginCsrfCookie).value_or("");
  bool fresh =
      token.size() != 64 || token.find_first_not_of("0123456789abcdef") != std::string::npos;
  if (fresh) {
    token = auth::RandomToken();
  }
  Html body;
  body.Element("h1", s.login_title);
  if (!notice.empty()) {
    body.Element("p", notice,
                 {{"class", status == 200 ? "notice" : "notice error"},
                  {"role", status == 200 ? "status" : "alert"}});
  }
  body.Element("p", s.login_intro);
  body.Open("form", {{"method", "post"}, {"action", "/login"}});
  CsrfField(body, token);
  body.Void("input", {{"type", "hidden"}, {"name", "next"}, {"value", next}});
  body.Element("label", s.login_label, {{"for", "login"}});
  body.Void("input", {{"id", "login"},
                      {"name", "login"},
                      {"type", "text"},
                      {"autocomplete", "username"},
                      {"autocapitalize", "none"},
                      {"spellcheck", "false"},
                      {"required", ""},
                      {"value", typed_login}});
  body.Element("label", s.password_label, {{"for", "password"}});
  body.Void("input", {{"id", "password"},
                      {"name", "password"},
                      {"type", "password"},
                      {"autocomplete", "current-password"},
                      {"required", ""}});
  body.Element("button", s.login_button, {{"type", "submit"}});
  body.Close("form");
  http::Response res = Page(status, s.login_title, who, body.Take());
  if (fresh) {
    res.Set("Set-Cookie", Cookie(context, kLoginCsrfCookie, token, "Path=/login; SameSite=Strict"));
  }
  return res;
}

http::Response LogIn(web::Context& context, auth::Sessions& sessions, const http::Request& request,
                     const auth::Principal& who) {
  const Strings& s = English();
  Form form = http::ParseQueryString(request.body);
  std::string login = FormValue(form, "login");
  std::string next = LocalPath(FormValue(form, "next"));
  std::optional<std::string> cookie = request.Cookie(kLoginCsrfCookie);
  auth::Principal form_owner;
  form_owner.csrf = cookie.value_or("");
  RequireCsrf(form, form_owner);
  auth::LoginOutcome outcome = sessions.LogIn(login, FormValue(form, "password"));
  if (outcome.kind == auth::LoginOutcome::Kind::kTooMany) {
    std::string minutes = std::to_string((outcome.retry_after + 59) / 60);
    std::string notice =
        std::string(s.login_too_many) + " " + minutes + " " + std::string(s.minutes);
    http::Response res = LoginForm(context, request, who, 429, notice, login, next);
    res.Set("Retry-After", std::to_string(outcome.retry_after));
    return res;
  }
  if (outcome.kind == auth::LoginOutcome::Kind::kRefused) {
    std::string tried = auth::Sessions::NormalLogin(login).substr(0, auth::kMaxLoginLength);
    auth::Principal anonymous;
    anonymous.channel = "web";
    anonymous.actor = "login:" + tried;
    context.audit.Record(anonymous, "login_failed", "users", tried);
    return LoginForm(context, request, who, 401, s.login_refused, login, next);
  }
  context.audit.Record(outcome.who, "login", "users", outcome.who.actor.substr(5));
  http::Response res = Redirect(next);
  res.Set("Set-Cookie",
          Cookie(context, web::kSessionCookie, outcome.token, "Path=/; SameSite=Lax"));
  return res;
}

http::Response LogOut(web::Context& context, auth::Sessions& sessions, const http::Request& request,
                      const auth::Principal& who) {
  if (who.session.empty()) {
    return Redirect("/login");
  }
  RequireCsrf(http::ParseQueryString(request.body), who);
  sessions.LogOut(who);
  context.audit.Record(who, "logout", "users", who.actor.substr(5));
  http::Response res = Redirect("/login?out=1");
  res.Set("Set-Cookie",
          Cookie(context, web::kSessionCookie, "", "Path=/; SameSite=Lax; Max-Age=0"));
  return res;
}

http::Response StylesheetAnswer() {
  http::Response res;
  res.body = std::string(Stylesheet());
  res.Set("Content-Type", "text/css; charset=utf-8");
  res.Set("Cache-Control", "public, max-age=3600");
  SetSecurityHeaders(res);
  return res;
}

bool Read(const http::Request& request) {
  return request.method == "GET" || request.method == "HEAD";
}

}  // namespace

web::RouteGroup PageRoutes(web::Context& context, auth::Sessions& sessions,
                           verify::VerificationService& verification,
                           services::RegistryService& records) {
  // The administration of /admin is audited with the logs' group commit, like every page.
  auto admin = std::make_shared<auth::Administration>(
      context.store, context.validation,
      [&context](const auth::Principal& who, std::string action, std::string dataset,
                 std::string record, std::string detail) {
        context.audit.Record(who, std::move(action), std::move(dataset), std::move(record),
                             std::move(detail));
      });
  return web::RouteGroup{
      "web",
      [&context, &sessions, &verification, &records, admin](
          http::Request& request, auth::Principal& who) -> std::optional<http::Response> {
        const std::string& path = request.path;
        if (path == kStylesheetPath) {
          if (!Read(request)) {
            api::MethodNotAllowed("GET, HEAD");
          }
          return StylesheetAnswer();
        }
        if (path == "/login") {
          if (Read(request)) {
            bool out = QueryValue(request, "out") == "1";
            return LoginForm(context, request, who, 200, out ? English().logged_out : "", "",
                             LocalPath(QueryValue(request, "next")));
          }
          if (request.method == "POST") {
            return LogIn(context, sessions, request, who);
          }
          api::MethodNotAllowed("GET, HEAD, POST");
        }
        if (path == "/logout") {
          if (request.method != "POST") {
            api::MethodNotAllowed("POST");
          }
          return LogOut(context, sessions, request, who);
        }
        if (path == "/verify") {
          return VerifyPage(context, verification, request, who);
        }
        if (auto page = AdminPages(context, *admin, request, who)) {
          return page;
        }
        if (auto page = ChecksPages(context, request, who)) {
          return page;
        }
        for (auto* pages : {&FarmerPages, &BookPages, &SalePages}) {
          if (std::optional<http::Response> res = (*pages)(records, request, who)) {
            return res;
          }
        }
        if (path.starts_with("/assets/")) {
          return AssetAnswer(request);
        }
        if (path == "/" || path == "/prices" || path == "/stats" || path == "/data") {
          if (!Read(request)) {
            api::MethodNotAllowed("GET, HEAD");
          }
          if (path == "/") {
            return HomePage(context, who);
          }
          if (path == "/prices") {
            return PricesPage(context, request, who);
          }
          return path == "/stats" ? StatsPage(context, who) : DataCatalogPage(context, who);
        }
        return DataTablePage(context, request, who);
      },
      web::Channel::kHtml};
}

}  // namespace harvest::pages
