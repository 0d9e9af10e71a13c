"""The staff registry pages over HTTP (SPEC §9): /farmers, /books, /sales/new. Who may see
them (nobody logged in: /login; a role that may not: 403), the csrf field of every POST
(missing or wrong: 403 and nothing changes), Post/Redirect/Get, a bad field named next to its
input with what was typed kept, and the same writes and audit entries as the API."""
import re

import pytest

from field_samples import copy_db, query
from web_session import WebSession, logged_in, staffed_server

PAGES = ["/farmers", "/farmers/new", "/books", "/books/new", "/sales/new"]


@pytest.fixture(scope="module")
def registry_web(demo_db, keys, tmp_path_factory):
    """A server on its own copy of the demo (these tests write), one web login per role."""
    srv = staffed_server(copy_db(demo_db, tmp_path_factory.mktemp("registry-web") / "harvest.db"))
    yield srv
    assert srv.stop() == 0


def an_active_book(db):
    serial, first, farmer = query(
        db, "SELECT serial, first_receipt, farmer_id FROM books WHERE status = 'active' "
            "AND NOT EXISTS (SELECT 1 FROM sales WHERE receipt BETWEEN first_receipt AND "
            "last_receipt) ORDER BY serial LIMIT 1")[0]
    return serial, first, farmer


def test_nobody_logged_in_is_sent_to_login(registry_web):
    anonymous = WebSession(registry_web)
    for path in PAGES + ["/farmers/000000001", "/books/000001"]:
        reply = anonymous.get(path)
        assert reply.status == 303, path
        assert reply.header("location").startswith("/login?next=%2F"), path
    reply = anonymous.post("/farmers/new", {"id": "960000001", "first_name": "A",
                                            "last_name": "B", "parish": "KIN"})
    assert reply.status == 303 and reply.header("location").startswith("/login")
    assert query(registry_web.db, "SELECT count(*) FROM farmers WHERE id = '960000001'") == [(0,)]


@pytest.mark.parametrize("role", ["police", "partner"])
def test_roles_without_the_register_get_403(registry_web, role):
    browser = logged_in(registry_web, role)
    for path in PAGES:
        reply = browser.get(path)
        assert reply.status == 403, (path, reply)
        assert "may not see this page" in reply.text
    farmer = query(registry_web.db, "SELECT id FROM farmers LIMIT 1")[0][0]
    assert browser.get(f"/farmers/{farmer}").status == 403
    # Not even with the session's own token (from the log-out button every page carries) may
    # police or a partner register a farmer.
    own = browser.csrf("/data")
    reply = browser.post("/farmers/new", {"csrf": own, "id": "960000002", "first_name": "A",
                                          "last_name": "B", "parish": "KIN"})
    assert reply.status == 403
    assert query(registry_web.db, "SELECT count(*) FROM farmers WHERE id = '960000002'") == [(0,)]


def test_nav_links_only_for_the_roles_that_may_use_them(registry_web):
    staff = logged_in(registry_web, "extension").get("/verify").text
    assert 'href="/farmers"' in staff and 'href="/books"' in staff and 'href="/sales/new"' in staff
    police = logged_in(registry_web, "police").get("/verify").text
    assert 'href="/farmers"' not in police and 'href="/sales/new"' not in police


@pytest.mark.parametrize("path, fields", [
    ("/farmers/new", {"id": "960000003", "first_name": "No", "last_name": "Token",
                      "parish": "KIN"}),
    ("/books/new", {"serial": "990003", "first_receipt": "99000001",
                    "last_receipt": "99000100", "farmer_id": "FARMER"}),
    ("/sales/new", {"receipt": "RECEIPT", "commodity": "yellow yam", "quantity": "5",
                    "unit": "kg"}),
    ("/books/SERIAL/report", {"status": "stolen"}),
])
@pytest.mark.parametrize("token", [None, "f" * 64, ""])
def test_a_post_without_its_csrf_token_is_403_and_changes_nothing(registry_web, path, fields,
                                                                   token):
    serial, first, farmer = an_active_book(registry_web.db)
    path = path.replace("SERIAL", serial)
    fields = {k: v.replace("FARMER", farmer).replace("RECEIPT", str(first)) for k, v in
              fields.items()}
    if token is not None:
        fields["csrf"] = token
    browser = logged_in(registry_web, "extension")
    counts = query(registry_web.db, "SELECT (SELECT count(*) FROM farmers), (SELECT count(*) "
                                    "FROM books), (SELECT count(*) FROM sales), (SELECT "
                                    "count(*) FROM books WHERE status = 'active')")
    reply = browser.post(path, fields)
    assert reply.status == 403, reply
    assert "form has expired" in reply.text
    assert query(registry_web.db, "SELECT (SELECT count(*) FROM farmers), (SELECT count(*) "
                                  "FROM books), (SELECT count(*) FROM sales), (SELECT "
                                  "count(*) FROM books WHERE status = 'active')") == counts


def test_register_a_bad_field_names_itself_and_keeps_what_was_typed(registry_web):
    browser = logged_in(registry_web, "extension")
    token = browser.csrf("/farmers/new")
    reply = browser.post("/farmers/new", {
        "csrf": token, "id": "960000010", "first_name": "Mavis", "last_name": "O'Hara & Sons",
        "parish": "Atlantis", "card_expires_on": "2031-02-30"})
    assert reply.status == 422
    page = reply.text
    problem = re.search(r'<span class="problem" id="card_expires_on-problem">([^<]*)</span>', page)
    assert problem and "Card expires on" in problem.group(1) and "2031-02-30" in problem.group(1)
    assert 'aria-describedby="card_expires_on-problem"' in page
    assert 'id="parish-problem"' in page and "Atlantis" in page
    # What was typed comes back, escaped.
    assert 'value="O&#39;Hara &amp; Sons"' in page and 'value="Mavis"' in page
    assert 'id="first_name-problem"' not in page
    assert query(registry_web.db, "SELECT count(*) FROM farmers WHERE id = '960000010'") == [(0,)]


def test_register_then_edit_post_redirect_get_and_audit(registry_web):
    browser = logged_in(registry_web, "extension")
    token = browser.csrf("/farmers/new")
    reply = browser.post("/farmers/new", {
        "csrf": token, "id": "960000020", "first_name": "Mavis", "last_name": "Pennycooke",
        "parish": "St. Ann", "phone": "876-555-0177", "trn": "123456789"})
    assert reply.status == 303
    assert reply.header("location") == "/farmers/960000020?done=registered"
    row = query(registry_web.db, "SELECT parish, phone, trn FROM farmers WHERE id = '960000020'")
    # trn is an admin's field: an extension officer's form neither shows nor takes it.
    assert row == [("ANN", "+18765550177", None)]
    view = browser.get("/farmers/960000020?done=registered")
    assert view.status == 200 and "The farmer is registered." in view.text
    found = browser.get("/farmers?q=penny&parish=ANN")
    assert 'href="/farmers/960000020"' in found.text
    assert 'href="/farmers/960000020"' not in browser.get("/farmers?q=penny&parish=KIN").text
    reply = browser.post("/farmers/960000020/edit", {"csrf": token, "alias": "Mae",
                                                     "first_name": "Mavis"})
    assert reply.status == 303 and reply.header("location") == "/farmers/960000020?done=saved"
    assert query(registry_web.db, "SELECT alias FROM farmers WHERE id = '960000020'") == [("Mae",)]
    audit = query(registry_web.db, "SELECT action, channel, actor, detail FROM audit WHERE "
                                   "dataset = 'farmers' AND record = '960000020' AND action "
                                   "!= 'read' ORDER BY id")
    assert audit == [("create", "web", "user:extension-1", "1 rows"),
                     ("update", "web", "user:extension-1", "alias")]


def test_sell_a_book_proposes_the_next_free_range(registry_web):
    browser = logged_in(registry_web, "extension")
    page = browser.get("/books/new").text
    values = dict(re.findall(r'name="(serial|first_receipt|last_receipt)"[^>]* value="(\d*)"', page))
    (highest,), = query(registry_web.db, "SELECT max(last_receipt) FROM books")
    assert int(values["first_receipt"]) == highest + 1
    assert int(values["last_receipt"]) == highest + 100
    (top,), = query(registry_web.db, "SELECT max(serial) FROM books")
    assert int(values["serial"]) == int(top) + 1
    farmer = query(registry_web.db, "SELECT id FROM farmers WHERE status = 'active' LIMIT 1")[0][0]
    token = browser.csrf("/books/new")
    reply = browser.post("/books/new", {"csrf": token, "farmer_id": farmer, **values})
    assert reply.status == 303 and reply.header("location") == f"/books/{values['serial']}?done=sold"
    # The same range again overlaps: 409, the form and its values kept.
    again = browser.post("/books/new", {"csrf": token, "farmer_id": farmer, **values,
                                        "serial": "999999"})
    assert again.status == 409
    assert 'id="first_receipt-problem"' in again.text and "overlap book" in again.text
    assert f'value="{values["first_receipt"]}"' in again.text and 'value="999999"' in again.text


def test_report_and_sale_through_the_pages(registry_web):
    serial, first, farmer = an_active_book(registry_web.db)
    browser = logged_in(registry_web, "extension")
    token = browser.csrf("/sales/new")
    reply = browser.post("/sales/new", {"csrf": token, "receipt": str(first),
                                        "commodity": "yellow yam", "quantity": "12",
                                        "unit": "kg"})
    assert reply.status == 303
    assert query(registry_web.db, "SELECT farmer_id, channel FROM sales WHERE receipt = ?",
                 first) == [(farmer, "web")]
    bad = browser.post("/sales/new", {"csrf": token, "receipt": "12x", "commodity": "yellow yam",
                                      "quantity": "3", "unit": "kg"})
    assert bad.status == 422
    assert 'id="receipt-problem"' in bad.text and "12x" in bad.text
    assert 'aria-describedby="receipt-problem"' in bad.text and 'value="3"' in bad.text
    bad = browser.post("/sales/new", {"csrf": token, "receipt": str(first + 1),
                                      "commodity": "yellow yam", "quantity": "0", "unit": "kg"})
    assert bad.status == 422 and 'id="quantity-problem"' in bad.text
    reply = browser.post(f"/books/{serial}/report", {"csrf": token, "status": "stolen"})
    assert reply.status == 303 and reply.header("location") == f"/books/{serial}?done=reported"
    assert query(registry_web.db, "SELECT status FROM books WHERE serial = ?", serial) == \
        [("stolen",)]
    again = browser.post(f"/books/{serial}/report", {"csrf": token, "status": "lost"})
    assert again.status == 409 and "already stolen" in again.text
    audit = query(registry_web.db, "SELECT detail FROM audit WHERE dataset = 'books' AND "
                                   "record = ? AND action = 'update'", serial)
    assert audit == [("reported stolen",)]
