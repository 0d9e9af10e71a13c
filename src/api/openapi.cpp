// GET /openapi.json. The dataset routes and their schemas are generated from the dataset
// descriptions, so every field, role and format the server knows appears here under the same
// names; the routes whose shape is fixed are written out below as the JSON they produce.
#include <algorithm>
#include <boost/json.hpp>
#include <string>

#include "api/catalog.h"
#include "registry/parish.h"

namespace harvest::api {
namespace json = boost::json;

namespace {

using registry::DatasetDef;
using registry::FieldDef;
using registry::FieldType;

// Parts that do not depend on the dataset descriptions: the error envelope, the shared
// parameters, and the metadata, field-operation and SMS routes. The descriptions, security and
// error responses of the field operations are added from FieldOperations().
constexpr std::string_view kFixedParts = R"json({
"components": {
 "schemas": {
  "Error": {"type": "object", "required": ["error"], "properties": {"error": {
   "type": "object", "required": ["code", "message"], "properties": {
    "code": {"type": "string", "description": "Stable machine-readable code, e.g. invalid"},
    "message": {"type": "string", "description": "What went wrong, for a person"},
    "details": {"type": "array", "items": {"type": "object", "required": ["field", "message"],
     "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}}}},
  "Point": {"type": "object", "required": ["type", "coordinates"], "properties": {
   "type": {"const": "Point"},
   "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
    "description": "[longitude, latitude]"}}},
  "Catalog": {"type": "object", "required": ["name", "version", "license", "datasets"],
   "properties": {"name": {"type": "string"}, "version": {"type": "string"},
    "license": {"type": "object"}, "datasets": {"type": "array", "items": {"type": "object"}},
    "operations": {"type": "array"}, "docs": {"type": "string"}, "openapi": {"type": "string"}}},
  "VerifyAnswer": {"type": "object",
   "required": ["receipt", "verdict", "signals", "book", "farmer", "sale"], "properties": {
    "receipt": {"type": "integer", "format": "int64"},
    "verdict": {"type": "string", "enum": ["VALID", "CHECK", "ALERT", "UNKNOWN"]},
    "signals": {"type": "array", "items": {"type": "object", "required": ["code", "message"],
     "properties": {"code": {"type": "string", "description": "e.g. book_stolen, card_expired"},
      "message": {"type": "string", "description": "One sentence for the officer"}}}},
    "book": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
     "serial": {"type": "string"}, "first_receipt": {"type": "integer"},
     "last_receipt": {"type": "integer"},
     "status": {"type": "string", "enum": ["active", "lost", "stolen", "cancelled"]},
     "status_changed_on": {"type": ["string", "null"], "format": "date"}}}]},
    "farmer": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/PoliceFarmer"}]},
    "sale": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
     "commodity": {"type": "string"}, "quantity": {"type": "number"},
     "unit": {"type": "string"}, "sold_at": {"type": "string", "format": "date-time"}}}]}}}
 },
 "parameters": {
  "limit": {"name": "limit", "in": "query", "description": "Rows per page, 1 to 1000 (default 100)",
   "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
  "limitOrAll": {"name": "limit", "in": "query",
   "description": "Rows per page, 1 to 1000 (JSON default 100); without it (or `all`) CSV and GeoJSON return every matching row",
   "schema": {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 1000}, {"const": "all"}]}},
  "cursor": {"name": "cursor", "in": "query", "schema": {"type": "string"},
   "description": "Opaque position, from the previous page's `next` link"},
  "sort": {"name": "sort", "in": "query", "schema": {"type": "string"},
   "description": "Comma list of fields, `-` for descending: `sort=-week_of,commodity`"},
  "fields": {"name": "fields", "in": "query", "schema": {"type": "string"},
   "description": "Comma list of the fields to return: `fields=id,parish`"},
  "count": {"name": "count", "in": "query", "schema": {"type": "boolean", "default": false},
   "description": "true adds `total` (CSV: the X-Total-Count header)"},
  "ifNoneMatch": {"name": "If-None-Match", "in": "header", "schema": {"type": "string"},
   "description": "ETag of a body you hold; 304 when unchanged"}
 },
 "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
  "description": "An API key from `harvest key create`; its role decides what the caller sees"}}
},
"paths": {
 "/api/v1": {"get": {"operationId": "catalog", "tags": ["metadata"],
  "summary": "Catalog: datasets, fields and their types, license, who may read them",
  "responses": {"200": {"description": "The catalog",
   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Catalog"}}}}}}},
 "/openapi.json": {"get": {"operationId": "openapi", "tags": ["metadata"],
  "summary": "This OpenAPI document", "responses": {"200": {"description": "OpenAPI 3.1",
   "content": {"application/json": {"schema": {"type": "object"}}}}}}},
 "/docs": {"get": {"operationId": "docs", "tags": ["metadata"], "summary": "HTML API reference",
  "responses": {"200": {"description": "The reference page",
   "content": {"text/html": {"schema": {"type": "string"}}}}}}},
 "/healthz": {"get": {"operationId": "health", "tags": ["metadata"],
  "summary": "Liveness: the server and its database answer",
  "responses": {"200": {"description": "Healthy", "content": {"application/json": {"schema": {
   "type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}}}},
   "500": {"$ref": "#/components/responses/ServerError"}}}},
 "/metrics": {"get": {"operationId": "metrics", "tags": ["metadata"],
  "summary": "Request counters and latency histograms in the Prometheus text format",
  "responses": {"200": {"description": "Prometheus text format 0.0.4",
   "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
 "/api/v1/verify/receipt/{number}": {"get": {"operationId": "verify-receipt",
  "tags": ["field operations"], "summary": "Verify a receipt",
  "parameters": [
   {"name": "number", "in": "path", "required": true, "description": "Receipt number",
    "schema": {"type": "integer", "format": "int64", "minimum": 0}},
   {"name": "commodity", "in": "query", "schema": {"type": "string"},
    "description": "Commodity seen on the truck"},
   {"name": "quantity", "in": "query", "schema": {"type": "number", "exclusiveMinimum": 0},
    "description": "Quantity seen on the truck"},
   {"name": "unit", "in": "query", "schema": {"type": "string"},
    "description": "Unit of the quantity: kg, lb, dozen, bunch..."},
   {"name": "parish", "in": "query", "schema": {"type": "string"},
    "description": "Parish where the check happens (code or name), for the rechecked-in-two-parishes signal"}],
  "responses": {"200": {"description": "The verdict; UNKNOWN for a number in no book",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VerifyAnswer"}}}}}}},
 "/api/v1/books/{serial}/report": {"post": {"operationId": "report-book",
  "tags": ["field operations"], "summary": "Report a receipt book lost or stolen",
  "parameters": [{"name": "serial", "in": "path", "required": true,
   "description": "Book serial number", "schema": {"type": "string"}}],
  "requestBody": {"required": true, "content": {"application/json": {"schema": {
   "type": "object", "required": ["status"],
   "properties": {"status": {"type": "string", "enum": ["lost", "stolen"]}}}}}},
  "responses": {"200": {"description": "The book with its new status",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BooksRow"}}}}}}},
 "/sms/twilio": {"post": {"operationId": "sms-twilio", "tags": ["sms"],
  "summary": "Twilio incoming-message webhook: runs an SMS command, answers TwiML",
  "security": [],
  "parameters": [{"name": "X-Twilio-Signature", "in": "header", "required": true,
   "schema": {"type": "string"},
   "description": "Base64 HMAC-SHA1, keyed with the auth token, of the public URL followed by the sorted parameters"}],
  "requestBody": {"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {
   "type": "object", "required": ["From", "Body"], "additionalProperties": {"type": "string"},
   "properties": {"From": {"type": "string", "description": "Sender (E.164)"},
    "To": {"type": "string", "description": "Harvest's number"},
    "Body": {"type": "string", "description": "Message text"},
    "MessageSid": {"type": "string", "description": "Twilio's message id; a repeat is acted on once"},
    "AccountSid": {"type": "string"}}}}}},
  "responses": {"200": {"description": "The reply for the sender",
    "content": {"text/xml": {"schema": {"type": "string"},
     "example": "<Response><Message>VALID 4512: ...</Message></Response>"}}},
   "403": {"description": "Missing or wrong X-Twilio-Signature; nothing was processed"},
   "404": {"description": "Not configured (HARVEST_TWILIO_AUTH_TOKEN is not set)"}}}},
 "/sms/kannel": {"get": {"operationId": "sms-kannel", "tags": ["sms"],
  "summary": "Kannel sms-service URL: runs an SMS command, answers the reply text",
  "security": [],
  "parameters": [
   {"name": "from", "in": "query", "required": true, "schema": {"type": "string"},
    "description": "Sender's number (Kannel %p)"},
   {"name": "to", "in": "query", "schema": {"type": "string"},
    "description": "Number the message was sent to (%P)"},
   {"name": "text", "in": "query", "required": true, "schema": {"type": "string"},
    "description": "Message text (%a)"},
   {"name": "key", "in": "query", "required": true, "schema": {"type": "string"},
    "description": "The shared secret HARVEST_KANNEL_SECRET"},
   {"name": "id", "in": "query", "schema": {"type": "string"},
    "description": "Gateway message id (%I); a repeat is answered the same and acted on once"}],
  "responses": {"200": {"description": "The reply, which Kannel sends to the sender",
    "content": {"text/plain": {"schema": {"type": "string"}, "example": "VALID 4512: ..."}}},
   "403": {"description": "Missing or wrong key; nothing was processed"},
   "404": {"description": "Not configured (HARVEST_KANNEL_SECRET is not set)"}}}}
}
})json";

// Query parameters of every collection. A field with one of these names is filtered with an
// operator form only (livestock `count__gte=10`), since `count=true` asks for the total.
constexpr std::string_view kReservedParameters[] = {"limit", "cursor", "sort", "fields", "count"};

json::object Ref(std::string_view kind, std::string_view name) {
  return json::object{{"$ref", "#/components/" + std::string(kind) + "/" + std::string(name)}};
}

json::object SchemaRef(std::string_view name) {
  return Ref("schemas", name);
}

// "farmer-stats" -> "FarmerStats": component names that read well in generated clients.
std::string Pascal(std::string_view name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    upper = false;
  }
  return out;
}

// The component schema of a dataset: SchemaName(farms, "Row") is "FarmsRow".
std::string SchemaName(const DatasetDef& set, std::string_view kind) {
  return Pascal(set.name) + std::string(kind);
}

json::array Security(registry::RoleMask roles) {
  json::array security;
  if ((roles & registry::kPublic) != 0) {
    security.emplace_back(json::object{});  // a key is optional
  }
  security.emplace_back(json::object{{"bearerAuth", json::array{}}});
  return security;
}

json::object Responses(std::initializer_list<std::pair<std::string_view, std::string_view>> refs) {
  json::object responses;
  for (const auto& [status, component] : refs) {
    responses[status] = Ref("responses", component);
  }
  return responses;
}

json::object JsonContent(json::value schema) {
  return json::object{{"application/json", json::object{{"schema", std::move(schema)}}}};
}

// How values are written: strictly in output (parish codes, E.164), leniently in input and
// filters (parish names, local phone numbers).
enum class Use { kOutput, kInput };

json::object FieldSchema(const FieldDef& field, Use use) {
  json::object s{{"type", "string"}};
  std::string description = field.description;
  switch (field.type) {
    case FieldType::kText:
    case FieldType::kId:
      break;
    case FieldType::kInteger:
      s = json::object{{"type", "integer"}, {"format", "int64"}};
      break;
    case FieldType::kReal:
      s = json::object{{"type", "number"}};
      break;
    case FieldType::kMoney:
      s = json::object{{"type", "number"}};
      description += " (JMD, 2 decimals)";
      break;
    case FieldType::kBoolean:
      s = json::object{{"type", "boolean"}};
      break;
    case FieldType::kDate:
      s["format"] = "date";
      break;
    case FieldType::kTimestamp:
      s["format"] = "date-time";
      break;
    case FieldType::kEnum:
      s["enum"] = json::value_from(field.choices);
      break;
    case FieldType::kParish:
      if (use == Use::kOutput) {
        json::array codes;
        for (const registry::Parish& parish : registry::Parishes()) {
          codes.emplace_back(parish.code);
        }
        s["enum"] = std::move(codes);
      } else {
        description += "; a code (ELZ) or a name (St. Elizabeth, ST.ELIZABETH)";
      }
      break;
    case FieldType::kPhone:
      if (use == Use::kOutput) {
        s["pattern"] = "^\\+[1-9][0-9]{6,14}$";
      } else {
        description += "; E.164 or local (876-555-0123, 5550123)";
      }
      break;
  }
  if (field.rounded != 0 && use == Use::kOutput) {
    description += "; rounded to 0.1 degree for " + RoleList(field.rounded);
  }
  s["description"] = description;
  return s;
}

// JSON Schema 2020-12 has no `nullable`: null joins the type list (and the enum, if any).
json::object Nullable(json::object schema) {
  schema["type"] = json::array{schema["type"], "null"};
  if (json::value* choices = schema.if_contains("enum")) {
    choices->as_array().emplace_back(nullptr);
  }
  return schema;
}

// Whether the field can be null in output: optional fields without a default value.
bool CanBeNull(const DatasetDef& set, const FieldDef& field) {
  return !field.required && field.name != set.key && field.fallback.empty();
}

// A row as `roles` see it (all readers for the dataset's Row schema).
json::object RowSchema(const DatasetDef& set, registry::RoleMask roles) {
  json::object properties;
  for (const FieldDef& field : set.fields) {
    if ((FieldReaders(set, field) & roles) == 0) {
      continue;
    }
    json::object s = FieldSchema(field, Use::kOutput);
    std::string description(s["description"].as_string());
    s["description"] = description + ". Seen by: " + RoleList(FieldReaders(set, field)) + ".";
    bool null = CanBeNull(set, field);
    properties[field.name] = null ? Nullable(std::move(s)) : std::move(s);
    if (field.type == FieldType::kParish) {
      json::object name{{"type", "string"}, {"description", "Name of the parish (JSON only)"}};
      properties[field.name + "_name"] = null ? Nullable(std::move(name)) : std::move(name);
    }
  }
  return json::object{
      {"type", "object"},
      {"description", set.description + " Fields the caller's role may not see are absent."},
      {"properties", std::move(properties)}};
}

// The body of a POST (create) or a PATCH (the changed fields; the key cannot change).
json::object InputSchema(const DatasetDef& set, bool create) {
  json::object properties;
  json::array required;
  for (const FieldDef& field : set.fields) {
    if (!field.writable || (!create && field.name == set.key)) {
      continue;
    }
    json::object s = FieldSchema(field, Use::kInput);
    if (create && !field.fallback.empty()) {
      s["default"] = field.type == FieldType::kBoolean ? json::value(field.fallback == "1")
                                                       : json::value(field.fallback);
    }
    properties[field.name] = field.required ? std::move(s) : Nullable(std::move(s));
    if (create && field.required) {
      required.emplace_back(field.name);
    }
  }
  json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
  if (create) {
    schema["description"] = "A new " + set.name + " record";
    schema["required"] = std::move(required);
  } else {
    schema["description"] = "The fields to change; the others keep their values";
    schema["minProperties"] = 1;
  }
  return schema;
}

json::object PageSchema(const DatasetDef& set, bool geojson) {
  json::object next{{"type", json::array{"string", "null"}},
                    {"description", "URL of the next page, or null on the last one"}};
  json::object total{{"type", "integer"}, {"minimum", 0}, {"description", "Only with count=true"}};
  json::object items = SchemaRef(SchemaName(set, "Row"));
  json::object properties;
  if (geojson) {
    json::object geometry{{"oneOf", json::array{SchemaRef("Point"), {{"type", "null"}}}}};
    json::object feature_properties{{"type", {{"const", "Feature"}}},
                                    {"geometry", std::move(geometry)},
                                    {"properties", std::move(items)}};
    items = json::object{{"type", "object"},
                         {"required", {"type", "geometry", "properties"}},
                         {"properties", std::move(feature_properties)}};
    properties["type"] = json::object{{"const", "FeatureCollection"}};
  }
  properties[geojson ? "features" : "data"] =
      json::object{{"type", "array"}, {"items", std::move(items)}};
  properties["next"] = std::move(next);
  properties["total"] = std::move(total);
  json::array required{geojson ? "features" : "data", "next"};
  return json::object{
      {"type", "object"}, {"required", std::move(required)}, {"properties", std::move(properties)}};
}

json::object QueryParameter(std::string_view name, json::object schema, std::string description) {
  return json::object{
      {"name", name}, {"in", "query"}, {"description", description}, {"schema", std::move(schema)}};
}

std::string_view FiltersText() {
  return "Filters: `field=value` for equality, or `field__OP=value` with OP one of ne, gt, gte, "
         "lt, lte, in (comma list), contains, startswith, isnull (true or false). Only fields "
         "the caller sees can be used; partners cannot filter or sort on rounded coordinates.";
}

json::array CollectionParameters(const DatasetDef& set, std::string_view suffix) {
  bool csv_possible = suffix.empty() || suffix == ".csv";
  json::array params{
      Ref("parameters", "ifNoneMatch"), Ref("parameters", csv_possible ? "limitOrAll" : "limit"),
      Ref("parameters", "cursor"),      Ref("parameters", "sort"),
      Ref("parameters", "fields"),      Ref("parameters", "count")};
  for (const FieldDef& field : set.fields) {
    registry::RoleMask readers = FieldReaders(set, field);
    if (readers == 0 ||
        std::ranges::find(kReservedParameters, field.name) != std::end(kReservedParameters)) {
      continue;
    }
    json::object schema = FieldSchema(field, Use::kInput);
    std::string description = "Rows whose " + field.name + " equals this value: " +
                              std::string(schema["description"].as_string()) +
                              ". Usable by: " + RoleList(readers) + ".";
    schema.erase("description");
    params.emplace_back(QueryParameter(field.name, std::move(schema), std::move(description)));
  }
  // Free-form parameters: how OpenAPI says "any further field__OP=value".
  json::object operators{{"type", "object"}, {"additionalProperties", {{"type", "string"}}}};
  json::object filters =
      QueryParameter("filters", std::move(operators), std::string(FiltersText()));
  filters["style"] = "form";
  filters["explode"] = true;
  filters["example"] = json::object{{"parish__in", "ELZ,MAN"}};
  params.emplace_back(std::move(filters));
  return params;
}

json::object ListContent(const DatasetDef& set, std::string_view suffix) {
  json::object content;
  if (suffix.empty() || suffix == ".json") {
    content["application/json"] = json::object{{"schema", SchemaRef(SchemaName(set, "Page"))}};
  }
  if (suffix.empty() || suffix == ".csv") {
    content["text/csv"] = json::object{
        {"schema", {{"type", "string"}, {"description", "RFC 4180 with a header row"}}}};
  }
  if (set.has_place && (suffix.empty() || suffix == ".geojson")) {
    content["application/geo+json"] =
        json::object{{"schema", SchemaRef(SchemaName(set, "Features"))}};
  }
  return content;
}

json::object ResponseComponents() {
  json::object string{{"schema", {{"type", "string"}}}};
  json::object responses{{"NotModified",
                          {{"description", "Not modified: If-None-Match matches the current ETag"},
                           {"headers", {{"ETag", string}}}}}};
  for (const ErrorStatus& error : ErrorStatuses()) {
    json::object response{{"description", std::string(error.meaning) +
                                              " (error.code: " + std::string(error.code) + ")"},
                          {"content", JsonContent(SchemaRef("Error"))}};
    if (!error.header.empty()) {
      response["headers"] = json::object{{error.header, string}};
    }
    responses[error.component] = std::move(response);
  }
  return responses;
}

json::object Ok(std::string_view description, json::object content) {
  json::object string{{"schema", {{"type", "string"}}}};
  json::object headers{{"ETag", string}, {"Cache-Control", string}};
  return json::object{
      {"description", description}, {"headers", std::move(headers)}, {"content", content}};
}

json::object ReadResponses() {
  return Responses({{"304", "NotModified"},
                    {"400", "BadRequest"},
                    {"401", "Unauthorized"},
                    {"403", "Forbidden"},
                    {"404", "NotFound"},
                    {"406", "NotAcceptable"},
                    {"429", "TooManyRequests"},
                    {"500", "ServerError"}});
}

json::object WriteResponses() {
  return Responses({{"400", "BadRequest"},
                    {"401", "Unauthorized"},
                    {"403", "Forbidden"},
                    {"409", "Conflict"},
                    {"413", "PayloadTooLarge"},
                    {"415", "UnsupportedMediaType"},
                    {"422", "Unprocessable"},
                    {"429", "TooManyRequests"},
                    {"500", "ServerError"}});
}

json::object Operation(std::string id, std::string summary, std::string description,
                       const DatasetDef& set, registry::RoleMask roles) {
  return json::object{{"operationId", std::move(id)},
                      {"summary", std::move(summary)},
                      {"description", std::move(description)},
                      {"tags", json::array{set.name}},
                      {"security", Security(roles)}};
}

json::object ListOperation(const DatasetDef& set, std::string_view suffix) {
  std::string format = suffix.empty() ? "" : std::string(suffix.substr(1));
  std::string description = set.description + "\n\nListed by: " + RoleList(set.list_roles) + ". " +
                            std::string(FiltersText());
  if (suffix.empty()) {
    description += " The format follows the Accept header (application/json, text/csv" +
                   std::string(set.has_place ? ", application/geo+json" : "") +
                   "); the suffixed paths fix it.";
  }
  json::object op = Operation("list-" + set.name + (format.empty() ? "" : "-" + format),
                              "List " + set.name + (format.empty() ? "" : " as " + format),
                              std::move(description), set, set.list_roles);
  op["parameters"] = CollectionParameters(set, suffix);
  json::object responses = ReadResponses();
  responses["200"] = Ok("One page of rows", ListContent(set, suffix));
  op["responses"] = std::move(responses);
  return op;
}

json::object KeyParameter(const DatasetDef& set) {
  const FieldDef* key = set.Field(set.key);
  bool integer = key && key->type == FieldType::kInteger;
  json::object schema{{"type", integer ? "integer" : "string"}};
  return json::object{{"name", set.key},
                      {"in", "path"},
                      {"required", true},
                      {"description", key ? key->description : set.key},
                      {"schema", std::move(schema)}};
}

json::object ItemOperation(const DatasetDef& set) {
  json::object op = Operation("get-" + set.name, "One " + set.name + " record by " + set.key,
                              "Read by: " + RoleList(set.item_roles) + ".", set, set.item_roles);
  op["parameters"] = json::array{KeyParameter(set), Ref("parameters", "ifNoneMatch")};
  json::object responses = ReadResponses();
  responses["200"] = Ok("The record", JsonContent(SchemaRef(SchemaName(set, "Row"))));
  op["responses"] = std::move(responses);
  return op;
}

// The field operation a dataset route also serves (POST /api/v1/sales records a digital
// receipt), so its description says so.
std::string OperationNote(std::string_view method, const std::string& path) {
  for (const FieldOperation& op : FieldOperations()) {
    if (op.method == method && op.path == path) {
      return std::string(op.summary) + "\n\n";
    }
  }
  return "";
}

json::object CreateOperation(const DatasetDef& set) {
  json::object op = Operation(
      "create-" + set.name, "Add " + set.name + " records",
      OperationNote("POST", "/api/v1/" + set.name) +
          "One object, or an array of up to 1000 applied all-or-nothing (a bad record rejects "
          "all; details name it as [index].field). Written by: " +
          RoleList(set.write_roles) + ".",
      set, set.write_roles);
  json::object one = SchemaRef(SchemaName(set, "Create"));
  json::object many{{"type", "array"}, {"items", one}, {"minItems", 1}, {"maxItems", 1000}};
  op["requestBody"] = json::object{{"required", true},
                                   {"content", JsonContent({{"oneOf", json::array{one, many}}})}};
  json::object row = SchemaRef(SchemaName(set, "Row"));
  json::object rows{{"type", "object"},
                    {"required", {"data"}},
                    {"properties", {{"data", {{"type", "array"}, {"items", row}}}}}};
  json::object responses = WriteResponses();
  responses["201"] =
      json::object{{"description",
                    "Created: the stored record (with a Location header), or {data: [records]} "
                    "for an array"},
                   {"content", JsonContent({{"oneOf", json::array{row, rows}}})}};
  op["responses"] = std::move(responses);
  return op;
}

json::object UpdateOperation(const DatasetDef& set) {
  json::object op =
      Operation("update-" + set.name, "Change one " + set.name + " record",
                "Written by: " + RoleList(set.write_roles) + ".", set, set.write_roles);
  op["parameters"] = json::array{KeyParameter(set)};
  op["requestBody"] = json::object{{"required", true},
                                   {"content", JsonContent(SchemaRef(SchemaName(set, "Update")))}};
  json::object responses = WriteResponses();
  responses["404"] = Ref("responses", "NotFound");
  responses["200"] = json::object{{"description", "The updated record"},
                                  {"content", JsonContent(SchemaRef(SchemaName(set, "Row")))}};
  op["responses"] = std::move(responses);
  return op;
}

void AddDataset(const DatasetDef& set, json::object& paths, json::object& schemas) {
  std::string base = "/api/v1/" + set.name;
  json::object collection{{"get", ListOperation(set, "")}};
  json::object item{{"get", ItemOperation(set)}};
  if (set.write_roles != 0) {
    collection["post"] = CreateOperation(set);
    item["patch"] = UpdateOperation(set);
    schemas[SchemaName(set, "Create")] = InputSchema(set, true);
    schemas[SchemaName(set, "Update")] = InputSchema(set, false);
  }
  paths[base] = std::move(collection);
  for (const std::string& format : DatasetFormats(set)) {
    paths[base + "." + format] = json::object{{"get", ListOperation(set, "." + format)}};
  }
  paths[base + "/{" + set.key + "}"] = std::move(item);
  schemas[SchemaName(set, "Row")] = RowSchema(set, registry::kEveryone);
  schemas[SchemaName(set, "Page")] = PageSchema(set, false);
  if (set.has_place) {
    schemas[SchemaName(set, "Features")] = PageSchema(set, true);
  }
}

// Completes the fixed field-operation routes from FieldOperations(): who may call them and the
// errors they answer. POST /api/v1/sales is a dataset route, already complete.
void DescribeFieldOperations(json::object& paths) {
  for (const FieldOperation& op : FieldOperations()) {
    bool post = op.method == "POST";
    json::value* path = paths.if_contains(op.path);
    json::value* found = path ? path->as_object().if_contains(post ? "post" : "get") : nullptr;
    if (found == nullptr || found->as_object().contains("security")) {
      continue;
    }
    json::object& operation = found->as_object();
    operation["description"] = std::string(op.summary) + "\n\nUsed by: " + RoleList(op.roles) + ".";
    operation["security"] = Security(op.roles);
    json::object errors = post ? WriteResponses()
                               : Responses({{"400", "BadRequest"},
                                            {"401", "Unauthorized"},
                                            {"403", "Forbidden"},
                                            {"429", "TooManyRequests"},
                                            {"500", "ServerError"}});
    if (post) {
      errors["404"] = Ref("responses", "NotFound");
    }
    json::object& responses = operation["responses"].as_object();
    for (auto& [status, response] : errors) {
      responses[status] = std::move(response);
    }
  }
}

json::array Tags() {
  json::array tags{
      json::object{{"name", "metadata"}, {"description", "The API describing itself"}}};
  for (const DatasetDef& set : registry::Datasets()) {
    tags.emplace_back(json::object{{"name", set.name}, {"description", set.description}});
  }
  tags.emplace_back(
      json::object{{"name", "field operations"},
                   {"description", "Receipt checks, digital receipts, book reports"}});
  tags.emplace_back(json::object{{"name", "sms"}, {"description", "SMS gateway webhooks"}});
  return tags;
}

}  // namespace

std::string OpenApiJson(const std::string& server_url) {
  json::object doc = json::parse(kFixedParts).as_object();
  json::object& components = doc["components"].as_object();
  json::object& schemas = components["schemas"].as_object();
  json::object& paths = doc["paths"].as_object();
  if (const DatasetDef* farmers = registry::FindDataset("farmers")) {
    // The farmer in a verification answer: the police view, nothing more.
    schemas["PoliceFarmer"] = RowSchema(*farmers, registry::kPolice);
  }
  components["responses"] = ResponseComponents();
  for (const DatasetDef& set : registry::Datasets()) {
    AddDataset(set, paths, schemas);
  }
  DescribeFieldOperations(paths);
  // Kannel's post-url carries the same query parameters as its get-url.
  json::object& kannel = paths["/sms/kannel"].as_object();
  json::object post = kannel["get"].as_object();
  post["operationId"] = "sms-kannel-post";
  kannel["post"] = std::move(post);

  json::object info{
      {"title", "Harvest open agricultural data API"},
      {"version", "1"},
      {"description",
       "Jamaica's agricultural registry, open data and receipt verification against praedial "
       "larceny. Public datasets need no key; the others need `Authorization: Bearer KEY` (or "
       "the web session cookie). Errors are {\"error\": {\"code\", \"message\", \"details\"}}. "
       "A readable reference is at /docs."},
      {"license",
       {{"name", "CC BY 4.0"}, {"url", "https://creativecommons.org/licenses/by/4.0/"}}}};
  json::object out{
      {"openapi", "3.1.0"},
      {"info", std::move(info)},
      {"servers", json::array{json::object{{"url", server_url.empty() ? "/" : server_url}}}},
      {"tags", Tags()},
      {"paths", std::move(paths)},
      {"components", std::move(components)}};
  return json::serialize(out);
}

}  // namespace harvest::api
