"""A key's own reads of the registry are answered again from memory until the registry
changes, and every such answer is still audited, under the key that asked (SPEC §10)."""
import json
import re
import time

from field_samples import clean_farmers, copy_db, execute, query
from harvest_env import Server, run_cli


def new_key(db, role, name):
    out = run_cli(db, "key", "create", "--role", role, "--name", name)
    key = out.stdout.splitlines()[0].strip()
    key_id = int(out.stderr.split()[1])
    return key, key_id


def reads_audited(db, actor, record):
    return query(db, "SELECT count(*) FROM audit WHERE actor = ? AND action = 'read' "
                     "AND record = ?", actor, record)[0][0]


def test_a_repeated_keyed_read_is_audited_each_time_under_its_own_key(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    first, first_id = new_key(db, "extension", "first")
    second, second_id = new_key(db, "extension", "second")
    srv = Server(db)
    try:
        path = "/api/v1/farmers?parish=KIN&limit=5"
        answers = []
        for key in (first, second, first, first, second):
            reply = srv.get(path, key=key)
            assert reply.status == 200, reply
            assert reply.header("cache-control") == "private, no-store"
            answers.append(reply.body)
        assert len(set(answers)) == 1
        # The answer left once its entry was committed, so the entries are there now.
        assert reads_audited(db, f"key:{first_id}", "?parish=KIN&limit=5") == 3
        assert reads_audited(db, f"key:{second_id}", "?parish=KIN&limit=5") == 2
    finally:
        assert srv.stop() == 0


def test_a_registry_change_or_a_revoked_key_is_seen_at_once(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    officer, officer_id = new_key(db, "extension", "officer")
    srv = Server(db)
    try:
        farmer = clean_farmers(db, limit=1)[0][0]
        path = f"/api/v1/farmers/{farmer}"
        before = srv.get(path, key=officer)
        assert before.status == 200
        assert srv.get(path, key=officer).body == before.body
        changed = srv.patch(path, {"remarks": "moved to a new plot"}, key=officer)
        assert changed.status == 200, changed
        after = srv.get(path, key=officer)
        assert json.loads(after.body)["remarks"] == "moved to a new plot"
        run_cli(db, "key", "revoke", str(officer_id))
        assert srv.get(path, key=officer).status == 401
    finally:
        assert srv.stop() == 0


def test_the_logs_are_never_answered_from_memory(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    admin, _ = new_key(db, "admin", "admin")
    police, _ = new_key(db, "police", "police")
    srv = Server(db)
    try:
        path = "/api/v1/verifications?limit=1000"
        seen = len(json.loads(srv.get(path, key=admin).body)["data"])
        assert srv.get("/api/v1/verify/receipt/4512", key=police).status == 200
        again = json.loads(srv.get(path, key=admin).body)["data"]
        assert len(again) == seen + 1
    finally:
        assert srv.stop() == 0


def test_a_keys_answer_is_reused_while_the_registry_stamp_stands(demo_db, tmp_path):
    """An edit made around Harvest (the sqlite3 shell, psql) does not move the registry's stamp, so
    a key that asked before still gets the answer it was given; another key's answer is made
    from the database."""
    db = copy_db(demo_db, tmp_path / "harvest.db")
    first, _ = new_key(db, "extension", "first")
    second, _ = new_key(db, "extension", "second")
    srv = Server(db)
    try:
        farmer = clean_farmers(db, limit=1)[0][0]
        path = f"/api/v1/farmers/{farmer}"
        before = srv.get(path, key=first)
        assert before.status == 200
        execute(db, "UPDATE farmers SET remarks = 'edited around Harvest' WHERE id = ?", farmer)
        assert srv.get(path, key=first).body == before.body
        assert json.loads(srv.get(path, key=second).body)["remarks"] == "edited around Harvest"
    finally:
        assert srv.stop() == 0


def test_a_keys_table_page_is_reused_like_its_api_answer_but_never_a_logs(demo_db, tmp_path):
    """/data/{dataset} read with a key is that key's own read of the registry, reused the same
    way (an edit around Harvest shows that it was); a log's table page is made each time."""
    db = copy_db(demo_db, tmp_path / "harvest.db")
    first, _ = new_key(db, "partner", "first")
    second, _ = new_key(db, "partner", "second")
    admin, _ = new_key(db, "admin", "admin")
    police, _ = new_key(db, "police", "police")
    srv = Server(db)
    try:
        path = "/data/prices?limit=5"
        before = srv.get(path, key=first)
        assert before.status == 200 and "Edited around Harvest" not in before.text
        execute(db, "UPDATE prices SET market = 'Edited around Harvest'")
        assert srv.get(path, key=first).body == before.body
        assert "Edited around Harvest" in srv.get(path, key=second).text
        def checks_shown():
            page = srv.get("/data/verifications?limit=1000", key=admin)
            assert page.status == 200
            return int(re.search(r'data-shown="">(\d+)<', page.text).group(1))

        assert srv.get("/api/v1/verify/receipt/4512", key=police).status == 200
        shown = checks_shown()
        assert shown >= 1
        assert srv.get("/api/v1/verify/receipt/4512", key=police).status == 200
        assert checks_shown() == shown + 1
    finally:
        assert srv.stop() == 0
