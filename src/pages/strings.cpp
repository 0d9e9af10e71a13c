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

std::string_view FieldLabel(const Strings& s, std::string_view dataset, std::string_view field) {
  struct Entry {
    std::string_view dataset;  // "" for a name that means the same in every dataset
    std::string_view field;
    std::string_view Strings::*text;
  };
  static constexpr Entry kLabels[] = {
      {"farmers", "id", &Strings::field_registration},
      {"farms", "id", &Strings::field_farm},
      {"", "farm_id", &Strings::field_farm},
      {"", "first_name", &Strings::field_first_name},
      {"", "last_name", &Strings::field_last_name},
      {"", "alias", &Strings::field_alias},
      {"", "sex", &Strings::field_sex},
      {"", "date_of_birth", &Strings::field_date_of_birth},
      {"", "trn", &Strings::field_trn},
      {"", "phone", &Strings::field_phone},
      {"", "parish", &Strings::field_parish},
      {"", "district", &Strings::field_district},
      {"", "extension_area", &Strings::field_extension_area},
      {"", "activity", &Strings::field_activity},
      {"", "verified", &Strings::field_verified},
      {"", "verified_on", &Strings::field_verified_on},
      {"", "registered_on", &Strings::field_registered_on},
      {"", "card_expires_on", &Strings::field_card_expires_on},
      {"", "status", &Strings::field_status},
      {"", "under_investigation", &Strings::field_under_investigation},
      {"", "remarks", &Strings::field_remarks},
      {"", "size_ha", &Strings::field_size_ha},
      {"", "tenure", &Strings::field_tenure},
      {"", "serial", &Strings::field_serial},
      {"", "first_receipt", &Strings::field_first_receipt},
      {"", "last_receipt", &Strings::field_last_receipt},
      {"", "farmer_id", &Strings::field_farmer},
      {"", "sold_on", &Strings::field_sold_on},
      {"", "outlet", &Strings::field_outlet},
      {"", "status_changed_on", &Strings::field_status_changed_on},
      {"", "receipt", &Strings::field_receipt},
      {"", "commodity", &Strings::field_commodity},
      {"", "quantity", &Strings::field_quantity},
      {"", "unit", &Strings::field_unit},
      {"", "buyer_name", &Strings::field_buyer_name},
      {"", "buyer_phone", &Strings::field_buyer_phone},
      {"", "sold_at", &Strings::field_sold_at},
      {"", "channel", &Strings::field_channel},
  };
  for (const Entry& e : kLabels) {
    if ((e.dataset.empty() || e.dataset == dataset) && e.field == field) {
      return s.*(e.text);
    }
  }
  return {};
}

}  // namespace harvest::pages
