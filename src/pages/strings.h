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
  // Navigation to the staff pages
  std::string_view nav_checks, nav_admin;
  // Shared by the tables and filters of /admin and /checks
  std::string_view filter_heading, filter_button, clear_filters, filter_problem, time_from,
      time_to, time_hint, any, never, table_scroll, csv_table, csv_page, csv_all, next_page,
      first_page, rows_shown;
  // /admin
  std::string_view admin_title, admin_intro, admin_keys, admin_keys_intro, admin_users,
      admin_users_intro, admin_officers, admin_officers_intro, admin_audit, admin_audit_intro,
      admin_back;
  std::string_view key_id, key_prefix, key_role, key_name, key_name_hint, key_created,
      key_last_used, key_state, key_valid, key_revoked_on, key_create_heading, key_create_button,
      key_revoke_button, key_created_title, key_secret_label, key_secret_once, key_revoked_notice,
      no_keys;
  std::string_view user_login, user_login_hint, user_role, user_created, user_state,
      user_enabled, user_disabled_on, user_add_heading, user_password, user_password_hint,
      user_add_button, user_disable_button, user_added_notice, user_disabled_notice, no_users;
  std::string_view officer_id, officer_phone, officer_phone_hint, officer_badge, officer_name,
      officer_station, officer_parish, officer_status, officer_add_heading, officer_add_button,
      officer_block_button, officer_added_notice, officer_reactivated_notice,
      officer_blocked_notice, choose_parish, no_officers;
  std::string_view audit_at, audit_actor, audit_actor_hint, audit_role, audit_channel,
      audit_action, audit_dataset, audit_record, audit_detail, no_entries;
  // /checks
  std::string_view checks_title, checks_intro, checks_range, checks_to_now, per_day_heading,
      per_day_caption, day, total, by_parish_heading, by_parish_caption, parish, parish_unknown,
      rechecked_heading, rechecked_caption, receipt, times_checked, parishes_count,
      last_checked, verdict_label, no_checks, raw_checks_csv;
};

const Strings& English();

// The plain words for a verdict engine signal code; empty for a code the catalogue lacks.
std::string_view SignalText(const Strings& s, std::string_view code);

}  // namespace harvest::pages
