// Self-description of the API, generated from the dataset descriptions of registry/schema.h so
// it cannot drift from what the server does: the machine-readable catalog (GET /api/v1), the
// OpenAPI 3.1 document (GET /openapi.json) and the HTML reference (GET /docs).
// Depends on the registry's descriptions and Boost.JSON only: no HTTP, store or SQL. The
// documents are plain strings; the route that serves them sets headers and caching.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "registry/schema.h"

namespace harvest::api {

// GET /api/v1: name, version, license, every dataset with its fields and the roles that may
// list, read and write it, the field operations, and links to /docs and /openapi.json.
std::string CatalogJson();

// GET /openapi.json: an OpenAPI 3.1.0 document covering every route the server answers.
// `server_url` becomes servers[0].url (the configured public URL); "" gives "/".
std::string OpenApiJson(const std::string& server_url);

// The receipts, book and commodity that /docs's examples use. A server on demo data fills
// them from its data (the demo is made afresh from the current date, so no fixed number
// stays valid); elsewhere they are placeholders.
struct DocsExamples {
  int64_t check_receipt = 545;  // verifies VALID
  int64_t sell_receipt = 546;   // no sale recorded on it yet
  std::string book_serial = "000006";
  std::string commodity = "sweet yam";
};

// GET /docs: a self-contained HTML reference (inline CSS, no scripts, no external fonts),
// readable on a phone.
std::string DocsHtml(const DocsExamples& examples = {});

// The routes beyond the generic dataset ones (SPEC §4 "Field operations"), described once
// for the three documents above.
struct FieldOperation {
  std::string_view name;    // verify, sales, report
  std::string_view method;  // GET, POST
  std::string_view path;    // with {placeholders}, as in OpenAPI
  registry::RoleMask roles;
  std::string_view summary;
};
std::span<const FieldOperation> FieldOperations();

// The error statuses of SPEC §4 with the `error.code` they carry, for /openapi.json and /docs.
struct ErrorStatus {
  int status;
  std::string_view code;       // error.code in the envelope
  std::string_view component;  // name of the response in the OpenAPI components
  std::string_view meaning;
  std::string_view header;  // a header the answer carries, or ""
};
std::span<const ErrorStatus> ErrorStatuses();

// The roles that see `field` of `set`: those the field is visible to among those that may
// read the dataset at all (list or item).
registry::RoleMask FieldReaders(const registry::DatasetDef& set, const registry::FieldDef& field);

// Role names of a mask, lowest privilege first: {"partner", "extension", "admin"}.
std::vector<std::string> RoleNames(registry::RoleMask mask);

// The same as text: "partner, extension, admin", "everyone" or "nobody".
std::string RoleList(registry::RoleMask mask);

// "json", "csv" and, where rows carry a place, "geojson".
std::vector<std::string> DatasetFormats(const registry::DatasetDef& set);

}  // namespace harvest::api
