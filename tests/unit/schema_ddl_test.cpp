// The SQLite migrations' tables against the schema every other layer reads
// (registry/schema.cpp): each dataset's table has a column for each field, of the storage
// type the field's type is written as, its key as the primary key and its references as
// foreign keys, and no column the schema does not know of but the key's token. A field added
// to the schema without a migration, or a migration that renames a column, fails here rather
// than in a request.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "registry/schema.h"
#include "store/sqlite/connection.h"
#include "temp_store.h"

namespace harvest::store {
namespace {

// The SQLite type each field type is stored as (the tables are STRICT).
std::string StorageType(registry::FieldType type) {
  switch (type) {
    case registry::FieldType::kInteger:
    case registry::FieldType::kBoolean:
      return "INTEGER";
    case registry::FieldType::kReal:
    case registry::FieldType::kMoney:
      return "REAL";
    default:
      return "TEXT";
  }
}

struct Column {
  std::string type;
  bool key = false;
};

class SchemaDdl : public TempStoreTest {
 protected:
  std::map<std::string, Column> Columns(sqlite::Connection& conn, const std::string& table) {
    std::map<std::string, Column> out;
    sqlite::Statement& stmt = conn.Prepare("SELECT name, type, pk FROM pragma_table_info(?)");
    stmt.Bind(1, table);
    while (stmt.Step()) {
      out[stmt.ColumnText(0)] = Column{stmt.ColumnText(1), stmt.ColumnInt(2) > 0};
    }
    stmt.Reset();
    return out;
  }
  // Column -> the table it refers to.
  std::map<std::string, std::string> ForeignKeys(sqlite::Connection& conn,
                                                 const std::string& table) {
    std::map<std::string, std::string> out;
    sqlite::Statement& stmt =
        conn.Prepare("SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?)");
    stmt.Bind(1, table);
    while (stmt.Step()) {
      out[stmt.ColumnText(0)] = stmt.ColumnText(1);
    }
    stmt.Reset();
    return out;
  }
};

TEST_F(SchemaDdl, EveryDatasetsTableHoldsItsFieldsAsTheSchemaSays) {
  sqlite::Connection conn(path_.string(), std::chrono::seconds(5));
  int fields = 0;
  for (const registry::DatasetDef& set : registry::Datasets()) {
    std::map<std::string, Column> columns = Columns(conn, set.table);
    ASSERT_FALSE(columns.empty()) << set.name << ": no table " << set.table;
    std::map<std::string, std::string> references = ForeignKeys(conn, set.table);
    std::set<std::string> known;
    for (const registry::FieldDef& field : set.fields) {
      known.insert(field.name);
      auto column = columns.find(field.name);
      ASSERT_NE(column, columns.end()) << set.name << "." << field.name << " has no column";
      EXPECT_EQ(column->second.type, StorageType(field.type)) << set.name << "." << field.name;
      EXPECT_EQ(column->second.key, field.name == set.key) << set.name << "." << field.name;
      if (!field.references.empty() && !set.aggregate) {
        EXPECT_EQ(references[field.name], registry::FindDataset(field.references)->table)
            << set.name << "." << field.name << " refers to " << field.references;
      }
      ++fields;
    }
    if (!set.key_token.empty()) {
      known.insert(set.key_token);
    }
    for (const auto& [name, column] : columns) {
      EXPECT_TRUE(known.count(name)) << set.name << ": column " << name << " is in no field";
    }
  }
  EXPECT_GT(fields, 100);
}

}  // namespace
}  // namespace harvest::store
