"""Staff web logins and the /verify page over HTTP (SPEC §7 `harvest user`, §9): sessions,
CSRF, the login rate limit, expiry, and checks recorded like any other channel."""
import time

import pytest

from field_samples import copy_db, query, stolen_receipt
from harvest_env import Server, run_cli
from web_session import PASSWORD, WebSession, add_user, staffed_server

CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"


@pytest.fixture(scope="module")
def web(demo_db, keys, tmp_path_factory):
    """A server on its own copy of the demo (these tests record checks), with one user per role
    (and the keys of `keys`, made before the copy)."""
    srv = staffed_server(copy_db(demo_db, tmp_path_factory.mktemp("web") / "harvest.db"))
    yield srv
    assert srv.stop() == 0


def checks_of(db, receipt):
    return query(db, "SELECT channel, verdict FROM verifications WHERE receipt = ?", receipt)


def test_user_command_adds_lists_and_disables(fresh_db):
    add_user(fresh_db, "Ann.Brown", "extension")
    listing = run_cli(fresh_db, "user", "list").stdout
    assert "ann.brown" in listing and "extension" in listing
    assert PASSWORD not in listing
    stored = query(fresh_db, "SELECT password_hash FROM users WHERE login = 'ann.brown'")[0][0]
    assert stored.startswith("$argon2id$")
    again = add_user(fresh_db, "ann.brown", "admin", check=False)
    assert again.returncode == 1 and "exists" in again.stderr
    short = add_user(fresh_db, "bob", "police", password="short", check=False)
    assert short.returncode == 1 and "at least 10" in short.stderr
    assert run_cli(fresh_db, "user", "add", "--login", "x", "--role", "boss", stdin=PASSWORD,
                   check=False).returncode == 2
    run_cli(fresh_db, "user", "disable", "--login", "ann.brown")
    assert run_cli(fresh_db, "user", "list").stdout.splitlines()[1].split()[-1] != "-"
    assert run_cli(fresh_db, "user", "disable", "--login", "nobody", check=False).returncode == 1
    audit = query(fresh_db, "SELECT action FROM audit WHERE dataset = 'users' ORDER BY id")
    assert [a for (a,) in audit] == ["create", "disable"]


def test_login_page_and_session_cookie(web):
    browser = WebSession(web)
    page = browser.get("/login")
    assert page.status == 200 and page.header("content-security-policy") == CSP
    assert 'for="login"' in page.text and 'for="password"' in page.text
    assert "<script" not in page.text and "style=" not in page.text
    logged_in = browser.log_in("police-1", PASSWORD)
    assert logged_in.status == 303 and logged_in.header("location") == "/verify"
    cookie = logged_in.header("set-cookie")
    assert cookie.startswith("harvest_session=")
    for part in ("HttpOnly", "SameSite=Lax", "Path=/"):
        assert part in cookie
    assert "Secure" not in cookie  # the public URL is http here
    page = browser.get("/verify")
    assert page.status == 200 and "Signed in as" in page.text and "police-1" in page.text
    assert page.header("content-security-policy") == CSP
    assert page.header("cache-control") == "private, no-store"
    sheet = web.get("/assets/harvest.css")
    assert sheet.status == 200 and sheet.header("content-type").startswith("text/css")
    assert len(page.body) + len(sheet.body) < 50 * 1024


def test_stolen_receipt_is_an_alert_recorded_as_web(web):
    browser = WebSession(web)
    assert browser.log_in("extension-1", PASSWORD).status == 303
    receipt = stolen_receipt(web.db)
    before = checks_of(web.db, receipt)
    card = browser.post("/verify", {"receipt": str(receipt), "csrf": browser.csrf("/verify")})
    assert card.status == 200
    assert 'class="verdict v-ALERT"' in card.text and "book_stolen" in card.text
    assert "reported stolen" in card.text
    assert checks_of(web.db, receipt) == before + [("web", "ALERT")]
    actors = query(web.db, "SELECT actor, channel FROM audit WHERE action = 'read' "
                           "AND detail = ?", f"verify receipt {receipt}")
    assert ("user:extension-1", "web") in actors


def test_posts_without_the_sessions_csrf_are_refused_and_change_nothing(web):
    browser = WebSession(web)
    assert browser.log_in("police-1", PASSWORD).status == 303
    receipt = stolen_receipt(web.db)
    before = checks_of(web.db, receipt)
    other = WebSession(web)
    assert other.log_in("admin-1", PASSWORD).status == 303
    for fields in ({"receipt": str(receipt)},
                   {"receipt": str(receipt), "csrf": ""},
                   {"receipt": str(receipt), "csrf": "0" * 64},
                   {"receipt": str(receipt), "csrf": other.csrf("/verify")}):
        refused = browser.post("/verify", fields)
        assert refused.status == 403, fields
        assert "text/html" in refused.header("content-type") and "form has expired" in refused.text
    assert browser.post("/logout", {}).status == 403
    assert browser.get("/verify").status == 200  # still logged in
    assert checks_of(web.db, receipt) == before
    # The login form has its own token (no session yet): without it, no login.
    fresh = WebSession(web)
    assert fresh.post("/login", {"login": "police-1", "password": PASSWORD}).status == 403


def test_who_may_see_verify(web, keys):
    anonymous = web.get("/verify")
    assert anonymous.status == 303 and anonymous.header("location") == "/login?next=%2Fverify"
    assert WebSession(web).post("/verify", {"receipt": "1"}).status == 303
    partner = WebSession(web)
    assert partner.log_in("partner-1", PASSWORD).status == 303
    refused = partner.get("/verify")
    assert refused.status == 403 and "may not see this page" in refused.text
    assert "Signed in as" in refused.text and "partner-1" in refused.text  # so it can log out
    assert web.get("/verify", key=keys["partner"]).status == 403
    assert web.get("/verify", key=keys["police"]).status == 200
    missing = web.get("/nowhere", headers={"Accept": "text/html"})
    assert missing.status == 404 and missing.header("content-security-policy") == CSP
    assert web.get("/nowhere").json()["error"]["code"] == "not_found"


def test_logout_ends_the_session(web):
    browser = WebSession(web)
    assert browser.log_in("admin-1", PASSWORD).status == 303
    token = browser.cookies["harvest_session"]
    out = browser.post("/logout", {"csrf": browser.csrf("/verify")})
    assert out.status == 303 and out.header("location") == "/login?out=1"
    assert "Max-Age=0" in out.header("set-cookie")
    stale = web.get("/verify", headers={"Cookie": f"harvest_session={token}"})
    assert stale.status == 303


def test_five_failed_logins_get_429(web):
    add_user(web.db, "victim", "police")
    attacker = WebSession(web)
    for _ in range(5):
        wrong = attacker.log_in("victim", "not the password")
        assert wrong.status == 401 and "not right" in wrong.text
    blocked = attacker.log_in("victim", PASSWORD)
    assert blocked.status == 429
    assert 0 < int(blocked.header("retry-after")) <= 15 * 60
    assert "harvest_session" not in attacker.cookies
    assert WebSession(web).log_in("police-1", PASSWORD).status == 303  # others still can


def test_session_cookie_reads_the_api_but_does_not_write_it(web):
    browser = WebSession(web)
    assert browser.log_in("extension-1", PASSWORD).status == 303
    farmer = query(web.db, "SELECT id FROM farmers LIMIT 1")[0][0]
    assert browser.get(f"/api/v1/farmers/{farmer}").status == 200
    assert web.get(f"/api/v1/farmers/{farmer}").status == 401
    write = browser.server.post("/api/v1/books/000001/report", {"status": "lost"},
                                headers={"Cookie": f"harvest_session={browser.cookies['harvest_session']}"})
    assert write.status == 401


def test_sessions_expire_and_disabled_logins_end(demo_db, tmp_path):
    """Idle and absolute expiry with the limits made seconds long (config), and `user disable`
    ending a login's sessions at once. Session times are whole seconds, hence the margins."""
    db = copy_db(demo_db, tmp_path / "harvest.db")
    for login in ("idle-user", "gone-user", "busy-user"):
        add_user(db, login, "police")
    config = tmp_path / "harvest.toml"
    config.write_text("[web]\nsession_idle_seconds = 2\nsession_max_seconds = 6\n")
    srv = Server(db, extra_args=("--config", str(config)))
    try:
        idle, gone, busy = WebSession(srv), WebSession(srv), WebSession(srv)
        for browser, login in ((idle, "idle-user"), (gone, "gone-user"), (busy, "busy-user")):
            assert browser.log_in(login, PASSWORD).status == 303
        started = time.time()
        assert gone.get("/verify").status == 200
        run_cli(db, "user", "disable", "--login", "gone-user")
        assert gone.get("/verify").status == 303
        while time.time() - started < 5.5:  # used every second: never idle for 2 s
            assert busy.get("/verify").status == 200
            time.sleep(1)
        assert idle.get("/verify").status == 303  # unused since its login
        while time.time() - started < 7.2:
            busy.get("/verify")
            time.sleep(0.5)
        assert busy.get("/verify").status == 303  # over 6 s after login, though used just now
    finally:
        assert srv.stop() == 0


def test_secure_cookie_when_the_public_url_is_https(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    add_user(db, "secure", "police")
    srv = Server(db, env={"HARVEST_PUBLIC_URL": "https://harvest.example.org"})
    try:
        browser = WebSession(srv)
        assert "Secure" in browser.get("/login").header("set-cookie")
        assert "Secure" in browser.log_in("secure", PASSWORD).header("set-cookie")
    finally:
        assert srv.stop() == 0


def test_a_web_login_meets_the_hourly_check_limit_of_a_key(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path / "harvest.db")
    add_user(db, "busy-officer", "police")
    add_user(db, "other-officer", "police")
    config = tmp_path / "harvest.toml"
    config.write_text("[verify]\nkey_checks_per_hour = 2\n")
    srv = Server(db, extra_args=("--config", str(config)))
    try:
        receipt = str(stolen_receipt(db))
        busy, other = WebSession(srv), WebSession(srv)
        assert busy.log_in("busy-officer", PASSWORD).status == 303
        assert other.log_in("other-officer", PASSWORD).status == 303
        before = len(checks_of(db, int(receipt)))
        for _ in range(2):
            assert busy.post("/verify", {"receipt": receipt,
                                         "csrf": busy.csrf("/verify")}).status == 200
        refused = busy.post("/verify", {"receipt": receipt, "csrf": busy.csrf("/verify")})
        assert refused.status == 429
        assert int(refused.header("retry-after")) > 0
        # Nothing was checked or recorded for the refused one; another login still checks.
        assert len(checks_of(db, int(receipt))) == before + 2
        assert other.post("/verify", {"receipt": receipt,
                                      "csrf": other.csrf("/verify")}).status == 200
    finally:
        assert srv.stop() == 0
