"""SPEC §4 and §10 on the query side: bounded queries, parameters that are ignored or
refused by name, errors that stay valid UTF-8, and downloads of whole selections."""
import csv
import io
import json
import urllib.parse


def bad_parameter(reply):
    assert reply.status == 400, reply
    text = reply.body.decode("utf-8")  # strict: the envelope is valid UTF-8
    error = json.loads(text)["error"]
    assert error["code"] == "bad_parameter"
    return error["message"]


def test_parameter_given_twice_is_named(server, keys):
    reply = server.get("/api/v1/farmers?parish=AND&parish=KIN", key=keys["extension"])
    message = bad_parameter(reply)
    assert "'parish'" in message and "twice" in message
    assert "'sort'" in bad_parameter(server.get("/api/v1/prices?sort=price&sort=id"))


def test_thousands_of_repeated_filters_are_a_400_not_a_500(server):
    path = "/api/v1/prices?" + "&".join(["parish=KIN"] * 1400)
    assert "'parish'" in bad_parameter(server.get(path))


def test_at_most_twenty_filters(server):
    names = [f"{field}__{op}" for field in ("price", "id", "week_of") for op in ("gt", "gte", "lt", "lte", "ne")]
    values = {"price": "1", "id": "1", "week_of": "2026-01-05"}
    pairs = [(name, values[name.split("__")[0]]) for name in names]
    pairs += [("commodity", "ackee"), ("parish", "KIN"), ("unit", "kg"), ("market__isnull", "false"),
              ("variety__isnull", "true"), ("price_point", "retail")]
    assert len(pairs) == 21
    message = bad_parameter(server.get("/api/v1/prices?" + urllib.parse.urlencode(pairs)))
    assert "filters" in message and "20" in message
    # Twenty are fine as far as the limit goes (whatever else they may be).
    reply = server.get("/api/v1/production?" + urllib.parse.urlencode(
        [("farms__gte", "0"), ("crop__ne", "x"), ("parish__ne", "KIN")]))
    assert reply.status == 200, reply


def test_at_most_five_sort_keys(server, keys):
    reply = server.get("/api/v1/production?sort=parish,crop,farms,area_ha,expected_volume_kg,id")
    message = bad_parameter(reply)
    assert "'sort'" in message and "5" in message
    # The hostile case: hundreds of sort keys from anyone is refused at once.
    many = ",".join(["parish", "-parish"] * 150)
    assert "'sort'" in bad_parameter(server.get("/api/v1/production?sort=" + many))
    assert server.get("/api/v1/production?sort=parish,crop,-farms,area_ha,expected_volume_kg").status == 200


def test_at_most_a_hundred_in_values(server):
    values = ",".join(str(i) for i in range(1, 102))
    message = bad_parameter(server.get("/api/v1/prices?id__in=" + values))
    assert "'id__in'" in message and "100" in message
    values = ",".join(str(i) for i in range(1, 101))
    assert server.get("/api/v1/prices?id__in=" + values).status == 200


def test_oversized_value_is_named(server):
    message = bad_parameter(server.get("/api/v1/prices?commodity=" + "a" * 3000))
    assert "'commodity'" in message and "too long" in message
    assert "'cursor'" in bad_parameter(server.get("/api/v1/prices?cursor=" + "A" * 9000))


def test_tracking_parameters_are_ignored(server):
    plain = server.get("/api/v1/prices?commodity=ackee&limit=5")
    tracked = server.get("/api/v1/prices?commodity=ackee&limit=5&utm_source=newsletter"
                         "&utm_medium=email&utm_campaign=x&fbclid=IwAR0abc&gclid=EAIa&_=1700000000000")
    assert tracked.status == 200, tracked
    assert tracked.json()["data"] == plain.json()["data"]
    # Not in the next link either.
    assert "utm_" not in (tracked.json()["next"] or "") and "fbclid" not in (tracked.json()["next"] or "")
    # Anything else unknown is still named.
    assert "utm" in bad_parameter(server.get("/api/v1/prices?utm=1"))


def test_invalid_bytes_are_not_echoed_raw(server):
    for path, named in (("/api/v1/prices?parish=%FF%FEKIN", "parish"),
                        ("/api/v1/prices?commod%C3ity=1", "commod"),
                        ("/api/v1/prices?sort=%80price", "sort"),
                        ("/api/v1/prices?commodity__in=ackee,%ED%A0%80", "commodity__in")):
        message = bad_parameter(server.get(path))
        assert named in message, (path, message)
        assert "\\x" in message, (path, message)
        assert "\ufffd" not in message or "\\x" in message


def test_csv_without_limit_is_the_whole_selection(server):
    total = server.get("/api/v1/prices?commodity=ackee&count=true&limit=1").json()["total"]
    assert total > 100
    reply = server.get("/api/v1/prices.csv?commodity=ackee")
    assert reply.status == 200, reply
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    assert len(rows) == total
    assert reply.header("link") is None
    by_accept = server.get("/api/v1/prices?commodity=ackee", headers={"Accept": "text/csv"})
    assert len(list(csv.DictReader(io.StringIO(by_accept.text)))) == total
    # A limit still gives a page.
    assert len(list(csv.DictReader(io.StringIO(server.get("/api/v1/prices.csv?commodity=ackee&limit=7").text)))) == 7
    # JSON pages still default to 100.
    assert len(server.get("/api/v1/prices?commodity=ackee").json()["data"]) == 100


def test_geojson_without_limit_is_every_feature(server, keys):
    total = server.get("/api/v1/farms?count=true&limit=1", key=keys["partner"]).json()["total"]
    assert total > 1000
    for path in ("/api/v1/farms.geojson", "/api/v1/farms.geojson?limit=all"):
        reply = server.get(path, key=keys["partner"])
        assert reply.status == 200, reply
        doc = reply.json()
        assert doc["type"] == "FeatureCollection"
        assert len(doc["features"]) == total
        assert len({f["properties"]["id"] for f in doc["features"]}) == total
    parish = server.get("/api/v1/farms.geojson?parish=KIN", key=keys["partner"]).json()
    assert parish["features"] and all(f["properties"]["parish"] == "KIN" for f in parish["features"])
    assert "limit=all" in bad_parameter(server.get("/api/v1/farms?limit=all", key=keys["partner"]))


def test_pages_of_registry_datasets_are_index_shapes_or_refused(server, keys):
    ext = keys["extension"]
    # Refused, naming what no index serves; the download of the same selection is fine.
    message = bad_parameter(server.get("/api/v1/farmers?remarks__contains=x&limit=20", key=ext))
    assert "'remarks__contains'" in message and ".csv" in message
    assert server.get("/api/v1/farmers.csv?remarks__contains=x", key=ext).status == 200
    assert "sort=trn" in bad_parameter(server.get("/api/v1/farmers?sort=trn", key=keys["admin"]))
    assert "'activity'" in bad_parameter(server.get("/api/v1/farmers?activity=Crops&limit=20", key=ext))
    assert "mixes directions" in bad_parameter(server.get("/api/v1/prices?sort=commodity,-week_of"))
    assert "'price__gte'" in bad_parameter(server.get("/api/v1/prices?price__gte=100&limit=5"))
    assert "'parish__in'" in bad_parameter(server.get("/api/v1/farms?parish__in=KIN,AND", key=keys["partner"]))
    # Small datasets take anything.
    assert server.get("/api/v1/production?crop__contains=yam&sort=-farms,parish").status == 200


def test_indexed_pages_walk_the_whole_selection(server, keys):
    ext = keys["extension"]
    for path, key, order in (
            ("/api/v1/farmers?parish=AND&limit=20", ext, lambda r: r["id"]),
            ("/api/v1/farmers?parish=AND&sort=-last_name&limit=50", ext, None),
            # A partner's farm ids are opaque tokens, and pages come in their order.
            ("/api/v1/farms?parish=KIN&limit=25", keys["partner"], lambda r: r["id"]),
            ("/api/v1/books?status=active&limit=100", ext, lambda r: r["serial"]),
            ("/api/v1/prices?commodity=yellow%20yam&parish=MAN&sort=-week_of&limit=3", None, None),
            ("/api/v1/prices?commodity=yellow%20yam&parish=MAN&price_point=farmgate&sort=-week_of"
             "&limit=3", None, None)):
        walked = []
        next_path = path
        while next_path:
            reply = server.get(next_path, key=key)
            assert reply.status == 200, (next_path, reply)
            doc = reply.json()
            walked.extend(doc["data"])
            next_path = doc["next"]
        csv_path = path.replace("?", ".csv?", 1).rsplit("&limit=", 1)[0]
        whole = list(csv.DictReader(io.StringIO(server.get(csv_path, key=key).text)))
        key_name = "serial" if "books" in path else "id"
        assert [str(r[key_name]) for r in walked] == [r[key_name] for r in whole], path
        assert walked, path
        if order:
            assert [order(r) for r in walked] == sorted(order(r) for r in walked), path
    names = [(r["last_name"], r["id"]) for r in
             list(csv.DictReader(io.StringIO(server.get("/api/v1/farmers.csv?parish=AND&sort=-last_name", key=ext).text)))]
    assert names == sorted(names, reverse=True)
