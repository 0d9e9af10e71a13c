"""A PostgreSQL 15 server of the tests' own (scripts/postgres: a private port and data
directory, stopped and removed afterwards), and a fresh database on it per use."""
import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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
        self.made = 0

    def start(self):
        proc = subprocess.run([str(ROOT / "scripts/postgres"), "start", str(self.dir),
                               str(self.port)], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr)

    def stop(self, action="stop"):
        subprocess.run([str(ROOT / "scripts/postgres"), action, str(self.dir)], check=True,
                       timeout=120)

    def query(self, url, sql):
        out = subprocess.run([PSQL, url, "-qAt", "-c", sql], capture_output=True, text=True,
                             check=True, timeout=60)
        return [line.split("|") for line in out.stdout.splitlines()]

    def database(self):
        """A new, empty database; its URL."""
        self.made += 1
        name = f"e2e_{os.getpid()}_{self.made}"
        self.query(self.admin, f"CREATE DATABASE {name}")
        return f"postgresql://harvest@127.0.0.1:{self.port}/{name}"
