import pytest

from harvest_env import Server, run_cli

DEMO_FARMERS = "3000"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """A database with a small national demo (same generator as `make demo`)."""
    db = tmp_path_factory.mktemp("demo") / "harvest.db"
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
    return tmp_path / "fresh.db"
