#include "pages/layout.h"

#include <sodium.h>

#include "auth/privacy.h"
#include "pages/assets.h"

namespace harvest::pages {
namespace {

std::string_view StatusText(const Strings& s, const api::ApiError& error) {
  switch (error.status()) {
    case 400:
      return s.error_400;
    case 401:
      return s.error_401;
    case 403:
      return error.code() == "csrf" ? s.error_403_csrf : s.error_403;
    case 404:
      return s.error_404;
    case 405:
      return s.error_405;
    case 409:
      return s.error_409;
    case 413:
      return s.error_413;
    case 422:
      return s.error_422;
    case 429:
      return s.error_429;
    case 500:
      return s.error_500;
    case 503:
      return s.error_503;
    default:
      return s.error_other;
  }
}

void Header(Html& html, const Strings& s, const auth::Principal& who) {
  html.Element("a", s.skip_to_content, {{"class", "skip"}, {"href", "#main"}});
  html.Open("header", {{"class", "top"}});
  html.Element("a", s.site_name, {{"class", "brand"}, {"href", "/"}});
  html.Open("nav", {{"aria-label", "Main"}});
  html.Element("a", s.nav_prices, {{"href", "/prices"}});
  html.Element("a", s.nav_stats, {{"href", "/stats"}});
  html.Element("a", s.nav_data, {{"href", "/data"}});
  html.Element("a", s.nav_verify, {{"href", "/verify"}});
  // The registry pages, for the roles whose work they are (the pages refuse the others).
  if (auth::CanList(*registry::FindDataset("farmers"), who.role)) {
    html.Element("a", s.nav_farmers, {{"href", "/farmers"}});
    html.Element("a", s.nav_books, {{"href", "/books"}});
  }
  if (auth::CanWrite(*registry::FindDataset("sales"), who.role)) {
    html.Element("a", s.nav_sale, {{"href", "/sales/new"}});
  }
  if (auth::MayCheckReceipts(who.role)) {
    html.Element("a", s.nav_checks, {{"href", "/checks"}});
  }
  if (auth::MayAdminister(who.role)) {
    html.Element("a", s.nav_admin, {{"href", "/admin"}});
  }
  if (!who.session.empty()) {
    std::string_view login = who.actor;
    if (login.starts_with("user:")) {
      login.remove_prefix(5);
    }
    html.Open("span", {{"class", "who"}}).Text(s.signed_in_as).Text(" ").Text(login).Close("span");
    html.Open("form", {{"method", "post"}, {"action", "/logout"}, {"class", "inline"}});
    CsrfField(html, who.csrf);
    html.Element("button", s.nav_logout, {{"type", "submit"}, {"class", "link"}});
    html.Close("form");
  } else {
    html.Element("a", s.nav_login, {{"href", "/login"}});
  }
  html.Close("nav").Close("header");
}

}  // namespace

void SetSecurityHeaders(http::Response& response) {
  response.Set("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.Set("X-Content-Type-Options", "nosniff");
  response.Set("X-Frame-Options", "DENY");
  response.Set("Referrer-Policy", "same-origin");
}

http::Response Page(int status, std::string_view title, const auth::Principal& who,
                    const std::string& body, const PageOptions& options) {
  const Strings& s = English();
  Html html;
  std::string out = "<!DOCTYPE html>";
  html.Open("html", {{"lang", s.lang}});
  html.Open("head");
  html.Void("meta", {{"charset", "utf-8"}});
  html.Void("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
  std::string full_title = std::string(title) + " - " + std::string(s.site_name);
  html.Element("title", full_title);
  html.Void("link", {{"rel", "stylesheet"}, {"href", kStylesheetPath}});
  for (std::string_view name : options.assets) {
    const EmbeddedAsset& asset = Asset(name);
    if (name.ends_with(".css")) {
      html.Void("link", {{"rel", "stylesheet"}, {"href", asset.path}});
    } else {
      html.Open("script", {{"src", asset.path}, {"defer", ""}}).Close("script");
    }
  }
  html.Close("head");
  html.Open("body");
  Header(html, s, who);
  html.Open("main", {{"id", "main"}});
  out += html.Take();
  out += body;
  Html tail;
  tail.Close("main");
  tail.Open("footer", {{"class", "foot"}}).Element("p", s.footer).Close("footer");
  tail.Close("body").Close("html");
  out += tail.Take();

  http::Response res;
  res.status = status;
  res.body = std::move(out);
  res.Set("Content-Type", "text/html; charset=utf-8");
  // A shared page is the one anyone without a login gets; a logged-in visitor's shows who
  // is logged in, so it stays private.
  bool shared = options.shared && who.session.empty() && who.role == registry::kPublic;
  res.Set("Cache-Control", shared ? "public, no-cache" : "private, no-store");
  res.reusable_by_caller = options.shared && who.session.empty();
  SetSecurityHeaders(res);
  return res;
}

http::Response Redirect(std::string location) {
  http::Response res;
  res.status = 303;
  res.Set("Location", std::move(location));
  res.Set("Cache-Control", "no-store");
  SetSecurityHeaders(res);
  return res;
}

std::string QueryValue(const http::Request& request, std::string_view name) {
  for (const auto& [key, value] : request.query) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

http::Response ErrorPage(const api::ApiError& error, const auth::Principal& who) {
  const Strings& s = English();
  Html body;
  body.Element("h1", s.error_title);
  body.Element("p", StatusText(s, error), {{"class", "notice error"}});
  body.Open("p").Element("a", s.error_back, {{"href", "/verify"}}).Close("p");
  http::Response res = Page(error.status(), s.error_title, who, body.Take());
  for (const auto& [name, value] : error.headers()) {
    res.Set(name, value);
  }
  return res;
}

void CsrfField(Html& html, std::string_view token) {
  html.Void("input", {{"type", "hidden"}, {"name", "csrf"}, {"value", token}});
}

std::string FormValue(const std::vector<std::pair<std::string, std::string>>& form,
                      std::string_view name) {
  for (const auto& [key, value] : form) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

void RequireCsrf(const std::vector<std::pair<std::string, std::string>>& form,
                 const auth::Principal& who) {
  std::string sent = FormValue(form, "csrf");
  // Compared in constant time: the time taken must not tell how much of a guess was right.
  bool same = !who.csrf.empty() && sent.size() == who.csrf.size() &&
              sodium_memcmp(sent.data(), who.csrf.data(), sent.size()) == 0;
  if (!same) {
    throw api::ApiError(403, "csrf", "the form's csrf token is missing or wrong");
  }
}

}  // namespace harvest::pages
