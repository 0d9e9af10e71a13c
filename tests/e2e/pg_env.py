"""A PostgreSQL 15 server of the tests' own (scripts/postgres: a private port and data
directory, stopped and removed afterwards), and a fresh database on it per use."""
import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# When set (a postgresql:// URL of a database whose role may create databases), the suite's
# own databases (demo_db, fresh_db, ...) are made on that server instead of in SQLite files:
# make test runs the modules that reach the data only through Harvest this way too.
E2E_POSTGRES = os.environ.get("HARVEST_E2E_POSTGRES", "")
_made = [0]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PSQL = str(PG_BIN / "psql")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    def __init__(self, directory):
        self.dir = directory
        self.port = free_port()
        self.start()
        self.admin = f"postgresql://harvest@127.0.0.1:{self.port}/harvest"

    def start(self):
        proc = subprocess.run([str(ROOT / "scripts/postgres"), "start", str(self.dir),
                               str(self.port)], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr)

    def stop(self, action="stop"):
        subprocess.run([str(ROOT / "scripts/postgres"), action, str(self.dir)], check=True,
                       timeout=120)

    def query(self, url, sql):
        """Rows of `sql` as lists of text."""
        return [list(row) for row in psql(url, sql)]

    def database(self):
        """A new, empty database; its URL."""
        return new_database(self.admin)


def psql(url, sql):
    """Rows of `sql` on `url`, as tuples of text (None for NULL)."""
    out = subprocess.run([PSQL, "-X", url, "-qAt", "-F", "\x1f", "-R", "\x1e", "-P", "null=\x1d",
                          "-c", sql], capture_output=True, text=True, check=True, timeout=120)
    rows = [r for r in out.stdout.rstrip("\n").split("\x1e") if r != ""]
    return [tuple(None if v == "\x1d" else v for v in r.split("\x1f")) for r in rows]


def new_database(admin=None):
    """A new, empty database on the E2E_POSTGRES server (or `admin`'s); its URL."""
    admin = admin or E2E_POSTGRES
    _made[0] += 1
    name = f"e2e_{os.getpid()}_{_made[0]}"
    psql(admin, f"CREATE DATABASE {name}")
    return admin.rsplit("/", 1)[0] + "/" + name


def is_postgres(db):
    return str(db).startswith(("postgresql://", "postgres://"))


def copy_database(source):
    """A new database holding what `source` holds now (pg_dump into it); its URL."""
    target = new_database(source)
    # Without the unlogged quota counts: a copy starts with no hour counted, as a new SQLite
    # copy's server does.
    dump = subprocess.run([str(PG_BIN / "pg_dump"), "--no-owner", "--no-unlogged-table-data",
                           source], capture_output=True, check=True, timeout=300)
    subprocess.run([PSQL, "-X", target, "-q", "-v", "ON_ERROR_STOP=1"], input=dump.stdout,
                   capture_output=True, check=True, timeout=300)
    return target
