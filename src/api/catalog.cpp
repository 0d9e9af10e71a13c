// GET /api/v1, and the descriptions the catalog, /openapi.json and /docs share.
#include "api/catalog.h"

#include <array>
#include <boost/json.hpp>

namespace harvest::api {
namespace json = boost::json;

namespace {

constexpr registry::RoleMask kPoliceAndUp = registry::kPolice | registry::kStaff;

constexpr std::array<FieldOperation, 3> kFieldOperations{{
    {"verify", "GET", "/api/v1/verify/receipt/{number}", kPoliceAndUp,
     "Check a receipt number: one verdict (VALID, CHECK, ALERT, UNKNOWN) with the signals "
     "behind it, optionally against the commodity and quantity seen on the truck. Every call is "
     "recorded in verifications."},
    {"sales", "POST", "/api/v1/sales", registry::kStaff,
     "Record a digital receipt: a sale on a receipt number of an active book of the farmer."},
    {"report", "POST", "/api/v1/books/{serial}/report", registry::kStaff,
     "Report a receipt book lost or stolen; its receipts then verify ALERT."},
}};

constexpr std::array<ErrorStatus, 12> kErrorStatuses{{
    {400, "bad_parameter, bad_json", "BadRequest",
     "A query parameter or the JSON body is malformed; the message names the parameter", ""},
    {401, "unauthorized", "Unauthorized",
     "No key where one is needed, or a key that is unknown or revoked", "WWW-Authenticate"},
    {403, "forbidden", "Forbidden", "The key's role may not do this", ""},
    {404, "not_found", "NotFound", "No such dataset, record or route", ""},
    {405, "method_not_allowed", "MethodNotAllowed", "The path does not take this method", "Allow"},
    {406, "not_acceptable", "NotAcceptable", "The Accept header names no format the server writes",
     ""},
    {409, "conflict", "Conflict",
     "Conflicts with stored data: duplicate key, overlapping receipt book, receipt already used",
     ""},
    {413, "payload_too_large", "PayloadTooLarge", "The body is over 1 MiB", ""},
    {415, "unsupported_media_type", "UnsupportedMediaType",
     "The body is not sent as application/json", ""},
    {422, "invalid", "Unprocessable",
     "Validation failed; details lists {field, message} for each problem", ""},
    {429, "too_many_requests", "TooManyRequests", "Rate limit reached; retry after the delay given",
     "Retry-After"},
    {500, "internal", "ServerError", "Unexpected failure; the body discloses no internals", ""},
}};

json::array NameArray(const std::vector<std::string>& names) {
  json::array out;
  for (const std::string& name : names) {
    out.emplace_back(name);
  }
  return out;
}

json::object FieldEntry(const registry::DatasetDef& set, const registry::FieldDef& field) {
  json::object entry;
  entry["name"] = field.name;
  entry["type"] = registry::FieldTypeName(field.type);
  entry["description"] = field.description;
  entry["visible_to"] = NameArray(RoleNames(FieldReaders(set, field)));
  entry["required"] = field.required;
  entry["writable"] = field.writable && set.write_roles != 0;
  if (!field.choices.empty()) {
    entry["choices"] = NameArray(field.choices);
  }
  if (!field.references.empty()) {
    entry["references"] = field.references;
  }
  if ((field.rounded & FieldReaders(set, field)) != 0) {
    entry["rounded_for"] = NameArray(RoleNames(field.rounded));
  }
  if (field.type == registry::FieldType::kParish) {
    // JSON output carries the name beside the code.
    entry["name_field"] = field.name + "_name";
  }
  return entry;
}

json::object DatasetEntry(const registry::DatasetDef& set) {
  json::object entry;
  entry["name"] = set.name;
  entry["description"] = set.description;
  entry["url"] = "/api/v1/" + set.name;
  entry["key"] = set.key;
  entry["aggregate"] = set.aggregate;
  entry["formats"] = NameArray(DatasetFormats(set));
  entry["read"] = NameArray(RoleNames(set.list_roles));
  entry["item"] = NameArray(RoleNames(set.item_roles));
  entry["write"] = NameArray(RoleNames(set.write_roles));
  json::array fields;
  for (const registry::FieldDef& field : set.fields) {
    fields.emplace_back(FieldEntry(set, field));
  }
  entry["fields"] = std::move(fields);
  return entry;
}

json::object OperationEntry(const FieldOperation& op) {
  json::object entry;
  entry["name"] = op.name;
  entry["method"] = op.method;
  entry["url"] = op.path;
  entry["roles"] = NameArray(RoleNames(op.roles));
  entry["description"] = op.summary;
  return entry;
}

json::object SmsEntry(std::string_view name, json::array methods, std::string_view url,
                      std::string_view description) {
  json::object entry;
  entry["name"] = name;
  entry["methods"] = std::move(methods);
  entry["url"] = url;
  entry["description"] = description;
  return entry;
}

}  // namespace

std::span<const FieldOperation> FieldOperations() {
  return kFieldOperations;
}

std::span<const ErrorStatus> ErrorStatuses() {
  return kErrorStatuses;
}

registry::RoleMask FieldReaders(const registry::DatasetDef& set, const registry::FieldDef& field) {
  return static_cast<registry::RoleMask>(field.visible & (set.list_roles | set.item_roles));
}

std::vector<std::string> RoleNames(registry::RoleMask mask) {
  std::vector<std::string> names;
  for (registry::Role role : {registry::kPublic, registry::kPartner, registry::kPolice,
                              registry::kExtension, registry::kAdmin}) {
    if ((mask & role) != 0) {
      names.emplace_back(registry::RoleName(role));
    }
  }
  return names;
}

std::string RoleList(registry::RoleMask mask) {
  if (mask == registry::kEveryone) {
    return "everyone";
  }
  std::string out;
  for (const std::string& name : RoleNames(mask)) {
    out += (out.empty() ? "" : ", ") + name;
  }
  return out.empty() ? "nobody" : out;
}

std::vector<std::string> DatasetFormats(const registry::DatasetDef& set) {
  std::vector<std::string> formats{"json", "csv"};
  if (set.has_place) {
    formats.emplace_back("geojson");
  }
  return formats;
}

std::string CatalogJson() {
  json::object doc;
  doc["name"] = "Harvest open agricultural data API";
  doc["version"] = "1";
  doc["description"] =
      "Jamaica's farmer registry, weekly prices, production statistics and receipt "
      "verification against praedial larceny. Public datasets need no key; the rest need "
      "'Authorization: Bearer KEY' with a role listed under read, item or write.";
  doc["license"] =
      json::object{{"name", "CC BY 4.0"}, {"url", "https://creativecommons.org/licenses/by/4.0/"}};
  json::array datasets;
  for (const registry::DatasetDef& set : registry::Datasets()) {
    datasets.emplace_back(DatasetEntry(set));
  }
  doc["datasets"] = std::move(datasets);
  json::array operations;
  for (const FieldOperation& op : kFieldOperations) {
    operations.emplace_back(OperationEntry(op));
  }
  doc["operations"] = std::move(operations);
  json::array sms;
  sms.emplace_back(SmsEntry("twilio", json::array{"POST"}, "/sms/twilio",
                            "Twilio webhook (form fields From, To, Body, MessageSid; signed with "
                            "X-Twilio-Signature); answers TwiML. 404 unless configured."));
  sms.emplace_back(SmsEntry("kannel", json::array{"GET", "POST"}, "/sms/kannel",
                            "Kannel sms-service URL (query from, to, text, id and the shared "
                            "secret key); answers text/plain. 404 unless configured."));
  doc["sms"] = std::move(sms);
  doc["docs"] = "/docs";
  doc["openapi"] = "/openapi.json";
  doc["health"] = "/healthz";
  doc["metrics"] = "/metrics";
  return json::serialize(doc);
}

}  // namespace harvest::api
