// The three self-descriptions (catalog, OpenAPI, HTML docs) must cover every dataset and field
// of the schema and every route the server answers, and the OpenAPI document must hold together.
#include "api/catalog.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <set>
#include <string>

namespace harvest::api {
namespace {

namespace json = boost::json;

const json::object& Obj(const json::value& v, std::string_view key) {
  return v.as_object().at(key).as_object();
}

TEST(CatalogJson, ListsEveryDatasetWithAllFields) {
  json::value doc = json::parse(CatalogJson());
  EXPECT_EQ(doc.at("version"), "1");
  EXPECT_EQ(doc.at("license").at("name"), "CC BY 4.0");
  EXPECT_EQ(doc.at("docs"), "/docs");
  EXPECT_EQ(doc.at("openapi"), "/openapi.json");
  const json::array& datasets = doc.at("datasets").as_array();
  ASSERT_EQ(datasets.size(), registry::Datasets().size());
  size_t i = 0;
  for (const registry::DatasetDef& set : registry::Datasets()) {
    const json::value& entry = datasets[i++];
    SCOPED_TRACE(set.name);
    EXPECT_EQ(entry.at("name"), set.name.c_str());
    EXPECT_EQ(entry.at("url"), ("/api/v1/" + set.name).c_str());
    EXPECT_EQ(entry.at("key"), set.key.c_str());
    const json::array& formats = entry.at("formats").as_array();
    EXPECT_EQ(formats.size(), set.has_place ? 3u : 2u);
    EXPECT_EQ(entry.at("write").as_array().empty(), set.write_roles == 0);
    const json::array& fields = entry.at("fields").as_array();
    ASSERT_EQ(fields.size(), set.fields.size());
    for (size_t f = 0; f < fields.size(); ++f) {
      const registry::FieldDef& def = set.fields[f];
      EXPECT_EQ(fields[f].at("name"), def.name.c_str());
      EXPECT_EQ(fields[f].at("type"), json::string(registry::FieldTypeName(def.type)));
      EXPECT_EQ(fields[f].at("description"), def.description.c_str());
      EXPECT_EQ(fields[f].at("required").as_bool(), def.required);
      EXPECT_TRUE(fields[f].at("writable").is_bool());
      EXPECT_FALSE(fields[f].at("visible_to").as_array().empty()) << def.name;
      EXPECT_EQ(fields[f].as_object().contains("choices"), !def.choices.empty());
    }
  }
  EXPECT_EQ(doc.at("operations").as_array().size(), FieldOperations().size());
}

// The catalog entry of one field, looked up by name: a renamed dataset or field fails here
// instead of leaving nothing to check.
const json::object* CatalogField(const json::value& doc, std::string_view dataset,
                                 std::string_view field) {
  for (const json::value& set : doc.at("datasets").as_array()) {
    if (set.at("name").as_string() != dataset) {
      continue;
    }
    for (const json::value& entry : set.at("fields").as_array()) {
      if (entry.at("name").as_string() == field) {
        return &entry.as_object();
      }
    }
  }
  return nullptr;
}

std::set<std::string> VisibleTo(const json::object& field) {
  std::set<std::string> roles;
  for (const json::value& role : field.at("visible_to").as_array()) {
    roles.insert(std::string(role.as_string()));
  }
  return roles;
}

// SPEC §3: trn and date_of_birth leave the server only for admin; the police view has the
// identity fields but not the phone.
TEST(CatalogJson, PrivacyRulesShowInVisibility) {
  json::value doc = json::parse(CatalogJson());
  using Roles = std::set<std::string>;
  for (std::string_view name : {"trn", "date_of_birth"}) {
    const json::object* field = CatalogField(doc, "farmers", name);
    ASSERT_NE(field, nullptr) << "farmers." << name << " is not in the catalog";
    EXPECT_EQ(VisibleTo(*field), Roles{"admin"}) << name;
  }
  const json::object* last_name = CatalogField(doc, "farmers", "last_name");
  ASSERT_NE(last_name, nullptr);
  EXPECT_EQ(VisibleTo(*last_name), (Roles{"police", "extension", "admin"}));
  const json::object* phone = CatalogField(doc, "farmers", "phone");
  ASSERT_NE(phone, nullptr);
  EXPECT_EQ(VisibleTo(*phone), (Roles{"extension", "admin"}));
}

// The value a local JSON pointer ("#/components/schemas/X") designates, or nullptr.
const json::value* Resolve(const json::value& root, std::string_view ref) {
  if (!ref.starts_with("#/")) {
    return nullptr;
  }
  const json::value* at = &root;
  std::string_view rest = ref.substr(2);
  while (at) {
    size_t slash = rest.find('/');
    std::string token(rest.substr(0, slash));
    for (size_t p = token.find("~1"); p != std::string::npos; p = token.find("~1", p)) {
      token.replace(p, 2, "/");
    }
    for (size_t p = token.find("~0"); p != std::string::npos; p = token.find("~0", p)) {
      token.replace(p, 2, "~");
    }
    const json::object* object = at->if_object();
    at = object ? object->if_contains(token) : nullptr;
    if (slash == std::string_view::npos) {
      break;
    }
    rest = rest.substr(slash + 1);
  }
  return at;
}

void CollectRefs(const json::value& v, std::vector<std::string>& refs) {
  if (const json::object* object = v.if_object()) {
    for (const auto& [key, child] : *object) {
      if (key == "$ref" && child.is_string()) {
        refs.emplace_back(child.as_string());
      } else {
        CollectRefs(child, refs);
      }
    }
  } else if (const json::array* array = v.if_array()) {
    for (const json::value& child : *array) {
      CollectRefs(child, refs);
    }
  }
}

class OpenApi : public ::testing::Test {
 protected:
  void SetUp() override { doc_ = json::parse(OpenApiJson("https://harvest.example.org")); }
  const json::object& Paths() const { return Obj(doc_, "paths"); }
  bool Has(const std::string& path, std::string_view method) const {
    const json::value* item = Paths().if_contains(path);
    return item && item->as_object().contains(method);
  }
  json::value doc_;
};

TEST_F(OpenApi, IsVersion31WithInfoAndServer) {
  EXPECT_TRUE(doc_.at("openapi").as_string().starts_with("3.1"));
  EXPECT_TRUE(doc_.at("info").at("title").is_string());
  EXPECT_TRUE(doc_.at("info").at("version").is_string());
  EXPECT_EQ(doc_.at("servers").at(0).at("url"), "https://harvest.example.org");
  EXPECT_EQ(doc_.at("components").at("securitySchemes").at("bearerAuth").at("scheme"), "bearer");
}

TEST_F(OpenApi, CoversEveryDatasetRoute) {
  for (const registry::DatasetDef& set : registry::Datasets()) {
    SCOPED_TRACE(set.name);
    std::string base = "/api/v1/" + set.name;
    EXPECT_TRUE(Has(base, "get"));
    EXPECT_TRUE(Has(base + ".json", "get"));
    EXPECT_TRUE(Has(base + ".csv", "get"));
    EXPECT_EQ(Has(base + ".geojson", "get"), set.has_place);
    std::string item = base + "/{" + set.key + "}";
    EXPECT_TRUE(Has(item, "get"));
    EXPECT_EQ(Has(base, "post"), set.write_roles != 0);
    EXPECT_EQ(Has(item, "patch"), set.write_roles != 0);
    EXPECT_FALSE(Has(base, "delete"));
    // The item's row schema names every field, and the parish name beside each parish code.
    const json::value& ref = Paths()
                                 .at(item)
                                 .at("get")
                                 .at("responses")
                                 .at("200")
                                 .at("content")
                                 .at("application/json")
                                 .at("schema")
                                 .at("$ref");
    const json::value* schema = Resolve(doc_, ref.as_string());
    ASSERT_NE(schema, nullptr);
    for (const registry::FieldDef& field : set.fields) {
      EXPECT_TRUE(schema->at("properties").as_object().contains(field.name)) << field.name;
      if (field.type == registry::FieldType::kParish) {
        EXPECT_TRUE(schema->at("properties").as_object().contains(field.name + "_name"));
      }
    }
  }
}

TEST_F(OpenApi, CoversFieldOperationsSmsAndMeta) {
  EXPECT_TRUE(Has("/api/v1/verify/receipt/{number}", "get"));
  EXPECT_TRUE(Has("/api/v1/sales", "post"));
  EXPECT_TRUE(Has("/api/v1/books/{serial}/report", "post"));
  EXPECT_TRUE(Has("/sms/twilio", "post"));
  EXPECT_TRUE(Has("/sms/kannel", "get"));
  EXPECT_TRUE(Has("/sms/kannel", "post"));
  for (const char* path : {"/api/v1", "/openapi.json", "/docs", "/healthz", "/metrics"}) {
    EXPECT_TRUE(Has(path, "get")) << path;
  }
  const json::value& verdict = Obj(doc_.at("components"), "schemas")
                                   .at("VerifyAnswer")
                                   .at("properties")
                                   .at("verdict")
                                   .at("enum");
  EXPECT_EQ(json::serialize(verdict), R"(["VALID","CHECK","ALERT","UNKNOWN"])");
  // Verification is for police and up, never anonymous.
  const json::value& security =
      Paths().at("/api/v1/verify/receipt/{number}").at("get").at("security");
  EXPECT_EQ(json::serialize(security), R"([{"bearerAuth":[]}])");
}

TEST_F(OpenApi, EveryRefResolves) {
  std::vector<std::string> refs;
  CollectRefs(doc_, refs);
  ASSERT_FALSE(refs.empty());
  for (const std::string& ref : refs) {
    EXPECT_NE(Resolve(doc_, ref), nullptr) << ref;
  }
}

TEST_F(OpenApi, OperationsAreWellFormed) {
  const std::set<std::string> methods{"get", "put", "post", "delete", "patch", "head", "options"};
  std::set<std::string> operation_ids;
  const std::regex placeholder(R"(\{([^}]+)\})");
  for (const auto& [path, item] : Paths()) {
    SCOPED_TRACE(std::string(path));
    std::set<std::string> needed;
    std::string text(path);
    for (std::sregex_iterator m(text.begin(), text.end(), placeholder), end; m != end; ++m) {
      needed.insert((*m)[1]);
    }
    for (const auto& [method, operation] : item.as_object()) {
      ASSERT_TRUE(methods.contains(std::string(method))) << method;
      EXPECT_TRUE(operation_ids.insert(std::string(operation.at("operationId").as_string())).second)
          << "duplicate operationId";
      EXPECT_FALSE(operation.at("responses").as_object().empty());
      std::set<std::string> declared;
      if (const json::value* params = operation.as_object().if_contains("parameters")) {
        for (const json::value& p : params->as_array()) {
          const json::value* param =
              p.as_object().contains("$ref") ? Resolve(doc_, p.at("$ref").as_string()) : &p;
          ASSERT_NE(param, nullptr);
          if (param->at("in") == "path") {
            EXPECT_TRUE(param->at("required").as_bool());
            declared.insert(std::string(param->at("name").as_string()));
          }
        }
      }
      EXPECT_EQ(declared, needed) << method;
    }
  }
}

TEST(DocsHtml, NamesEveryDatasetAndField) {
  std::string html = DocsHtml();
  EXPECT_TRUE(html.starts_with("<!doctype html>"));
  EXPECT_NE(html.find("name=\"viewport\""), std::string::npos);
  for (const registry::DatasetDef& set : registry::Datasets()) {
    EXPECT_NE(html.find("<code>" + set.name + "</code>"), std::string::npos) << set.name;
    for (const registry::FieldDef& field : set.fields) {
      EXPECT_NE(html.find("<code>" + field.name + "</code>"), std::string::npos) << field.name;
    }
  }
  for (const char* section :
       {"id=\"auth\"", "id=\"query\"", "id=\"sms\"", "id=\"errors\"", "/sms/twilio", "/sms/kannel",
        "limit=all", "__in", "Retry-After", "http://127.0.0.1:8080/api/v1"}) {
    EXPECT_NE(html.find(section), std::string::npos) << section;
  }
}

TEST(DocsHtml, LoadsNothingFromOutside) {
  std::string html = DocsHtml();
  for (const char* forbidden : {"<script", "<link", "@import", "url(", "src=", "<iframe"}) {
    EXPECT_EQ(html.find(forbidden), std::string::npos) << forbidden;
  }
  // The only absolute URLs are links a reader may follow and curl examples.
  const std::regex absolute(R"(https?://[^\s"'<]+)");
  for (std::sregex_iterator m(html.begin(), html.end(), absolute), end; m != end; ++m) {
    std::string url = m->str();
    EXPECT_TRUE(url.starts_with("http://127.0.0.1:8080") ||
                url.starts_with("https://creativecommons.org/"))
        << url;
  }
}

}  // namespace
}  // namespace harvest::api
