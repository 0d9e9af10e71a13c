// Versioned schema migrations for the SQLite backend. PRAGMA user_version holds the
// number of migrations applied; each runs in its own transaction, so a crash between two
// leaves the database at a consistent earlier version. Append new migrations; never edit
// an applied one.
#include "store/sqlite/migrations.h"

#include <array>
#include <stdexcept>
#include <vector>

#include "auth/farm_token.h"
#include "registry/parish.h"
#include "registry/schema.h"

namespace harvest::store::sqlite {
namespace {

constexpr const char* kInitialSchema = R"SQL(
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE parishes (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, lat REAL, lon REAL) STRICT;

CREATE TABLE commodities (
  name TEXT PRIMARY KEY, category TEXT NOT NULL, unit TEXT NOT NULL) STRICT;

CREATE TABLE farmers (
  id TEXT PRIMARY KEY,
  first_name TEXT NOT NULL, last_name TEXT NOT NULL, alias TEXT,
  sex TEXT CHECK (sex IN ('M', 'F')),
  date_of_birth TEXT, trn TEXT, phone TEXT,
  parish TEXT NOT NULL REFERENCES parishes(code),
  district TEXT, extension_area TEXT, activity TEXT,
  verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
  verified_on TEXT, registered_on TEXT, card_expires_on TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deceased')),
  under_investigation INTEGER NOT NULL DEFAULT 0 CHECK (under_investigation IN (0, 1)),
  remarks TEXT) STRICT;
CREATE INDEX farmers_phone ON farmers(phone);
CREATE INDEX farmers_parish ON farmers(parish, activity);
CREATE INDEX farmers_last_name ON farmers(last_name);
CREATE TRIGGER farmers_never_deleted BEFORE DELETE ON farmers
BEGIN SELECT RAISE(ABORT, 'farmers are never deleted: change their status'); END;

CREATE TABLE farms (
  id INTEGER PRIMARY KEY,
  farmer_id TEXT NOT NULL REFERENCES farmers(id),
  parish TEXT NOT NULL REFERENCES parishes(code),
  district TEXT, extension_area TEXT, size_ha REAL, lat REAL, lon REAL, tenure TEXT,
  status TEXT NOT NULL DEFAULT 'active') STRICT;
CREATE INDEX farms_farmer ON farms(farmer_id);
CREATE INDEX farms_parish ON farms(parish);

CREATE TABLE crops (
  id INTEGER PRIMARY KEY,
  farm_id INTEGER NOT NULL REFERENCES farms(id),
  crop TEXT NOT NULL, variety TEXT, area_ha REAL, plant_count INTEGER,
  planted_on TEXT, expected_harvest_on TEXT, expected_volume_kg REAL,
  status TEXT NOT NULL DEFAULT 'growing') STRICT;
CREATE INDEX crops_farm ON crops(farm_id);
CREATE INDEX crops_crop ON crops(crop);

CREATE TABLE livestock (
  id INTEGER PRIMARY KEY,
  farm_id INTEGER NOT NULL REFERENCES farms(id),
  species TEXT NOT NULL, stage TEXT, count INTEGER, capacity INTEGER) STRICT;
CREATE INDEX livestock_farm ON livestock(farm_id);

CREATE TABLE prices (
  id INTEGER PRIMARY KEY,
  commodity TEXT NOT NULL, variety TEXT, unit TEXT NOT NULL,
  price REAL NOT NULL CHECK (price >= 0),
  price_point TEXT NOT NULL CHECK (price_point IN ('farmgate', 'wholesale', 'retail')),
  parish TEXT NOT NULL REFERENCES parishes(code), market TEXT, week_of TEXT NOT NULL) STRICT;
CREATE INDEX prices_commodity ON prices(commodity, parish, week_of);
CREATE INDEX prices_parish ON prices(parish);
CREATE INDEX prices_week ON prices(week_of);

CREATE TABLE books (
  serial TEXT PRIMARY KEY,
  first_receipt INTEGER NOT NULL, last_receipt INTEGER NOT NULL,
  farmer_id TEXT NOT NULL REFERENCES farmers(id),
  sold_on TEXT, outlet TEXT, parish TEXT REFERENCES parishes(code),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lost', 'stolen', 'cancelled')),
  status_changed_on TEXT, remarks TEXT,
  CHECK (first_receipt >= 1 AND first_receipt <= last_receipt)) STRICT;
-- The book holding receipt N is the one with the greatest first_receipt <= N: one index
-- probe, whatever the number of books.
CREATE UNIQUE INDEX books_first_receipt ON books(first_receipt);
CREATE INDEX books_farmer ON books(farmer_id);
CREATE TRIGGER books_no_overlap_insert BEFORE INSERT ON books
WHEN EXISTS (SELECT 1 FROM (SELECT last_receipt FROM books WHERE first_receipt <= NEW.last_receipt
                            ORDER BY first_receipt DESC LIMIT 1)
             WHERE last_receipt >= NEW.first_receipt)
BEGIN SELECT RAISE(ABORT, 'receipt range overlaps another book'); END;
CREATE TRIGGER books_no_overlap_update BEFORE UPDATE OF first_receipt, last_receipt ON books
WHEN EXISTS (SELECT 1 FROM (SELECT last_receipt FROM books WHERE serial <> OLD.serial
                            AND first_receipt <= NEW.last_receipt
                            ORDER BY first_receipt DESC LIMIT 1)
             WHERE last_receipt >= NEW.first_receipt)
BEGIN SELECT RAISE(ABORT, 'receipt range overlaps another book'); END;
CREATE TRIGGER books_never_deleted BEFORE DELETE ON books
BEGIN SELECT RAISE(ABORT, 'books are never deleted: cancel them'); END;

CREATE TABLE sales (
  receipt INTEGER PRIMARY KEY,
  farmer_id TEXT NOT NULL REFERENCES farmers(id),
  commodity TEXT NOT NULL, quantity REAL NOT NULL CHECK (quantity > 0), unit TEXT NOT NULL,
  buyer_name TEXT, buyer_phone TEXT, sold_at TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'web', 'api'))) STRICT;
CREATE INDEX sales_farmer ON sales(farmer_id, commodity, sold_at);
CREATE TRIGGER sales_in_active_book BEFORE INSERT ON sales
WHEN NOT EXISTS (SELECT 1 FROM (SELECT last_receipt, farmer_id, status FROM books
                                WHERE first_receipt <= NEW.receipt
                                ORDER BY first_receipt DESC LIMIT 1)
                 WHERE last_receipt >= NEW.receipt AND status = 'active'
                   AND farmer_id = NEW.farmer_id)
BEGIN SELECT RAISE(ABORT, 'receipt is not in an active book of this farmer'); END;

CREATE TABLE officers (
  id INTEGER PRIMARY KEY,
  phone TEXT NOT NULL UNIQUE, badge TEXT NOT NULL, name TEXT, station TEXT,
  parish TEXT REFERENCES parishes(code),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked'))) STRICT;

CREATE TABLE verifications (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL, receipt INTEGER NOT NULL,
  channel TEXT NOT NULL, officer_id INTEGER REFERENCES officers(id), key_id INTEGER,
  verdict TEXT NOT NULL, signals TEXT NOT NULL DEFAULT '', parish TEXT) STRICT;
CREATE INDEX verifications_receipt ON verifications(receipt, at);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, channel TEXT NOT NULL,
  action TEXT NOT NULL, dataset TEXT NOT NULL, record TEXT, detail TEXT) STRICT;
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL, role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
  created_at TEXT NOT NULL, revoked_at TEXT) STRICT;

-- Aggregates are kept as tables rebuilt when the registry changes (see SqliteStore), so
-- that open-data reads are index lookups rather than a GROUP BY over the registry.
CREATE TABLE production (
  id TEXT PRIMARY KEY, parish TEXT NOT NULL, crop TEXT NOT NULL,
  farms INTEGER, area_ha REAL, expected_volume_kg REAL, suppressed INTEGER NOT NULL) STRICT;
CREATE TABLE farmer_stats (
  id TEXT PRIMARY KEY, parish TEXT NOT NULL, activity TEXT NOT NULL,
  farmers INTEGER, verified INTEGER, suppressed INTEGER NOT NULL) STRICT;

CREATE TABLE sms_messages (
  gateway TEXT NOT NULL, message_id TEXT NOT NULL, sender TEXT NOT NULL,
  received_at TEXT NOT NULL, reply TEXT NOT NULL,
  PRIMARY KEY (gateway, message_id)) STRICT;
)SQL";

void SeedReferenceLists(Connection& conn) {
  Statement& parish =
      conn.Prepare("INSERT INTO parishes (code, name, lat, lon) VALUES (?, ?, ?, ?)");
  for (const registry::Parish& p : registry::Parishes()) {
    parish.Reset()
        .Bind(1, std::string(p.code))
        .Bind(2, std::string(p.name))
        .Bind(3, Value(p.lat))
        .Bind(4, Value(p.lon))
        .Run();
  }
  Statement& commodity =
      conn.Prepare("INSERT INTO commodities (name, category, unit) VALUES (?, ?, ?)");
  for (const registry::Commodity& c : registry::Commodities()) {
    commodity.Reset()
        .Bind(1, std::string(c.name))
        .Bind(2, std::string(c.category))
        .Bind(3, std::string(c.unit))
        .Run();
  }
}

// Collections are paged in key order by default; with (commodity, parish) — the rowid
// follows implicitly — "prices of X in P" reads its first page straight from the index.
constexpr const char* kPricePagingIndex = R"SQL(
CREATE INDEX prices_commodity_parish ON prices(commodity, parish);
)SQL";

// Receipt checks are appended by the thousand a second under load; the index on
// (receipt, at) cost a B-tree insert at a random place per check, and at each batch commit
// most of its pages went to the WAL again (the 99th percentile of a check doubled while the
// batch was written). A check reads the recent ones from memory (verify/recent_checks.h,
// loaded newest first by id at start); a search of old checks by receipt scans the table.
constexpr const char* kNoCheckIndex = R"SQL(
DROP INDEX IF EXISTS verifications_receipt;
)SQL";

// A TRN names one taxpayer: two farmers never share one (the store names the holder first;
// this is the backstop). A database that already holds a shared TRN stops here with
// SQLite's message naming farmers.trn: correct one of the two, then start again.
constexpr const char* kUniqueTrn = R"SQL(
CREATE UNIQUE INDEX farmers_trn ON farmers(trn) WHERE trn IS NOT NULL;
)SQL";

// The server's secret for the opaque farm numbers partners see (auth/privacy.h): random,
// made once, kept with the data so that the numbers stay the same across restarts.
constexpr const char* kFarmTokenKey = R"SQL(
INSERT INTO meta (name, value) VALUES ('farm_token_key', lower(hex(randomblob(16))))
ON CONFLICT (name) DO NOTHING;
)SQL";

// A gateway message id is matched together with its sender (SPEC §10): Kannel's ids are
// its own counters, and another sender's message under a reused id is a new message.
constexpr const char* kSmsIdWithSender = R"SQL(
CREATE TABLE sms_messages_by_sender (
  gateway TEXT NOT NULL, message_id TEXT NOT NULL, sender TEXT NOT NULL,
  received_at TEXT NOT NULL, reply TEXT NOT NULL,
  PRIMARY KEY (gateway, sender, message_id)) STRICT;
INSERT INTO sms_messages_by_sender SELECT gateway, message_id, sender, received_at, reply
  FROM sms_messages;
DROP TABLE sms_messages;
ALTER TABLE sms_messages_by_sender RENAME TO sms_messages;
)SQL";

// Every filter-and-sort a page of a registry-sized dataset may ask for is a range of one
// of these indexes, ending in the dataset's key, so a page costs the same at 10,000 rows
// as at 10,000,000 (store/sql_builder.cpp lists the shapes; a unit test checks each plan).
// Rowid tables (integer keys) end every index in the key already; farmers and books, keyed
// by text, name it.
constexpr const char* kPageIndexes = R"SQL(
DROP INDEX IF EXISTS farmers_phone;
DROP INDEX IF EXISTS farmers_parish;
DROP INDEX IF EXISTS farmers_last_name;
CREATE INDEX farmers_phone ON farmers(phone, id);
CREATE INDEX farmers_parish ON farmers(parish, id);
CREATE INDEX farmers_parish_activity ON farmers(parish, activity, id);
CREATE INDEX farmers_parish_last_name ON farmers(parish, last_name, id);
CREATE INDEX farmers_last_name ON farmers(last_name, id);
CREATE INDEX farmers_status ON farmers(status, id);
CREATE INDEX farmers_extension_area ON farmers(extension_area, id);
CREATE INDEX farmers_district ON farmers(district, id);
CREATE INDEX farmers_investigation ON farmers(under_investigation, id);
CREATE INDEX farms_status ON farms(status);
CREATE INDEX farms_extension_area ON farms(extension_area);
CREATE INDEX farms_district ON farms(district);
CREATE INDEX farms_tenure ON farms(tenure);
CREATE INDEX crops_status ON crops(status);
CREATE INDEX livestock_species ON livestock(species);
CREATE INDEX prices_commodity_only ON prices(commodity);
CREATE INDEX prices_commodity_week ON prices(commodity, week_of);
CREATE INDEX prices_commodity_point_week ON prices(commodity, price_point, week_of);
CREATE INDEX prices_commodity_parish_point_week ON prices(commodity, parish, price_point, week_of);
CREATE INDEX prices_price_point ON prices(price_point);
DROP INDEX IF EXISTS books_farmer;
CREATE INDEX books_farmer ON books(farmer_id, serial);
CREATE INDEX books_status ON books(status, serial);
CREATE INDEX books_parish ON books(parish, serial);
CREATE INDEX sales_farmer_only ON sales(farmer_id);
CREATE INDEX sales_farmer_sold_at ON sales(farmer_id, sold_at);
CREATE INDEX sales_commodity ON sales(commodity);
CREATE INDEX sales_channel ON sales(channel);
CREATE INDEX sales_sold_at ON sales(sold_at);
)SQL";

// Partners see each farm's number as a token (auth/privacy.h), but pages in farm-number
// order put one owner's farms side by side, numbers running consecutively per owner. So
// each farm keeps its token (the store fills it on every insert), and partners' pages are
// read in token order from these indexes, one per shape of store::IndexPaths they take.
constexpr const char* kFarmTokenColumn = R"SQL(
ALTER TABLE farms ADD COLUMN token TEXT;
)SQL";

constexpr const char* kFarmTokenIndexes = R"SQL(
CREATE UNIQUE INDEX farms_token ON farms(token);
CREATE INDEX farms_parish_token ON farms(parish, token);
CREATE INDEX farms_status_token ON farms(status, token);
CREATE INDEX farms_extension_area_token ON farms(extension_area, token);
CREATE INDEX farms_district_token ON farms(district, token);
CREATE INDEX farms_tenure_token ON farms(tenure, token);
)SQL";

// The farms stored before the column, sealed under the secret of migration 5; the indexes
// are made once the column is full (one sort each, not a B-tree insert per row).
void FillFarmTokens(Connection& conn) {
  Statement& secret = conn.Prepare("SELECT value FROM meta WHERE name = 'farm_token_key'");
  std::optional<auth::FarmTokenKey> key;
  if (secret.Step()) {
    key = auth::ParseFarmTokenKey(secret.ColumnText(0));
  }
  secret.Reset();
  if (!key) {
    throw std::runtime_error("farm_token_key in the database must be 32 hex digits");
  }
  std::vector<int64_t> farms;
  Statement& all = conn.Prepare("SELECT id FROM farms");
  while (all.Step()) {
    farms.push_back(all.ColumnInt(0));
  }
  all.Reset();
  Statement& fill = conn.Prepare("UPDATE farms SET token = ? WHERE id = ?");
  for (int64_t farm : farms) {
    fill.Reset().Bind(1, auth::SealFarm(*key, farm)).Bind(2, farm).Run();
  }
  conn.Exec(kFarmTokenIndexes);
}

// Staff web logins and their sessions (SPEC §9), kept in the database so that every server
// on it knows them (§11). A session is found by the hash of its cookie's token; times are
// Unix seconds. Failed logins are counted per login name for the login rate limit.
constexpr const char* kWebLogins = R"SQL(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('partner', 'police', 'extension', 'admin')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL, disabled_at TEXT) STRICT;
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_failures (login TEXT NOT NULL, at INTEGER NOT NULL) STRICT;
CREATE INDEX login_failures_login ON login_failures(login, at);
)SQL";

// The replies kept for gateway retries, in arrival order: one unique index over (gateway,
// sender, message id) put each new message on a random page of that index, and with a commit
// every millisecond or so every SMS then wrote a page of its own to the log (and once more at
// the checkpoint): half the throughput of /sms/twilio. The store finds an id through an
// index of its own in memory (SqliteStore::FindSmsReply), and the table is only appended to.
constexpr const char* kSmsInArrivalOrder = R"SQL(
CREATE TABLE sms_messages_in_order (
  id INTEGER PRIMARY KEY,
  gateway TEXT NOT NULL, message_id TEXT NOT NULL, sender TEXT NOT NULL,
  received_at TEXT NOT NULL, reply TEXT NOT NULL) STRICT;
INSERT INTO sms_messages_in_order (gateway, message_id, sender, received_at, reply)
  SELECT gateway, message_id, sender, received_at, reply FROM sms_messages ORDER BY rowid;
DROP TABLE sms_messages;
ALTER TABLE sms_messages_in_order RENAME TO sms_messages;
)SQL";

// The /checks summaries read a range of this index (tests/unit/admin_query_plan_test.cpp
// checks each plan). Checks are appended by the thousand a second (migration 12 puts the
// check's id after `at`, so that its inserts land at its right edge); it holds every column the summaries count
// (parish, verdict, receipt), so a summary never reads the table, and a parish is filtered
// within the time range. A second index by (parish, at, ...) was tried and left out: its 15
// right edges took a batch of checks' commit from a 99th percentile of 0.4 ms to 7 ms. The
// audit log gets no index: indexes by time and by actor, action, dataset and record were tried, and each single-entry commit then rewrote up to
// five more index pages, so a serving store's log outgrew its checkpoints (store_test's
// bound of 24 MB reached 37-75 MB; 26 MB with the time index alone). /admin/audit reads it
// newest first by entry number, filters walking back until the page is full, bounded by
// limits.query_ms. An API key's last use is written at most once a minute per key and
// process, with the logs' group commit.
constexpr const char* kAdminIndexes = R"SQL(
CREATE INDEX verifications_at ON verifications(at, parish, verdict, receipt);
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
)SQL";

// Migration 11's index sorted the checks of one second (`at` is kept to the second) by
// parish, verdict and receipt, so each commit of a few dozen checks put them at as many
// places of that second's range: on the national data a check wrote 4.3 KB (0.34 KB before
// the index) and verify ran at 0.6x the build without it. With the check's id after `at`,
// every insert lands at the index's right edge (1.25 KB a check, measured with /proc/PID/io
// under `make bench`'s verify load); the index still holds every column the summaries count.
constexpr const char* kChecksIndexInOrder = R"SQL(
DROP INDEX verifications_at;
CREATE INDEX verifications_at ON verifications(at, id, parish, verdict, receipt);
)SQL";

struct Migration {
  const char* sql;
  void (*after)(Connection&);
};

const std::array<Migration, 12> kMigrations{{
    {kInitialSchema, SeedReferenceLists},
    {kPricePagingIndex, nullptr},
    {kNoCheckIndex, nullptr},
    {kUniqueTrn, nullptr},
    {kFarmTokenKey, nullptr},
    {kSmsIdWithSender, nullptr},
    {kPageIndexes, nullptr},
    {kFarmTokenColumn, FillFarmTokens},
    {kWebLogins, nullptr},
    {kSmsInArrivalOrder, nullptr},
    {kAdminIndexes, nullptr},
    {kChecksIndexInOrder, nullptr},
}};

}  // namespace

void Migrate(Connection& conn) {
  Statement& version_query = conn.Prepare("PRAGMA user_version");
  version_query.Step();
  int64_t version = version_query.ColumnInt(0);
  version_query.Reset();
  for (size_t i = static_cast<size_t>(version); i < kMigrations.size(); ++i) {
    Transaction tx(conn);
    // Another process may have migrated while this one waited for the write lock.
    Statement& recheck = conn.Prepare("PRAGMA user_version");
    recheck.Step();
    int64_t now = recheck.ColumnInt(0);
    recheck.Reset();
    if (now > static_cast<int64_t>(i)) {
      continue;
    }
    conn.Exec(kMigrations[i].sql);
    if (kMigrations[i].after) {
      kMigrations[i].after(conn);
    }
    conn.Exec("PRAGMA user_version = " + std::to_string(i + 1));
    tx.Commit();
  }
}

}  // namespace harvest::store::sqlite
