"""POST and PATCH: validation, all-or-nothing batches, conflicts, audit."""
import time

NEW_FARMER = {
    "id": "990000001", "first_name": "Desmond", "last_name": "Whyte", "parish": "ST.ELIZABETH",
    "phone": "876-555-0101", "verified": "yes", "activity": "Domestic Crops",
}


def test_create_and_patch_farmer(server, keys):
    reply = server.post("/api/v1/farmers", NEW_FARMER, key=keys["extension"])
    assert reply.status == 201, reply
    row = reply.json()
    assert row["parish"] == "ELZ" and row["phone"] == "+18765550101" and row["verified"] is True
    assert row["status"] == "active"
    assert reply.header("location") == "/api/v1/farmers/990000001"
    again = server.post("/api/v1/farmers", NEW_FARMER, key=keys["extension"])
    assert again.status == 409
    patched = server.patch("/api/v1/farmers/990000001", {"under_investigation": True, "district": "Santa Cruz"},
                           key=keys["extension"])
    assert patched.status == 200 and patched.json()["under_investigation"] is True
    assert server.patch("/api/v1/farmers/990000001", {"id": "1"}, key=keys["extension"]).status == 422
    assert server.patch("/api/v1/farmers/000000000", {"district": "x"}, key=keys["extension"]).status == 404
    audit = server.get("/api/v1/audit?record=990000001&sort=id", key=keys["admin"]).json()["data"]
    assert [a["action"] for a in audit][:2] == ["create", "update"]


def test_validation_errors_name_fields(server, keys):
    bad = dict(NEW_FARMER, id="12", parish="Atlantis", sex="X", phone="call me", verified="perhaps",
               bogus="1")
    reply = server.post("/api/v1/farmers", bad, key=keys["extension"])
    assert reply.status == 422
    fields = {d["field"] for d in reply.json()["error"]["details"]}
    assert {"parish", "sex", "phone", "verified", "bogus"} <= fields


def test_batch_is_all_or_nothing(server, keys):
    batch = [dict(NEW_FARMER, id=f"99100000{i}") for i in range(5)]
    batch[3]["parish"] = "Nowhere"
    reply = server.post("/api/v1/farmers", batch, key=keys["extension"])
    assert reply.status == 422
    assert reply.json()["error"]["details"][0]["field"] == "[3].parish"
    assert server.get("/api/v1/farmers/991000000", key=keys["admin"]).status == 404
    batch[3]["parish"] = "Clarendon"
    reply = server.post("/api/v1/farmers", batch, key=keys["extension"])
    assert reply.status == 201 and len(reply.json()["data"]) == 5


def test_books_never_overlap(server, keys):
    first = {"serial": "900001", "first_receipt": 90000101, "last_receipt": 90000200,
             "farmer_id": "990000001", "sold_on": "2026-11-02", "parish": "ELZ"}
    assert server.post("/api/v1/books", first, key=keys["extension"]).status == 201
    clash = dict(first, serial="900002", first_receipt=90000151, last_receipt=90000250)
    reply = server.post("/api/v1/books", clash, key=keys["extension"])
    assert reply.status == 409
    assert "900001" in reply.json()["error"]["message"] or any(
        "900001" in d["message"] for d in reply.json()["error"]["details"])
    no_farmer = dict(first, serial="900003", first_receipt=90000301, last_receipt=90000400,
                     farmer_id="123456780")
    reply = server.post("/api/v1/books", no_farmer, key=keys["extension"])
    assert reply.status == 422 and reply.json()["error"]["details"][0]["field"] == "farmer_id"
    reported = server.patch("/api/v1/books/900001", {"status": "stolen"}, key=keys["extension"])
    assert reported.json()["status"] == "stolen" and reported.json()["status_changed_on"]


def test_prices_rules(server, keys):
    price = {"commodity": "Yellow Yam", "unit": "kg", "price": 250.5, "price_point": "wholesale",
             "parish": "KIN", "market": "Coronation Market", "week_of": "2026-11-16"}
    reply = server.post("/api/v1/prices", price, key=keys["extension"])
    assert reply.status == 201 and reply.json()["commodity"] == "yellow yam"
    assert reply.json()["price"] == 250.5
    tuesday = dict(price, week_of="2026-11-17")
    assert server.post("/api/v1/prices", tuesday, key=keys["extension"]).status == 422
    unknown = dict(price, commodity="unobtainium")
    assert server.post("/api/v1/prices", unknown, key=keys["extension"]).status == 422
    cents = dict(price, price=1.234)
    assert server.post("/api/v1/prices", cents, key=keys["extension"]).status == 422


def test_write_permissions_and_media_type(server, keys):
    price = {"commodity": "ackee", "unit": "dozen", "price": 300, "price_point": "retail",
             "parish": "KIN", "week_of": "2026-11-16"}
    assert server.post("/api/v1/prices", price).status == 401
    assert server.post("/api/v1/prices", price, key=keys["partner"]).status == 403
    assert server.post("/api/v1/prices", price, key=keys["police"]).status == 403
    reply = server.request("POST", "/api/v1/prices", body="commodity=ackee", key=keys["extension"],
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 415
    reply = server.request("POST", "/api/v1/prices", body="{not json", key=keys["extension"],
                           headers={"Content-Type": "application/json"})
    assert reply.status == 400
    assert server.post("/api/v1/production", {}, key=keys["admin"]).status == 405


def test_public_answers_follow_writes_at_once(server, keys, tmp_path):
    from harvest_env import run_cli
    path = "/api/v1/prices?commodity=thyme&parish=HAN&week_of=2026-11-16"
    before = server.get(path).json()["data"]
    assert server.get(path).json()["data"] == before  # a repeat may come from the cache
    price = {"commodity": "thyme", "unit": "bunch", "price": 80, "price_point": "farmgate",
             "parish": "HAN", "market": "Lucea", "week_of": "2026-11-16"}
    assert server.post("/api/v1/prices", price, key=keys["extension"]).status == 201
    after = server.get(path).json()["data"]
    assert len(after) == len(before) + 1
    # A write by another process (the CLI) is seen at once too.
    csv_path = tmp_path / "prices.csv"
    csv_path.write_text("commodity,unit,price,price_point,parish,market,week_of\n"
                        "thyme,bunch,85,retail,HAN,Lucea,2026-11-16\n")
    run_cli(server.db, "import", "prices", str(csv_path))
    assert len(server.get(path).json()["data"]) == len(before) + 2
