import os

import pytest

from harvest_env import Server, run_cli
from pg_env import E2E_POSTGRES, Postgres, new_database

DEMO_FARMERS = "3000"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "first_pass_only(why): run in the first pass only, not again with every "
        "database on PostgreSQL (HARVEST_E2E_POSTGRES); `why` says what ties it to the first")


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL pass runs the whole suite but the tests marked first_pass_only."""
    if not E2E_POSTGRES:
        return
    left = [item for item in items if item.get_closest_marker("first_pass_only")]
    for item in left:
        why = item.get_closest_marker("first_pass_only").args
        assert why and why[0], f"{item.nodeid}: first_pass_only needs a reason"
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = [item for item in items if not item.get_closest_marker("first_pass_only")]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """A database with a small national demo (same generator as `make demo`)."""
    db = new_database() if E2E_POSTGRES else tmp_path_factory.mktemp("demo") / "harvest.db"
    run_cli(db, "demo", "--farmers", DEMO_FARMERS, "--seed", "7")
    return db


@pytest.fixture(scope="session")
def keys(demo_db):
    """One fresh key per role, made with `harvest key create`."""
    made = {}
    for role in ("partner", "police", "extension", "admin"):
        out = run_cli(demo_db, "key", "create", "--role", role, "--name", f"test {role}")
        made[role] = out.stdout.splitlines()[0].strip()
    return made


@pytest.fixture(scope="session")
def server(demo_db, keys):
    srv = Server(demo_db)
    yield srv
    assert srv.stop() == 0


@pytest.fixture()
def fresh_db(tmp_path):
    return new_database() if E2E_POSTGRES else tmp_path / "fresh.db"


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """The tests' PostgreSQL server, started once; skipped where there is none unless
    HARVEST_REQUIRE_POSTGRES is set (make test sets it)."""
    try:
        server = Postgres(tmp_path_factory.mktemp("postgres"))
    except (RuntimeError, FileNotFoundError) as e:
        if os.environ.get("HARVEST_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"no PostgreSQL 15 here ({e})")
    yield server
    server.stop("clean")
