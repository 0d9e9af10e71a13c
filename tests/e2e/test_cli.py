"""The command line: import/export, keys, backup, exit codes."""
import csv
import io
import re
import subprocess
import time

import pytest

from field_samples import query
from harvest_env import BIN, Client, Server, run_cli

HEADER = "id,first_name,last_name,alias,sex,parish,phone,verified,activity,remarks"


def test_import_accepts_real_extract_quirks(fresh_db, tmp_path):
    text = ("\ufeff" + HEADER + "\r\n"
            '100000001,Errol,Campbell,"Bigga, the yam man",M,ST.ELIZABETH,876-555-0111,Y,Domestic Crops,\r\n'
            '100000002,Marcia,Reid,,F,St Ann,5550112,no,Poultry Farming,"two lines\r\nof remarks"\r\n'
            '100000003,Lloyd,Brown,,M,Saint Elizabeth,(876) 555-0113,1,Goat Rearing,"said ""hi"""\r\n')
    path = tmp_path / "farmers.csv"
    path.write_bytes(text.encode("utf-8"))
    proc = run_cli(fresh_db, "import", "farmers", str(path))
    assert "3 rows" in proc.stderr
    rows = {r[0]: r for r in query(fresh_db, "SELECT id, alias, parish, phone, verified, remarks "
                                             "FROM farmers")}
    assert rows["100000001"][1:5] == ("Bigga, the yam man", "ELZ", "+18765550111", 1)
    assert rows["100000002"][2:5] == ("ANN", "+18765550112", 0)
    assert rows["100000002"][5] == "two lines\nof remarks"
    assert rows["100000003"][5] == 'said "hi"'


def test_import_with_bad_rows_writes_nothing(fresh_db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "\n"
                    "100000011,Ann,Gordon,,F,Clarendon,,yes,Domestic Crops,\n"
                    "100000012,Paul,Morgan,,M,Atlantis,,yes,Domestic Crops,\n"
                    "100000013,Joy,Clarke,,Q,Portland,,maybe,Domestic Crops,\n"
                    "12,Ian,Lewis,,M,Portland,,yes,Domestic Crops,\n")
    proc = run_cli(fresh_db, "import", "farmers", str(path), check=False)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert f"{path}:3: parish: unknown parish 'Atlantis'" in "\n".join(lines)
    assert any(line.startswith(f"{path}:4: sex:") for line in lines)
    assert any(line.startswith(f"{path}:4: verified:") for line in lines)
    assert any(line.startswith(f"{path}:5: id:") for line in lines)
    assert "nothing was imported" in proc.stderr
    assert query(fresh_db, "SELECT count(*) FROM farmers") == [(0,)]


def test_import_conflicts_are_reported_by_line(fresh_db, tmp_path):
    farmers = tmp_path / "f.csv"
    farmers.write_text("id,first_name,last_name,parish\n100000021,Ann,Gordon,KIN\n")
    run_cli(fresh_db, "import", "farmers", str(farmers))
    books = tmp_path / "books.csv"
    books.write_text("serial,first_receipt,last_receipt,farmer_id\n"
                     "000001,101,200,100000021\n"
                     "000002,150,250,100000021\n"
                     "000003,301,400,999999999\n")
    proc = run_cli(fresh_db, "import", "books", str(books), check=False)
    assert proc.returncode == 1
    assert f"{books}:3: first_receipt: receipts 150-250 overlap book 000001" in proc.stderr
    assert f"{books}:4: farmer_id: no farmer with id 999999999" in proc.stderr
    assert query(fresh_db, "SELECT count(*) FROM books") == [(0,)]


def test_dry_run_writes_nothing(fresh_db, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("id,first_name,last_name,parish\n100000031,Ann,Gordon,KIN\n")
    proc = run_cli(fresh_db, "import", "farmers", str(path), "--dry-run")
    assert "nothing was written" in proc.stderr
    assert query(fresh_db, "SELECT count(*) FROM farmers") == [(0,)]


def test_export_import_round_trip(demo_db, fresh_db, tmp_path):
    copy = fresh_db
    for dataset in ("farmers", "farms", "crops", "books", "prices"):
        exported = run_cli(demo_db, "export", dataset, "--role", "admin").stdout
        path = tmp_path / f"{dataset}.csv"
        path.write_text(exported)
        run_cli(copy, "import", dataset, str(path))
        again = run_cli(copy, "export", dataset, "--role", "admin").stdout
        assert again == exported, dataset
        assert len(exported.splitlines()) > 10


def test_export_applies_role_rules(demo_db):
    public = run_cli(demo_db, "export", "farmers", check=False)
    assert public.returncode == 1 and "may not read farmers" in public.stderr
    partner = run_cli(demo_db, "export", "farms", "--role", "partner").stdout
    header = next(csv.reader(io.StringIO(partner)))
    assert "farmer_id" not in header and "lat" in header
    geo = run_cli(demo_db, "export", "parishes", "--format", "geojson").stdout
    assert '"FeatureCollection"' in geo


def test_keys_create_list_revoke(fresh_db):
    made = run_cli(fresh_db, "key", "create", "--role", "partner", "--name", "Agro app")
    key = made.stdout.splitlines()[0]
    assert key.startswith("hv_") and len(key) > 20
    listing = run_cli(fresh_db, "key", "list").stdout
    assert "Agro app" in listing and key not in listing
    srv = Server(fresh_db)
    try:
        assert srv.get("/api/v1/farms?limit=1", key=key).status == 200
        run_cli(fresh_db, "key", "revoke", "1")
        assert srv.get("/api/v1/farms?limit=1", key=key).status == 401
    finally:
        assert srv.stop() == 0
    stored = query(fresh_db, "SELECT hash FROM api_keys")[0][0]
    assert key not in stored


@pytest.mark.first_pass_only("a SQLite backup (on PostgreSQL backup refuses: "
                              "test_postgres.py's CLI test)")
def test_backup_is_a_working_copy(demo_db, tmp_path):
    target = tmp_path / "backup.db"
    run_cli(demo_db, "backup", str(target))
    original = query(demo_db, "SELECT count(*) FROM farmers")[0][0]
    copied = query(target, "SELECT count(*) FROM farmers")[0][0]
    assert copied == original > 0
    assert run_cli(demo_db, "backup", str(target), check=False).returncode == 1


def test_exit_codes_and_help(fresh_db):
    helped = run_cli(fresh_db, "--help", check=False)
    assert helped.returncode == 0
    assert "HARVEST_DB_READ" in helped.stdout and "HARVEST_DB_POOL" in helped.stdout
    assert run_cli(fresh_db, "import", "--help", check=False).returncode == 0
    assert run_cli(fresh_db, "frobnicate", check=False).returncode == 2
    assert run_cli(fresh_db, "key", "create", "--role", "king", "--name", "x", check=False).returncode == 2
    assert run_cli(fresh_db, "import", "nothing", "/dev/null", check=False).returncode == 1


@pytest.mark.first_pass_only("where --db may stand, with a SQLite file of its own")
def test_db_and_config_may_follow_the_command(tmp_path):
    # SPEC 7 writes `harvest COMMAND [options]` with --db among them; `make demo` runs
    # `harvest serve --db harvest.db --demo`.
    db = tmp_path / "after.db"
    config = tmp_path / "harvest.toml"
    config.write_text("[sms]\nofficer_checks_per_hour = 7\n")
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text('threads = "many"\n')
    run = lambda *args: subprocess.run([BIN, *args], capture_output=True, text=True,
                                       cwd=tmp_path, timeout=120)
    made = run("key", "create", "--role", "police", "--name", "after-the-command",
               "--db", str(db), "--config", str(config))
    assert made.returncode == 0, made.stderr
    listed = run("key", "list", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    assert "after-the-command" in listed.stdout
    assert not (tmp_path / "harvest.db").exists()  # the default database was not used
    refused = run("key", "list", "--db", str(db), "--config", str(bad_config))
    assert refused.returncode == 1 and f"{bad_config}:1: threads" in refused.stderr  # it was read
    assert run("key", "list", "--db").returncode == 2  # --db without a value is a usage error


@pytest.mark.first_pass_only("what `make demo` runs: a 170,000-farmer SQLite file")
def test_serve_demo_fills_an_empty_database_and_says_how_to_try_it(tmp_path):
    # What `make demo` runs, on a port of its own.
    db = tmp_path / "demo.db"
    proc = subprocess.Popen([BIN, "serve", "--db", str(db), "--demo", "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines, port, deadline = [], None, time.time() + 240
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.search(r"listening on http://127.0.0.1:(\d+)", line)
            if match:
                port = int(match.group(1))
            if port and "curl" in line:
                break
        assert port, "".join(lines) + proc.stderr.read()
        printed = "".join(lines)
        assert "hv_demo_police" in printed and "hv_demo_extension" in printed
        reply = Client("127.0.0.1", port).get("/api/v1/farmers?count=true&limit=1",
                                              key="hv_demo_extension")
        assert reply.status == 200, reply
        assert reply.json()["total"] == 170000
    finally:
        proc.send_signal(subprocess.signal.SIGTERM)
        proc.wait(timeout=60)
