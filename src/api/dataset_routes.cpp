// GET/POST/PATCH on /api/v1/{dataset}[.format] and /api/v1/{dataset}/{key}.
#include <boost/json.hpp>

#include "api/api.h"
#include "api/collection_query.h"
#include "api/collection_read.h"
#include "api/responses.h"
#include "auth/privacy.h"
#include "opendata/formats.h"
#include "services/registry_service.h"
#include "store/sql_builder.h"

namespace harvest::api {
namespace {

namespace json = boost::json;
using registry::DatasetDef;

constexpr std::string_view kPrefix = "/api/v1/";
constexpr size_t kMaxBatch = 1000;

struct Target {
  const DatasetDef* set = nullptr;
  std::string key;  // empty for the collection
  bool has_key = false;
  std::string suffix;  // ".csv" etc. as given
  std::optional<opendata::Format> format;
};

std::optional<Target> ParseTarget(const std::string& path) {
  if (path.compare(0, kPrefix.size(), kPrefix) != 0) {
    return std::nullopt;
  }
  std::string rest = path.substr(kPrefix.size());
  Target t;
  size_t slash = rest.find('/');
  std::string name = rest.substr(0, slash);
  if (slash != std::string::npos) {
    t.has_key = true;
    t.key = rest.substr(slash + 1);
    if (t.key.empty() || t.key.find('/') != std::string::npos) {
      return std::nullopt;
    }
  }
  static const std::pair<std::string_view, opendata::Format> kSuffixes[] = {
      {".json", opendata::Format::kJson},
      {".csv", opendata::Format::kCsv},
      {".geojson", opendata::Format::kGeoJson}};
  std::string& last = t.has_key ? t.key : name;
  for (const auto& [suffix, format] : kSuffixes) {
    if (last.size() > suffix.size() && last.ends_with(suffix)) {
      t.suffix = suffix;
      t.format = format;
      last.resize(last.size() - suffix.size());
      break;
    }
  }
  t.set = registry::FindDataset(name);
  if (!t.set) {
    return std::nullopt;
  }
  return t;
}

opendata::Format Negotiate(const Target& target, const http::Request& request) {
  opendata::Format format = opendata::Format::kJson;
  if (target.format) {
    format = *target.format;
  } else if (const std::string* accept = request.Header("Accept")) {
    if (accept->find("text/csv") != std::string::npos) {
      format = opendata::Format::kCsv;
    } else if (accept->find("geo+json") != std::string::npos) {
      format = opendata::Format::kGeoJson;
    } else if (accept->find("json") == std::string::npos &&
               accept->find("*/*") == std::string::npos && !accept->empty()) {
      throw ApiError(406, "not_acceptable",
                     "answers come as application/json, text/csv or application/geo+json");
    }
  }
  if (format == opendata::Format::kGeoJson && !target.set->has_place) {
    throw BadParameter(target.set->name + " has no coordinates, so no GeoJSON (use .json or .csv)");
  }
  return format;
}

void MarkFor(const DatasetDef& set, http::Response& res) {
  // A log (checks, audit entries) grows without moving the registry's change stamp.
  res.reusable_by_caller = !set.log;
  if (set.list_roles & registry::kPublic) {
    MarkPublic(res);
  } else if (auth::ReadIsAudited(set)) {
    MarkPersonal(res);
  } else {
    MarkProtected(res);
  }
}

store::Value KeyValue(const DatasetDef& set, const std::string& text, const Context& context,
                      registry::Role role = registry::kAdmin) {
  store::Value key;
  const registry::FieldDef& field = set.fields[static_cast<size_t>(set.KeyIndex())];
  if (auth::FieldOpaque(field, role)) {  // a partner names a farm by its token
    if (std::optional<store::Value> stored = auth::Unpresent(field, role, text)) {
      return *stored;
    }
    throw ApiError(404, "not_found", "no " + set.name + " record with " + set.key + " " + text);
  }
  if (registry::ConvertCell(field, registry::InputCell::Text(text), context.validation, key) ||
      store::IsNull(key)) {
    throw ApiError(404, "not_found", "no " + set.name + " record with " + set.key + " " + text);
  }
  return key;
}

// A download (.csv or .geojson without limit, or limit=all): every matching row, read in
// keyset pages while it is sent, so memory stays flat whatever the size (each page is a
// fresh query on the sending thread's connection).
http::Response StreamAll(Context& ctx, const DatasetDef& set, CollectionQuery query,
                         opendata::Format format, opendata::RowView view, auth::Principal& who) {
  constexpr int64_t kPageRows = 2000;
  http::Response res;
  res.Set("Content-Type", std::string(opendata::ContentType(format)));
  bool geojson = format == opendata::Format::kGeoJson;
  if (geojson) {
    res.body = R"({"type":"FeatureCollection","features":[)";
  } else {
    opendata::AppendCsvHeader(res.body, view);
  }
  MarkFor(set, res);
  store::Selection selection = std::move(query.selection);
  selection.limit = kPageRows;
  std::vector<store::SortKey> sort = store::EffectiveSort(set, selection.sort, selection.key_token);
  store::Store* store = &ctx.store;
  int budget_ms = ctx.config.limits.query_ms;
  bool first = true;
  // The first page is read now, so a query past its budget is still a 503, not a cut
  // download; every later page has the same budget of its own.
  std::optional<std::vector<store::Row>> first_page = store->Select(set, selection);
  res.stream = [store, &set, view = std::move(view), selection, sort, geojson, first, budget_ms,
                first_page = std::move(first_page)](std::string& out) mutable {
    std::vector<store::Row> rows;
    if (first_page) {
      rows = std::move(*first_page);
      first_page.reset();
    } else {
      store::BudgetScope budget(*store, budget_ms);
      rows = store->Select(set, selection);
    }
    for (const store::Row& row : rows) {
      if (geojson) {
        out += first ? "" : ",";
        opendata::AppendGeoJsonFeature(out, view, row);
      } else {
        opendata::AppendCsvRow(out, view, row);
      }
      first = false;
    }
    if (static_cast<int64_t>(rows.size()) < kPageRows) {
      if (geojson) {
        out += "]}";
      }
      return false;
    }
    selection.after.clear();
    for (const store::SortKey& key : sort) {
      selection.after.push_back(rows.back()[static_cast<size_t>(key.field)]);
    }
    return true;
  };
  if (auth::ReadIsAudited(set)) {
    ctx.audit.Record(who, "read", set.name, "?" + QueryText(query.base_query),
                     geojson ? "all rows (GeoJSON)" : "all rows (CSV)");
  }
  return res;
}

http::Response List(Context& ctx, const Target& target, http::Request& request,
                    auth::Principal& who) {
  const DatasetDef& set = *target.set;
  opendata::Format format = Negotiate(target, request);
  store::BudgetScope budget(ctx.store, ctx.config.limits.query_ms);
  CollectionRequest collection = OpenCollection(ctx, set, who, request.query, format);
  if (collection.download) {
    return StreamAll(ctx, set, std::move(collection.query), format, std::move(collection.view),
                     who);
  }
  const opendata::RowView& view = collection.view;
  std::string body;
  if (format == opendata::Format::kCsv) {
    opendata::AppendCsvHeader(body, view);
  } else {
    body += format == opendata::Format::kJson ? R"({"data":[)"
                                              : R"({"type":"FeatureCollection","features":[)";
  }
  bool first = true;
  PageEnd end = ReadPage(ctx, collection, who, [&](const store::Row& row) {
    switch (format) {
      case opendata::Format::kCsv:
        opendata::AppendCsvRow(body, view, row);
        break;
      case opendata::Format::kJson:
        body += first ? "" : ",";
        opendata::AppendJsonRow(body, view, row);
        break;
      case opendata::Format::kGeoJson:
        body += first ? "" : ",";
        opendata::AppendGeoJsonFeature(body, view, row);
        break;
    }
    first = false;
  });
  std::string next;
  if (!end.cursor.empty()) {
    std::string base = QueryText(collection.query.base_query);
    next = std::string(kPrefix) + set.name + target.suffix + "?" + base +
           (base.empty() ? "" : "&") + "cursor=" + end.cursor;
  }
  http::Response res;
  res.Set("Content-Type", std::string(opendata::ContentType(format)));
  if (format != opendata::Format::kCsv) {
    body += R"(],"next":)";
    if (next.empty()) {
      body += "null";
    } else {
      opendata::AppendJsonString(body, next);
    }
    if (collection.query.count) {
      body += R"(,"total":)" + std::to_string(CountRows(ctx, collection));
    }
    body += "}";
  } else {
    if (!next.empty()) {
      res.Set("Link", "<" + next + ">; rel=\"next\"");
    }
    if (collection.query.count) {
      res.Set("X-Total-Count", std::to_string(CountRows(ctx, collection)));
    }
  }
  res.body = std::move(body);
  MarkFor(set, res);
  return res;
}

http::Response Item(Context& ctx, const Target& target, auth::Principal& who) {
  const DatasetDef& set = *target.set;
  RequireAccess(auth::CanRead(set, who.role), who, "read " + set.name);
  auto row = ctx.store.Get(set, KeyValue(set, target.key, ctx, who.role));
  if (!row) {
    throw ApiError(404, "not_found",
                   "no " + set.name + " record with " + set.key + " " + target.key);
  }
  std::string body;
  opendata::AppendJsonRow(
      body, opendata::RowView{&set, who.role, auth::VisibleFields(set, who.role)}, *row);
  http::Response res = JsonResponse(200, std::move(body));
  MarkFor(set, res);
  if (auth::ReadIsAudited(set)) {
    ctx.audit.Record(who, "read", set.name, target.key);
  }
  return res;
}

// Objects → cells positional over the dataset's fields; unknown names are problems.
std::vector<registry::InputCell> CellsFromObject(const DatasetDef& set, const json::object& object,
                                                 const std::string& where,
                                                 std::vector<registry::FieldProblem>& problems) {
  std::vector<registry::InputCell> cells(set.fields.size());
  for (const auto& [name, value] : object) {
    int index = set.FieldIndex(name);
    if (index < 0) {
      problems.push_back({where + std::string(name), "unknown field for " + set.name});
      continue;
    }
    cells[static_cast<size_t>(index)] = CellFromJson(value);
  }
  return cells;
}

ApiError FromWriteError(const store::WriteError& e, bool batch) {
  std::vector<registry::FieldProblem> details;
  for (const store::RowError& r : e.errors()) {
    std::string where = batch ? "[" + std::to_string(r.row) + "]." : "";
    details.push_back({where + r.field, r.message});
  }
  return e.conflict() ? ApiError(409, "conflict", e.what(), std::move(details))
                      : ApiError(422, "invalid", e.what(), std::move(details));
}

std::string KeyText(const DatasetDef& set, const store::Row& row) {
  return store::ValueText(row[static_cast<size_t>(set.KeyIndex())]);
}

http::Response Create(Context& ctx, services::RegistryService& records, const Target& target,
                      http::Request& request, auth::Principal& who) {
  const DatasetDef& set = *target.set;
  RequireAccess(auth::CanWrite(set, who.role), who, "write " + set.name);
  json::value body = ParseJsonBody(request);
  bool batch = body.is_array();
  std::vector<const json::object*> objects;
  if (batch) {
    if (body.as_array().size() > kMaxBatch || body.as_array().empty()) {
      throw ApiError(422, "invalid", "send between 1 and 1000 records in one array");
    }
    for (const json::value& v : body.as_array()) {
      objects.push_back(v.if_object());
    }
  } else {
    objects.push_back(body.if_object());
  }
  std::vector<registry::FieldProblem> problems;
  std::vector<registry::InputRow> rows(objects.size());
  std::vector<std::string> names;
  for (size_t i = 0; i < objects.size(); ++i) {
    std::string where = batch ? "[" + std::to_string(i) + "]." : "";
    names.push_back(batch ? "[" + std::to_string(i) + "]" : "this record");
    if (!objects[i]) {
      problems.push_back({where.empty() ? "" : where.substr(0, where.size() - 1),
                          "each record must be a JSON object"});
      continue;
    }
    rows[i] = CellsFromObject(set, *objects[i], where, problems);
  }
  if (!problems.empty()) {
    // Name every problem at once: the fields' own as well as the unknown names.
    for (size_t i = 0; i < rows.size(); ++i) {
      store::Row unused;
      std::string where;
      if (batch) {
        where = "[" + std::to_string(i) + "].";
      }
      for (auto& p : registry::BuildRow(set, rows[i], ctx.validation, unused)) {
        where.append(p.field);
        problems.push_back({where, p.message});
        where.resize(where.size() - p.field.size());
      }
    }
    throw ApiError(422, "invalid",
                   "the " + set.name + " record" + (batch ? "s are" : " is") + " not valid",
                   std::move(problems));
  }
  store::WriteResult written;
  try {
    written = records.Create(who, set, rows, names);  // audited there
  } catch (const store::WriteError& e) {
    throw FromWriteError(e, batch);
  } catch (const services::Forbidden&) {
    RequireAccess(false, who, "write " + set.name);
  }
  opendata::RowView view{&set, who.role, auth::VisibleFields(set, who.role)};
  std::string out;
  if (batch) {
    out = R"({"data":[)";
    for (size_t i = 0; i < written.rows.size(); ++i) {
      out += i ? "," : "";
      opendata::AppendJsonRow(out, view, written.rows[i]);
    }
    out += "]}";
  } else {
    opendata::AppendJsonRow(out, view, written.rows.front());
  }
  http::Response res = JsonResponse(201, std::move(out));
  std::string first_key = KeyText(set, written.rows.front());
  if (!batch) {
    res.Set("Location", std::string(kPrefix) + set.name + "/" + http::PercentEncode(first_key));
  }
  MarkPersonal(res);
  return res;
}

http::Response Patch(Context& ctx, services::RegistryService& records, const Target& target,
                     http::Request& request, auth::Principal& who) {
  const DatasetDef& set = *target.set;
  RequireAccess(auth::CanWrite(set, who.role), who, "write " + set.name);
  store::Value key = KeyValue(set, target.key, ctx);
  json::value body = ParseJsonBody(request);
  if (!body.is_object()) {
    throw ApiError(422, "invalid", "send the changed fields as one JSON object");
  }
  std::vector<registry::FieldProblem> problems;
  registry::InputRow cells = CellsFromObject(set, body.as_object(), "", problems);
  if (!problems.empty()) {
    throw ApiError(422, "invalid", "the change is not valid", std::move(problems));
  }
  std::optional<store::Row> row;
  try {
    row = records.Change(who, set, key, cells);  // audited there
  } catch (const store::WriteError& e) {
    throw FromWriteError(e, false);
  } catch (const services::Forbidden&) {
    RequireAccess(false, who, "write " + set.name);
  }
  if (!row) {
    throw ApiError(404, "not_found",
                   "no " + set.name + " record with " + set.key + " " + target.key);
  }
  std::string out;
  opendata::AppendJsonRow(
      out, opendata::RowView{&set, who.role, auth::VisibleFields(set, who.role)}, *row);
  http::Response res = JsonResponse(200, std::move(out));
  MarkPersonal(res);
  return res;
}

}  // namespace

RouteGroup DatasetRoutes(Context& context, services::RegistryService& records) {
  return RouteGroup{
      "dataset",
      [&context, &records](http::Request& request,
                           auth::Principal& who) -> std::optional<http::Response> {
        auto target = ParseTarget(request.path);
        if (!target) {
          return std::nullopt;
        }
        bool read = request.method == "GET" || request.method == "HEAD";
        if (!target->has_key) {
          if (read) {
            return List(context, *target, request, who);
          }
          if (request.method == "POST" && target->set->write_roles) {
            return Create(context, records, *target, request, who);
          }
          MethodNotAllowed(target->set->write_roles ? "GET, HEAD, POST" : "GET, HEAD");
        }
        if (read) {
          return Item(context, *target, who);
        }
        if (request.method == "PATCH" && target->set->write_roles) {
          return Patch(context, records, *target, request, who);
        }
        MethodNotAllowed(target->set->write_roles ? "GET, HEAD, PATCH" : "GET, HEAD");
      }};
}

}  // namespace harvest::api
