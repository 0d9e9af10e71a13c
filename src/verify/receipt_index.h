// The registry facts a receipt check reads, held in memory: which book holds a number, the
// police view of its farmer, and whether a digital sale is recorded on it. A check then costs
// no store lookups (SPEC §5 asks for thousands of checks a second on one small machine).
//
// Each part (books with their farmers; sold receipts) is a copy of its datasets taken at
// known Store::ChangeStamp(set)s. A part is used only while the store's stamps for its
// datasets, seen from the caller's own snapshot, still equal the copy's: after any write to
// them, by this process or another (a CLI import while serving), the part is not used —
// callers read the store, as without the index — and a background thread copies it again.
// So an answer from memory is never staler than one read from the store.
//
// Depends on the Store and the registry only; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/paced_job.h"
#include "store/store.h"

namespace harvest::verify {

// The fields of a books or farmers row that a check reads and shows: the book's identity,
// range, owner and status; the farmer's police view (SPEC §3). Rows from the index hold these
// alone (other cells null), and rows a check reads from the store are cut to them, so a check
// answers the same whichever it used.
const std::vector<int>& CheckedBookFields();
const std::vector<int>& CheckedFarmerFields();
store::Row KeepFields(const store::Row& row, const std::vector<int>& fields);

class ReceiptIndex {
 public:
  // The book holding a receipt and that book's farmer, from memory. `known` false: memory
  // cannot say (its copy of books or farmers is stale or missing); read the store.
  struct Holding {
    bool known = false;
    std::optional<store::Row> book;    // nullopt: no book holds the receipt
    std::optional<store::Row> farmer;  // the book's farmer
  };

  struct BookPart;
  struct SalePart;

  // The parts that are current for the calling thread's snapshot, pinned for one check.
  class View {
   public:
    Holding BookHolding(int64_t receipt) const;
    // True only when memory knows that no sale is recorded on `receipt`.
    bool NoSale(int64_t receipt) const;

   private:
    friend class ReceiptIndex;
    std::shared_ptr<const BookPart> books_;
    std::shared_ptr<const SalePart> sales_;
  };

  // Copies every part now (start-up), then keeps them current from a background thread.
  explicit ReceiptIndex(store::Store& store);
  ~ReceiptIndex();
  ReceiptIndex(const ReceiptIndex&) = delete;
  ReceiptIndex& operator=(const ReceiptIndex&) = delete;

  // The current parts; asks the background thread to copy again any part that is stale.
  View Current();

  // Copies again, on the calling thread, every part whose dataset has changed.
  void Refresh();

 private:
  struct Parts {
    std::shared_ptr<const BookPart> books;
    std::shared_ptr<const SalePart> sales;
  };
  void CopyStale();

  store::Store& store_;
  mutable std::mutex mutex_;  // guards parts_
  Parts parts_;
  // Copies are paced: after one that took d, the next waits 10·d (at least 100 ms), so a
  // steady stream of writes to a dataset costs the builder at most a tenth of a core.
  store::PacedJob builder_;
};

}  // namespace harvest::verify
