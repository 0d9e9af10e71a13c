"""Finding demo rows for the field-verification tests (receipts, farmers, officers).

Reads the test's own database copy (with sqlite3, or psql for a PostgreSQL URL), so tests
rely on what the generator made rather than on hard-coded numbers.
"""
import csv
import io
import json
import sqlite3

from harvest_env import run_cli
from pg_env import copy_database, is_postgres, psql


def copy_db(source, target):
    """A consistent copy of a (possibly served) database, made with `harvest backup` (on
    PostgreSQL, with pg_dump into a new database, whose URL is returned)."""
    if is_postgres(source):
        return copy_database(str(source))
    run_cli(source, "backup", str(target))
    return target


def _literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"  # booleans are 0/1 integers on both backends
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def query(db, sql, *args):
    """Rows of `sql` (with ? parameters) on a SQLite file or a PostgreSQL URL; numbers come
    back as numbers from either."""
    if is_postgres(db):
        parts = sql.split("?")
        assert len(parts) == len(args) + 1, sql
        text = parts[0] + "".join(_literal(a) + p for a, p in zip(args, parts[1:]))
        # Each row as JSON, so that numbers come back as numbers and text as text.
        rows = psql(str(db), f"SELECT row_to_json(r) FROM ({text}) r")
        # Pairs, not a dict: two columns may share a name (b.serial, o.serial).
        return [tuple(v for _, v in json.loads(row[0], object_pairs_hook=list)) for row in rows]
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def execute(db, sql, *args):
    """Runs a statement (with ? parameters) around Harvest, as a shell on the database would:
    sqlite3 on a file, psql on a PostgreSQL URL."""
    if is_postgres(db):
        parts = sql.split("?")
        assert len(parts) == len(args) + 1, sql
        psql(str(db), parts[0] + "".join(_literal(a) + p for a, p in zip(args, parts[1:])))
        return
    with sqlite3.connect(db) as conn:
        conn.execute(sql, args)


def clean_farmers(db, limit=20):
    """Farmers whose receipts verify VALID: active, verified, card valid, not under
    investigation, own phone, an active book, no sales yet, and a crop expected to yield at
    least a tonne. Rows: (farmer_id, phone, serial, first_receipt, last_receipt, crop)."""
    return query(db, """
        SELECT f.id, f.phone, b.serial, b.first_receipt, b.last_receipt,
               (SELECT c.crop FROM crops c JOIN farms fm ON fm.id = c.farm_id
                 WHERE fm.farmer_id = f.id AND c.status <> 'failed'
                 GROUP BY c.crop ORDER BY sum(c.expected_volume_kg) DESC LIMIT 1) AS crop
          FROM farmers f JOIN books b ON b.farmer_id = f.id
         WHERE b.status = 'active' AND f.status = 'active' AND f.verified = 1
           AND f.under_investigation = 0 AND f.card_expires_on > {in_30_days}
           AND f.phone IS NOT NULL
           AND (SELECT count(*) FROM farmers o WHERE o.phone = f.phone) = 1
           AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.farmer_id = f.id)
           AND NOT EXISTS (SELECT 1 FROM verifications v
                            WHERE v.receipt BETWEEN b.first_receipt AND b.last_receipt)
           AND (SELECT sum(c.expected_volume_kg) FROM crops c JOIN farms fm ON fm.id = c.farm_id
                 WHERE fm.farmer_id = f.id AND c.status <> 'failed') >= 1000
           AND b.first_receipt = (SELECT min(o.first_receipt) FROM books o
                                   WHERE o.farmer_id = f.id AND o.status = 'active')
         ORDER BY f.id LIMIT ?""".format(in_30_days=(
        "to_char(now() + interval '30 days', 'YYYY-MM-DD')" if is_postgres(db)
        else "date('now', '+30 days')")), limit)


def stolen_receipt(db):
    return query(db, "SELECT first_receipt + 7 FROM books WHERE status = 'stolen' LIMIT 1")[0][0]


def unknown_receipt(db):
    return query(db, "SELECT max(last_receipt) + 100000 FROM books")[0][0]


def police_view_fields():
    return {"id", "first_name", "last_name", "alias", "parish", "parish_name", "verified",
            "card_expires_on", "status", "under_investigation"}


def download(server, path, key):
    reply = server.get(path, key=key)
    assert reply.status == 200, reply
    return list(csv.DictReader(io.StringIO(reply.text)))


def partner_farm_numbers(server, keys):
    """token -> farm number, matched through the crops and livestock records that partners
    and staff both see under the same record ids (partners see the farm as its token)."""
    numbers = {}
    for dataset in ("crops", "livestock"):
        staff = {r["id"]: r["farm_id"] for r in
                 download(server, f"/api/v1/{dataset}.csv", keys["extension"])}
        for row in download(server, f"/api/v1/{dataset}.csv", keys["partner"]):
            numbers[row["farm_id"]] = staff[row["id"]]
    return numbers
