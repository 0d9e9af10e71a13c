"""/admin and /checks over HTTP (SPEC §3, §9): who may see them, CSRF on every change,
Post/Redirect/Get, changes made through the same service as the CLI (and audited), the
audit log's filters and CSV, and the checks' filters and CSV tables."""
import csv
import io
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, urlencode

import pytest

from field_samples import copy_db, query, stolen_receipt
from harvest_env import run_cli
from web_session import PASSWORD, WebSession, add_user, logged_in, staffed_server

@pytest.fixture(scope="module")
def site(demo_db, tmp_path_factory):
    srv = staffed_server(copy_db(demo_db, tmp_path_factory.mktemp("admin") / "harvest.db"))
    yield srv
    assert srv.stop() == 0


ADMIN_PAGES = ["/admin", "/admin/keys", "/admin/users", "/admin/officers", "/admin/audit"]


@pytest.mark.parametrize("path", ADMIN_PAGES + ["/checks", "/checks/days.csv"])
def test_nobody_logged_in_is_sent_to_login(site, path):
    reply = site.get(path)
    assert reply.status == 303
    assert reply.header("location") == "/login?next=" + path.replace("/", "%2F")


@pytest.mark.parametrize("role", ["partner", "police", "extension"])
def test_admin_pages_are_403_for_other_roles(site, role):
    browser = logged_in(site, role)
    for path in ADMIN_PAGES:
        assert browser.get(path).status == 403, path
    # and no change goes through, csrf or not
    token = browser.csrf("/data")  # every page carries the log-out form
    reply = browser.post("/admin/keys", {"csrf": token, "name": "sneaky", "role": "admin"})
    assert reply.status == 403
    assert query(site.db, "SELECT count(*) FROM api_keys WHERE name = 'sneaky'") == [(0,)]


@pytest.mark.parametrize("role,allowed", [("partner", False), ("police", True),
                                          ("extension", True), ("admin", True)])
def test_checks_is_for_police_and_up(site, role, allowed):
    browser = logged_in(site, role)
    assert browser.get("/checks").status == (200 if allowed else 403)
    assert browser.get("/checks/receipts.csv").status == (200 if allowed else 403)


def test_a_key_made_on_the_page_is_shown_once_works_and_is_revoked(site):
    admin = logged_in(site, "admin")
    token = admin.csrf("/admin/keys")
    made = admin.post("/admin/keys", {"csrf": token, "name": "Clarendon police", "role": "police"})
    assert made.status == 201
    secret = re.search(r'id="secret" class="secret">(hv_[a-z0-9]+)<', made.text).group(1)
    assert made.header("cache-control") == "private, no-store"
    listing = admin.get("/admin/keys").text
    assert "Clarendon police" in listing and secret not in listing
    key_id = query(site.db, "SELECT id FROM api_keys WHERE name = 'Clarendon police'")[0][0]
    receipt = stolen_receipt(site.db)
    assert site.get(f"/api/v1/verify/receipt/{receipt}", key=secret).status == 200
    assert f'data-key="{key_id}"' in admin.get("/admin/keys").text
    # its last use is kept (with the logs' commit), shown on the list
    used = query(site.db, "SELECT last_used_at FROM api_keys WHERE id = ?", key_id)[0][0]
    assert used and used.endswith("Z")
    revoked = admin.post("/admin/keys/revoke", {"csrf": token, "id": str(key_id)})
    assert revoked.status == 303 and revoked.header("location") == "/admin/keys?done=revoked"
    assert site.get(f"/api/v1/verify/receipt/{receipt}", key=secret).status == 401
    actions = query(site.db, "SELECT action, actor, channel FROM audit WHERE dataset = 'keys' "
                             "AND record = ? ORDER BY id", str(key_id))
    assert actions == [("create", "user:admin-1", "web"), ("revoke", "user:admin-1", "web")]
    again = admin.post("/admin/keys/revoke", {"csrf": token, "id": str(key_id)})
    assert again.status == 404 and "no valid key with id" in again.text


def test_key_form_problems_name_the_field_and_keep_what_was_typed(site):
    admin = logged_in(site, "admin")
    token = admin.csrf("/admin/keys")
    reply = admin.post("/admin/keys", {"csrf": token, "name": "Portland app", "role": "boss"})
    assert reply.status == 422
    assert "role must be partner, police, extension or admin, not &#39;boss&#39;" in reply.text
    assert 'value="Portland app"' in reply.text
    assert 'id="role" name="role" required="" aria-invalid="true"' in reply.text
    assert query(site.db, "SELECT count(*) FROM api_keys WHERE name = 'Portland app'") == [(0,)]


def test_a_post_without_csrf_is_refused_and_changes_nothing(site):
    admin = logged_in(site, "admin")
    before = query(site.db, "SELECT count(*) FROM users")
    for path, fields in [("/admin/users", {"login": "no-csrf", "role": "police",
                                            "password": PASSWORD}),
                         ("/admin/keys", {"name": "no csrf", "role": "admin"}),
                         ("/admin/officers", {"phone": "876-555-0999", "badge": "B9",
                                              "station": "Nowhere", "parish": "KIN"}),
                         ("/admin/users/disable", {"login": "police-1"})]:
        for bad in ({}, {"csrf": "0" * 64}):
            reply = admin.post(path, {**fields, **bad})
            assert reply.status == 403, (path, bad)
            assert "This form has expired" in reply.text
    assert query(site.db, "SELECT count(*) FROM users") == before
    assert query(site.db, "SELECT count(*) FROM api_keys WHERE name = 'no csrf'") == [(0,)]
    assert query(site.db, "SELECT count(*) FROM officers WHERE badge = 'B9'") == [(0,)]
    assert query(site.db, "SELECT disabled_at FROM users WHERE login = 'police-1'") == [(None,)]


def test_a_web_user_added_on_the_page_logs_in_until_disabled(site):
    admin = logged_in(site, "admin")
    token = admin.csrf("/admin/users")
    added = admin.post("/admin/users", {"csrf": token, "login": "New.Officer", "role": "police",
                                        "password": PASSWORD})
    assert added.status == 303 and added.header("location") == "/admin/users?done=added"
    assert "The login is added" in admin.get("/admin/users?done=added").text
    newcomer = WebSession(site)
    assert newcomer.log_in("new.officer", PASSWORD).status == 303
    assert newcomer.get("/checks").status == 200
    assert newcomer.get("/admin").status == 403
    # the CLI sees the same login
    assert "new.officer" in run_cli(site.db, "user", "list").stdout
    disabled = admin.post("/admin/users/disable", {"csrf": token, "login": "new.officer"})
    assert disabled.status == 303
    assert newcomer.get("/checks").status == 303  # its session ended: back to /login
    assert WebSession(site).log_in("new.officer", PASSWORD).status == 401
    short = admin.post("/admin/users", {"csrf": token, "login": "shorty", "role": "police",
                                        "password": "short"})
    assert short.status == 422 and "password must have at least 10 characters" in short.text
    assert 'value="shorty"' in short.text and 'value="short"' not in short.text
    taken = admin.post("/admin/users", {"csrf": token, "login": "police-1", "role": "police",
                                        "password": PASSWORD})
    assert taken.status == 409 and "exists already" in taken.text


def test_an_admin_cannot_disable_their_own_login_but_the_cli_can(site, tmp_path):
    add_user(site.db, "admin-self", "admin")
    admin = WebSession(site)
    assert admin.log_in("admin-self", PASSWORD).status == 303
    token = admin.csrf("/admin/users")
    refused = admin.post("/admin/users/disable", {"csrf": token, "login": "Admin-Self"})
    assert refused.status == 409
    assert "you cannot disable your own login" in refused.text
    assert query(site.db, "SELECT disabled_at FROM users WHERE login = 'admin-self'") == [(None,)]
    assert admin.get("/admin").status == 200  # still logged in
    # on the server, the CLI may; a refusal there is the service's message, unprefixed
    run_cli(site.db, "user", "disable", "--login", "admin-self")
    assert admin.get("/admin").status == 303
    again = run_cli(site.db, "user", "disable", "--login", "admin-self", check=False)
    assert again.returncode != 0
    assert "no enabled login named 'admin-self'" in again.stderr
    assert "--login:" not in again.stderr
    short = run_cli(site.db, "user", "add", "--login", "x.y", "--role", "police",
                    stdin="short\n", check=False)
    assert short.returncode != 0 and "--password" not in short.stderr
    assert "password must have at least 10 characters" in short.stderr


def test_officers_are_added_and_blocked_like_the_cli_does(site):
    admin = logged_in(site, "admin")
    token = admin.csrf("/admin/officers")
    added = admin.post("/admin/officers", {"csrf": token, "phone": "876-555-0777",
                                           "badge": "JCF-777", "station": "May Pen",
                                           "parish": "CLA", "name": "Cpl. Grant"})
    assert added.status == 303
    assert query(site.db, "SELECT status, parish FROM officers WHERE phone = '+18765550777'") \
        == [("active", "CLA")]
    same = admin.post("/admin/officers", {"csrf": token, "phone": "8765550777", "badge": "X",
                                          "station": "May Pen", "parish": "CLA"})
    assert same.status == 409 and "already has phone +18765550777" in same.text
    bad = admin.post("/admin/officers", {"csrf": token, "phone": "12", "badge": "X",
                                         "station": "May Pen", "parish": "CLA"})
    assert bad.status == 422 and 'id="phone-problem"' in bad.text
    blocked = admin.post("/admin/officers/block", {"csrf": token, "phone": "+18765550777"})
    assert blocked.status == 303 and blocked.header("location") == "/admin/officers?done=blocked"
    assert query(site.db, "SELECT status FROM officers WHERE phone = '+18765550777'") \
        == [("blocked",)]
    again = admin.post("/admin/officers", {"csrf": token, "phone": "876-555-0777",
                                           "badge": "JCF-778", "station": "May Pen",
                                           "parish": "CLA"})
    assert again.header("location") == "/admin/officers?done=reactivated"
    entries = query(site.db, "SELECT action, detail FROM audit WHERE dataset = 'officers' AND "
                             "actor = 'user:admin-1' ORDER BY id")
    assert entries == [("create", "1 rows"), ("update", "blocked"), ("update", "re-activated")]


def rows_of(page):
    return re.findall(r'<tr data-id="(\d+)">', page.text)


def test_audit_filters_page_and_csv_give_exactly_the_rows_shown(site):
    admin = logged_in(site, "admin")
    token = admin.csrf("/admin/users")
    for n in range(3):
        admin.post("/admin/users", {"csrf": token, "login": f"audit-{n}", "role": "extension",
                                    "password": PASSWORD})
    page = admin.get("/admin/audit?" + urlencode({"actor": "user:admin-1", "action": "create",
                                                  "dataset": "users", "limit": "2",
                                                  "at__gte": "2000-01-01", "record": ""}))
    assert page.status == 200
    shown = rows_of(page)
    expected = query(site.db, "SELECT id FROM audit WHERE actor = 'user:admin-1' AND "
                              "action = 'create' AND dataset = 'users' ORDER BY id DESC")
    assert shown == [str(i) for (i,) in expected[:2]]
    link = re.search(r'href="([^"]+)" id="csv-page"', page.text).group(1).replace("&amp;", "&")
    assert link.startswith("/api/v1/audit.csv?")
    rows = list(csv.DictReader(io.StringIO(admin.get(link).text)))
    assert [r["id"] for r in rows] == shown
    everything = re.search(r'href="([^"]+)" id="csv-all"', page.text).group(1).replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(admin.get(everything).text)))
    assert [r["id"] for r in rows] == [str(i) for (i,) in expected]
    older = re.search(r'href="([^"]+)" rel="next"', page.text).group(1).replace("&amp;", "&")
    assert rows_of(admin.get(older)) == [str(i) for (i,) in expected[2:4]]


def test_audit_filter_problems_name_the_field(site):
    admin = logged_in(site, "admin")
    page = admin.get("/admin/audit?at__gte=yesterday&actor=cli")
    assert page.status == 400
    assert 'id="at__gte-problem"' in page.text and "yesterday" in page.text
    assert 'value="cli"' in page.text
    unknown = admin.get("/admin/audit?colour=red")
    assert unknown.status == 400 and "colour" in unknown.text


def test_checks_tables_and_csv_match_the_selection(site):
    police = logged_in(site, "police")
    receipt = stolen_receipt(site.db)
    since = (datetime.now(timezone.utc) - timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    token = police.csrf("/verify")
    for _ in range(3):
        assert police.post("/verify", {"csrf": token, "receipt": str(receipt)}).status == 200
    default = police.get("/checks")
    assert default.status == 200 and "at__gte=" in default.text
    page = police.get("/checks?at__gte=" + since)
    assert page.status == 200
    assert 'id="days"' in page.text and "data-series=" in page.text
    assert 'id="parishes"' in page.text and "data-places=" in page.text
    assert "raw-csv" not in page.text  # the checks themselves are admin's (SPEC §3)
    link = re.search(r'href="([^"]+)" id="receipts-csv"', page.text).group(1).replace("&amp;", "&")
    assert "at__gte=" + quote(since, safe="") in link
    rows = list(csv.DictReader(io.StringIO(police.get(link).text)))
    ours = [r for r in rows if r["receipt"] == str(receipt)]
    assert ours and int(ours[0]["checks"]) >= 3
    table = re.search(r'<table id="receipts">(.*?)</table>', page.text, re.S).group(1)
    assert [r["receipt"] for r in rows] == re.findall(r'<th scope="row">(\d+)</th>', table)
    days = police.get("/checks/days.csv?verdict=alert&at__gte=2000-01-01").text
    header, *lines = days.strip().splitlines()
    assert header == "day,VALID,CHECK,ALERT,UNKNOWN,total"
    assert lines and all(line.split(",")[1] == "0" and line.split(",")[2] == "0" for line in lines)
    admin = logged_in(site, "admin")
    assert "raw-csv" in admin.get("/checks").text


@pytest.mark.parametrize("query_text,field", [("verdict=MAYBE", "verdict"),
                                              ("parish=Atlantis", "parish"),
                                              ("at__lt=soon", "at__lt")])
def test_checks_filter_problems_name_the_field(site, query_text, field):
    police = logged_in(site, "police")
    page = police.get("/checks?" + query_text)
    assert page.status == 400
    assert f'id="{field}-problem"' in page.text
    assert query_text.split("=")[1] in page.text
    assert police.get("/checks/days.csv?" + query_text).status == 400
    assert police.get("/checks?colour=red").status == 400


def test_a_logged_out_visit_comes_back_to_its_address_but_a_post_does_not(site):
    # A GET comes back to exactly what was asked, query and all...
    reply = site.get("/admin/audit?actor=cli")
    assert reply.status == 303
    assert reply.header("location") == "/login?next=" + quote("/admin/audit?actor=cli", safe="")
    # ...but a form's POST (a session that ended) cannot be repeated by a GET after the login.
    reply = site.post("/admin/users/disable", "login=police-1",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 303
    assert reply.header("location") == "/login?next=%2Fverify"


def test_the_audit_page_reads_pages_never_the_whole_log(site):
    admin = logged_in(site, "admin")
    refused = admin.get("/admin/audit?limit=all")
    assert refused.status == 400
    assert "limit=all" in refused.text
    assert admin.get("/admin/audit?limit=5").status == 200
