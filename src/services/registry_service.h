// The registry's operations as every channel asks for them: registering and editing a
// farmer, selling a receipt book (with the next free range proposed), reporting a book lost
// or stolen, recording a digital receipt, and the staff's searches and views of farmers and
// books. The API's POST/PATCH, the SMS commands S and LOST and the staff pages all call
// these, so each permission check and each audit entry is made here once: a channel parses
// its input into a typed request and formats the typed result.
// Writes go through registry::RecordService (validation, stored-data rules) and
// verify::VerificationService (sales and book reports, which the receipt checks read).
// Depends on the registry, the store interface, auth and verify; must not know about HTTP,
// SMS, HTML or SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/principal.h"
#include "registry/record_service.h"
#include "store/store.h"
#include "verify/service.h"

namespace harvest::services {

// The caller's role may not do this. API and pages answer 403; the message names the act.
class Forbidden : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A search of the register. `text` is a registration number (digits) or the beginning of a
// family name; `parish` a parish code (or ""). Each shape is one index range of the store.
struct FarmerQuery {
  std::string text;
  std::string parish;
  std::string after;  // the `next` of the page before, "" for the first page
  int64_t limit = 20;
};

// Rows hold the fields the caller's role may see (the others are null).
struct RowPage {
  std::vector<store::Row> rows;
  std::string next;  // give as `after` for the next page; "" on the last page
};

// A farmer with what hangs off the record, as the caller's role may see it.
struct FarmerFile {
  store::Row farmer;
  std::vector<store::Row> farms;
  std::vector<store::Row> books;
  std::vector<store::Row> sales;  // the most recent first, at most kRecentSales
  static constexpr int64_t kRecentSales = 20;
};

// Books by serial, by a receipt number they hold, by farmer or by status.
struct BookQuery {
  std::string text;    // a serial, a receipt number or a farmer's registration number
  std::string status;  // active, lost, stolen, cancelled or ""
  std::string after;
  int64_t limit = 20;
};

struct BookFile {
  store::Row book;
  std::optional<store::Row> farmer;  // police view: names, parish, status
  std::vector<store::Row> sales;     // digital receipts recorded on its receipts
};

// What a new book would be: the serial after the greatest one, and the receipts after the
// highest sold (books never overlap, so that is the range after the book with the greatest
// first receipt: one index seek).
struct BookProposal {
  std::string serial;  // "" when the stored serials are not numbers
  int64_t first_receipt = 1;
  int64_t last_receipt = 0;
};

class RegistryService {
 public:
  RegistryService(store::Store& store, registry::ValidationContext validation,
                  auth::AuditLog& audit, verify::VerificationService& verification)
      : store_(store),
        validation_(std::move(validation)),
        audit_(audit),
        verification_(verification) {}

  // New records of any registry dataset, all or nothing (API POST). Throws Forbidden unless
  // the role may write the dataset, store::WriteError naming row, field and value.
  store::WriteResult Create(const auth::Principal& who, const registry::DatasetDef& set,
                            const std::vector<registry::InputRow>& rows,
                            const std::vector<std::string>& names = {});
  // Changes the named fields of one record (API PATCH); nullopt for an unknown key.
  std::optional<store::Row> Change(const auth::Principal& who, const registry::DatasetDef& set,
                                   const store::Value& key, const registry::InputRow& cells);

  // Cells positional over the farmers' fields, kAbsent where not given.
  store::Row RegisterFarmer(const auth::Principal& who, const registry::InputRow& cells);
  std::optional<store::Row> EditFarmer(const auth::Principal& who, const std::string& id,
                                       const registry::InputRow& cells);

  // Receipts of a book by default (SPEC §1: books of 100), within books.max_receipts.
  static constexpr int64_t kBookSize = 100;
  BookProposal ProposeBook() const;
  // Cells positional over the books' fields; sold_on is today unless given.
  store::Row SellBook(const auth::Principal& who, registry::InputRow cells);

  // Staff report any book; a farmer (request.only_farmers, SMS) only his own. Throws
  // Forbidden, verify::FieldError.
  store::Row ReportBook(const auth::Principal& who, const verify::ReportRequest& request);
  // Staff record on any farmer's book; a farmer (request.only_farmers) on his own.
  store::Row RecordSale(const auth::Principal& who, verify::SaleRequest request);

  // Staff reads (the roles that may search the dataset). Each read of personal data is
  // audited. Throws Forbidden.
  RowPage SearchFarmers(const auth::Principal& who, const FarmerQuery& query);
  std::optional<FarmerFile> Farmer(const auth::Principal& who, const std::string& id);
  RowPage SearchBooks(const auth::Principal& who, const BookQuery& query);
  std::optional<BookFile> Book(const auth::Principal& who, const std::string& serial);

  // Throw Forbidden unless the role may write (search) the dataset: for a channel that
  // shows a form before anything is sent.
  void RequireWrite(const auth::Principal& who, const registry::DatasetDef& set) const;
  void RequireRead(const auth::Principal& who, const registry::DatasetDef& set) const;
  // The audit entry of a read, when the dataset's reads are audited (auth::ReadIsAudited).
  void AuditRead(const auth::Principal& who, const registry::DatasetDef& set,
                 std::string record, std::string detail);

 private:
  store::Store& store_;
  registry::ValidationContext validation_;
  auth::AuditLog& audit_;
  verify::VerificationService& verification_;
};

// The two reads behind ProposeBook: the book with the greatest first receipt, the greatest
// serial (each a seek at one end of an index; tests check the plan).
std::vector<store::Selection> ProposalSelections();

// A farmer's family name as the register keeps it for a search: the first letter capital
// ("brown" finds "Brown").
std::string NamePrefix(std::string_view text);

}  // namespace harvest::services
