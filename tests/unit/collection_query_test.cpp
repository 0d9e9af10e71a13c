// The query language: filters, operators, sort, projection, limits and cursors.
#include "api/collection_query.h"

#include <gtest/gtest.h>

#include "api/api_error.h"

namespace harvest::api {
namespace {

using registry::FindDataset;

CollectionQuery Parse(const std::string& dataset, registry::Role role, const QueryPairs& q) {
  return ParseCollectionQuery(*FindDataset(dataset), role, q, registry::ValidationContext{});
}

std::string BadParameterMessage(const std::string& dataset, registry::Role role,
                                const QueryPairs& q) {
  try {
    Parse(dataset, role, q);
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(CollectionQuery, DefaultsToHundredRowsAndAllVisibleFields) {
  CollectionQuery q = Parse("prices", registry::kPublic, {});
  EXPECT_EQ(q.page_size, 100);
  EXPECT_EQ(q.selection.limit, 101);  // one more, to know whether there is a next page
  EXPECT_EQ(q.fields.size(), FindDataset("prices")->fields.size());
  EXPECT_FALSE(q.count);
}

TEST(CollectionQuery, FiltersAreTypedByField) {
  CollectionQuery q = Parse(
      "prices", registry::kPublic,
      {{"parish", "st. elizabeth"}, {"price__gte", "100.5"}, {"commodity__in", "ackee,coco"}});
  ASSERT_EQ(q.selection.filters.size(), 3u);
  EXPECT_EQ(std::get<std::string>(q.selection.filters[0].values[0]), "ELZ");
  EXPECT_EQ(q.selection.filters[1].op, store::FilterOp::kGte);
  EXPECT_DOUBLE_EQ(std::get<double>(q.selection.filters[1].values[0]), 100.5);
  EXPECT_EQ(q.selection.filters[2].op, store::FilterOp::kIn);
  EXPECT_EQ(q.selection.filters[2].values.size(), 2u);
}

TEST(CollectionQuery, BooleanFiltersAcceptRegistrySpellings) {
  CollectionQuery q =
      Parse("farmers", registry::kExtension, {{"verified", "Y"}, {"alias__isnull", "no"}});
  EXPECT_EQ(std::get<int64_t>(q.selection.filters[0].values[0]), 1);
  EXPECT_EQ(q.selection.filters[1].op, store::FilterOp::kIsNull);
  EXPECT_EQ(std::get<int64_t>(q.selection.filters[1].values[0]), 0);
}

TEST(CollectionQuery, SortAndFields) {
  CollectionQuery q =
      Parse("prices", registry::kPublic, {{"sort", "-price,week_of"}, {"fields", "id,price"}});
  ASSERT_EQ(q.selection.sort.size(), 2u);
  EXPECT_TRUE(q.selection.sort[0].descending);
  EXPECT_FALSE(q.selection.sort[1].descending);
  EXPECT_EQ(q.fields.size(), 2u);
}

TEST(CollectionQuery, ErrorsNameTheParameter) {
  EXPECT_NE(BadParameterMessage("prices", registry::kPublic, {{"limit", "0"}}).find("limit"),
            std::string::npos);
  EXPECT_NE(BadParameterMessage("prices", registry::kPublic, {{"limit", "1001"}}).find("limit"),
            std::string::npos);
  EXPECT_NE(BadParameterMessage("prices", registry::kPublic, {{"colour", "red"}}).find("colour"),
            std::string::npos);
  EXPECT_NE(BadParameterMessage("prices", registry::kPublic, {{"price__about", "1"}}).find("about"),
            std::string::npos);
  EXPECT_NE(BadParameterMessage("prices", registry::kPublic, {{"price", "cheap"}}).find("price"),
            std::string::npos);
  EXPECT_NE(
      BadParameterMessage("prices", registry::kPublic, {{"week_of", "2026-02-30"}}).find("week_of"),
      std::string::npos);
  EXPECT_NE(BadParameterMessage("prices", registry::kPublic, {{"count", "perhaps"}}).find("count"),
            std::string::npos);
}

TEST(CollectionQuery, HiddenFieldsDoNotExistForTheRole) {
  EXPECT_NE(
      BadParameterMessage("farmers", registry::kExtension, {{"trn", "123456789"}}).find("trn"),
      std::string::npos);
  EXPECT_NE(BadParameterMessage("farmers", registry::kPolice, {{"fields", "phone"}}).find("phone"),
            std::string::npos);
  EXPECT_NO_THROW(Parse("farmers", registry::kAdmin, {{"trn", "123456789"}}));
  // Partners see coordinates rounded and so cannot narrow them down with filters or sorts.
  EXPECT_NE(BadParameterMessage("farms", registry::kPartner, {{"lat__gt", "18"}}).find("rounded"),
            std::string::npos);
  EXPECT_NE(BadParameterMessage("farms", registry::kPartner, {{"sort", "lon"}}).find("rounded"),
            std::string::npos);
}

TEST(CollectionQuery, CursorRoundTripsAndIsBoundToItsSort) {
  const registry::DatasetDef& set = *FindDataset("prices");
  CollectionQuery q = Parse("prices", registry::kPublic, {{"sort", "-price"}});
  auto sort = store::EffectiveSort(set, q.selection.sort);
  ASSERT_EQ(sort.size(), 2u);  // the key is the final tie-break
  store::Row last(set.fields.size());
  last[set.FieldIndex("id")] = int64_t{42};
  last[set.FieldIndex("price")] = 199.5;
  std::string cursor = EncodeCursor(set, sort, last);
  auto values = DecodeCursor(set, sort, cursor);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_DOUBLE_EQ(std::get<double>(values[0]), 199.5);
  EXPECT_EQ(std::get<int64_t>(values[1]), 42);

  CollectionQuery paged =
      Parse("prices", registry::kPublic, {{"sort", "-price"}, {"cursor", cursor}});
  EXPECT_EQ(paged.selection.after.size(), 2u);
  EXPECT_EQ(paged.base_query.size(), 1u);  // the cursor is not repeated in `next`
  EXPECT_THROW(Parse("prices", registry::kPublic, {{"sort", "price"}, {"cursor", cursor}}),
               ApiError);
  EXPECT_THROW(Parse("prices", registry::kPublic, {{"cursor", "not-a-cursor"}}), ApiError);
}

TEST(CollectionQuery, NullSortValuesSurviveTheCursor) {
  const registry::DatasetDef& set = *FindDataset("farms");
  std::vector<store::SortKey> sort = store::EffectiveSort(set, {{set.FieldIndex("tenure"), false}});
  store::Row last(set.fields.size());
  last[set.FieldIndex("id")] = int64_t{7};
  auto values = DecodeCursor(set, sort, EncodeCursor(set, sort, last));
  EXPECT_TRUE(store::IsNull(values[0]));
}

}  // namespace
TEST(CollectionQuery, LimitsOfSpec10AreNamed) {
  EXPECT_NE(BadParameterMessage("prices", registry::kPublic, {{"parish", "KIN"}, {"parish", "AND"}})
                .find("'parish' is given twice"),
            std::string::npos);
  EXPECT_NE(BadParameterMessage("prices", registry::kPublic, {{"sort", "id,price,week_of,unit,parish,market"}})
                .find("'sort'"),
            std::string::npos);
  std::string many;
  for (int i = 1; i <= 101; ++i) {
    many += (i > 1 ? "," : "") + std::to_string(i);
  }
  EXPECT_NE(BadParameterMessage("prices", registry::kPublic, {{"id__in", many}}).find("'id__in'"),
            std::string::npos);
  EXPECT_NE(BadParameterMessage("prices", registry::kPublic, {{"market", std::string(2001, 'm')}})
                .find("'market' is too long"),
            std::string::npos);
}

TEST(CollectionQuery, TrackingParametersAreIgnored) {
  CollectionQuery q = Parse("prices", registry::kPublic,
                            {{"utm_source", "x"}, {"fbclid", "y"}, {"gclid", "z"}, {"_", "1"}});
  EXPECT_TRUE(q.selection.filters.empty());
  EXPECT_TRUE(q.base_query.empty());
}

TEST(CollectionQuery, InvalidBytesAreShownEscaped) {
  std::string message = BadParameterMessage("prices", registry::kPublic, {{"parish", "\xff\xfeKIN"}});
  EXPECT_NE(message.find("'parish'"), std::string::npos);
  EXPECT_NE(message.find("\\xff\\xfeKIN"), std::string::npos);
  EXPECT_EQ(Shown("caf\xc3\xa9"), "caf\xc3\xa9");  // valid UTF-8 stays
  EXPECT_EQ(Shown("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate is not UTF-8
  EXPECT_EQ(Shown(std::string(100, 'a')), std::string(60, 'a') + "...");
}

}  // namespace harvest::api
