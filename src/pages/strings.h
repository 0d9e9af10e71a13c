// Every word the pages show, in one catalogue: a page names a string, never writes one. A
// second language is one more file defining another Strings (strings_en.cpp is English);
// a unit test finds any entry it leaves empty. Must not depend on
// anything but the standard library.
#pragma once

#include <string_view>

namespace harvest::pages {

struct Strings {
  std::string_view lang;  // the page's lang attribute
  // Frame
  std::string_view site_name, skip_to_content, nav_verify, nav_login, nav_logout, signed_in_as,
      footer;
  // Login
  std::string_view login_title, login_intro, login_label, password_label, login_button,
      login_refused, login_too_many, minutes, logged_out;
  // Verify: the form
  std::string_view verify_title, verify_intro, receipt_label, receipt_hint, observed_legend,
      commodity_label, quantity_label, unit_label, unit_any, check_button, check_another;
  // Verify: the verdict card
  std::string_view verdict_heading, verdict_valid, verdict_check, verdict_alert, verdict_unknown,
      signals_heading, no_signals, book_heading, book_serial, book_receipts, book_status,
      book_since, farmer_heading, farmer_id, farmer_name, farmer_alias, farmer_parish,
      farmer_verified, farmer_card_expires, farmer_status, farmer_investigation, sale_heading,
      sale_commodity, sale_quantity, sale_sold_at, sale_channel, no_sale, yes, no, none;
  // The verdict engine's signal codes in plain words (SPEC §5)
  std::string_view signal_not_in_any_book, signal_book_stolen, signal_book_lost,
      signal_book_cancelled, signal_farmer_under_investigation, signal_farmer_inactive,
      signal_farmer_unverified, signal_card_expired, signal_receipt_rechecked, signal_sale_mismatch,
      signal_volume_implausible;
  // Form problems
  std::string_view bad_receipt, bad_quantity, bad_unit, unit_needs_quantity, form_problems;
  // Error pages, by status
  std::string_view error_title, error_400, error_401, error_403, error_403_csrf, error_404,
      error_405, error_409, error_413, error_422, error_429, error_500, error_503, error_other,
      error_back;
  // The public portal: navigation, home, /data, /prices, /stats
  std::string_view nav_prices, nav_stats, nav_data, nav_api;
  std::string_view home_title, home_intro, home_latest_prices, home_week_of, home_commodity,
      home_average, home_markets, home_no_prices, home_week_table, home_staff, home_staff_intro,
      home_api, home_api_intro;
  std::string_view data_title, data_intro, data_dataset, data_description, data_formats,
      data_rows_of, data_rows, data_filters, data_any, data_sort, data_sort_default, data_limit,
      data_apply, data_clear, data_next, data_first, data_no_rows, data_this_page,
      data_whole_selection, data_facets, data_facets_too_many, data_ascending, data_descending,
      data_sort_by, data_bad_query, data_table_caption, data_more_filters;
  std::string_view prices_title, prices_intro, prices_commodity, prices_parish, prices_point,
      prices_show, prices_chart_label, prices_table_caption, prices_week, prices_price, prices_unit,
      prices_market, prices_variety, prices_none, prices_csv, prices_for;
  std::string_view stats_title, stats_intro, stats_map_label, stats_show, stats_farmers,
      stats_production, stats_parish, stats_verified, stats_farms, stats_area, stats_volume,
      stats_suppressed, stats_suppressed_note, stats_table_caption, stats_sources;
  // Staff registry pages (/farmers, /books, /sales/new): navigation, titles, actions
  std::string_view nav_farmers, nav_books, nav_sale, farmers_title, farmers_intro, search_label,
      search_hint, parish_any, search_button, farmers_none, farmers_register, farmer_title,
      farmer_edit, farmer_new_title, farmer_edit_title, farmer_new_intro, register_button,
      save_button, farmer_registered, farmer_saved, farms_heading, books_heading, sales_heading,
      none_recorded, sell_book_here, next_page, books_title, books_intro, books_search_label,
      books_search_hint, status_any, books_none, book_title, book_new_title, book_new_intro,
      sell_button, book_sold, book_report_heading, book_report_intro, report_lost, report_stolen,
      book_reported, book_not_active, sale_new_title, sale_new_intro, sale_button, sale_recorded,
      choose, required_mark;
  // Field labels of the registry's records
  std::string_view field_registration, field_first_name, field_last_name, field_alias, field_sex,
      field_date_of_birth, field_trn, field_phone, field_parish, field_district,
      field_extension_area, field_activity, field_verified, field_verified_on, field_registered_on,
      field_card_expires_on, field_status, field_under_investigation, field_remarks, field_farm,
      field_size_ha, field_tenure, field_serial, field_first_receipt, field_last_receipt,
      field_farmer, field_sold_on, field_outlet, field_status_changed_on, field_receipt,
      field_commodity, field_quantity, field_unit, field_buyer_name, field_buyer_phone,
      field_sold_at, field_channel;
  // Navigation to the staff pages
  std::string_view nav_checks, nav_admin;
  // Shared by the tables and filters of /admin and /checks
  std::string_view filter_heading, filter_button, clear_filters, filter_problem, time_from, time_to,
      time_hint, any, never, csv_table, csv_page, csv_all, older_entries, first_page, rows_shown;
  // /admin
  std::string_view admin_title, admin_intro, admin_keys, admin_keys_intro, admin_users,
      admin_users_intro, admin_officers, admin_officers_intro, admin_audit, admin_audit_intro,
      admin_back;
  std::string_view key_id, key_prefix, key_role, key_name, key_name_hint, key_created,
      key_last_used, key_state, key_valid, key_revoked_on, key_create_heading, key_create_button,
      key_revoke_button, key_created_title, key_secret_label, key_secret_once, key_revoked_notice,
      no_keys;
  std::string_view user_login, user_login_hint, user_role, user_created, user_state, user_enabled,
      user_disabled_on, user_add_heading, user_password, user_password_hint, user_add_button,
      user_disable_button, user_added_notice, user_disabled_notice, no_users;
  std::string_view officer_id, officer_phone, officer_phone_hint, officer_badge, officer_name,
      officer_station, officer_parish, officer_status, officer_add_heading, officer_add_button,
      officer_block_button, officer_added_notice, officer_reactivated_notice,
      officer_blocked_notice, choose_parish, no_officers;
  std::string_view audit_at, audit_actor, audit_actor_hint, audit_role, audit_channel, audit_action,
      audit_dataset, audit_record, audit_detail, no_entries;
  // /checks
  std::string_view checks_title, checks_intro, checks_range, checks_to_now, per_day_heading,
      per_day_caption, day, total, by_parish_heading, by_parish_caption, parish, parish_unknown,
      rechecked_heading, rechecked_caption, receipt, times_checked, parishes_count, last_checked,
      verdict_label, no_checks, raw_checks_csv;
};

const Strings& English();

// The label of a registry field ("farmers", "last_name" → "Family name"); empty for a field
// the catalogue lacks.
std::string_view FieldLabel(const Strings& s, std::string_view dataset, std::string_view field);

// The plain words for a verdict engine signal code; empty for a code the catalogue lacks.
std::string_view SignalText(const Strings& s, std::string_view code);

}  // namespace harvest::pages
