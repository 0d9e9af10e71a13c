"""Registry integrity (SPEC §2, §10): the rules hold whichever channel writes — API POST and
PATCH, CSV import — because they live in the registry's own layer."""
import base64
import json

import pytest

from harvest_env import Server, run_cli
from pg_env import E2E_POSTGRES, new_database

FARMER = {"id": "970000001", "first_name": "Icilda", "last_name": "Morgan", "parish": "MAN",
          "phone": "876-555-0170", "verified": True, "card_expires_on": "2099-12-31"}


@pytest.fixture(scope="module")
def reg(tmp_path_factory):
    """A server on an empty registry, with one key per role."""
    folder = tmp_path_factory.mktemp("rules")
    db = new_database() if E2E_POSTGRES else folder / "rules.db"
    keys = {}
    for role in ("partner", "police", "extension", "admin"):
        out = run_cli(db, "key", "create", "--role", role, "--name", f"rules {role}")
        keys[role] = out.stdout.splitlines()[0].strip()
    srv = Server(db)
    srv.keys = keys
    srv.db = db
    srv.folder = folder
    yield srv
    assert srv.stop() == 0


def post(reg, dataset, body, role="extension"):
    return reg.post(f"/api/v1/{dataset}", body, key=reg.keys[role])


def patch(reg, path, body):
    return reg.patch(f"/api/v1/{path}", body, key=reg.keys["extension"])


def details(reply):
    return {d["field"]: d["message"] for d in reply.json()["error"]["details"]}


def verify(reg, receipt):
    reply = reg.get(f"/api/v1/verify/receipt/{receipt}", key=reg.keys["police"])
    assert reply.status == 200, reply
    return reply.json()


def book(serial, first, last, farmer="970000001"):
    return {"serial": serial, "first_receipt": first, "last_receipt": last, "farmer_id": farmer,
            "sold_on": "2026-11-02"}


def test_a_book_holds_at_most_max_receipts(reg):
    assert post(reg, "farmers", FARMER).status == 201
    huge = post(reg, "books", book("970001", 1, 9223372036854775807))
    assert huge.status == 422, huge
    assert "at most 1000 receipts" in details(huge)["last_receipt"]
    assert verify(reg, 123456789)["verdict"] == "UNKNOWN"
    assert post(reg, "books", book("970002", 97000001, 97001001)).status == 422
    assert post(reg, "books", book("970002", 97000001, 97001000)).status == 201
    # Growing it past the bound by PATCH is refused the same way.
    grown = patch(reg, "books/970002", {"last_receipt": 97001001})
    assert grown.status == 422 and "last_receipt" in details(grown)


def test_books_max_receipts_is_configurable(tmp_path):
    db = new_database() if E2E_POSTGRES else tmp_path / "small.db"
    config = tmp_path / "harvest.toml"
    config.write_text("[books]\nmax_receipts = 50\n")
    farmers = tmp_path / "farmers.csv"
    farmers.write_text("id,first_name,last_name,parish\n970000009,Neville,Grant,CLA\n")
    run_cli(db, "--config", str(config), "import", "farmers", str(farmers))
    books = tmp_path / "books.csv"
    books.write_text("serial,first_receipt,last_receipt,farmer_id\n970009,1001,1051,970000009\n")
    out = run_cli(db, "--config", str(config), "import", "books", str(books), check=False)
    assert out.returncode == 1 and f"{books}:2: last_receipt: a book holds at most 50" in out.stderr
    books.write_text("serial,first_receipt,last_receipt,farmer_id\n970009,1001,1050,970000009\n")
    run_cli(db, "--config", str(config), "import", "books", str(books))


def test_a_sold_book_keeps_its_farmer_and_its_sales(reg):
    other = dict(FARMER, id="970000002", first_name="Winston", phone="876-555-0171")
    assert post(reg, "farmers", other).status == 201
    assert post(reg, "books", book("970003", 97002001, 97002100)).status == 201
    sale = {"receipt": 97002050, "commodity": "ackee", "quantity": 20, "unit": "dozen"}
    assert post(reg, "sales", sale).status == 201, sale
    moved = patch(reg, "books/970003", {"farmer_id": "970000002"})
    assert moved.status == 409, moved
    assert "cannot change" in details(moved)["farmer_id"]
    off = patch(reg, "books/970003", {"first_receipt": 97002060, "last_receipt": 97002150})
    assert off.status == 409 and "97002050" in off.json()["error"]["message"]
    # The sale is still where it was, under the farmer who made it.
    checked = verify(reg, 97002050)
    assert checked["verdict"] == "VALID" and checked["farmer"]["id"] == "970000001", checked
    # A change that keeps the sale inside is fine.
    assert patch(reg, "books/970003", {"last_receipt": 97002200}).status == 200
    # And the same rule holds for an import.
    csv = reg.folder / "books.csv"
    csv.write_text("serial,first_receipt,last_receipt,farmer_id\n970003,97002001,97002100,970000002\n")
    out = run_cli(reg.db, "import", "books", str(csv), check=False)
    assert out.returncode == 1 and f"{csv}:2: farmer_id: book 970003 has 1 sale" in out.stderr


def test_import_and_patch_change_only_what_they_name(tmp_path):
    db = new_database() if E2E_POSTGRES else tmp_path / "partial.db"
    full = tmp_path / "full.csv"
    full.write_text("id,first_name,last_name,parish,phone,trn,under_investigation,district\n"
                    "970000011,Lorna,Brown,ELZ,876-555-0111,123456789,yes,Santa Cruz\n")
    run_cli(db, "import", "farmers", str(full))
    some = tmp_path / "some.csv"
    some.write_text("id,district\n970000011,Malvern\n")
    run_cli(db, "import", "farmers", str(some))
    out = run_cli(db, "export", "farmers", "--role", "admin", "--format", "json")
    row = json.loads(out.stdout)["data"][0]
    assert row["district"] == "Malvern"
    assert row["phone"] == "+18765550111" and row["trn"] == "123456789", row
    assert row["under_investigation"] is True and row["first_name"] == "Lorna", row


def test_repeated_keys_and_columns_are_refused_naming_both(tmp_path):
    db = new_database() if E2E_POSTGRES else tmp_path / "twice.db"
    keys = tmp_path / "keys.csv"
    keys.write_text("id,first_name,last_name,parish\n"
                    "970000021,Ann,Reid,KIN\n970000022,Bob,Reid,Atlantis\n970000021,Ann,Reed,KIN\n")
    out = run_cli(db, "import", "farmers", str(keys), check=False)
    assert out.returncode == 1
    # Every problem of the file at once, top to bottom.
    assert out.stderr.index(f"{keys}:3: parish: unknown parish") < out.stderr.index(
        f"{keys}:4: id: id 970000021 is given twice: on line 2 and on line 4"), out.stderr
    columns = tmp_path / "columns.csv"
    columns.write_text("id,first_name,last_name,parish,first_name\n970000023,A,B,KIN,C\n")
    out = run_cli(db, "import", "farmers", str(columns), check=False)
    assert out.returncode == 1
    assert f"{columns}:1: first_name: column given twice (columns 2 and 5)" in out.stderr
    assert "970000021" not in run_cli(db, "export", "farmers", "--role", "admin").stdout


def test_text_is_utf8_without_control_characters_and_bounded(reg):
    cases = {"first_name": "A" * 101, "last_name": "Brown\x07", "alias": {"nick": "x"},
             "district": 42}
    for field, value in cases.items():
        reply = post(reg, "farmers", dict(FARMER, id="970000031", **{field: value}))
        assert reply.status == 422 and field in details(reply), (field, reply)
    remarks = "first line\n\tsecond line " + "x" * 1900
    ok = post(reg, "farmers", dict(FARMER, id="970000031", phone="876-555-0131", trn=None,
                                   remarks=remarks, first_name="Zoë"))
    assert ok.status == 201, ok
    assert ok.json()["remarks"] == remarks and ok.json()["first_name"] == "Zoë"
    long = patch(reg, "farmers/970000031", {"remarks": "y" * 2001})
    assert long.status == 422 and "at most 2000 characters" in details(long)["remarks"]


def test_an_import_in_another_encoding_is_refused_unless_converted(tmp_path):
    db = new_database() if E2E_POSTGRES else tmp_path / "latin.db"
    csv = tmp_path / "latin1.csv"
    csv.write_bytes("id,first_name,last_name,parish\n970000041,Ren\u00e9,Clarke,POR\n"
                    .encode("latin-1"))
    out = run_cli(db, "import", "farmers", str(csv), check=False)
    assert out.returncode == 1 and f"{csv}:2: is not valid UTF-8" in out.stderr, out.stderr
    assert "--encoding latin1" in out.stderr
    run_cli(db, "import", "farmers", str(csv), "--encoding", "latin1")
    assert "René" in run_cli(db, "export", "farmers", "--role", "admin").stdout


def test_quantities_and_commodities_are_real(reg):
    assert post(reg, "books", book("970004", 97003001, 97003100)).status == 201
    sale = {"receipt": 97003001, "commodity": "ackee", "quantity": 10, "unit": "dozen"}
    for change, field in [({"quantity": 1e300}, "quantity"), ({"quantity": 0}, "quantity"),
                          ({"quantity": 1000001}, "quantity"),
                          ({"commodity": "unobtainium"}, "commodity"),
                          ({"commodity": "yam"}, "commodity")]:
        reply = post(reg, "sales", dict(sale, **change))
        assert reply.status == 422 and field in details(reply), (change, reply)
    named = post(reg, "sales", dict(sale, commodity="Scotch  Bonnet", quantity=1000000, unit="kg"))
    assert named.status == 201 and named.json()["commodity"] == "scotch bonnet pepper", named
    farm = {"farmer_id": "970000001", "parish": "MAN", "size_ha": 1e300}
    assert post(reg, "farms", farm).status == 422


def test_two_farmers_cannot_share_a_trn(reg):
    first = dict(FARMER, id="970000051", phone="876-555-0151", trn="987654321")
    assert post(reg, "farmers", first).status == 201
    second = dict(first, id="970000052", phone="876-555-0152")
    reply = post(reg, "farmers", second)
    assert reply.status == 409 and "987654321" in details(reply)["trn"], reply
    assert post(reg, "farmers", dict(second, trn="987654322")).status == 201
    assert patch(reg, "farmers/970000052", {"trn": "987654321"}).status == 409


def test_a_farmer_without_card_expiry_does_not_check_valid(reg):
    no_card = dict(FARMER, id="970000061", phone="876-555-0161")
    del no_card["card_expires_on"]
    assert post(reg, "farmers", no_card).status == 201
    assert post(reg, "books", book("970006", 97006001, 97006100, "970000061")).status == 201
    checked = verify(reg, 97006001)
    assert checked["verdict"] == "CHECK", checked
    assert [s["code"] for s in checked["signals"]] == ["card_expired"]


def test_partners_see_opaque_farm_ids_that_link_nothing(reg):
    owner = dict(FARMER, id="970000071", phone="876-555-0172")
    assert post(reg, "farmers", owner).status == 201
    farms = post(reg, "farms", [{"farmer_id": "970000071", "parish": "CLA", "size_ha": 2}] * 3)
    assert farms.status == 201, farms
    numbers = [f["id"] for f in farms.json()["data"]]
    assert numbers == list(range(numbers[0], numbers[0] + 3))  # consecutive per owner
    crop = {"farm_id": numbers[1], "crop": "cassava", "area_ha": 1}
    assert post(reg, "crops", crop).status == 201
    assert post(reg, "livestock", {"farm_id": numbers[2], "species": "goats", "count": 4}).status == 201

    partner = reg.keys["partner"]
    listed = reg.get("/api/v1/farms?parish=CLA&limit=1000", key=partner).json()["data"]
    tokens = [f["id"] for f in listed]
    assert len(tokens) == 3 and all(isinstance(t, str) and len(t) == 32 for t in tokens), tokens
    assert not set(map(str, numbers)) & set(tokens)
    # The same farm has the same id wherever a partner meets it.
    crops = reg.get("/api/v1/crops?crop=cassava", key=partner).json()["data"]
    assert crops[0]["farm_id"] in tokens
    by_token = reg.get(f"/api/v1/crops?farm_id={crops[0]['farm_id']}", key=partner).json()["data"]
    assert [c["id"] for c in by_token] == [c["id"] for c in crops]
    goats = reg.get("/api/v1/livestock?species=goats", key=partner).json()["data"][0]
    assert goats["farm_id"] in tokens and goats["farm_id"] != crops[0]["farm_id"]
    one = reg.get(f"/api/v1/farms/{goats['farm_id']}", key=partner)
    assert one.status == 200 and one.json()["id"] == goats["farm_id"]
    assert reg.get(f"/api/v1/farms?id__in={tokens[0]},{tokens[1]}", key=partner).json()["data"]
    # The numbers themselves get nowhere, and order cannot be asked about.
    assert reg.get(f"/api/v1/farms/{numbers[0]}", key=partner).status == 404
    assert reg.get(f"/api/v1/farms?id={numbers[0]}", key=partner).status == 400
    assert reg.get(f"/api/v1/crops?farm_id__gt={tokens[0]}", key=partner).status == 400
    assert reg.get("/api/v1/farms?sort=-id", key=partner).status == 400
    # Nor does a cursor carry them.
    page = reg.get("/api/v1/farms?parish=CLA&limit=1", key=partner).json()
    cursor = page["next"].split("cursor=")[1]
    decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    assert json.loads(decoded) == ["+id", page["data"][0]["id"]], decoded
    second = reg.get(page["next"], key=partner).json()["data"]
    assert second and second[0]["id"] != page["data"][0]["id"]
    # Staff still see the numbers; another process (a CLI export) gives the same tokens.
    staff = reg.get("/api/v1/farms?parish=CLA", key=reg.keys["extension"]).json()["data"]
    assert [f["id"] for f in staff] == numbers
    export = run_cli(reg.db, "export", "farms", "--role", "partner", "--format", "json")
    assert sorted(f["id"] for f in json.loads(export.stdout)["data"]) == sorted(tokens)
