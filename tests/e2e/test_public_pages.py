"""The public portal over HTTP (SPEC §9): /, /prices, /stats, /data and the table pages.

A table page reads through the API's own collection layer, so its address and its API
address differ only by path and give the same rows; these tests compare them.
"""
import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest

from harvest_env import Server, run_cli

PAGES = ["/", "/prices", "/stats", "/data", "/data/prices", "/data/production"]
CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"


class Page(HTMLParser):
    """The parts of a page the tests read: table rows, links by data-format, facets,
    scripts and inline styles."""

    def __init__(self, text):
        super().__init__()
        self.rows, self.head, self.links, self.scripts = [], [], {}, []
        self.facets, self.inline_styles, self.inline_scripts = {}, 0, 0
        self.hidden = {}
        self._cell = None
        self._row = None
        self._in_head = False
        self._table = 0
        self._facet = None
        self._facet_value = None
        self._count = False
        self._script_src = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "style" in a:
            self.inline_styles += 1
        if tag == "script":
            self._script_src = a.get("src")
            if a.get("src"):
                self.scripts.append(a["src"])
        if tag == "table" and "rows" in (a.get("class") or ""):
            self._table += 1
        if tag == "thead":
            self._in_head = True
        if tag == "tr" and self._table == 1:
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = ""
        if tag == "a" and a.get("data-format"):
            self.links[a["data-format"]] = a["href"]
        if tag == "a" and a.get("rel") == "next":
            self.links["next"] = a["href"]
        if tag == "ul" and a.get("data-facet"):
            self._facet = a["data-facet"]
            self.facets[self._facet] = {}
        if tag == "a" and self._facet and a.get("data-value"):
            self._facet_value = a["data-value"]
        if tag == "span" and self._facet and a.get("class") == "count":
            self._count = True
        if tag == "input" and a.get("type") == "hidden":
            self.hidden[a.get("name")] = a.get("value")

    def handle_endtag(self, tag):
        if tag == "script" and self._script_src is None:
            pass
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        if tag == "tr" and self._row is not None:
            (self.head if self._in_head else self.rows).append(self._row)
            self._row = None
        if tag == "thead":
            self._in_head = False
        if tag == "table" and self._table:
            self._table += 1  # only the first table's rows are read
        if tag == "ul":
            self._facet = None
        if tag == "span":
            self._count = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._count and self._facet and self._facet_value:
            self.facets[self._facet][self._facet_value] = int(data)
        if self._script_src is None and data.strip() and self.lasttag == "script":
            self.inline_scripts += 1


def sample_prices(server):
    """The commodity and parish of some price row."""
    row = server.get("/api/v1/prices?limit=1").json()["data"][0]
    return row["commodity"], row["parish"]


def csv_rows(text):
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_carry_the_csp_and_no_inline_script_or_style(server, path):
    res = server.get(path)
    assert res.status == 200, res
    assert res.header("content-security-policy") == CSP
    assert res.header("x-content-type-options") == "nosniff"
    page = Page(res.text)
    assert page.inline_styles == 0
    assert page.inline_scripts == 0
    assert "<script>" not in res.text
    # Open to anyone without a login: cacheable, and kept by the server like the API.
    assert res.header("cache-control").startswith("public")


def test_home_page_is_a_page_with_the_ways_in(server):
    res = server.get("/")
    assert res.status == 200
    for link in ('href="/data"', 'href="/docs"', 'href="/login"', 'href="/prices"'):
        assert link in res.text
    assert "Latest retail prices" in res.text


def test_assets_are_built_in_and_cached_for_a_year(server):
    page = Page(server.get("/prices").text)
    assert len(page.scripts) == 2
    for src in page.scripts:
        assert re.fullmatch(r"/assets/[a-z.-]+\.[0-9a-f]{12}\.js", src), src
        res = server.get(src)
        assert res.status == 200
        assert res.header("content-type").startswith("text/javascript")
        assert "immutable" in res.header("cache-control")
        assert res.header("content-security-policy") == CSP
    assert any("uPlot" in server.get(src).text for src in page.scripts)
    assert server.get("/assets/uplot.min.000000000000.js").status == 404


def test_page_url_and_api_url_differ_only_by_path_and_give_the_same_rows(server):
    commodity, parish = sample_prices(server)
    query = urlencode({"commodity": commodity, "parish": parish, "sort": "week_of",
                       "limit": "5"}, quote_via=quote)
    res = server.get(f"/data/prices?{query}")
    assert res.status == 200, res
    page = Page(res.text)
    assert page.links["page-json"] == f"/api/v1/prices?{query}"
    api = server.get(page.links["page-json"]).json()
    columns = page.head[0]
    assert [str(r[c]) if r[c] is not None else "" for r in api["data"] for c in ["id"]] == \
        [row[columns.index("id")] for row in page.rows]
    assert len(page.rows) == 5
    # The next page too: the page's next link and the API's next differ only by path.
    assert page.links["next"].replace("/data/", "/api/v1/", 1) == api["next"]
    second = Page(server.get(page.links["next"]).text)
    api_second = server.get(api["next"]).json()
    assert [str(r["id"]) for r in api_second["data"]] == \
        [row[columns.index("id")] for row in second.rows]


def test_csv_link_gives_exactly_the_rows_shown(server):
    commodity, _ = sample_prices(server)
    query = urlencode({"commodity": commodity, "sort": "week_of", "limit": "7"}, quote_via=quote)
    first = Page(server.get(f"/data/prices?{query}").text)
    page = Page(server.get(first.links["next"]).text)  # with a cursor
    got = csv_rows(server.get(page.links["page-csv"]).text)
    assert got[0] == page.head[0]
    assert got[1:] == page.rows
    assert len(page.rows) == 7


def test_csv_link_without_a_limit_in_the_address_is_still_the_page(server):
    commodity, parish = sample_prices(server)
    query = urlencode({"commodity": commodity, "parish": parish}, quote_via=quote)
    page = Page(server.get(f"/data/prices?{query}").text)
    assert "limit=100" in page.links["page-csv"]
    got = csv_rows(server.get(page.links["page-csv"]).text)
    assert got[1:] == page.rows
    everything = csv_rows(server.get(page.links["all-csv"]).text)
    total = server.get(f"/api/v1/prices?{query}&count=true").json()["total"]
    assert len(everything) - 1 == total


def test_facet_counts_match_the_api(server):
    commodity, _ = sample_prices(server)
    query = urlencode({"commodity": commodity}, quote_via=quote)
    page = Page(server.get(f"/data/prices?{query}").text)
    assert page.facets.get("parish"), "the parish facet is shown"
    for parish, count in page.facets["parish"].items():
        total = server.get(f"/api/v1/prices?{query}&parish={parish}&count=true").json()["total"]
        assert count == total, parish
    summary = re.search(r'data-total="">(\d+)<', server.get(f"/data/prices?{query}").text)
    assert sum(page.facets["parish"].values()) == int(summary.group(1))


def test_unknown_dataset_is_404(server):
    res = server.get("/data/no-such-set", headers={"Accept": "text/html"})
    assert res.status == 404
    assert "text/html" in res.header("content-type")


def test_bad_filter_is_a_400_page_naming_the_field_and_keeping_what_was_typed(server):
    res = server.get("/data/prices?colour=red&commodity=yellow%20yam")
    assert res.status == 400
    assert "text/html" in res.header("content-type")
    assert "colour" in res.text
    page = Page(res.text)
    assert page.hidden.get("colour") == "red"
    assert 'value="yellow yam" selected' in res.text
    bad = server.get("/data/prices?week_of=last%20tuesday")
    assert bad.status == 400 and "week_of" in bad.text


def test_empty_form_choices_are_dropped_by_a_redirect(server):
    res = server.get("/data/prices?parish=&commodity=yellow%20yam&sort=")
    assert res.status == 303
    assert res.header("location") == "/data/prices?commodity=yellow%20yam"


def test_staff_datasets_ask_for_a_login_or_are_refused(server, keys):
    res = server.get("/data/farmers?parish=KIN")
    assert res.status == 303
    assert res.header("location") == "/login?next=%2Fdata%2Ffarmers%3Fparish%3DKIN"
    assert server.get("/data/books", key=keys["police"]).status == 403
    staff = server.get("/data/farmers?parish=KIN&limit=3", key=keys["extension"])
    assert staff.status == 200
    assert "private" in staff.header("cache-control")


def test_a_partner_sees_on_the_page_what_the_api_gives_a_partner(server, keys):
    page = Page(server.get("/data/farms?limit=5", key=keys["partner"]).text)
    api = server.get("/api/v1/farms?limit=5", key=keys["partner"]).json()["data"]
    columns = page.head[0]
    assert "farmer_id" not in columns
    assert len(page.rows) == len(api) == 5
    for row, item in zip(page.rows, api):
        assert row[columns.index("id")] == item["id"]  # the opaque token, not the number
        if item.get("lat") is not None:
            assert float(row[columns.index("lat")]) == item["lat"]  # rounded to 0.1


def test_catalogue_lists_what_the_role_may_read(server, keys):
    public = server.get("/data").text
    assert 'href="/data/prices"' in public and 'href="/data/farmers"' not in public
    admin = server.get("/data", key=keys["admin"]).text
    assert 'href="/data/farmers"' in admin and 'href="/data/audit"' in admin


def test_prices_page_table_and_csv_agree(server):
    commodity, parish = sample_prices(server)
    query = urlencode({"commodity": commodity, "parish": parish, "price_point": "retail"},
                      quote_via=quote)
    res = server.get(f"/prices?{query}")
    page = Page(res.text)
    assert 'id="price-chart"' in res.text and "data-chart=" in res.text
    got = csv_rows(server.get(page.links["prices-csv"]).text)
    header = got[0]
    shown = [[r[header.index(c)] for c in ("week_of", "price", "unit", "market", "variety")]
             for r in got[1:]]
    assert shown == page.rows
    assert len(page.rows) > 10


def test_stats_page_adds_the_published_cells(server):
    res = server.get("/stats")
    page = Page(res.text)
    cells = server.get("/api/v1/farmer-stats?limit=1000").json()["data"]
    by_parish = {}
    for cell in cells:
        if not cell["suppressed"]:
            by_parish[cell["parish_name"]] = by_parish.get(cell["parish_name"], 0) + cell["farmers"]
    # Production cells count the farms growing one crop: a parish's total counts a farm once
    # for each of its crops, and says so.
    crops = server.get("/api/v1/production?limit=1000").json()["data"]
    plantings = {}
    for cell in crops:
        if not cell["suppressed"]:
            plantings[cell["parish_name"]] = plantings.get(cell["parish_name"], 0) + cell["farms"]
    assert len(page.rows) == 14
    assert sum(by_parish.values()) > 0 and sum(plantings.values()) > 0  # figures, not zeros
    assert "a farm counts once for each crop" in res.text
    for row in page.rows:
        assert int(row[1]) == by_parish.get(row[0], 0), row[0]
        assert int(row[3]) == plantings.get(row[0], 0), row[0]
    assert 'data-tiles=""' in res.text  # no tiles from elsewhere by default
    assert "leaflet" in " ".join(page.scripts)


def test_map_tiles_only_from_the_configured_url(demo_db, tmp_path):
    conf = tmp_path / "tiles.toml"
    conf.write_text('[web]\nmap_tile_url = "https://tiles.example.org/{z}/{x}/{y}.png"\n')
    srv = Server(demo_db, ("--config", str(conf)))
    try:
        res = srv.get("/stats")
        assert res.status == 200
        assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in res.text
        assert res.header("content-security-policy") == (
            "default-src 'self'; img-src 'self' data: https://tiles.example.org; "
            "frame-ancestors 'none'")
        # Only /stats loads tiles; every other page keeps the strict policy.
        assert srv.get("/prices").header("content-security-policy") == CSP
    finally:
        assert srv.stop() == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('[web]\nmap_tile_url = "tiles.example.org"\n')
    proc = run_cli(demo_db, "--config", str(bad), "key", "list", check=False)
    assert proc.returncode != 0
    assert "web.map_tile_url" in proc.stderr
