"""SMS through the Twilio webhook (SPEC §6): signatures, TwiML, retries; Kannel's HTTP checks."""
import base64
import hashlib
import hmac
import re
import time
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from field_samples import clean_farmers, copy_db, query
from harvest_env import Server, run_cli

TOKEN = "twilio-test-token-1234567890abcdef"
SECRET = "kannel-test-secret"
PUBLIC = "https://harvest.example.org"
OFFICER = "+18765550142"
STRANGER = "+18765550177"


def sign(url, params, token=TOKEN):
    data = url + "".join(k + v for k, v in sorted(params.items()))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


@pytest.fixture(scope="module")
def sms(demo_db, keys, tmp_path_factory):
    db = copy_db(demo_db, tmp_path_factory.mktemp("twilio") / "harvest.db")
    run_cli(db, "officer", "add", "--phone", "876-555-0142", "--badge", "JCF 4242",
            "--station", "Morant Bay", "--parish", "St. Thomas", "--name", "Cpl. Test")
    srv = Server(db, env={"HARVEST_TWILIO_AUTH_TOKEN": TOKEN, "HARVEST_KANNEL_SECRET": SECRET,
                          "HARVEST_PUBLIC_URL": PUBLIC + "/"})
    srv.farmers = clean_farmers(db)
    yield srv
    assert srv.stop() == 0


def twilio(server, sender, body, sid, signature="good", extra=None):
    params = {"From": sender, "To": "+18765550000", "Body": body, "MessageSid": sid,
              "AccountSid": "AC00000000000000000000000000000000", "NumMedia": "0"}
    params.update(extra or {})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature == "good":
        headers["X-Twilio-Signature"] = sign(PUBLIC + "/sms/twilio", params)
    elif signature:
        headers["X-Twilio-Signature"] = signature
    return server.request("POST", "/sms/twilio", body=urlencode(params), headers=headers)


def message(reply):
    assert reply.status == 200, reply
    assert reply.header("content-type").startswith("text/xml")
    root = ET.fromstring(reply.body)  # well-formed XML or this raises
    assert root.tag == "Response"
    found = root.findall("Message")
    return found[0].text if found else None


def test_signed_check_answers_twiml(sms):
    farmer_id, phone, serial, first, last, crop = sms.farmers[0]
    text = message(twilio(sms, OFFICER, f"r #{first + 3}", "SM" + "a" * 32))
    assert text.startswith(f"VALID {first + 3}:") and len(text) <= 160
    help_text = message(twilio(sms, OFFICER, "help", "SM" + "b" * 32))
    assert help_text.startswith("HELP") and "R " in help_text


def test_unsigned_or_wrongly_signed_is_refused_and_not_processed(sms):
    farmer_id, phone, serial, first, last, crop = sms.farmers[1]
    sale = f"S {first + 5} 40kg {crop}"
    assert twilio(sms, phone, sale, "SM" + "c" * 32, signature=None).status == 403
    forged = sign(PUBLIC + "/sms/twilio", {"Body": sale}, token="not-the-token")
    assert twilio(sms, phone, sale, "SM" + "d" * 32, signature=forged).status == 403
    # Signed for different parameters (a tampered body) is wrong too.
    params = {"From": phone, "Body": sale}
    tampered = sign(PUBLIC + "/sms/twilio", params)
    assert twilio(sms, phone, sale, "SM" + "e" * 32, signature=tampered).status == 403
    time.sleep(0.3)
    assert query(sms.db, "SELECT count(*) FROM sales WHERE receipt = ?", first + 5) == [(0,)]


def test_signature_over_the_url_with_its_default_port_is_accepted(sms):
    """Twilio's own validators accept the URL with and without :443; so does Harvest."""
    first = sms.farmers[0][3]
    params = {"From": OFFICER, "To": "+18765550000", "Body": f"R {first + 11}",
              "MessageSid": "SM" + "p4" * 16}
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": sign("https://harvest.example.org:443/sms/twilio", params)}
    reply = sms.request("POST", "/sms/twilio", body=urlencode(params), headers=headers)
    assert message(reply).startswith(f"VALID {first + 11}:")
    # Another port is another URL.
    headers["X-Twilio-Signature"] = sign("https://harvest.example.org:8443/sms/twilio", params)
    params["MessageSid"] = "SM" + "p5" * 16
    assert sms.request("POST", "/sms/twilio", body=urlencode(params),
                       headers=headers).status == 403


def test_signature_without_the_port_of_a_configured_default_port(demo_db, tmp_path):
    """public_url http://host:80: a signature over http://host is accepted too."""
    db = copy_db(demo_db, tmp_path / "harvest.db")
    srv = Server(db, env={"HARVEST_TWILIO_AUTH_TOKEN": TOKEN,
                          "HARVEST_PUBLIC_URL": "http://sms.example.org:80"})
    try:
        params = {"From": STRANGER, "Body": "HELP", "MessageSid": "SM" + "p6" * 16}
        for url in ("http://sms.example.org/sms/twilio", "http://sms.example.org:80/sms/twilio"):
            params["MessageSid"] = "SM" + str(len(url)) * 16
            headers = {"Content-Type": "application/x-www-form-urlencoded",
                       "X-Twilio-Signature": sign(url, params)}
            reply = srv.request("POST", "/sms/twilio", body=urlencode(params), headers=headers)
            assert message(reply).startswith("HELP"), url
    finally:
        assert srv.stop() == 0


def test_retried_message_sid_records_one_sale(sms):
    farmer_id, phone, serial, first, last, crop = sms.farmers[2]
    body = f"sell {first + 9} 120 kg {crop} 876-555-0190"
    first_reply = twilio(sms, phone, body, "SM" + "f" * 32)
    text = message(first_reply)
    assert text.startswith(f"SOLD {first + 9}"), text
    retry = twilio(sms, phone, body, "SM" + "f" * 32)
    assert retry.body == first_reply.body
    rows = query(sms.db, "SELECT farmer_id, quantity, unit, channel, buyer_phone FROM sales "
                         "WHERE receipt = ?", first + 9)
    assert rows == [(farmer_id, 120.0, "kg", "sms", "+18765550190")]
    # A new message (new sid) with the same text is a second attempt: refused, not recorded.
    again = message(twilio(sms, phone, body, "SM" + "9" * 32))
    assert again.startswith("ERROR")


def test_a_retry_after_a_restart_gets_the_first_reply(demo_db, tmp_path):
    # The ids answered before a restart come back from the database (the server keeps a
    # filter of them and asks the store when it may have seen one).
    db = copy_db(demo_db, tmp_path / "harvest.db")
    env = {"HARVEST_TWILIO_AUTH_TOKEN": TOKEN, "HARVEST_PUBLIC_URL": PUBLIC + "/"}
    farmer_id, phone, serial, first, last, crop = clean_farmers(db)[3]
    body = f"sell {first + 4} 30 kg {crop}"
    srv = Server(db, env=env)
    first_reply = message(twilio(srv, phone, body, "SM" + "a1" * 16))
    assert first_reply.startswith(f"SOLD {first + 4}"), first_reply
    assert srv.stop() == 0
    srv = Server(db, env=env)
    try:
        assert message(twilio(srv, phone, body, "SM" + "a1" * 16)) == first_reply
        assert query(db, "SELECT count(*) FROM sales WHERE receipt = ?", first + 4) == [(1,)]
        # A new sid is processed (and refused: the receipt is taken).
        assert message(twilio(srv, phone, body, "SM" + "b2" * 16)).startswith("ERROR")
    finally:
        srv.stop()


def test_strangers_learn_nothing(sms):
    farmer_id, phone, serial, first, last, crop = sms.farmers[3]
    text = message(twilio(sms, STRANGER, f"R {first}", "SM" + "1" * 32))
    assert text.startswith("ERROR")
    name = query(sms.db, "SELECT first_name, last_name FROM farmers WHERE id = ?", farmer_id)[0]
    for secret in (farmer_id, serial, name[0], name[1], "VALID"):
        assert secret not in text
    assert message(twilio(sms, STRANGER, f"F {farmer_id}", "SM" + "2" * 32)) == text
    # A farmer cannot record on someone else's book, nor learn whose it is.
    other = sms.farmers[4]
    text = message(twilio(sms, phone, f"S {other[3]} 10kg {crop}", "SM" + "3" * 32))
    assert text.startswith("ERROR") and other[0] not in text and other[2] not in text


def test_blocked_officer_is_nobody(sms):
    run_cli(sms.db, "officer", "add", "--phone", "8765550143", "--badge", "JCF 4243",
            "--station", "Spanish Town", "--parish", "CAT")
    first = sms.farmers[5][3]
    assert message(twilio(sms, "+18765550143", f"R {first}", "SM" + "4" * 32)).startswith("VALID")
    run_cli(sms.db, "officer", "block", "--phone", "876 555 0143")
    listed = run_cli(sms.db, "officer", "list").stdout
    assert "+18765550143" in listed and "blocked" in listed
    assert message(twilio(sms, "+18765550143", f"R {first}", "SM" + "5" * 32)).startswith("ERROR")


def test_kannel_http_checks(sms):
    first = sms.farmers[0][3]
    params = {"key": SECRET, "from": OFFICER, "to": "5555", "text": f"R {first}", "id": "k-1"}
    ok = sms.get("/sms/kannel?" + urlencode(params))
    assert ok.status == 200 and ok.header("content-type").startswith("text/plain")
    assert ok.text.startswith(f"VALID {first}:")
    again = sms.post("/sms/kannel", urlencode(params),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert again.body == ok.body  # same id: same answer, not a second check
    late = sms.get("/sms/kannel?" + urlencode(params))  # a retry after the reply was written
    assert late.body == ok.body
    assert query(sms.db, "SELECT count(*) FROM verifications WHERE receipt = ? AND channel = 'sms'",
                 first)[0][0] == 1
    assert query(sms.db, "SELECT reply FROM sms_messages WHERE gateway = 'kannel' AND "
                         "message_id = 'k-1'") == [(ok.text,)]
    # Kannel's ids are its own counters: another sender's message under the same id is a new
    # message, answered for itself (it used to get the officer's verdict).
    other = sms.get("/sms/kannel?" + urlencode(dict(params, **{"from": "+18765550177", "text": "HELP"})))
    assert other.status == 200 and other.text.startswith("HELP"), other.text
    assert str(first) not in other.text
    assert sms.get("/sms/kannel?" + urlencode(dict(params, key="wrong", id="k-2"))).status == 403
    assert sms.get("/sms/kannel?" + urlencode({k: v for k, v in params.items() if k != "key"})
                   ).status == 403


def test_gateways_without_secrets_answer_404(server):
    assert server.post("/sms/twilio", "Body=HELP",
                       headers={"Content-Type": "application/x-www-form-urlencoded"}).status == 404
    assert server.get("/sms/kannel?key=&from=1&text=HELP").status == 404


def test_prices_for_anyone(sms):
    commodity, parish = query(sms.db, "SELECT commodity, parish FROM prices "
                                      "ORDER BY week_of DESC LIMIT 1")[0]
    text = message(twilio(sms, STRANGER, f"p {commodity}", "SM" + "6" * 32))
    assert text.startswith("PRICES " + commodity) and parish in text, text
    assert len(text) <= 3 * 153
    local = message(twilio(sms, STRANGER, f"PRICE {commodity} {parish}", "SM" + "7" * 32))
    assert local.startswith(f"PRICES {commodity} {parish}"), local
    assert message(twilio(sms, STRANGER, "P unobtainium", "SM" + "8" * 32)).startswith("ERROR")


COLLIDING = """
        SELECT f.phone, b.serial, o.serial
          FROM books b JOIN farmers f ON f.id = b.farmer_id
          JOIN books o ON CAST({number} AS INTEGER) BETWEEN {holder}.first_receipt
                                                       AND {holder}.last_receipt
         WHERE o.farmer_id <> b.farmer_id AND b.status = 'active' AND o.status = 'active'
           AND f.phone IS NOT NULL
           AND (SELECT count(*) FROM farmers p WHERE p.phone = f.phone) = 1
           AND (SELECT count(*) FROM books m WHERE m.farmer_id = b.farmer_id) = 1
         ORDER BY b.serial LIMIT 1"""


def farmers_with_colliding_numbers(db):
    """Books of two different farmers (the first with a phone of his own and one book) where
    a number typed without its zeros is a receipt in one and the serial of the other: in the
    demo, receipts 101-1636 are also serials 000101-001636. Rows: (phone, his book, other
    book) where a receipt of his book is the other's serial, and where his serial is a
    receipt of the other book."""
    receipt_is_serial = query(db, COLLIDING.format(number="o.serial", holder="b"))[0]
    serial_is_receipt = query(db, COLLIDING.format(number="b.serial", holder="o"))[0]
    return receipt_is_serial, serial_is_receipt


def test_lost_looks_among_the_senders_own_books(demo_db, tmp_path):
    """SPEC §10: `LOST <number>` from a farmer is his receipt number first, then his serial.
    A receipt number that is also another farmer's serial was refused."""
    db = copy_db(demo_db, tmp_path / "harvest.db")
    (phone, book, serial), (phone2, book2, holder) = farmers_with_colliding_numbers(db)
    number = str(int(serial))  # as the farmer types it: "150", not "000150"
    srv = Server(db, env={"HARVEST_TWILIO_AUTH_TOKEN": TOKEN, "HARVEST_PUBLIC_URL": PUBLIC})
    try:
        text = message(twilio(srv, phone, f"LOST {number}", "SM" + "c1" * 16))
        assert not text.startswith("ERROR") and book in text, text
        assert query(db, "SELECT status FROM books WHERE serial = ?", book) == [("lost",)]
        assert query(db, "SELECT status FROM books WHERE serial = ?", serial) == [("active",)]
        # The other way round: his own serial, whose number is a receipt in another
        # farmer's book, is still his book.
        text = message(twilio(srv, phone2, f"STOLEN {int(book2)}", "SM" + "c2" * 16))
        assert not text.startswith("ERROR") and book2 in text, text
        assert query(db, "SELECT status FROM books WHERE serial = ?", book2) == [("stolen",)]
        assert query(db, "SELECT status FROM books WHERE serial = ?", holder) == [("active",)]
    finally:
        assert srv.stop() == 0


def counters(server):
    """harvest_http_requests_total by (route, status class), from /metrics."""
    found = {}
    for line in server.get("/metrics").text.splitlines():
        match = re.match(r'harvest_http_requests_total\{route="(\w+)",status="(\w+)"\} (\d+)', line)
        if match:
            found[(match.group(1), match.group(2))] = int(match.group(3))
    return found


def test_metrics_count_every_answer_under_its_route_group(sms):
    """A Twilio signature failure (403), a wrong method (405) and a gateway's 404 are the SMS
    route's answers; they were counted under route="other". A public answer from the cache
    keeps its group's label too."""
    before = counters(sms)
    assert twilio(sms, OFFICER, "HELP", "SM" + "m1" * 16, signature="bad").status == 403
    assert sms.get("/sms/twilio").status == 405
    assert sms.get("/sms/kannel?key=wrong&from=1&text=HELP").status == 403
    assert message(twilio(sms, OFFICER, "HELP", "SM" + "m2" * 16)).startswith("HELP")
    for _ in range(2):  # the second from the answer cache
        assert sms.get("/openapi.json").status == 200
    # A path no group owns is still "other".
    assert sms.get("/nowhere").status == 404
    after = counters(sms)
    grew = {label: after[label] - before[label] for label in after}
    assert grew[("sms", "4xx")] == 3 and grew[("sms", "2xx")] == 1
    assert grew[("other", "4xx")] == 1
    assert grew[("meta", "2xx")] == 3  # two /openapi.json and the first /metrics
    assert grew[("dataset", "2xx")] == 0
