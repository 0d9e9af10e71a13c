"""Harvest behind PgBouncer in transaction pooling mode, and with a streaming hot standby
serving the open-data reads (SPEC §11). scripts/pgbouncer and `scripts/postgres standby` run
them on private ports next to the tests' PostgreSQL server, and stop them afterwards."""
import subprocess
import threading
import time

import pytest

from harvest_env import Server, run_cli
from pg_env import ROOT, free_port
from test_several_servers import clean_books, police_keys, verdict
from web_session import PASSWORD, WebSession, add_user

pytestmark = pytest.mark.first_pass_only(
    "starts PostgreSQL servers and PgBouncer of its own")


@pytest.fixture(scope="module")
def bouncer(postgres, tmp_path_factory):
    where = tmp_path_factory.mktemp("pgbouncer")
    port = free_port()
    subprocess.run([str(ROOT / "scripts/pgbouncer"), "start", str(where), str(port),
                    str(postgres.port)], check=True, capture_output=True, timeout=60)
    yield port
    subprocess.run([str(ROOT / "scripts/pgbouncer"), "stop", str(where)], check=True, timeout=60)


def test_everything_works_through_pgbouncer_in_transaction_mode(postgres, bouncer, tmp_path):
    direct = postgres.database()
    pooled = direct.replace(f":{postgres.port}/", f":{bouncer}/")
    config = tmp_path / "harvest.toml"
    config.write_text("[postgres]\ntransaction_pooling = true\n")
    env = {"HARVEST_CONFIG": str(config)}
    # The commands too: the tables made, demo data written, a key and a login added.
    run_cli(pooled, "demo", "--farmers", "300", "--seed", "13", env=env)
    keys = police_keys(pooled, 4, env=env)
    add_user(pooled, "pooled-police", "police", env=env)
    server = Server(pooled, env=env)
    try:
        books = clean_books(postgres, direct, 12)
        # Many I/O threads, each with its own client connection, share PgBouncer's four
        # server connections: a statement prepared on one would be missing on the next.
        failures = []

        def check(i):
            try:
                for n in range(20):
                    receipt = int(books[i][1]) + 20 + n
                    reply = server.get(f"/api/v1/verify/receipt/{receipt}", key=keys[i % 4])
                    if reply.status != 200:
                        failures.append(reply)
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(e)

        threads = [threading.Thread(target=check, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not failures, failures[:3]
        assert postgres.query(direct, "SELECT count(*) FROM verifications") == [["240"]]
        # A write, its audit entry, and the recheck history through the pool.
        farmer = postgres.query(direct, "SELECT id FROM farmers ORDER BY id LIMIT 1")[0][0]
        changed = server.patch(f"/api/v1/farmers/{farmer}", {"remarks": "through the pool"},
                               key="hv_demo_extension")
        assert changed.status == 200, changed
        assert postgres.query(direct, f"SELECT count(*) FROM audit WHERE record = '{farmer}' "
                                      f"AND action = 'update'") == [["1"]]
        receipt = int(books[0][1]) + 3
        assert [verdict(server, receipt, k)["verdict"] for k in keys] == \
            ["VALID", "VALID", "VALID", "CHECK"]
        browser = WebSession(server)
        assert browser.log_in("pooled-police", PASSWORD).status == 303
        assert browser.get("/verify").status == 200
    finally:
        assert server.stop() == 0


@pytest.fixture(scope="module")
def standby(postgres, tmp_path_factory):
    primary = postgres.database()
    run_cli(primary, "demo", "--farmers", "300", "--seed", "17")
    where = tmp_path_factory.mktemp("standby")
    port = free_port()
    subprocess.run([str(ROOT / "scripts/postgres"), "standby", str(where), str(port),
                    str(postgres.port)], check=True, capture_output=True, timeout=180)
    copy = primary.replace(f":{postgres.port}/", f":{port}/")
    yield primary, copy, where
    subprocess.run([str(ROOT / "scripts/postgres"), "clean", str(where)], check=True,
                   timeout=120)


def prices_of(server, market, extra=""):
    reply = server.get(f"/api/v1/prices?commodity=ackee&parish=KIN&limit=200{extra}")
    assert reply.status == 200, reply
    return [row for row in reply.json()["data"] if row.get("market") == market]


def test_a_hot_standby_serves_the_prices_while_writes_go_to_the_primary(postgres, standby):
    primary, copy, where = standby
    server = Server(primary, env={"HARVEST_DB_READ": copy})
    try:
        assert server.get("/api/v1/prices?limit=5").status == 200
        # The standby stops replaying: what it serves stays as it was.
        postgres.query(copy, "SELECT pg_wal_replay_pause()")
        price = {"commodity": "ackee", "unit": "dozen", "price": 777.5,
                 "price_point": "retail", "parish": "KIN", "market": "Standby Test Market",
                 "week_of": "2026-11-30"}
        made = server.post("/api/v1/prices", price, key="hv_demo_extension")
        assert made.status == 201, made
        assert postgres.query(primary, "SELECT count(*) FROM prices WHERE market = "
                                       "'Standby Test Market'") == [["1"]]
        assert prices_of(server, "Standby Test Market") == [], "not read from the standby"
        # Checks read the primary: a book reported lost is ALERT at once.
        receipt = int(postgres.query(primary, "SELECT first_receipt FROM books WHERE status = "
                                              "'active' ORDER BY first_receipt LIMIT 1")[0][0])
        key = police_keys(primary, 1)[0]
        assert verdict(server, receipt, key)["verdict"] in ("VALID", "CHECK")
        serial = postgres.query(primary, f"SELECT serial FROM books WHERE first_receipt = "
                                         f"{receipt}")[0][0]
        assert server.patch(f"/api/v1/books/{serial}", {"status": "stolen"},
                            key="hv_demo_admin").status == 200
        assert verdict(server, receipt, key)["verdict"] == "ALERT"
        # Replay resumes: the standby, and so the API, catch up.
        postgres.query(copy, "SELECT pg_wal_replay_resume()")
        deadline = time.time() + 30
        while not prices_of(server, "Standby Test Market"):
            assert time.time() < deadline, "the standby never showed the new price"
            time.sleep(0.2)
        # With the standby gone, the primary answers the open data (a query not asked
        # before, so that no cached answer stands in for it).
        subprocess.run([str(ROOT / "scripts/postgres"), "stop", str(where)], check=True,
                       timeout=60)
        assert len(prices_of(server, "Standby Test Market", "&fields=id,market")) == 1
    finally:
        assert server.stop() == 0
