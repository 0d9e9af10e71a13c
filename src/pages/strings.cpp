#include "pages/strings.h"

namespace harvest::pages {

std::string_view SignalText(const Strings& s, std::string_view code) {
  struct Entry {
    std::string_view code;
    std::string_view Strings::*text;
  };
  static constexpr Entry kSignals[] = {
      {"not_in_any_book", &Strings::signal_not_in_any_book},
      {"book_stolen", &Strings::signal_book_stolen},
      {"book_lost", &Strings::signal_book_lost},
      {"book_cancelled", &Strings::signal_book_cancelled},
      {"farmer_under_investigation", &Strings::signal_farmer_under_investigation},
      {"farmer_inactive", &Strings::signal_farmer_inactive},
      {"farmer_unverified", &Strings::signal_farmer_unverified},
      {"card_expired", &Strings::signal_card_expired},
      {"receipt_rechecked", &Strings::signal_receipt_rechecked},
      {"sale_mismatch", &Strings::signal_sale_mismatch},
      {"volume_implausible", &Strings::signal_volume_implausible},
  };
  for (const Entry& e : kSignals) {
    if (e.code == code) {
      return s.*(e.text);
    }
  }
  return {};
}

}  // namespace harvest::pages
