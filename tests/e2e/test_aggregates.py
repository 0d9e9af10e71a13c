"""Published aggregates (production, farmer-stats) after a registry write: reads go on
answering from the tables already built while a rebuild runs off the request path (a
national rebuild takes seconds and its write would wait behind any held lock), and the
rebuilt tables follow the write shortly after."""
import time

import pytest

from field_samples import copy_db, query
from harvest_env import Server
from test_durability import write_lock

pytestmark = pytest.mark.first_pass_only(
    "holds SQLite's write lock with the sqlite3 module")


def verified_in(server, parish, activity):
    reply = server.get(f"/api/v1/farmer-stats?parish={parish}")
    assert reply.status == 200, reply
    cells = [row for row in reply.json()["data"] if row["activity"] == activity]
    assert len(cells) == 1 and not cells[0]["suppressed"], cells
    return cells[0]["verified"]


def test_aggregates_answer_during_a_held_lock_then_follow_the_write(demo_db, keys, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    config = tmp_path / "harvest.toml"
    config.write_text("[limits]\nwrite_wait_ms = 1000\n")
    # A verified farmer in a cell large enough to be published.
    farmer, parish, activity = query(db, """
        SELECT id, parish, coalesce(activity, 'Not stated') FROM farmers f
         WHERE verified = 1 AND (SELECT count(*) FROM farmers o WHERE o.parish = f.parish
                                   AND o.activity IS f.activity) >= 20
         LIMIT 1""")[0]
    server = Server(db, env={"HARVEST_CONFIG": str(config)})
    try:
        before = verified_in(server, parish, activity)
        reply = server.patch(f"/api/v1/farmers/{farmer}", {"verified": False},
                             key=keys["extension"])
        assert reply.status == 200, reply
        with write_lock(db):
            # The rebuild cannot write now; the read answers from the tables it has
            # (before: it rebuilt them itself, waited for the lock, then answered 503).
            assert verified_in(server, parish, activity) == before
            assert server.get("/api/v1/production?limit=5").status == 200
        deadline = time.time() + 15
        while verified_in(server, parish, activity) != before - 1:
            assert time.time() < deadline, "the aggregates did not follow the write"
            time.sleep(0.2)
    finally:
        assert server.stop() == 0
