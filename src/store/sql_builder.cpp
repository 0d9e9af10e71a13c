#include "store/sql_builder.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace harvest::store {
namespace {

class Builder {
 public:
  Builder(const registry::DatasetDef& set, Dialect dialect) : set_(set), dialect_(dialect) {}

  const std::string& Column(int field) const {
    return set_.fields.at(static_cast<size_t>(field)).name;
  }

  // The column a sort key orders by: its field's, or the key's stored token.
  const std::string& SortColumn(const SortKey& key) const {
    return key.key_token ? set_.key_token : Column(key.field);
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
        if (filter.values.empty()) {
          return "1 = 0";  // in nothing: no row (`IN ()` is no SQL)
        }
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
    // One direction and no null in the cursor: a row-value comparison, which SQLite and
    // PostgreSQL both turn into a seek in the index (the OR form below is a filter, so a
    // deep page would walk every row before it). Ascending, rows with nulls sort first and
    // are behind us, which is what the comparison's NULL says; descending, they sort last
    // and are still ahead, hence the IS NULL terms.
    bool uniform = !sort.empty() && after.size() == sort.size();
    for (size_t i = 0; uniform && i < sort.size(); ++i) {
      uniform = sort[i].descending == sort[0].descending && !IsNull(after[i]);
    }
    if (uniform) {
      std::string cols;
      std::string params;
      for (size_t i = 0; i < sort.size(); ++i) {
        cols += (i ? ", " : "") + SortColumn(sort[i]);
        params += (i ? ", " : "") + Param(after[i]);
      }
      if (sort.size() == 1) {
        return "(" + cols + (sort[0].descending ? " < " : " > ") + params + ")";
      }
      std::string sql = "((" + cols + ")" + (sort[0].descending ? " < " : " > ") + "(" + params + ")";
      if (sort[0].descending) {
        for (size_t i = 0; i + 1 < sort.size(); ++i) {
          if (NotNull(sort[i].field)) {
            continue;
          }
          std::string term;
          for (size_t j = 0; j < i; ++j) {
            term += SortColumn(sort[j]) + " = " + Param(after[j]) + " AND ";
          }
          sql += " OR (" + term + SortColumn(sort[i]) + " IS NULL)";
        }
      }
      return sql + ")";
    }
    std::string any;
    for (size_t i = 0; i < sort.size() && i < after.size(); ++i) {
      std::string term;
      for (size_t j = 0; j < i; ++j) {
        term += EqualSql(SortColumn(sort[j]), after[j]) + " AND ";
      }
      std::string beyond = BeyondSql(SortColumn(sort[i]), sort[i].descending, after[i]);
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

  // Columns the schema requires hold no null (the DDL says NOT NULL for each), nor do the
  // sort fields of IndexPaths, which are chosen NOT NULL so that a descending page is one
  // seek (an IS NULL term beside it makes the plan a scan).
  bool NotNull(int field) const {
    const registry::FieldDef& f = set_.fields.at(static_cast<size_t>(field));
    if (f.required || !f.fallback.empty() || f.name == set_.key) {
      return true;
    }
    for (const IndexPath& path : IndexPaths(set_)) {
      if (std::find(path.order.begin(), path.order.end(), f.name) != path.order.end()) {
        return true;
      }
    }
    return false;
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
                                   const std::vector<SortKey>& sort, bool key_token) {
  std::vector<SortKey> keys = sort;
  int key = set.KeyIndex();
  key_token = key_token && !set.key_token.empty();
  bool has_key = false;
  for (SortKey& k : keys) {
    if (k.field == key) {
      has_key = true;
      k.key_token = key_token;  // the key and its token name the same rows
    }
  }
  if (!has_key) {
    // The tie-break runs the way the last key does, so a sort in one direction is one walk
    // of an index, forwards or backwards.
    keys.push_back(SortKey{key, !keys.empty() && keys.back().descending, key_token});
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

namespace {

using Paths = std::vector<IndexPath>;

const std::unordered_map<std::string, Paths>& AllPaths() {
  // The logs (verifications, audit) are not listed: admin-only, they have no index but
  // their key, except the checks' covering index by time for the /checks summaries (migration 11,
  // inserts at a right edge), so their filters scan, bounded by limits.query_ms.
  static const std::unordered_map<std::string, Paths> paths{
      {"farmers",
       {{},
        {{"parish"}, {}},
        {{"parish", "activity"}, {}},
        {{"parish"}, {"last_name"}},
        {{}, {"last_name"}},
        {{"status"}, {}},
        {{"extension_area"}, {}},
        {{"district"}, {}},
        {{"under_investigation"}, {}},
        {{"phone"}, {}}}},
      {"farms",
       {{},
        {{"farmer_id"}, {}},
        {{"parish"}, {}},
        {{"status"}, {}},
        {{"extension_area"}, {}},
        {{"district"}, {}},
        {{"tenure"}, {}},
        // Partners' pages, ordered by the farm's token (migration 8): the same shapes but
        // the owner, whom partners do not see.
        {{}, {}, true},
        {{"parish"}, {}, true},
        {{"status"}, {}, true},
        {{"extension_area"}, {}, true},
        {{"district"}, {}, true},
        {{"tenure"}, {}, true}}},
      {"crops", {{}, {{"farm_id"}, {}}, {{"crop"}, {}}, {{"status"}, {}}}},
      {"livestock", {{}, {{"farm_id"}, {}}, {{"species"}, {}}}},
      {"prices",
       {{},
        {{"commodity"}, {}},
        {{"commodity", "parish"}, {}},
        {{"commodity"}, {"week_of"}},
        {{"commodity", "parish"}, {"week_of"}},
        {{"commodity", "parish", "week_of"}, {}},
        {{"commodity", "price_point"}, {"week_of"}},
        {{"commodity", "parish", "price_point"}, {"week_of"}},
        {{"parish"}, {}},
        {{"price_point"}, {}},
        {{"week_of"}, {}},
        {{}, {"week_of"}}}},
      {"books",
       {{},
        {{"farmer_id"}, {}},
        {{"status"}, {}},
        {{"parish"}, {}},
        {{}, {"first_receipt"}}}},
      {"sales",
       {{},
        {{"farmer_id"}, {}},
        {{"farmer_id"}, {"sold_at"}},
        {{"farmer_id", "commodity"}, {"sold_at"}},
        {{"commodity"}, {}},
        {{"channel"}, {}},
        {{}, {"sold_at"}}}},
  };
  return paths;
}

std::string Names(const std::vector<std::string>& names, const char* sep) {
  std::string out;
  for (const std::string& n : names) {
    out += (out.empty() ? "" : sep) + n;
  }
  return out;
}

// "parish=…; parish=… and sort=last_name; …" for messages.
std::string Shapes(const Paths& paths) {
  std::string out;
  for (const IndexPath& p : paths) {
    // Token-ordered shapes repeat key-ordered ones; nobody asks for them by name.
    if ((p.equal.empty() && p.order.empty()) || p.key_token) {
      continue;
    }
    std::string shape = Names(p.equal, "= and ");
    shape += p.equal.empty() ? "" : "=";
    if (!p.order.empty()) {
      shape += (shape.empty() ? "" : " with ") + std::string("sort=") + Names(p.order, ",");
    }
    out += (out.empty() ? "" : "; ") + shape;
  }
  return out;
}

std::string FilterName(const registry::DatasetDef& set, const Filter& f) {
  static constexpr const char* kOps[] = {"",   "__ne", "__gt", "__gte",        "__lt",
                                         "__lte", "__in", "__contains", "__startswith", "__isnull"};
  return set.fields[static_cast<size_t>(f.field)].name + kOps[static_cast<int>(f.op)];
}

bool IsRange(FilterOp op) {
  return op == FilterOp::kEq || op == FilterOp::kGt || op == FilterOp::kGte ||
         op == FilterOp::kLt || op == FilterOp::kLte;
}

}  // namespace

const std::vector<IndexPath>& IndexPaths(const registry::DatasetDef& set) {
  static const Paths none;
  auto it = AllPaths().find(set.name);
  return it == AllPaths().end() ? none : it->second;
}

bool RegistrySized(const registry::DatasetDef& set) {
  return AllPaths().contains(set.name);
}

std::optional<std::string> UnsupportedQuery(const registry::DatasetDef& set,
                                            const Selection& selection, bool download) {
  if (!RegistrySized(set)) {
    return std::nullopt;
  }
  const Paths& paths = IndexPaths(set);
  std::vector<std::string> order;
  std::string sort_text;
  for (size_t i = 0; i < selection.sort.size(); ++i) {
    const SortKey& k = selection.sort[i];
    const std::string& name = set.fields[static_cast<size_t>(k.field)].name;
    sort_text += (i ? "," : "") + std::string(k.descending ? "-" : "") + name;
    if (k.descending != selection.sort[0].descending) {
      return "sort=" + sort_text + " mixes directions, which " + set.name +
             " cannot page by index: sort every field the same way";
    }
    if (name == set.key) {
      if (i + 1 != selection.sort.size()) {
        return "sort=" + sort_text + ": the key " + set.key + " can only come last";
      }
      continue;
    }
    order.push_back(name);
  }
  const Filter* unserved = nullptr;
  bool sort_served = false;
  for (const IndexPath& path : paths) {
    if (path.order != order || path.key_token != selection.key_token) {
      continue;
    }
    sort_served = true;
    std::vector<bool> used(selection.filters.size(), false);
    bool complete = true;
    for (const std::string& name : path.equal) {
      bool found = false;
      for (size_t i = 0; i < selection.filters.size() && !found; ++i) {
        const Filter& f = selection.filters[i];
        if (!used[i] && f.op == FilterOp::kEq &&
            set.fields[static_cast<size_t>(f.field)].name == name) {
          used[i] = found = true;
        }
      }
      complete = complete && found;
    }
    if (!complete) {
      continue;
    }
    const std::string& leading = path.order.empty() ? set.key : path.order.front();
    const Filter* first_left = nullptr;
    for (size_t i = 0; i < selection.filters.size(); ++i) {
      const Filter& f = selection.filters[i];
      const std::string& name = set.fields[static_cast<size_t>(f.field)].name;
      bool range = name == leading && IsRange(f.op);
      bool keys = name == set.key && f.op == FilterOp::kIn && path.equal.empty() &&
                  path.order.empty();
      if (!used[i] && !range && !keys && !first_left) {
        first_left = &f;
      }
    }
    if (!first_left || download) {
      return std::nullopt;
    }
    unserved = first_left;
  }
  if (!sort_served) {
    return "sort=" + sort_text + " is not one " + set.name +
           " can page by index; it sorts by its key, or: " + Shapes(paths);
  }
  // No shape took every equality filter: name one that no shape of this sort takes.
  for (const Filter& f : selection.filters) {
    if (unserved) {
      break;
    }
    bool somewhere = false;
    for (const IndexPath& path : paths) {
      somewhere = somewhere ||
                  (path.order == order && path.key_token == selection.key_token &&
                   f.op == FilterOp::kEq &&
                   std::find(path.equal.begin(), path.equal.end(),
                             set.fields[static_cast<size_t>(f.field)].name) != path.equal.end());
    }
    if (!somewhere) {
      unserved = &f;
    }
  }
  std::string named = unserved ? "filter '" + FilterName(set, *unserved) + "'" : "this filter";
  return named + " is not one a page of " + set.name +
         " can be read by index with this sort (a page's cost must not grow with the "
         "registry). Pages take equality filters of one of these shapes, plus a range on the "
         "sort field (or the key): " +
         Shapes(paths) + ". A .csv or .geojson download takes any filter";
}

bool MayBeNull(const registry::DatasetDef& set, const registry::FieldDef& field) {
  return field.name != set.key && !field.required && field.fallback.empty();
}

SqlQuery BuildSelect(const registry::DatasetDef& set, const Selection& selection, Dialect dialect) {
  Builder b(set, dialect);
  std::vector<SortKey> sort = EffectiveSort(set, selection.sort, selection.key_token);
  std::string sql = "SELECT " + ColumnList(set, selection.fields) + " FROM " + set.table;
  std::string where = b.WhereSql(selection.filters);
  if (!selection.after.empty() && !selection.any_order) {
    where += (where.empty() ? " WHERE " : " AND ") + b.AfterSql(sort, selection.after);
  }
  sql += where;
  for (size_t i = 0; i < sort.size() && !selection.any_order; ++i) {
    // Nulls sort as the smallest value on every backend (SQLite's order). Said only for a
    // column that may hold them: PostgreSQL puts them last, and an index it keeps in its own
    // order serves an ORDER BY that names another null order for no column, NOT NULL or not.
    sql += (i ? ", " : " ORDER BY ") + b.SortColumn(sort[i]) +
           (sort[i].descending ? " DESC" : " ASC") +
           (!sort[i].key_token && MayBeNull(set, set.fields[static_cast<size_t>(sort[i].field)])
                ? (sort[i].descending ? " NULLS LAST" : " NULLS FIRST")
                : "");
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
