"""SPEC §10 durability: what was answered is kept (group commit, SIGKILL), locks and a full
disk answer 503 instead of 500, imports wait for the write lock within a bound, backups
appear only whole, and exports of personal data are audited."""
import getpass
import os
import sqlite3
import subprocess
import time
from contextlib import contextmanager

import pytest

from field_samples import clean_farmers, copy_db, query
from harvest_env import Server, run_cli
from kill_stream import SERVER_ENV, assert_all_kept, stream_then_kill


@contextmanager
def write_lock(db):
    """Holds the database's write lock, as a long import or the sqlite3 shell would."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=30)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@contextmanager
def small_disk(path, size):
    """A tmpfs of `size` at `path` (the test runs as root, as the build machine does)."""
    path.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(folder, leave):
    """Fills the file system of `folder` but for about `leave` bytes; returns the ballast."""
    ballast = folder / "ballast"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with open(ballast, "wb") as f:
        f.write(b"\0" * max(0, free - leave))
    return ballast


def test_sigkill_loses_nothing_answered(demo_db, keys, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    farmers = [f for (f,) in query(db, "SELECT id FROM farmers ORDER BY id LIMIT 64")]
    owner_of = {first + i: farmer for (farmer, _, _, first, _, _) in clean_farmers(db)
                for i in range(50)}
    server = Server(db, env=SERVER_ENV)
    answered = stream_then_kill(server, keys["police"], keys["extension"], farmers,
                                sorted(owner_of))
    restarted = Server(db)  # opens, recovers the WAL, migrates nothing
    assert restarted.get("/healthz").status == 200
    assert restarted.stop() == 0
    assert_all_kept(lambda sql: query(db, sql), owner_of, *answered)


@pytest.mark.first_pass_only("holds SQLite's write lock with the sqlite3 module "
                              "(test_postgres.py restarts the PostgreSQL server under load)")
def test_writer_waits_for_a_held_lock_then_gets_503(demo_db, keys, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    config = tmp_path / "harvest.toml"
    config.write_text("[limits]\nwrite_wait_ms = 1000\n")
    server = Server(db, env={"HARVEST_CONFIG": str(config)})
    farmer = query(db, "SELECT id FROM farmers LIMIT 1")[0][0]
    receipt = clean_farmers(db)[0][3]
    try:
        with write_lock(db):
            started = time.time()
            reply = server.patch(f"/api/v1/farmers/{farmer}", {"remarks": "locked out"},
                                 key=keys["extension"])
            waited = time.time() - started
            assert reply.status == 503, reply
            error = reply.json()["error"]
            assert error["code"] == "database_locked" and "locked" in error["message"]
            assert str(os.getpid()) in error["message"]  # names what has the database open
            assert int(reply.header("retry-after")) > 0
            assert 0.9 <= waited < 10
            # A check cannot be answered before it is recorded: the same answer.
            check = server.get(f"/api/v1/verify/receipt/{receipt}", key=keys["police"])
            assert check.status == 503 and check.header("retry-after"), check
        again = server.patch(f"/api/v1/farmers/{farmer}", {"remarks": "after the lock"},
                             key=keys["extension"])
        assert again.status == 200, again
        assert server.get(f"/api/v1/verify/receipt/{receipt}", key=keys["police"]).status == 200
    finally:
        assert server.stop() == 0
    assert query(db, "SELECT remarks FROM farmers WHERE id = ?", farmer) == [("after the lock",)]


@pytest.mark.first_pass_only("holds SQLite's write lock with the sqlite3 module")
def test_import_waits_for_the_lock_then_names_its_holder(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    run_cli(db, "key", "list")  # in WAL mode from here on, as a served database is
    commodity, unit = query(db, "SELECT commodity, unit FROM prices LIMIT 1")[0]
    csv = tmp_path / "prices.csv"
    csv.write_text("commodity,unit,price,price_point,parish,market,week_of\n"
                   f"{commodity},{unit},250.50,wholesale,KIN,Coronation,2026-11-16\n")
    with write_lock(db):
        started = time.time()
        proc = run_cli(db, "import", "prices", str(csv), "--wait", "1", check=False)
        waited = time.time() - started
    assert proc.returncode == 1, proc.stderr
    assert "locked" in proc.stderr and f"python3 (pid {os.getpid()})" in proc.stderr, proc.stderr
    assert "--wait" in proc.stderr and 0.9 <= waited < 30
    before = query(db, "SELECT count(*) FROM prices")[0][0]
    run_cli(db, "import", "prices", str(csv), "--wait", "1")
    assert query(db, "SELECT count(*) FROM prices")[0][0] == before + 1
    assert query(db, "SELECT count(*) FROM audit WHERE action = 'import' AND record = ?",
                 str(csv)) == [(1,)]


@pytest.mark.first_pass_only("fills the file system under a SQLite file of its own")
def test_full_disk_answers_503_and_recovers(keys, tmp_path):
    # A real full file system: a 6 MB tmpfs filled but for a little room.
    with small_disk(tmp_path / "disk", "6m") as disk:
        db = disk / "harvest.db"
        made = run_cli(db, "key", "create", "--role", "extension", "--name", "full disk")
        key = made.stdout.splitlines()[0].strip()
        server = Server(db)
        try:
            ballast = fill(disk, 300_000)
            status, reply = 201, None
            for n in range(40):
                rows = [{"id": f"77{n:03d}{i:04d}", "first_name": "Full", "last_name": "Disk",
                         "parish": "KIN", "remarks": "x" * 2000} for i in range(100)]
                reply = server.post("/api/v1/farmers", rows, key=key)
                status = reply.status
                if status != 201:
                    break
            assert status == 503, reply
            error = reply.json()["error"]
            assert error["code"] == "disk_full" and "full" in error["message"], error
            assert reply.header("retry-after")
            ballast.unlink()
            one = {"id": "779999999", "first_name": "After", "last_name": "Space",
                   "parish": "KIN"}
            assert server.post("/api/v1/farmers", one, key=key).status == 201
            assert server.get("/api/v1/farmers/779999999", key=key).status == 200
        finally:
            assert server.stop() == 0


@pytest.mark.first_pass_only("a SQLite backup (PostgreSQL's is pg_dump)")
def test_backup_appears_only_when_complete(demo_db, tmp_path):
    # The backup's folder is too small for the copy: it fails half way.
    with small_disk(tmp_path / "disk", "200k") as disk:
        target = disk / "backup.db"
        proc = run_cli(demo_db, "backup", str(target), check=False)
        assert proc.returncode == 1, proc.stderr
        assert "full" in proc.stderr, proc.stderr
        assert not target.exists(), "a failed backup left a file under the backup's name"
        assert os.listdir(disk) == []  # nor its temporary copy
    target = tmp_path / "whole.db"
    run_cli(demo_db, "backup", str(target))
    assert query(target, "SELECT count(*) FROM farmers") == query(demo_db, "SELECT count(*) FROM farmers")
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".partial")]


def test_export_of_personal_data_is_audited(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    out = tmp_path / "farmers.csv"
    run_cli(db, "export", "farmers", "--role", "admin", "-o", str(out))
    rows = len(out.read_text().splitlines()) - 1
    entries = query(db, "SELECT actor, role, channel, action, dataset, record, detail FROM audit "
                        "WHERE channel = 'cli' AND dataset = 'farmers' AND record = ?",
                    f"export to {out}")
    assert entries == [("cli:" + getpass.getuser(), "admin", "cli", "read", "farmers",
                        f"export to {out}", f"{rows} rows (csv)")]
    # Public data is no personal read: not audited.
    run_cli(db, "export", "prices", "-o", str(tmp_path / "prices.csv"))
    assert query(db, "SELECT count(*) FROM audit WHERE dataset = 'prices'") == [(0,)]
