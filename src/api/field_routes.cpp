#include "api/field_routes.h"

#include <boost/json.hpp>
#include <charconv>

#include "api/responses.h"
#include "auth/privacy.h"
#include "opendata/formats.h"
#include "registry/parish.h"

namespace harvest::api {
namespace {

namespace json = boost::json;
using registry::DatasetDef;

constexpr std::string_view kVerifyPrefix = "/api/v1/verify/receipt/";
constexpr std::string_view kBooksPrefix = "/api/v1/books/";
constexpr std::string_view kReportSuffix = "/report";

const DatasetDef& Set(std::string_view name) {
  return *registry::FindDataset(name);
}

std::vector<int> FieldList(const DatasetDef& set, std::initializer_list<std::string_view> names) {
  std::vector<int> out;
  for (std::string_view name : names) {
    out.push_back(set.FieldIndex(name));
  }
  return out;
}

ApiError Invalid(const std::string& field, const std::string& message) {
  return ApiError(422, "invalid", field + " " + message, {{field, message}});
}

ApiError FromFieldError(const verify::FieldError& e) {
  switch (e.kind()) {
    case verify::FieldError::Kind::kNotFound:
      return ApiError(404, "not_found", e.what());
    case verify::FieldError::Kind::kConflict:
      return ApiError(409, "conflict", e.what(), e.details());
    case verify::FieldError::Kind::kTooMany:
      return ApiError(429, "too_many_requests", e.what())
          .WithHeader("Retry-After", std::to_string(e.retry_after()));
    case verify::FieldError::Kind::kNotYours:
    case verify::FieldError::Kind::kInvalid:
      break;
  }
  return ApiError(422, "invalid", e.what(), e.details());
}

// A receipt number as verify::ParseReceiptNumber reads it, or a 422 saying what is wrong.
int64_t ReceiptNumber(std::string_view text) {
  if (std::optional<int64_t> number = verify::ParseReceiptNumber(text)) {
    return *number;
  }
  size_t digits = 0;
  bool only_number_chars = true;
  for (char c : text) {
    digits += c >= '0' && c <= '9';
    only_number_chars &= (c >= '0' && c <= '9') || c == '#' || c == ',' || c == ' ' || c == '-';
  }
  if (only_number_chars && digits > 15) {
    throw Invalid("receipt", "has more than 15 digits: '" + std::string(text) + "'");
  }
  throw Invalid("receipt", "must be a receipt number, not '" + std::string(text) + "'");
}

verify::CheckRequest ParseVerify(const http::Request& request, const auth::Principal& who,
                                 std::string_view number) {
  verify::CheckRequest check;
  check.receipt = ReceiptNumber(number);
  check.channel = who.channel == "web" ? "web" : "api";
  check.key_id = who.key_id;
  check.checker = &who;
  std::vector<registry::FieldProblem> problems;
  for (const auto& [name, value] : request.query) {
    if (name == "commodity") {
      check.observed.commodity = value;
    } else if (name == "quantity") {
      double amount = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), amount);
      if (ec != std::errc() || end != value.data() + value.size() || !(amount > 0)) {
        problems.push_back({"quantity", "must be a positive number, not '" + value + "'"});
      } else {
        check.observed.quantity = amount;
      }
    } else if (name == "unit") {
      check.observed.unit = verify::CanonicalUnit(value);
      if (check.observed.unit.empty()) {
        problems.push_back({"unit", "unknown unit '" + value + "' (kg, lb, dozen, bunch...)"});
      }
    } else if (name == "parish") {
      if (auto code = registry::NormalizeParish(value)) {
        check.parish = std::string(*code);
      } else {
        problems.push_back({"parish", "unknown parish '" + value + "'"});
      }
    } else {
      problems.push_back({name, "unknown parameter (use commodity, quantity, unit, parish)"});
    }
  }
  if (!check.observed.unit.empty() && !check.observed.quantity) {
    problems.push_back({"unit", "needs a quantity"});
  }
  if (!problems.empty()) {
    throw ApiError(422, "invalid", "the observed values are not valid", std::move(problems));
  }
  return check;
}

void AppendRowOrNull(std::string& out, std::string_view name, const DatasetDef& set,
                     registry::Role role, std::vector<int> fields,
                     const std::optional<store::Row>& row) {
  out += ",";
  opendata::AppendJsonString(out, name);
  out += ":";
  if (!row) {
    out += "null";
    return;
  }
  opendata::AppendJsonRow(out, opendata::RowView{&set, role, std::move(fields)}, *row);
}

http::Response Verify(Context& ctx, verify::VerificationService& verification,
                      http::Request& request, auth::Principal& who, std::string_view number) {
  if (request.method != "GET" && request.method != "HEAD") {
    MethodNotAllowed("GET");
  }
  RequireAccess(auth::MayCheckReceipts(who.role), who, "verify receipts");
  verify::CheckRequest check = ParseVerify(request, who, number);
  verify::CheckOutcome outcome;
  try {
    outcome = verification.Check(check);
  } catch (const verify::FieldError& e) {
    throw FromFieldError(e);
  }

  std::string body = R"({"receipt":)" + std::to_string(check.receipt) + R"(,"verdict":)";
  opendata::AppendJsonString(body, verify::VerdictWord(outcome.result.verdict));
  body += R"(,"signals":[)";
  for (size_t i = 0; i < outcome.result.signals.size(); ++i) {
    body += i ? R"(,{"code":)" : R"({"code":)";
    opendata::AppendJsonString(body, outcome.result.signals[i].code);
    body += R"(,"message":)";
    opendata::AppendJsonString(body, outcome.result.signals[i].message);
    body += "}";
  }
  body += "]";
  const DatasetDef& books = Set("books");
  AppendRowOrNull(
      body, "book", books, registry::kAdmin,
      FieldList(books, {"serial", "first_receipt", "last_receipt", "status", "status_changed_on"}),
      outcome.book);
  // Whoever asks, a check shows the police view of the farmer (SPEC §3): enough to judge the
  // receipt, nothing more.
  const DatasetDef& farmers = Set("farmers");
  AppendRowOrNull(body, "farmer", farmers, registry::kPolice,
                  auth::VisibleFields(farmers, registry::kPolice), outcome.farmer);
  const DatasetDef& sales = Set("sales");
  AppendRowOrNull(
      body, "sale", sales, registry::kAdmin,
      FieldList(sales, {"receipt", "commodity", "quantity", "unit", "sold_at", "channel"}),
      outcome.sale);
  body += "}";
  http::Response res = JsonResponse(200, std::move(body));
  MarkPersonal(res);
  return res;
}

// POST /api/v1/sales with one object; arrays (bulk loads) go on to the dataset routes.
std::optional<http::Response> Sale(services::RegistryService& records, http::Request& request,
                                   auth::Principal& who) {
  const DatasetDef& sales = Set("sales");
  RequireAccess(auth::CanWrite(sales, who.role), who, "record sales");
  json::value body = ParseJsonBody(request);
  if (body.is_array()) {
    return std::nullopt;
  }
  if (!body.is_object()) {
    throw ApiError(422, "invalid", "send the sale as one JSON object");
  }
  verify::SaleRequest sale;
  sale.cells.resize(sales.fields.size());
  std::vector<registry::FieldProblem> problems;
  for (const auto& [name, value] : body.as_object()) {
    int index = sales.FieldIndex(name);
    if (index < 0) {
      problems.push_back({std::string(name), "unknown field for sales"});
    } else if (name == "channel") {
      problems.push_back({"channel", "is set by the server"});
    } else {
      sale.cells[static_cast<size_t>(index)] = CellFromJson(value);
    }
  }
  if (!problems.empty()) {
    throw ApiError(422, "invalid", "the sale is not valid", std::move(problems));
  }
  store::Row row;
  try {
    row = records.RecordSale(who, std::move(sale));  // audited there
  } catch (const verify::FieldError& e) {
    throw FromFieldError(e);
  } catch (const services::Forbidden&) {
    RequireAccess(false, who, "record sales");
  }
  std::string out;
  opendata::AppendJsonRow(
      out, opendata::RowView{&sales, who.role, auth::VisibleFields(sales, who.role)}, row);
  http::Response res = JsonResponse(201, std::move(out));
  std::string receipt = store::ValueText(row[static_cast<size_t>(sales.KeyIndex())]);
  res.Set("Location", "/api/v1/sales/" + receipt);
  MarkPersonal(res);
  return res;
}

http::Response Report(services::RegistryService& records, http::Request& request,
                      auth::Principal& who, const std::string& serial) {
  if (request.method != "POST") {
    MethodNotAllowed("POST");
  }
  RequireAccess(auth::CanWrite(Set("books"), who.role), who, "report books");
  json::value body = ParseJsonBody(request);
  const json::object* object = body.if_object();
  const json::value* status = object ? object->if_contains("status") : nullptr;
  if (!status || !status->is_string()) {
    throw Invalid("status", "must be \"lost\" or \"stolen\"");
  }
  for (const auto& [name, value] : *object) {
    if (name != "status") {
      throw Invalid(std::string(name), "unknown field (send only status)");
    }
  }
  verify::ReportRequest report;
  report.book = serial;
  report.status = std::string(status->get_string());
  store::Row row;
  try {
    row = records.ReportBook(who, report);  // audited there
  } catch (const verify::FieldError& e) {
    throw FromFieldError(e);
  } catch (const services::Forbidden&) {
    RequireAccess(false, who, "report books");
  }
  const DatasetDef& books = Set("books");
  std::string out;
  opendata::AppendJsonRow(
      out, opendata::RowView{&books, who.role, auth::VisibleFields(books, who.role)}, row);
  http::Response res = JsonResponse(200, std::move(out));
  MarkPersonal(res);
  return res;
}

}  // namespace

RouteGroup FieldRoutes(Context& context, verify::VerificationService& verification,
                       services::RegistryService& records) {
  return RouteGroup{
      "verify",
      [&context, &verification, &records](http::Request& request,
                                          auth::Principal& who) -> std::optional<http::Response> {
        const std::string& path = request.path;
        if (path.starts_with(kVerifyPrefix) && path.size() > kVerifyPrefix.size()) {
          return Verify(context, verification, request, who,
                        std::string_view(path).substr(kVerifyPrefix.size()));
        }
        if (path == "/api/v1/sales" && request.method == "POST") {
          return Sale(records, request, who);
        }
        if (path.starts_with(kBooksPrefix) && path.ends_with(kReportSuffix) &&
            path.size() > kBooksPrefix.size() + kReportSuffix.size()) {
          std::string serial = path.substr(
              kBooksPrefix.size(), path.size() - kBooksPrefix.size() - kReportSuffix.size());
          if (serial.find('/') == std::string::npos) {
            return Report(records, request, who, serial);
          }
        }
        return std::nullopt;
      }};
}

}  // namespace harvest::api
