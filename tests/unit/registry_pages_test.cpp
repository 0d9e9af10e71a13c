// The staff registry pages show every field of farmers, farms, books and sales under a label
// from the catalogue, never under its schema name.
#include <gtest/gtest.h>

#include "pages/strings.h"
#include "registry/schema.h"

namespace harvest::pages {
namespace {

TEST(FieldLabel, EveryFieldTheRegistryPagesShowHasOne) {
  for (std::string_view dataset : {"farmers", "farms", "books", "sales"}) {
    const registry::DatasetDef& set = *registry::FindDataset(dataset);
    for (const registry::FieldDef& field : set.fields) {
      if (dataset == "farms" && field.name != "id" && field.name != "parish" &&
          field.name != "district" && field.name != "size_ha" && field.name != "tenure" &&
          field.name != "status") {
        continue;  // the farmer's page lists only these of a farm
      }
      EXPECT_FALSE(FieldLabel(English(), dataset, field.name).empty())
          << dataset << "." << field.name;
    }
  }
  // A name means the same in every dataset unless the catalogue says otherwise.
  EXPECT_NE(FieldLabel(English(), "farmers", "id"), FieldLabel(English(), "farms", "id"));
  EXPECT_TRUE(FieldLabel(English(), "farmers", "no_such_field").empty());
}

}  // namespace
}  // namespace harvest::pages
