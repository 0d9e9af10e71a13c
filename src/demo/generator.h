// The parts of one demo run, shared between the files of src/demo: buffered chunked writes, date
// arithmetic, and the makers of each dataset. Each maker draws from its own random stream, so
// the rows of one dataset do not change when another's rules do. Internal to src/demo.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "demo/country.h"
#include "demo/demo.h"
#include "demo/random.h"
#include "store/store.h"

namespace harvest::demo {

// Random streams, one per kind of row, so that how the work is batched never changes the data.
enum Stream : uint64_t {
  kFarmerStream = 1,
  kFarmStream,
  kStockStream,  // crops and livestock
  kBookStream,
  kSaleStream,
  kPriceStream,
  kOfficerStream,
  kSampleStream,
};

// Rows waiting to be written to one dataset. Writes go out in chunks so a national run never
// holds a whole dataset in memory; the caller's store.Atomically keeps them all-or-nothing.
class PendingRows {
 public:
  static constexpr size_t kChunkRows = 5000;

  PendingRows(store::Store& store, std::string_view dataset, int64_t& written);

  // Position of a field, by name, so no field order is hard-coded. Throws std::logic_error
  // for a field the dataset does not have.
  size_t Field(std::string_view name) const;
  store::Row& Add();  // a new row, every field null
  size_t size() const { return rows_.size(); }
  // Writes what is pending; returns the rows as stored (generated keys filled in).
  std::vector<store::Row> Flush();
  void FlushIfFull();

 private:
  store::Store& store_;
  const registry::DatasetDef& set_;
  int64_t& written_;
  std::vector<store::Row> rows_;
};

// Dates as days since 1970-01-01.
int64_t ParseDay(std::string_view iso_date);  // throws std::invalid_argument
std::string IsoDate(int64_t day);
int64_t AddYears(int64_t day, int years);                   // 29 February becomes 28 February
std::string Timestamp(int64_t day, int64_t second_of_day);  // 2026-11-20T14:03:00Z
double Round(double value, int decimals);

// What later stages need to know about one farmer.
struct FarmerPlan {
  enum class Role { kOrdinary, kModel, kStolenBook };
  std::string id;
  Role role = Role::kOrdinary;
  size_t parish = 0;
  size_t district = 0;
  Activity activity = Activity::kDomesticCrops;
  int64_t registered_on = 0;
  bool verified = false;
  bool active = true;
};

struct CropPlan {
  std::string crop;
  double expected_kg = 0;
};

struct BookPlan {
  int64_t first_receipt = 0;
  int64_t sold_on = 0;
  bool active = true;
};

class FarmerMaker {
 public:
  FarmerMaker(uint64_t seed, int64_t today);
  std::string IdOf(int64_t index) const;  // unique 9-digit registration numbers
  FarmerPlan Make(int64_t index, FarmerPlan::Role role, PendingRows& farmers);

 private:
  std::string PhoneOf(int64_t index) const;
  void Dates(FarmerPlan& plan, store::Row& row, PendingRows& farmers);

  Random random_;
  int64_t today_;
  uint64_t id_step_, id_offset_, trn_step_, trn_offset_, phone_step_, phone_offset_;
  WeightedTable parishes_;
  std::vector<WeightedTable> activities_;  // per parish
  WeightedTable last_names_;
};

// Farms, and the crops and livestock on them.
class HoldingMaker {
 public:
  HoldingMaker(uint64_t seed, int64_t today);
  // Adds the farmer's farms; returns how many.
  int MakeFarms(const FarmerPlan& farmer, PendingRows& farms);
  // Adds crops and livestock on one stored farm; returns the crops grown there.
  std::vector<CropPlan> Stock(const FarmerPlan& farmer, const store::Row& farm, bool first_farm,
                              PendingRows& crops, PendingRows& livestock);

 private:
  void AddCrops(int64_t farm_id, size_t parish, double size_ha, int count, int group,
                PendingRows& crops, std::vector<CropPlan>& grown);
  void AddLivestock(int64_t farm_id, std::string_view species, std::string_view stage,
                    int64_t count, PendingRows& livestock);
  void AddHerd(const FarmerPlan& farmer, int64_t farm_id, PendingRows& livestock);

  Random farm_random_;
  Random stock_random_;
  int64_t today_;
  std::vector<std::vector<WeightedTable>> crop_tables_;  // [group][parish] over AllCropFacts()
  WeightedTable tenures_;
};

// Receipt books and the digital receipts recorded on them.
class ReceiptMaker {
 public:
  ReceiptMaker(uint64_t seed, int64_t today);
  std::vector<BookPlan> MakeBooks(const FarmerPlan& farmer, PendingRows& books,
                                  int64_t& stolen_books);
  void MakeSales(const FarmerPlan& farmer, const std::vector<BookPlan>& books,
                 const std::vector<CropPlan>& crops, PendingRows& sales);
  // A receipt number that lies in no book: one in a range never sold.
  int64_t UnknownReceipt() const;

 private:
  Random book_random_;
  Random sale_random_;
  int64_t today_;
  int64_t next_book_ = 1;  // book k holds receipts k*100+1 .. k*100+100
  int64_t unsold_book_ = 0;
};

// Writes a year of weekly prices; returns, per registry commodity, the parishes priced.
std::vector<std::vector<size_t>> WritePrices(store::Store& store, uint64_t seed, int64_t today,
                                             int64_t& written);
// Writes the police officers; returns the phone of an active one.
std::string WriteOfficers(store::Store& store, uint64_t seed, int64_t& written);

// A name drawn from the demo's lists, for buyers and officers.
std::string PersonName(Random& random, bool female);

}  // namespace harvest::demo
