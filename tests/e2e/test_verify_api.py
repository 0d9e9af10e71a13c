"""Field operations over HTTP: receipt verification, digital receipts, book reports (SPEC §4, §5)."""
import time
from urllib.parse import urlencode
from datetime import datetime, timezone

import pytest

from field_samples import (clean_farmers, copy_db, police_view_fields, query, stolen_receipt,
                           unknown_receipt)
from harvest_env import Server, run_cli


@pytest.fixture(scope="module")
def field(demo_db, keys, tmp_path_factory):
    """A server on its own copy of the demo, since these tests record sales and report books."""
    db = copy_db(demo_db, tmp_path_factory.mktemp("verify") / "harvest.db")
    police = police_keys(db, 4)
    srv = Server(db)
    srv.police = police
    srv.farmers = clean_farmers(db)
    assert len(srv.farmers) >= 6, "the demo should have farmers in good standing"
    yield srv
    assert srv.stop() == 0


def police_keys(db, count):
    """`count` police keys of their own: checks by one key within 10 minutes count once."""
    return [run_cli(db, "key", "create", "--role", "police", "--name", f"police {n}")
            .stdout.splitlines()[0].strip() for n in range(count)]


def verify(server, receipt, key, **observed):
    query_text = urlencode(observed)
    return server.get(f"/api/v1/verify/receipt/{receipt}" + ("?" + query_text if query_text else ""),
                      key=key)


def codes(reply):
    return [s["code"] for s in reply.json()["signals"]]


def test_valid_receipt_shows_police_view(field, keys):
    farmer_id, phone, serial, first, last, crop = field.farmers[0]
    reply = verify(field, first + 10, keys["police"])
    assert reply.status == 200, reply
    doc = reply.json()
    assert doc["receipt"] == first + 10 and doc["verdict"] == "VALID" and doc["signals"] == []
    assert doc["book"] == {"serial": serial, "first_receipt": first, "last_receipt": last,
                           "status": "active", "status_changed_on": None}
    assert set(doc["farmer"]) == police_view_fields()
    assert doc["farmer"]["id"] == farmer_id and doc["sale"] is None
    assert reply.header("cache-control") == "private, no-store"
    assert reply.header("access-control-allow-origin") is None
    # Admins get the same police view: a check is not a way round privacy.
    admin = verify(field, first + 10, keys["admin"]).json()
    assert set(admin["farmer"]) == police_view_fields()


def test_stolen_and_unknown(field, keys):
    stolen = verify(field, stolen_receipt(field.db), keys["police"])
    assert stolen.json()["verdict"] == "ALERT" and codes(stolen)[0] == "book_stolen"
    assert stolen.json()["book"]["status"] == "stolen"
    unknown = verify(field, unknown_receipt(field.db), keys["extension"])
    doc = unknown.json()
    assert doc["verdict"] == "UNKNOWN" and codes(unknown) == ["not_in_any_book"]
    assert doc["book"] is None and doc["farmer"] is None and doc["sale"] is None


def test_roles_and_bad_input(field, keys):
    first = field.farmers[0][3]
    assert field.get(f"/api/v1/verify/receipt/{first}").status == 401
    assert verify(field, first, keys["partner"]).status == 403
    assert verify(field, "12ab", keys["police"]).status == 422
    too_long = verify(field, "1" * 16, keys["police"])
    assert too_long.status == 422 and "15 digits" in too_long.json()["error"]["details"][0]["message"]
    bad = verify(field, first, keys["police"], quantity="lots")
    assert bad.status == 422 and bad.json()["error"]["details"][0]["field"] == "quantity"
    assert verify(field, first, keys["police"], quantity="5", unit="furlongs").status == 422
    assert field.post(f"/api/v1/verify/receipt/{first}", {}, key=keys["police"]).status == 405


def test_digital_receipt_then_mismatch(field, keys):
    farmer_id, phone, serial, first, last, crop = field.farmers[1]
    receipt = first + 20
    sale = {"receipt": receipt, "commodity": crop, "quantity": 100, "unit": "kg",
            "buyer_name": "Coronation Market stall 12"}
    assert field.post("/api/v1/sales", sale, key=keys["police"]).status == 403
    made = field.post("/api/v1/sales", sale, key=keys["extension"])
    assert made.status == 201, made
    row = made.json()
    assert row["farmer_id"] == farmer_id and row["channel"] == "api" and row["sold_at"]
    assert made.header("location") == f"/api/v1/sales/{receipt}"
    again = field.post("/api/v1/sales", sale, key=keys["extension"])
    assert again.status == 409
    nowhere = dict(sale, receipt=unknown_receipt(field.db))
    assert field.post("/api/v1/sales", nowhere, key=keys["extension"]).status == 422
    assert field.post("/api/v1/sales", dict(sale, quantity="heaps"), key=keys["extension"]).status == 422

    police = field.police
    same = verify(field, receipt, police[0], quantity="100", unit="kg", commodity=crop)
    assert same.json()["verdict"] == "VALID", same
    assert same.json()["sale"]["quantity"] == 100 and "buyer_name" not in same.json()["sale"]
    double = verify(field, receipt, police[1], quantity="200", unit="kg")
    assert double.json()["verdict"] == "CHECK" and "sale_mismatch" in codes(double)
    # 220 lb is about 99.8 kg: the same load, in other units.
    pounds = verify(field, receipt, police[2], quantity="220", unit="lb")
    assert pounds.json()["verdict"] == "VALID", pounds
    # A fourth check within 72 h: three earlier ones make it a re-check.
    fourth = verify(field, receipt, police[3])
    assert fourth.json()["verdict"] == "CHECK" and codes(fourth) == ["receipt_rechecked"]


def test_recheck_signal_after_three_checks(field, keys):
    receipt = field.farmers[2][3] + 30
    verdicts = [verify(field, receipt, key).json()["verdict"] for key in field.police]
    assert verdicts == ["VALID", "VALID", "VALID", "CHECK"]
    # Checks in two parishes within 24 h also raise it.
    other = field.farmers[2][3] + 31
    assert verify(field, other, field.police[0], parish="THO").json()["verdict"] == "VALID"
    second = verify(field, other, field.police[1], parish="St. Elizabeth")
    assert second.json()["verdict"] == "CHECK" and codes(second) == ["receipt_rechecked"]


def test_one_key_checking_again_counts_once(field, keys):
    """SPEC §10: checks of one receipt by the same key within 10 minutes count once, so one
    key cannot push a receipt to CHECK, by count or by parish, for everyone else."""
    receipt = field.farmers[2][3] + 40
    police = field.police
    again = [verify(field, receipt, police[0], parish=parish).json()
             for parish in ("KIN", "AND", "THO", "KIN", "CLA")]
    assert [doc["verdict"] for doc in again] == ["VALID"] * 5, again
    # Every call is still recorded.
    time.sleep(1.5)  # checks are written in batches
    rows = field.get(f"/api/v1/verifications?receipt={receipt}", key=keys["admin"]).json()["data"]
    assert len(rows) == 5
    # For other keys the five were one check, in Kingston.
    assert verify(field, receipt, police[1], parish="KIN").json()["verdict"] == "VALID"
    third = verify(field, receipt, police[2], parish="KIN")
    assert third.json()["verdict"] == "VALID", third
    fourth = verify(field, receipt, police[3], parish="KIN")
    assert fourth.json()["verdict"] == "CHECK" and codes(fourth) == ["receipt_rechecked"]
    # The first key, checking again within its 10 minutes, sees the others but not itself.
    own = verify(field, receipt, police[0], parish="KIN")
    assert own.json()["verdict"] == "CHECK", own
    assert "3 times" in own.json()["signals"][0]["message"], own


def test_recheck_history_survives_a_restart(demo_db, keys, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    receipt = clean_farmers(db)[0][3] + 7
    police = police_keys(db, 4)
    srv = Server(db)
    try:
        assert [verify(srv, receipt, key).json()["verdict"] for key in police[:3]] == \
            ["VALID"] * 3
    finally:
        assert srv.stop() == 0  # a clean stop writes the checks still queued
    srv = Server(db)
    try:
        # Who checked is loaded too: the third key checking again still counts once.
        assert verify(srv, receipt, police[2]).json()["verdict"] == "VALID"
        fourth = verify(srv, receipt, police[3])
        assert fourth.json()["verdict"] == "CHECK" and codes(fourth) == ["receipt_rechecked"]
    finally:
        assert srv.stop() == 0


def test_report_book(field, keys):
    farmer_id, phone, serial, first, last, crop = field.farmers[3]
    path = f"/api/v1/books/{serial}/report"
    assert field.post(path, {"status": "stolen"}, key=keys["police"]).status == 403
    assert field.post(path, {"status": "misplaced"}, key=keys["extension"]).status == 422
    assert field.post("/api/v1/books/999999999/report", {"status": "lost"},
                      key=keys["extension"]).status == 404
    reply = field.post(path, {"status": "stolen"}, key=keys["extension"])
    assert reply.status == 200, reply
    today = datetime.now(timezone.utc).date().isoformat()
    assert reply.json()["status"] == "stolen" and reply.json()["status_changed_on"] == today
    assert field.post(path, {"status": "lost"}, key=keys["extension"]).status == 409
    check = verify(field, last, keys["police"])
    assert check.json()["verdict"] == "ALERT" and codes(check) == ["book_stolen"]


def test_every_check_is_recorded_and_audited(field, keys):
    farmer_id, phone, serial, first, last, crop = field.farmers[4]
    receipt = first + 40
    verify(field, receipt, keys["police"], parish="CLA")
    nowhere = unknown_receipt(field.db) + 1
    verify(field, nowhere, keys["police"])
    rows = field.get(f"/api/v1/verifications?receipt={receipt}", key=keys["admin"]).json()["data"]
    assert len(rows) == 1
    assert rows[0]["verdict"] == "VALID" and rows[0]["channel"] == "api"
    assert rows[0]["key_id"] and rows[0]["officer_id"] is None and rows[0]["parish"] == "CLA"
    assert rows[0]["at"].endswith("Z")
    unknown = query(field.db, "SELECT verdict, signals FROM verifications WHERE receipt = ?",
                    nowhere)
    assert unknown == [("UNKNOWN", "not_in_any_book")]
    audit = field.get(f"/api/v1/audit?dataset=farmers&record={farmer_id}",
                      key=keys["admin"]).json()["data"]
    assert any(a["action"] == "read" and a["role"] == "police" for a in audit)


def test_registry_writes_by_another_process_are_seen_at_once(field, keys, tmp_path):
    """Checks read books and farmers from memory; a CLI import while serving must show at once."""
    receipt = unknown_receipt(field.db) + 5000
    assert verify(field, receipt, keys["police"]).json()["verdict"] == "UNKNOWN"
    farmer_id = str(query(field.db, "SELECT max(CAST(id AS INTEGER)) + 1 FROM farmers")[0][0])
    farmers = tmp_path / "farmers.csv"
    farmers.write_text("id,first_name,last_name,alias,parish,verified,card_expires_on\n"
                       f"{farmer_id},Icilda,Brown,Miss Icy,CLA,1,2029-01-31\n")
    books = tmp_path / "books.csv"
    books.write_text("serial,first_receipt,last_receipt,farmer_id,status\n"
                     f"990001,{receipt - 10},{receipt + 39},{farmer_id},active\n")
    run_cli(field.db, "import", "farmers", str(farmers))
    run_cli(field.db, "import", "books", str(books))
    doc = verify(field, receipt, keys["police"]).json()
    assert doc["verdict"] == "VALID", doc
    assert doc["book"]["serial"] == "990001" and doc["book"]["first_receipt"] == receipt - 10
    assert (doc["farmer"]["id"], doc["farmer"]["alias"]) == (farmer_id, "Miss Icy")
    # A report through the API (this process) is seen by the very next check, and so is a
    # farmer placed under investigation.
    assert field.post("/api/v1/books/990001/report", {"status": "stolen"},
                      key=keys["extension"]).status == 200
    assert codes(verify(field, receipt, keys["police"]))[0] == "book_stolen"
    assert field.patch(f"/api/v1/farmers/{farmer_id}", {"under_investigation": True},
                       key=keys["extension"]).status == 200
    reply = verify(field, receipt + 1, keys["police"]).json()
    assert reply["farmer"]["under_investigation"] is True
    assert "farmer_under_investigation" in [s["code"] for s in reply["signals"]]


def test_police_key_is_rate_limited(demo_db, keys, tmp_path):
    """SPEC §10: checks per key and hour (`verify.key_checks_per_hour`); past it 429 with
    Retry-After, nothing recorded, and other keys go on."""
    db = copy_db(demo_db, tmp_path / "harvest.db")
    first, other = police_keys(db, 2)
    receipt = clean_farmers(db)[0][3]
    config = tmp_path / "harvest.toml"
    config.write_text("[verify]\nkey_checks_per_hour = 3\n")
    srv = Server(db, env={"HARVEST_CONFIG": str(config)})
    try:
        assert [verify(srv, receipt + n, first).status for n in range(3)] == [200] * 3
        refused = verify(srv, receipt + 3, first)
        assert refused.status == 429, refused
        assert refused.json()["error"]["code"] == "too_many_requests"
        assert "3 checks in the last hour" in refused.json()["error"]["message"]
        retry = int(refused.header("retry-after"))
        assert 3500 <= retry <= 3600, retry
        assert verify(srv, receipt + 3, other).status == 200, "another key has its own hour"
        assert verify(srv, receipt + 4, first).status == 429
    finally:
        assert srv.stop() == 0
    # The refused checks were not recorded (no verdict was given).
    assert query(db, "SELECT count(*) FROM verifications WHERE receipt = ?", receipt + 3) == [(1,)]
    assert query(db, "SELECT count(*) FROM verifications WHERE receipt = ?", receipt + 4) == [(0,)]
