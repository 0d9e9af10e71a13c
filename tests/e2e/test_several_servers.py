"""Two `harvest serve` processes on one PostgreSQL database answer as one (SPEC §11): a book
reported lost through one is ALERT at the other's very next check, hourly limits count the
checks made through both, a gateway message retried against the other process is acted on
once, a receipt checked through both is rechecked, and a session made on one is valid on
the other."""
import threading

import pytest

from harvest_env import Server, run_cli
from test_sms_twilio import PUBLIC, TOKEN, message, twilio
from web_session import PASSWORD, WebSession, add_user

pytestmark = pytest.mark.first_pass_only(
    "starts a PostgreSQL server of its own")

OFFICER = "+18765550142"


@pytest.fixture(scope="module")
def pair(postgres, tmp_path_factory):
    url = postgres.database()
    run_cli(url, "demo", "--farmers", "300", "--seed", "11")
    run_cli(url, "officer", "add", "--phone", "876-555-0142", "--badge", "JCF 4242",
            "--station", "Morant Bay", "--parish", "St. Thomas", "--name", "Cpl. Test")
    config = tmp_path_factory.mktemp("pair") / "harvest.toml"
    config.write_text("[verify]\nkey_checks_per_hour = 3\n"
                      "[sms]\nofficer_checks_per_hour = 4\n")
    env = {"HARVEST_TWILIO_AUTH_TOKEN": TOKEN, "HARVEST_PUBLIC_URL": PUBLIC + "/"}
    one = Server(url, extra_args=("--config", str(config)), env=env)
    two = Server(url, extra_args=("--config", str(config)), env=env)
    one.url = two.url = url
    one.pg = postgres
    yield one, two
    assert one.stop() == 0
    assert two.stop() == 0


def police_keys(url, n, env=None):
    made = []
    for i in range(n):
        out = run_cli(url, "key", "create", "--role", "police", "--name", f"pair police {i}",
                      env=env)
        made.append(out.stdout.splitlines()[0].strip())
    return made


def clean_books(pg, url, n):
    """Active books of farmers in good standing, each farmer alone on his phone, with no
    sale or check yet: (farmer phone, first receipt, a crop he grows)."""
    return pg.query(url, f"""
        SELECT f.phone, b.first_receipt,
               (SELECT c.crop FROM crops c JOIN farms fm ON fm.id = c.farm_id
                 WHERE fm.farmer_id = f.id ORDER BY c.expected_volume_kg DESC LIMIT 1)
          FROM farmers f JOIN books b ON b.farmer_id = f.id
         WHERE b.status = 'active' AND f.status = 'active' AND f.verified = 1
           AND f.under_investigation = 0
           AND f.card_expires_on > to_char(now() + interval '30 days', 'YYYY-MM-DD')
           AND f.phone IS NOT NULL
           AND (SELECT count(*) FROM farmers o WHERE o.phone = f.phone) = 1
           AND EXISTS (SELECT 1 FROM farms fm JOIN crops c ON c.farm_id = fm.id
                        WHERE fm.farmer_id = f.id)
           AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.farmer_id = f.id)
         ORDER BY b.first_receipt LIMIT {n}""")


def verdict(server, receipt, key, parish="KIN"):
    reply = server.get(f"/api/v1/verify/receipt/{receipt}?parish={parish}", key=key)
    assert reply.status == 200, reply
    return reply.json()


def test_a_book_reported_lost_through_one_is_alert_at_the_others_next_check(pair):
    one, two = pair
    phone, first, _ = clean_books(one.pg, one.url, 1)[0]
    key = police_keys(one.url, 1)[0]
    receipt = int(first) + 3
    assert verdict(two, receipt, key)["verdict"] == "VALID"  # two has the book in memory
    reply = message(twilio(one, phone, f"LOST {receipt}", "SM" + "1" * 32))
    assert reply.startswith("REPORTED"), reply
    after = verdict(two, receipt, key)
    assert after["verdict"] == "ALERT", after


def test_hourly_limits_count_the_checks_made_through_both(pair):
    one, two = pair
    key = police_keys(one.url, 1)[0]
    receipt = int(clean_books(one.pg, one.url, 1)[0][1]) + 5
    for server in (one, two, one):
        assert server.get(f"/api/v1/verify/receipt/{receipt}", key=key).status == 200
    for server in (two, one):
        refused = server.get(f"/api/v1/verify/receipt/{receipt}", key=key)
        assert refused.status == 429, refused
        assert 0 < int(refused.header("retry-after")) <= 3600
    # An officer's SMS too: four an hour between the two servers, then the notice.
    replies = [message(twilio(server, OFFICER, f"R {receipt}", f"SM{i:032d}"))
               for i, server in enumerate((one, two, one, two, one))]
    assert all(r.startswith(("VALID", "CHECK", "ALERT")) for r in replies[:4]), replies
    assert replies[4].startswith("ERROR") and "too many" in replies[4], replies


def test_a_message_retried_against_the_other_server_is_acted_on_once(pair):
    one, two = pair
    phone, first, crop = clean_books(one.pg, one.url, 1)[0]
    receipt = int(first) + 9
    sid = "SM" + "7" * 32
    first_reply = message(twilio(one, phone, f"S {receipt} 40kg {crop}", sid))
    assert first_reply.startswith(f"SOLD {receipt}"), first_reply
    again = message(twilio(two, phone, f"S {receipt} 40kg {crop}", sid))
    assert again == first_reply
    assert one.pg.query(one.url, f"SELECT count(*) FROM sales WHERE receipt = {receipt}") == \
        [["1"]]
    assert one.pg.query(one.url, f"SELECT count(*) FROM sms_messages WHERE message_id = "
                                 f"'{sid}'") == [["1"]]


def test_a_message_delivered_to_both_at_once_is_acted_on_once(pair, tmp_path):
    """A gateway retry that reaches the other server while the first delivery is still being
    answered waits for that reply: each message is one check, both deliveries get its
    reply."""
    one, _ = pair
    config = tmp_path / "harvest.toml"
    config.write_text("[sms]\nofficer_checks_per_hour = 0\n")  # no limit in the way
    env = {"HARVEST_TWILIO_AUTH_TOKEN": TOKEN, "HARVEST_PUBLIC_URL": PUBLIC + "/"}
    servers = [Server(one.url, extra_args=("--config", str(config)), env=env) for _ in range(2)]
    try:
        first = int(clean_books(one.pg, one.url, 3)[2][1])
        checks = "SELECT count(*) FROM verifications WHERE channel = 'sms'"
        before = int(one.pg.query(one.url, checks)[0][0])
        messages = 16
        for i in range(messages):
            sid, replies = f"SM{i:030d}cc", [None, None]

            def deliver(n):
                replies[n] = message(twilio(servers[n], OFFICER, f"R {first + 20 + i}", sid))
            both = [threading.Thread(target=deliver, args=(n,)) for n in (0, 1)]
            for t in both:
                t.start()
            for t in both:
                t.join()
            assert replies[0] and replies[0] == replies[1], replies
        assert int(one.pg.query(one.url, checks)[0][0]) == before + messages
    finally:
        for server in servers:
            assert server.stop() == 0


def test_a_receipt_checked_through_both_counts_as_rechecked(pair):
    one, two = pair
    keys = police_keys(one.url, 4)
    receipt = int(clean_books(one.pg, one.url, 1)[0][1]) + 11
    verdicts = [verdict(server, receipt, key)["verdict"]
                for server, key in zip((one, two, one), keys)]
    assert verdicts == ["VALID"] * 3
    fourth = verdict(two, receipt, keys[3])
    assert fourth["verdict"] == "CHECK", fourth
    assert [s["code"] for s in fourth["signals"]] == ["receipt_rechecked"]
    assert "3 times" in fourth["signals"][0]["message"], fourth
    # The same key again within minutes counts once, whichever server it goes through.
    assert verdict(one, receipt, keys[3])["verdict"] == "CHECK"
    assert "3 times" in verdict(two, receipt, keys[0])["signals"][0]["message"]


def test_a_session_made_on_one_is_valid_on_the_other(pair):
    one, two = pair
    add_user(one.url, "pair-police", "police")
    browser = WebSession(one)
    assert browser.log_in("pair-police", PASSWORD).status == 303
    elsewhere = WebSession(two)
    elsewhere.cookies = dict(browser.cookies)
    page = elsewhere.get("/verify")
    assert page.status == 200 and "pair-police" in page.text, page
    # Its csrf token is the session's, so a form made on one posts to the other.
    token = browser.csrf("/verify")
    receipt = int(clean_books(one.pg, one.url, 1)[0][1]) + 13
    checked = elsewhere.post("/verify", {"receipt": str(receipt), "csrf": token})
    assert checked.status == 200 and "VALID" in checked.text, checked
    # Logged out on the other, it is gone on both.
    assert elsewhere.post("/logout", {"csrf": token}).status in (302, 303)
    assert browser.get("/verify").status in (302, 303)
