"""Harvest on PostgreSQL (SPEC §11): a server of the tests' own (scripts/postgres, a private
port and data directory, stopped afterwards), the same demo as the SQLite tests' (same seed)
giving the same answers, checks and writes kept there, the CLI, and the server riding out the
database server's restart."""
import subprocess
import threading
import time

import pytest

from conftest import DEMO_FARMERS
from harvest_env import BIN, Server, run_cli
from kill_stream import SERVER_ENV, assert_all_kept, stream_then_kill

pytestmark = pytest.mark.first_pass_only(
    "starts a PostgreSQL server of its own")


@pytest.fixture(scope="module")
def pg_demo(postgres):
    url = postgres.database()
    run_cli(url, "demo", "--farmers", DEMO_FARMERS, "--seed", "7")
    return url


# Answers that depend only on the data (not on the server's secret farm tokens or the clock).
SAME_ANSWERS = [
    ("/api/v1/prices?commodity=yellow%20yam&limit=50", None),
    ("/api/v1/prices?commodity=ackee&parish=ANN&sort=-week_of&limit=30", None),
    ("/api/v1/farmer-stats?limit=200", None),
    ("/api/v1/production?limit=500", None),
    ("/api/v1/farmers?parish=KIN&limit=20", "hv_demo_extension"),
    ("/api/v1/books?limit=20", "hv_demo_admin"),
    ("/api/v1/officers?limit=20", "hv_demo_admin"),
    ("/api/v1/commodities?limit=100", None),
]


def test_the_same_demo_answers_the_same_on_both_backends(pg_demo, tmp_path):
    # A SQLite demo of its own: the session's demo_db has had writes by other modules by now,
    # and a serving SQLite server answers the aggregates from the previous version while it
    # rebuilds them.
    demo_db = tmp_path / "same.db"
    run_cli(demo_db, "demo", "--farmers", DEMO_FARMERS, "--seed", "7")
    sqlite_server, pg_server = Server(demo_db), Server(pg_demo)
    try:
        for path, key in SAME_ANSWERS:
            a, b = sqlite_server.get(path, key=key), pg_server.get(path, key=key)
            assert a.status == b.status == 200, (path, a, b)
            assert a.json() == b.json(), path
            assert a.json()["data"], path  # something was compared
    finally:
        assert sqlite_server.stop() == 0
        assert pg_server.stop() == 0


def test_checks_and_writes_are_kept_in_postgresql(postgres, pg_demo):
    server = Server(pg_demo)
    try:
        first = int(postgres.query(pg_demo, "SELECT first_receipt FROM books WHERE status = "
                                            "'stolen' LIMIT 1")[0][0])
        before = int(postgres.query(pg_demo, "SELECT count(*) FROM verifications")[0][0])
        check = server.get(f"/api/v1/verify/receipt/{first}", key="hv_demo_police")
        assert check.status == 200 and check.json()["verdict"] == "ALERT"
        # The answer left after its check was committed.
        rows = postgres.query(pg_demo, f"SELECT verdict, channel FROM verifications "
                                       f"WHERE receipt = {first}")
        assert rows == [["ALERT", "api"]]
        assert int(postgres.query(pg_demo, "SELECT count(*) FROM verifications")[0][0]) == \
            before + 1
        farmer = postgres.query(pg_demo, "SELECT id FROM farmers ORDER BY id LIMIT 1")[0][0]
        changed = server.patch(f"/api/v1/farmers/{farmer}", {"remarks": "kept in postgres"},
                               key="hv_demo_extension")
        assert changed.status == 200, changed
        assert postgres.query(pg_demo, f"SELECT remarks FROM farmers WHERE id = '{farmer}'") == \
            [["kept in postgres"]]
        assert server.get(f"/api/v1/farmers/{farmer}", key="hv_demo_extension").json()[
            "remarks"] == "kept in postgres"
        audited = postgres.query(pg_demo, f"SELECT action FROM audit WHERE record = '{farmer}' "
                                          f"AND action = 'update'")
        assert audited == [["update"]]
        # A book overlapping another is refused with the same message as on SQLite.
        book = postgres.query(pg_demo, "SELECT serial, first_receipt, farmer_id FROM books "
                                       "ORDER BY first_receipt LIMIT 1")[0]
        clash = server.post("/api/v1/books", {"serial": "PG-CLASH", "first_receipt":
                                              int(book[1]), "last_receipt": int(book[1]) + 9,
                                              "farmer_id": book[2]}, key="hv_demo_admin")
        assert clash.status == 409, clash
        assert f"overlap book {book[0]}" in clash.text
    finally:
        assert server.stop() == 0


def test_the_cli_works_on_postgresql(postgres, pg_demo, tmp_path):
    made = run_cli(pg_demo, "key", "create", "--role", "partner", "--name", "pg partner")
    key = made.stdout.splitlines()[0].strip()
    assert postgres.query(pg_demo, "SELECT name FROM api_keys WHERE name = 'pg partner'") == \
        [["pg partner"]]
    run_cli(pg_demo, "user", "add", "--login", "pg.police", "--role", "police",
            stdin="a long enough password\n")
    assert "pg.police" in run_cli(pg_demo, "user", "list").stdout
    out = tmp_path / "prices.csv"
    run_cli(pg_demo, "export", "prices", "--output", str(out))
    lines = out.read_text().splitlines()
    assert len(lines) - 1 == int(postgres.query(pg_demo, "SELECT count(*) FROM prices")[0][0])
    refused = run_cli(pg_demo, "backup", str(tmp_path / "copy.db"), check=False)
    assert refused.returncode != 0 and "pg_dump" in refused.stderr
    server = Server(pg_demo)
    try:
        assert server.get("/api/v1/farms?limit=5", key=key).status == 200
    finally:
        assert server.stop() == 0


def test_503_while_the_database_server_is_down_then_answers_without_a_restart(postgres,
                                                                               pg_demo,
                                                                               tmp_path):
    config = tmp_path / "harvest.toml"
    config.write_text("[verify]\nkey_checks_per_hour = 0\n")
    server = Server(pg_demo, extra_args=("--config", str(config)))
    statuses = []
    stop = threading.Event()

    def load():
        while not stop.is_set():
            try:
                reply = server.get("/api/v1/verify/receipt/101", key="hv_demo_police")
                statuses.append(reply.status)
            except OSError as e:  # a connection dropped without an answer
                statuses.append(repr(e))

    clients = [threading.Thread(target=load) for _ in range(8)]
    try:
        path = "/api/v1/verify/receipt/101"
        assert server.get(path, key="hv_demo_police").status == 200
        for c in clients:
            c.start()
        time.sleep(1)
        postgres.stop()
        try:
            time.sleep(1)
            down = server.get(path, key="hv_demo_police")
            assert down.status == 503, down
            assert "PostgreSQL" in down.text
            assert down.header("retry-after")
        finally:
            postgres.start()
        deadline = time.time() + 30
        while True:
            reply = server.get(path, key="hv_demo_police")
            if reply.status == 200:
                break
            assert reply.status == 503, reply
            assert time.time() < deadline, "no answer after the server came back"
            time.sleep(0.5)
        time.sleep(1)
        stop.set()
        for c in clients:
            c.join()
        # Under load, nothing but answers and 503s, and answers again at the end.
        assert set(statuses) == {200, 503}, set(statuses)
        assert statuses[-8:].count(200) >= 1
        assert server.proc.poll() is None  # the same process
    finally:
        stop.set()
        for c in clients:
            if c.is_alive():
                c.join()
        assert server.stop() == 0


def test_sigkill_on_postgresql_loses_nothing_answered(postgres):
    url = postgres.database()
    run_cli(url, "demo", "--farmers", "300", "--seed", "19")
    farmers = [f for (f,) in postgres.query(url, "SELECT id FROM farmers ORDER BY id LIMIT 64")]
    books = postgres.query(url, "SELECT farmer_id, first_receipt FROM books WHERE status = "
                                "'active' ORDER BY first_receipt LIMIT 20")
    owner_of = {int(first) + i: farmer for farmer, first in books for i in range(50)}
    server = Server(url, env=SERVER_ENV)
    answered = stream_then_kill(server, "hv_demo_police", "hv_demo_extension", farmers,
                                sorted(owner_of))
    restarted = Server(url)
    assert restarted.get("/healthz").status == 200
    assert restarted.stop() == 0
    assert_all_kept(lambda sql: postgres.query(url, sql), owner_of, *answered)


def test_sigkill_mid_import_on_postgresql_leaves_nothing_partial(postgres, tmp_path):
    url = postgres.database()
    run_cli(url, "demo", "--farmers", "100", "--seed", "23")
    rows = 8000
    ids = [300000001 + i for i in range(rows)]
    added = tmp_path / "farmers.csv"
    added.write_text("id,first_name,last_name,parish\n" + "".join(
        f"{farmer},Ann{i},Gordon,KIN\n" for i, farmer in enumerate(ids)))
    run_cli(url, "import", "farmers", str(added))
    # New rows go in one COPY, too fast to be killed halfway: the import killed here replaces
    # stored rows, which goes row by row.
    changed = tmp_path / "changed.csv"
    changed.write_text("id,first_name,last_name,parish\n" + "".join(
        f"{farmer},Ann{i},Campbell,KIN\n" for i, farmer in enumerate(ids)))
    campbells = "SELECT count(*) FROM farmers WHERE last_name = 'Campbell'"
    before = int(postgres.query(url, campbells)[0][0])  # the demo's own
    name = url.rsplit("/", 1)[1]
    importing = subprocess.Popen([BIN, "--db", url, "import", "farmers", str(changed)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Killed once its transaction has written something.
        deadline = time.time() + 60
        while not postgres.query(url, f"SELECT 1 FROM pg_stat_activity WHERE datname = '{name}' "
                                      f"AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"):
            assert importing.poll() is None, "the import ended before it could be killed"
            assert time.time() < deadline
            time.sleep(0.05)
        time.sleep(0.3)
        assert importing.poll() is None, "the import ended before it could be killed"
    finally:
        importing.kill()
        importing.wait()
    assert int(postgres.query(url, campbells)[0][0]) == before, "a killed import left rows behind"
    # The same file imports whole afterwards: nothing was left holding its rows.
    run_cli(url, "import", "farmers", str(changed))
    assert int(postgres.query(url, campbells)[0][0]) == before + rows


def test_a_query_past_its_budget_on_postgresql_is_stopped_with_503(pg_demo, tmp_path):
    """limits.query_ms holds on PostgreSQL too (statement_timeout): the hostile download is
    stopped and answered 503, and the server goes on answering."""
    config = tmp_path / "harvest.toml"
    config.write_text("[limits]\nquery_ms = 1\n")
    path = "/api/v1/prices.csv?market__contains=no%20such%20market"
    srv = Server(pg_demo, extra_args=("--config", str(config)))
    try:
        reply = srv.get(path)
        assert reply.status == 503, reply
        assert reply.header("retry-after")
        error = reply.json()["error"]
        assert error["code"] == "query_timeout" and "1 ms" in error["message"]
        # The server goes on answering what no collection read bounds.
        assert srv.get("/healthz").status == 200
        assert srv.get("/api/v1/verify/receipt/101", key="hv_demo_police").status == 200
    finally:
        assert srv.stop() == 0
    srv = Server(pg_demo)
    try:
        assert srv.get(path).status == 200
    finally:
        assert srv.stop() == 0


def test_a_pool_of_two_connections_serves_many_clients(postgres, pg_demo, tmp_path):
    """[postgres] pool_size bounds the connections one server opens: 64 clients' checks and
    reads on 8 threads are all answered over two; a size that is not a number is refused,
    naming the key."""
    config = tmp_path / "harvest.toml"
    config.write_text("threads = 8\n[postgres]\npool_size = 2\n")
    name = pg_demo.rsplit("/", 1)[1]
    opened = (f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}' "
              f"AND pid <> pg_backend_pid()")
    first = int(postgres.query(pg_demo, "SELECT first_receipt FROM books WHERE status = "
                                        "'active' ORDER BY first_receipt LIMIT 1")[0][0])
    srv = Server(pg_demo, extra_args=("--config", str(config)))
    statuses = []
    try:
        def client(n):
            for i in range(6):
                if i % 2:
                    reply = srv.get(f"/api/v1/verify/receipt/{first + n % 40}",
                                    key="hv_demo_police")
                else:
                    parish = ("KIN", "AND", "CLA", "MAN", "ELZ")[(n + i) % 5]
                    reply = srv.get(f"/api/v1/farmers?parish={parish}&limit=5",
                                    key="hv_demo_extension")
                statuses.append(reply.status)
        clients = [threading.Thread(target=client, args=(n,)) for n in range(64)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        assert int(postgres.query(pg_demo, opened)[0][0]) <= 2
    finally:
        assert srv.stop() == 0
    assert statuses == [200] * 384, sorted(set(statuses))
    config.write_text("[postgres]\npool_size = \"two\"\n")
    refused = subprocess.run([BIN, "--db", pg_demo, "--config", str(config), "key", "list"],
                             capture_output=True, text=True)
    assert refused.returncode != 0
    assert "pool_size" in refused.stderr, refused.stderr
