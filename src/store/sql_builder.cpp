#include "store/sql_builder.h"

#include <stdexcept>

namespace harvest::store {
namespace {

class Builder {
 public:
  Builder(const registry::DatasetDef& set, Dialect dialect) : set_(set), dialect_(dialect) {}

  const std::string& Column(int field) const {
    return set_.fields.at(static_cast<size_t>(field)).name;
  }

  std::string Param(Value value) {
    query_.params.push_back(std::move(value));
    if (dialect_ == Dialect::kPostgres) {
      return "$" + std::to_string(query_.params.size());
    }
    return "?";
  }

  std::string FilterSql(const Filter& filter) {
    const std::string& col = Column(filter.field);
    auto one = [&]() -> Value {
      if (filter.values.empty()) {
        throw std::invalid_argument("filter without a value");
      }
      return filter.values.front();
    };
    switch (filter.op) {
      case FilterOp::kEq:
        return col + " = " + Param(one());
      case FilterOp::kNe:
        return "(" + col + " IS NULL OR " + col + " <> " + Param(one()) + ")";
      case FilterOp::kGt:
        return col + " > " + Param(one());
      case FilterOp::kGte:
        return col + " >= " + Param(one());
      case FilterOp::kLt:
        return col + " < " + Param(one());
      case FilterOp::kLte:
        return col + " <= " + Param(one());
      case FilterOp::kIn: {
        std::string sql = col + " IN (";
        for (size_t i = 0; i < filter.values.size(); ++i) {
          sql += (i ? ", " : "") + Param(filter.values[i]);
        }
        return sql + ")";
      }
      case FilterOp::kContains:
        return Like(col, "%" + EscapeLike(ValueText(one())) + "%");
      case FilterOp::kStartsWith:
        return Like(col, EscapeLike(ValueText(one())) + "%");
      case FilterOp::kIsNull: {
        bool want_null = ValueText(one()) == "1";
        return col + (want_null ? " IS NULL" : " IS NOT NULL");
      }
    }
    throw std::invalid_argument("unknown filter operator");
  }

  // Rows strictly after `after` in the order given by `sort`, where ascending order puts
  // nulls first and descending order puts them last (the ORDER BY below says so
  // explicitly, so both backends agree).
  std::string AfterSql(const std::vector<SortKey>& sort, const std::vector<Value>& after) {
    std::string any;
    for (size_t i = 0; i < sort.size() && i < after.size(); ++i) {
      std::string term;
      for (size_t j = 0; j < i; ++j) {
        term += EqualSql(Column(sort[j].field), after[j]) + " AND ";
      }
      std::string beyond = BeyondSql(Column(sort[i].field), sort[i].descending, after[i]);
      if (beyond.empty()) {
        continue;  // nothing sorts after a null in this direction
      }
      any += (any.empty() ? "(" : " OR (") + term + beyond + ")";
    }
    return any.empty() ? "1 = 0" : "(" + any + ")";
  }

  std::string EqualSql(const std::string& col, const Value& v) {
    return IsNull(v) ? col + " IS NULL" : col + " = " + Param(v);
  }

  std::string BeyondSql(const std::string& col, bool descending, const Value& v) {
    if (!descending) {
      return IsNull(v) ? col + " IS NOT NULL" : col + " > " + Param(v);
    }
    return IsNull(v) ? std::string() : "(" + col + " < " + Param(v) + " OR " + col + " IS NULL)";
  }

  std::string WhereSql(const std::vector<Filter>& filters) {
    std::string where;
    for (const Filter& f : filters) {
      where += (where.empty() ? " WHERE " : " AND ") + FilterSql(f);
    }
    return where;
  }

  SqlQuery& query() { return query_; }

 private:
  std::string Like(const std::string& col, const std::string& pattern) {
    if (dialect_ == Dialect::kPostgres) {
      return col + " ILIKE " + Param(pattern) + " ESCAPE '\\'";
    }
    return col + " LIKE " + Param(pattern) + " ESCAPE '\\'";
  }

  static std::string EscapeLike(const std::string& text) {
    std::string out;
    for (char c : text) {
      if (c == '%' || c == '_' || c == '\\') {
        out.push_back('\\');
      }
      out.push_back(c);
    }
    return out;
  }

  const registry::DatasetDef& set_;
  Dialect dialect_;
  SqlQuery query_;
};

}  // namespace

std::vector<SortKey> EffectiveSort(const registry::DatasetDef& set,
                                   const std::vector<SortKey>& sort) {
  std::vector<SortKey> keys = sort;
  int key = set.KeyIndex();
  bool has_key = false;
  for (const SortKey& k : keys) {
    has_key = has_key || k.field == key;
  }
  if (!has_key) {
    keys.push_back(SortKey{key, false});
  }
  return keys;
}

std::string ColumnList(const registry::DatasetDef& set, const std::vector<int>& fields) {
  std::string cols;
  if (fields.empty()) {
    for (const registry::FieldDef& f : set.fields) {
      cols += (cols.empty() ? "" : ", ") + f.name;
    }
  }
  for (int f : fields) {
    cols += (cols.empty() ? "" : ", ") + set.fields[static_cast<size_t>(f)].name;
  }
  return cols;
}

SqlQuery BuildSelect(const registry::DatasetDef& set, const Selection& selection, Dialect dialect) {
  Builder b(set, dialect);
  std::vector<SortKey> sort = EffectiveSort(set, selection.sort);
  std::string sql = "SELECT " + ColumnList(set, selection.fields) + " FROM " + set.table;
  std::string where = b.WhereSql(selection.filters);
  if (!selection.after.empty() && !selection.any_order) {
    where += (where.empty() ? " WHERE " : " AND ") + b.AfterSql(sort, selection.after);
  }
  sql += where;
  for (size_t i = 0; i < sort.size() && !selection.any_order; ++i) {
    sql += (i ? ", " : " ORDER BY ") + b.Column(sort[i].field) +
           (sort[i].descending ? " DESC NULLS LAST" : " ASC NULLS FIRST");
  }
  if (selection.limit >= 0) {
    sql += " LIMIT " + b.Param(selection.limit);
  }
  b.query().sql = std::move(sql);
  return std::move(b.query());
}

SqlQuery BuildCount(const registry::DatasetDef& set, const std::vector<Filter>& filters,
                    Dialect dialect) {
  Builder b(set, dialect);
  b.query().sql = "SELECT count(*) FROM " + set.table + b.WhereSql(filters);
  return std::move(b.query());
}

}  // namespace harvest::store
