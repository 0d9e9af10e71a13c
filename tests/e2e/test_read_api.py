"""Collections, items, the query language, formats and HTTP caching over the real server."""
import csv
import http.client
import socket
import io
import json
import urllib.parse


def test_health_and_metrics(server):
    assert server.get("/healthz").json() == {"status": "ok"}
    server.get("/api/v1/prices?limit=1")
    metrics = server.get("/metrics")
    assert metrics.status == 200
    assert 'harvest_http_requests_total{route="dataset",status="2xx"}' in metrics.text


def test_catalog_lists_every_dataset(server):
    doc = server.get("/api/v1").json()
    names = {d["name"] for d in doc["datasets"]}
    for name in ("farmers", "farms", "crops", "livestock", "prices", "books", "sales", "officers",
                 "verifications", "production", "farmer-stats", "parishes", "commodities"):
        assert name in names
    assert server.get("/docs").status == 200
    assert "text/html" in server.get("/docs").header("content-type")


def test_openapi_covers_routes(server):
    doc = server.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    for path in ("/api/v1/prices", "/api/v1/farmers/{id}", "/healthz", "/metrics"):
        assert path in doc["paths"], path
    assert "post" in doc["paths"]["/api/v1/farmers"]
    assert "post" not in doc["paths"]["/api/v1/prices/{id}"]


def test_parishes_normalised_in_output(server):
    rows = server.get("/api/v1/parishes").json()["data"]
    assert len(rows) == 14
    assert {r["code"] for r in rows} >= {"KIN", "ELZ", "CAT"}
    # Filters accept the spellings of real extracts.
    for spelling in ("ELZ", "ST.ELIZABETH", "St Elizabeth", "Saint Elizabeth", "st. elizabeth"):
        q = urllib.parse.urlencode({"parish": spelling, "limit": 5})
        rows = server.get("/api/v1/prices?" + q).json()["data"]
        assert rows and all(r["parish"] == "ELZ" for r in rows), spelling
        assert rows[0]["parish_name"] == "St. Elizabeth"


def test_filters_and_operators(server):
    # A page takes the filters an index serves; a download takes any.
    rows = server.get("/api/v1/prices?commodity=yellow%20yam&week_of__gte=2026-01-05&sort=week_of&limit=50").json()["data"]
    assert rows and all(r["commodity"] == "yellow yam" and r["week_of"] >= "2026-01-05" for r in rows)
    rows = list(csv.DictReader(io.StringIO(server.get("/api/v1/prices.csv?commodity=yellow%20yam&price__gte=100").text)))
    assert rows and all(r["commodity"] == "yellow yam" and float(r["price"]) >= 100 for r in rows)
    rows = server.get("/api/v1/production?parish__in=KIN,ELZ&limit=100").json()["data"]
    assert {r["parish"] for r in rows} <= {"KIN", "ELZ"} and rows
    rows = server.get("/api/v1/commodities?name__startswith=sweet").json()["data"]
    assert sorted(r["name"] for r in rows) == ["sweet pepper", "sweet potato", "sweet yam"]
    rows = server.get("/api/v1/commodities?name__contains=YAM").json()["data"]
    assert len(rows) == 4
    rows = list(csv.DictReader(io.StringIO(server.get("/api/v1/prices.csv?market__isnull=false&price_point__ne=retail").text)))
    assert rows and all(r["price_point"] != "retail" and r["market"] for r in rows)


def test_sort_projection_and_count(server):
    doc = server.get("/api/v1/prices?commodity=ackee&sort=-week_of&fields=id,week_of&count=true&limit=10").json()
    weeks = [r["week_of"] for r in doc["data"]]
    assert weeks == sorted(weeks, reverse=True)
    assert set(doc["data"][0]) == {"id", "week_of"}
    assert doc["total"] >= len(doc["data"])
    one = server.get("/api/v1/prices?commodity=ackee&limit=1&count=true").json()
    assert one["total"] == doc["total"]


def test_cursor_walk_returns_each_row_once(server):
    everything = server.get("/api/v1/prices?commodity=ackee&limit=1000").json()
    assert everything["next"] is None
    walked = []
    path = "/api/v1/prices?commodity=ackee&sort=-week_of&limit=7"
    while path:
        doc = server.get(path).json()
        walked.extend(doc["data"])
        path = doc["next"]
    ids = [r["id"] for r in walked]
    assert len(ids) == len(set(ids)) == len(everything["data"])
    weeks = [(r["week_of"], r["id"]) for r in walked]
    assert weeks == sorted(weeks, reverse=True)


def test_cursor_with_nullable_sort_key(server, keys):
    # Sorting on a field with nulls still pages through every row exactly once.
    base = "/api/v1/production?sort=farms,-area_ha"
    full = server.get(base + "&limit=1000", key=keys["partner"]).json()["data"]
    assert any(r["farms"] is None for r in full)
    walked = []
    path = base + "&limit=9"
    while path:
        doc = server.get(path, key=keys["partner"]).json()
        walked.extend(doc["data"])
        path = doc["next"]
    assert [r["id"] for r in walked] == [r["id"] for r in full]


def test_bad_parameters_are_named(server):
    cases = {
        "/api/v1/prices?limit=0": "limit",
        "/api/v1/prices?limit=1001": "limit",
        "/api/v1/prices?sort=nope": "nope",
        "/api/v1/prices?fields=id,nope": "nope",
        "/api/v1/prices?price__between=1": "between",
        "/api/v1/prices?price=cheap": "price",
        "/api/v1/prices?parish=Atlantis": "Atlantis",
        "/api/v1/prices?cursor=garbage": "cursor",
        "/api/v1/prices?week_of=2026-13-01": "week_of",
        "/api/v1/prices?count=maybe": "count",
        "/api/v1/prices?limit=all": "limit=all",
    }
    for path, named in cases.items():
        reply = server.get(path)
        assert reply.status == 400, (path, reply)
        error = reply.json()["error"]
        assert error["code"] == "bad_parameter"
        assert named in error["message"], (path, error)


def test_cursor_from_another_sort_is_rejected(server):
    doc = server.get("/api/v1/prices?limit=2&sort=week_of").json()
    cursor = urllib.parse.parse_qs(urllib.parse.urlparse(doc["next"]).query)["cursor"][0]
    reply = server.get("/api/v1/prices?limit=2&sort=-week_of&cursor=" + cursor)
    assert reply.status == 400


def test_csv_and_accept_header(server):
    reply = server.get("/api/v1/prices.csv?commodity=ackee&limit=5")
    assert reply.header("content-type").startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    assert len(rows) == 5 and rows[0]["commodity"] == "ackee"
    assert "rel=\"next\"" in reply.header("link")
    by_accept = server.get("/api/v1/prices?commodity=ackee&limit=5", headers={"Accept": "text/csv"})
    assert by_accept.body == reply.body
    assert server.get("/api/v1/prices", headers={"Accept": "image/png"}).status == 406


def test_csv_limit_all_streams_whole_dataset(server):
    total = server.get("/api/v1/prices?count=true&limit=1").json()["total"]
    reply = server.get("/api/v1/prices.csv?limit=all")
    rows = list(csv.reader(io.StringIO(reply.text)))
    assert len(rows) == total + 1


def test_geojson_only_where_rows_have_a_place(server, keys):
    doc = server.get("/api/v1/farms.geojson?limit=3", key=keys["partner"]).json()
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 3
    feature = doc["features"][0]
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert 17 < lat < 19 and -79 < lon < -75.5
    assert server.get("/api/v1/parishes.geojson").json()["type"] == "FeatureCollection"
    assert server.get("/api/v1/prices.geojson").status == 400


def test_items(server):
    row = server.get("/api/v1/parishes/ELZ").json()
    assert row["name"] == "St. Elizabeth"
    assert server.get("/api/v1/parishes/XXX").status == 404
    assert server.get("/api/v1/prices/999999999").status == 404
    assert server.get("/api/v1/prices/abc").status == 404
    assert server.get("/api/v1/nothing").status == 404


def test_etag_and_conditional_get(server):
    first = server.get("/api/v1/prices?commodity=ackee&limit=3")
    tag = first.header("etag")
    assert tag
    again = server.get("/api/v1/prices?commodity=ackee&limit=3", headers={"If-None-Match": tag})
    assert again.status == 304 and again.body == b""
    other = server.get("/api/v1/prices?commodity=ackee&limit=3", headers={"If-None-Match": '"x"'})
    assert other.status == 200


def test_cache_and_cors_headers(server, keys):
    public = server.get("/api/v1/prices?limit=1")
    assert public.header("cache-control").startswith("public")
    assert public.header("access-control-allow-origin") == "*"
    personal = server.get("/api/v1/farmers?limit=1", key=keys["extension"])
    assert personal.header("cache-control") == "private, no-store"
    assert personal.header("access-control-allow-origin") is None
    preflight = server.request("OPTIONS", "/api/v1/prices")
    assert preflight.status == 204
    assert "GET" in preflight.header("access-control-allow-methods")


def test_aggregates_with_suppression(server):
    rows = server.get("/api/v1/production?limit=1000").json()["data"]
    assert rows
    for r in rows:
        if r["suppressed"]:
            assert r["farms"] is None and r["area_ha"] is None and r["expected_volume_kg"] is None
        else:
            assert r["farms"] >= 1 and r["area_ha"] is not None
    stats = server.get("/api/v1/farmer-stats?limit=1000").json()["data"]
    assert sum(r["farmers"] or 0 for r in stats) > 0
    assert any(r["suppressed"] for r in stats + rows), "small cells should exist in a 3,000-farmer demo"
    for r in stats:
        assert r["suppressed"] == (r["farmers"] is None)
    # Counts are never published below the threshold.
    assert all(r["farmers"] is None or r["farmers"] >= 5 for r in stats)


def test_http_errors(server):
    assert server.request("DELETE", "/api/v1/prices").status == 405
    assert "GET" in server.request("DELETE", "/api/v1/prices").header("allow")
    # A body over 1 MiB is refused from its Content-Length, before it is read.
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(b"POST /api/v1/prices HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 2000000\r\n\r\n{")
        answer = sock.recv(65536).decode()
    assert answer.startswith("HTTP/1.1 413")
    assert "payload_too_large" in answer


def test_keep_alive_serves_many_requests_on_one_connection(server):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    for _ in range(20):
        conn.request("GET", "/api/v1/parishes/KIN")
        res = conn.getresponse()
        assert res.status == 200
        res.read()
    conn.close()
