// services::RegistryService against a real store: the permission checks every channel meets,
// the next free book proposed, the rules of selling and reporting books and recording sales,
// the audit entries, and the farmers' search by index.
#include "services/registry_service.h"

#include <gtest/gtest.h>

#include "registry/clock.h"
#include "store/sql_builder.h"
#include "store/sqlite/connection.h"
#include "temp_store.h"

namespace harvest::services {
namespace {

using registry::FindDataset;
using registry::InputCell;
using registry::InputRow;

auth::Principal As(registry::Role role, std::string channel = "web") {
  auth::Principal who;
  who.role = role;
  who.actor = "user:test-" + std::string(registry::RoleName(role));
  who.channel = std::move(channel);
  who.session = "s";
  return who;
}

InputRow Cells(std::string_view dataset,
               std::initializer_list<std::pair<std::string_view, std::string>> values) {
  const registry::DatasetDef& set = *FindDataset(dataset);
  InputRow cells(set.fields.size());
  for (const auto& [name, value] : values) {
    cells[static_cast<size_t>(set.FieldIndex(name))] = InputCell::Text(value);
  }
  return cells;
}

std::string Text(std::string_view dataset, const store::Row& row, std::string_view field) {
  return store::ValueText(row[static_cast<size_t>(FindDataset(dataset)->FieldIndex(field))]);
}

class RegistryServiceTest : public store::TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    log_ = std::make_unique<store::LogWriter>(*store_);
    audit_ = std::make_unique<auth::AuditLog>(*log_);
    verification_ = std::make_unique<verify::VerificationService>(
        *store_, config_, [] { return registry::NowUnix(); }, *log_);
    records_ = std::make_unique<RegistryService>(*store_, registry::ValidationContext{}, *audit_,
                                                 *verification_);
  }
  void TearDown() override {
    records_.reset();
    verification_.reset();
    audit_.reset();
    log_.reset();
    TempStoreTest::TearDown();
  }

  // Audit entries (action dataset record) committed so far, oldest first.
  std::vector<std::string> Audit() {
    log_->Flush();
    const registry::DatasetDef& audit = *FindDataset("audit");
    std::vector<std::string> out;
    for (const store::Row& row : store_->Select(audit, {})) {
      out.push_back(Text("audit", row, "action") + " " + Text("audit", row, "dataset") + " " +
                    Text("audit", row, "record"));
    }
    return out;
  }

  store::Row Farmer(const std::string& id, const std::string& last_name = "Brown",
                    const std::string& parish = "KIN") {
    return records_->RegisterFarmer(
        As(registry::kExtension),
        Cells("farmers",
              {{"id", id}, {"first_name", "Ann"}, {"last_name", last_name}, {"parish", parish}}));
  }

  config::Config config_;
  std::unique_ptr<store::LogWriter> log_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<verify::VerificationService> verification_;
  std::unique_ptr<RegistryService> records_;
};

TEST_F(RegistryServiceTest, PoliceMayNotRegisterAndNothingIsStored) {
  EXPECT_THROW(
      records_->RegisterFarmer(
          As(registry::kPolice),
          Cells("farmers",
                {{"id", "900000001"}, {"first_name", "A"}, {"last_name", "B"}, {"parish", "KIN"}})),
      Forbidden);
  EXPECT_FALSE(store_->Get(*FindDataset("farmers"), std::string("900000001")));
  EXPECT_THROW(records_->RequireWrite(As(registry::kPublic), *FindDataset("books")), Forbidden);
  EXPECT_THROW(records_->SearchFarmers(As(registry::kPolice), {}), Forbidden);
  EXPECT_THROW(records_->Farmer(As(registry::kPolice), "900000001"), Forbidden);
}

TEST_F(RegistryServiceTest, RegisterNamesTheBadFieldAndItsValue) {
  try {
    records_->RegisterFarmer(As(registry::kExtension), Cells("farmers", {{"id", "900000001"},
                                                                         {"first_name", "Ann"},
                                                                         {"last_name", "Brown"},
                                                                         {"parish", "Atlantis"}}));
    FAIL() << "an unknown parish was registered";
  } catch (const store::WriteError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].field, "parish");
    EXPECT_NE(e.errors()[0].message.find("Atlantis"), std::string::npos) << e.errors()[0].message;
  }
}

TEST_F(RegistryServiceTest, RegisterAndEditAreAuditedAsTheirCaller) {
  Farmer("900000001");
  auto edited = records_->EditFarmer(As(registry::kExtension), "900000001",
                                     Cells("farmers", {{"alias", "Annie"}}));
  ASSERT_TRUE(edited);
  EXPECT_EQ(Text("farmers", *edited, "alias"), "Annie");
  EXPECT_FALSE(records_->EditFarmer(As(registry::kExtension), "900000099",
                                    Cells("farmers", {{"alias", "X"}})));
  std::vector<std::string> audit = Audit();
  EXPECT_EQ(audit,
            (std::vector<std::string>{"create farmers 900000001", "update farmers 900000001"}));
}

TEST_F(RegistryServiceTest, ProposesTheBookAfterTheLastOne) {
  BookProposal empty = records_->ProposeBook();
  EXPECT_EQ(empty.serial, "000001");
  EXPECT_EQ(empty.first_receipt, 1);
  EXPECT_EQ(empty.last_receipt, 100);
  Farmer("900000001");
  const auth::Principal ext = As(registry::kExtension);
  records_->SellBook(ext, Cells("books", {{"serial", "000041"},
                                          {"first_receipt", "5001"},
                                          {"last_receipt", "5100"},
                                          {"farmer_id", "900000001"}}));
  records_->SellBook(ext, Cells("books", {{"serial", "000007"},
                                          {"first_receipt", "1"},
                                          {"last_receipt", "100"},
                                          {"farmer_id", "900000001"}}));
  BookProposal next = records_->ProposeBook();
  EXPECT_EQ(next.serial, "000042");
  EXPECT_EQ(next.first_receipt, 5101);
  EXPECT_EQ(next.last_receipt, 5200);
}

TEST_F(RegistryServiceTest, ABookSoldIsDatedAndMayNotOverlap) {
  Farmer("900000001");
  const auth::Principal ext = As(registry::kExtension);
  store::Row sold = records_->SellBook(ext, Cells("books", {{"serial", "000001"},
                                                            {"first_receipt", "1"},
                                                            {"last_receipt", "100"},
                                                            {"farmer_id", "900000001"}}));
  EXPECT_EQ(Text("books", sold, "sold_on"), registry::TodayIso());
  EXPECT_EQ(Text("books", sold, "status"), "active");
  try {
    records_->SellBook(ext, Cells("books", {{"serial", "000002"},
                                            {"first_receipt", "50"},
                                            {"last_receipt", "149"},
                                            {"farmer_id", "900000001"}}));
    FAIL() << "an overlapping book was sold";
  } catch (const store::WriteError& e) {
    EXPECT_TRUE(e.conflict());
  }
  EXPECT_FALSE(store_->Get(*FindDataset("books"), std::string("000002")));
}

TEST_F(RegistryServiceTest, ReportsAndSalesKeepTheirRulesForEveryCaller) {
  Farmer("900000001");
  Farmer("900000002");
  const auth::Principal ext = As(registry::kExtension);
  records_->SellBook(ext, Cells("books", {{"serial", "000001"},
                                          {"first_receipt", "1"},
                                          {"last_receipt", "100"},
                                          {"farmer_id", "900000001"}}));
  // A farmer texting from his phone: only his own books.
  auth::Principal farmer{registry::kPublic, 0, 0, "+18765550123", "sms"};
  verify::SaleRequest sale;
  sale.cells = Cells(
      "sales", {{"receipt", "5"}, {"commodity", "yellow yam"}, {"quantity", "10"}, {"unit", "kg"}});
  sale.only_farmers = {"900000002"};
  try {
    records_->RecordSale(farmer, sale);
    FAIL() << "a sale was recorded on another farmer's book";
  } catch (const verify::FieldError& e) {
    EXPECT_EQ(e.kind(), verify::FieldError::Kind::kNotYours);
  }
  sale.only_farmers.clear();  // no farmer of his own: the staff's rule, which he fails
  EXPECT_THROW(records_->RecordSale(farmer, sale), Forbidden);
  store::Row recorded = records_->RecordSale(ext, sale);
  EXPECT_EQ(Text("sales", recorded, "channel"), "web");
  EXPECT_EQ(Text("sales", recorded, "farmer_id"), "900000001");

  verify::ReportRequest report{"000001", false, "stolen", {}};
  EXPECT_THROW(records_->ReportBook(As(registry::kPolice), report), Forbidden);
  store::Row stolen = records_->ReportBook(ext, report);
  EXPECT_EQ(Text("books", stolen, "status"), "stolen");
  EXPECT_EQ(Text("books", stolen, "status_changed_on"), registry::TodayIso());
  try {
    records_->ReportBook(ext, report);
    FAIL() << "a stolen book was reported again";
  } catch (const verify::FieldError& e) {
    EXPECT_EQ(e.kind(), verify::FieldError::Kind::kConflict);
  }
  std::vector<std::string> audit = Audit();
  EXPECT_EQ(audit.back(), "update books 000001");
  EXPECT_EQ(audit[audit.size() - 2], "create sales 5");
}

TEST_F(RegistryServiceTest, ReadsOfBooksAndSalesAreAuditedLikeTheApis) {
  Farmer("900000001");
  const auth::Principal ext = As(registry::kExtension);
  records_->SellBook(ext, Cells("books", {{"serial", "000001"},
                                          {"first_receipt", "1"},
                                          {"last_receipt", "100"},
                                          {"farmer_id", "900000001"}}));
  size_t before = Audit().size();
  records_->SearchBooks(ext, BookQuery{});
  std::optional<BookFile> book = records_->Book(ext, "000001");
  ASSERT_TRUE(book);
  std::vector<std::string> audit = Audit();
  audit.erase(audit.begin(), audit.begin() + static_cast<std::ptrdiff_t>(before));
  EXPECT_EQ(audit, (std::vector<std::string>{"read books ?text=&status=", "read books 000001",
                                             "read farmers 900000001",
                                             "read sales ?book=000001"}));
}

TEST_F(RegistryServiceTest, SearchesFarmersByNumberNamePrefixAndParish) {
  Farmer("900000001", "Brown", "KIN");
  Farmer("900000002", "Browning", "MAN");
  Farmer("900000003", "Campbell", "KIN");
  Farmer("900000004", "Brown", "MAN");
  const auth::Principal ext = As(registry::kExtension);
  auto ids = [](const RowPage& page) {
    std::vector<std::string> out;
    for (const store::Row& row : page.rows) {
      out.push_back(Text("farmers", row, "id"));
    }
    return out;
  };
  EXPECT_EQ(ids(records_->SearchFarmers(ext, {"900000003"})),
            (std::vector<std::string>{"900000003"}));
  EXPECT_EQ(ids(records_->SearchFarmers(ext, {"900000003", "MAN"})), std::vector<std::string>{});
  // "brow" finds Brown and Browning, in name order, not Campbell.
  EXPECT_EQ(ids(records_->SearchFarmers(ext, {"brow"})),
            (std::vector<std::string>{"900000001", "900000004", "900000002"}));
  EXPECT_EQ(ids(records_->SearchFarmers(ext, {"brow", "MAN"})),
            (std::vector<std::string>{"900000004", "900000002"}));
  // Pages of two: the next page starts after the last row shown.
  RowPage first = records_->SearchFarmers(ext, {"brow", "", "", 2});
  EXPECT_EQ(ids(first), (std::vector<std::string>{"900000001", "900000004"}));
  ASSERT_EQ(first.next, "900000004");
  RowPage second = records_->SearchFarmers(ext, {"brow", "", first.next, 2});
  EXPECT_EQ(ids(second), (std::vector<std::string>{"900000002"}));
  EXPECT_EQ(second.next, "");
}

TEST_F(RegistryServiceTest, AFarmersFileHidesWhatTheRoleMayNotSee) {
  records_->RegisterFarmer(As(registry::kAdmin), Cells("farmers", {{"id", "900000001"},
                                                                   {"first_name", "Ann"},
                                                                   {"last_name", "Brown"},
                                                                   {"parish", "KIN"},
                                                                   {"trn", "123456789"}}));
  auto for_extension = records_->Farmer(As(registry::kExtension), "900000001");
  ASSERT_TRUE(for_extension);
  EXPECT_EQ(Text("farmers", for_extension->farmer, "trn"), "");
  auto for_admin = records_->Farmer(As(registry::kAdmin), "900000001");
  EXPECT_EQ(Text("farmers", for_admin->farmer, "trn"), "123456789");
}

// The proposal's reads are seeks at the end of an index, whatever the number of books.
TEST_F(RegistryServiceTest, TheProposalReadsAreIndexSeeks) {
  const registry::DatasetDef& books = *FindDataset("books");
  store::sqlite::Connection conn(path_.string(), std::chrono::seconds(5));
  std::vector<store::Selection> selections = ProposalSelections();
  ASSERT_FALSE(selections.empty());
  for (const store::Selection& selection : selections) {
    store::SqlQuery query = store::BuildSelect(books, selection, store::Dialect::kSqlite);
    store::sqlite::Statement& stmt = conn.Prepare("EXPLAIN QUERY PLAN " + query.sql);
    std::string plan;
    while (stmt.Step()) {
      plan += stmt.ColumnText(3) + "\n";
    }
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan << query.sql;
    EXPECT_NE(plan.find("INDEX"), std::string::npos) << plan << query.sql;
    EXPECT_EQ(selection.limit, 1);
  }
}

}  // namespace
}  // namespace harvest::services
