#!/usr/bin/env python3
"""Helpers for bench/run (standard library only).

  prep.py freeport                          a free loopback TCP port
  prep.py gets DB OUT --farmers N --receipts N --seed S
                                            request files for wrk (bench/load.lua)
  prep.py twilio DB OUT --url URL --token T --count N --seed S --tag TAG
                                            signed /sms/twilio POSTs, one MessageSid each
  prep.py receipts DB OUT --count N --seed S
                                            verify requests over every book of DB
  prep.py books DB OUT --total N --seed S   a books CSV that brings DB up to N books
  prep.py sqlite-csv IN OUT                 the farmers CSV with true/false as 1/0
  prep.py pages DB OUT --tag T              farmers and farms by parish, 20 a page, 14 parishes
  prep.py hammer URL PATH TOKEN COUNT       COUNT GETs of PATH (keep-alive, 4 connections)
  prep.py checks DB --count N --seed S      inserts N past checks into DB's verifications
  prep.py soak-requests DB OUT --seed S     the mixed request file of bench/soak.lua
  prep.py soak-report SAMPLES RESULTS_MD    soak verdict: section in RESULTS.md, exit 1 on FAIL
  prep.py median RESULTS LABEL              LABEL's median-p99 run among LABEL_r1, LABEL_r2...
  prep.py summary RESULTS OUT_MD            final table on stdout and bench/RESULTS.md
"""
import argparse
import base64
import csv
import datetime
import hashlib
import hmac
import os
import random
import re
import socket
import sqlite3
import statistics
import sys
import threading
import http.client
import urllib.parse


def connect(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def freeport(_args):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def books_of(db):
    return connect(db).execute("SELECT first_receipt, last_receipt FROM books").fetchall()


def random_receipts(books, count, rng):
    """`count` distinct receipt numbers, each in a book drawn uniformly from all books."""
    seen = set()
    limit = sum(last - first + 1 for first, last in books)
    count = min(count, limit)
    while len(seen) < count:
        first, last = rng.choice(books)
        seen.add(rng.randint(first, last))
    out = list(seen)
    rng.shuffle(out)
    return out


def gets(args):
    rng = random.Random(args.seed)
    db = connect(args.db)
    ids = [r[0] for r in db.execute("SELECT id FROM farmers ORDER BY id")]
    farmers = rng.sample(ids, min(args.farmers, len(ids)))
    with open(os.path.join(args.out, "farmers.txt"), "w") as f:
        for fid in farmers:
            f.write(f"GET\t/api/v1/farmers/{fid}\n")
    receipts = random_receipts(books_of(args.db), args.receipts, rng)
    with open(os.path.join(args.out, "verify.txt"), "w") as f:
        for n in receipts:
            f.write(f"GET\t/api/v1/verify/receipt/{n}\n")
    # The prices query: the (commodity, parish) with the most rows, so limit=20 is full.
    commodity, parish = db.execute(
        "SELECT commodity, parish FROM prices GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1"
    ).fetchone()
    query = urllib.parse.urlencode({"commodity": commodity, "parish": parish, "limit": 20},
                                   quote_via=urllib.parse.quote)
    with open(os.path.join(args.out, "prices.txt"), "w") as f:
        f.write(f"GET\t/api/v1/prices?{query}\n")


def parishes_of(db):
    return [r[0] for r in db.execute("SELECT code FROM parishes ORDER BY code")]


def pages(args):
    """Request files of the filtered pages, one line per parish: pages-KIND-TAG.txt for harvest
    and nginx-pKIND-TAG.txt for the ceiling (static/p-TAG/KIND-PARISH.json, fetched by bench/run)."""
    codes = parishes_of(connect(args.db))
    for kind in ("farmers", "farms"):
        with open(os.path.join(args.out, f"pages-{kind}-{args.tag}.txt"), "w") as f, \
                open(os.path.join(args.out, f"nginx-p{kind}-{args.tag}.txt"), "w") as g:
            for code in codes:
                f.write(f"GET\t/api/v1/{kind}?parish={code}&limit=20\n")
                g.write(f"GET\t/p-{args.tag}/{kind}-{code}.json\n")


def portal(args):
    """Request files of the table page and the JSON API answering the same question:
    portal-html.txt (/data/prices?...) and portal-json.txt (/api/v1/prices?...), one line per
    (commodity, parish) of the 14 with the most prices, the same query strings in the same
    order."""
    db = connect(args.db)
    pairs = db.execute("SELECT commodity, parish FROM prices GROUP BY 1, 2 "
                       "ORDER BY count(*) DESC, 1, 2 LIMIT 14").fetchall()
    with open(os.path.join(args.out, "portal-html.txt"), "w") as f, \
            open(os.path.join(args.out, "portal-json.txt"), "w") as g:
        for commodity, parish in pairs:
            query = urllib.parse.urlencode({"commodity": commodity, "parish": parish, "limit": 20},
                                           quote_via=urllib.parse.quote)
            f.write(f"GET\t/data/prices?{query}\n")
            g.write(f"GET\t/api/v1/prices?{query}\n")


def hammer(args):
    """COUNT GETs of PATH over 4 keep-alive connections; exits 1 unless every answer is 200."""
    u = urllib.parse.urlsplit(args.url)
    headers = {"Authorization": "Bearer " + args.token} if args.token else {}
    bad = []

    def worker(n):
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        for _ in range(n):
            c.request("GET", args.path, headers=headers)
            r = c.getresponse()
            r.read()
            if r.status != 200:
                bad.append(r.status)
        c.close()

    threads = [threading.Thread(target=worker, args=(args.count // 4 + (i < args.count % 4),))
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if bad:
        sys.exit(f"prep.py hammer: {len(bad)} answers were not 200 (first {bad[0]})")


def checks(args):
    """Inserts COUNT checks of receipts from random books, spread over the last 400 days, as the
    server writes them (channel api or sms, verdict mostly VALID), in one transaction."""
    db = sqlite3.connect(args.db)
    rng = random.Random(args.seed)
    bks = db.execute("SELECT first_receipt, last_receipt, parish FROM books").fetchall()
    keys = [r[0] for r in db.execute("SELECT id FROM api_keys ORDER BY id")] or [None]
    officers = [r[0] for r in db.execute("SELECT id FROM officers ORDER BY id")] or [None]
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    verdicts = ["VALID"] * 17 + ["CHECK", "ALERT", "UNKNOWN"]

    def rows():
        for _ in range(args.count):
            first, last, parish = rng.choice(bks)
            at = (now - datetime.timedelta(seconds=rng.randint(60, 400 * 86400))).strftime(
                "%Y-%m-%dT%H:%M:%SZ")
            if rng.random() < 0.5:
                yield (at, rng.randint(first, last), "api", None, rng.choice(keys),
                       rng.choice(verdicts), parish)
            else:
                yield (at, rng.randint(first, last), "sms", rng.choice(officers), None,
                       rng.choice(verdicts), parish)

    with db:
        db.executemany("INSERT INTO verifications (at, receipt, channel, officer_id, key_id, "
                       "verdict, signals, parish) VALUES (?, ?, ?, ?, ?, ?, '', ?)", rows())
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def soak_requests(args):
    """The soak's mixed requests, one line each: WEIGHT-CLASS<TAB>METHOD<TAB>PATH<TAB>TOKEN<TAB>BODY.
    verify: 50,000 random receipts (police key); read: open data by parish (prices and
    production without a key, farms with the partner key); write: PATCH of a farmer's remarks (extension key), which repeats
    without conflict."""
    rng = random.Random(args.seed)
    db = connect(args.db)
    codes = parishes_of(db)
    ids = [r[0] for r in db.execute("SELECT id FROM farmers ORDER BY id")]
    with open(args.out, "w") as f:
        for n in random_receipts(books_of(args.db), 50000, rng):
            f.write(f"verify\tGET\t/api/v1/verify/receipt/{n}\thv_demo_police\t\n")
        for code in codes:
            f.write(f"read\tGET\t/api/v1/prices?parish={code}&limit=20\t\t\n")
            f.write(f"read\tGET\t/api/v1/farms?parish={code}&limit=20\thv_demo_partner\t\n")
            f.write(f"read\tGET\t/api/v1/production?parish={code}&limit=20\t\t\n")
        for i, fid in enumerate(rng.sample(ids, min(2000, len(ids)))):
            f.write(f"write\tPATCH\t/api/v1/farmers/{fid}\thv_demo_extension\t"
                    f'{{"remarks": "soak {args.seed}-{i}"}}\n')


def soak_report(args):
    """SAMPLES: lines `N t_s=.. rss_kb=.. p99_us=.. requests=.. errors=.. verify=.. read=..
    write=..` per 30 s segment. Writes the soak section of RESULTS.md, prints the verdict and
    exits 1 when a target fails."""
    segs = []
    with open(args.samples) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0].isdigit():
                segs.append(dict(p.split("=", 1) for p in parts[1:]))
    if not segs:
        sys.exit("prep.py soak-report: no samples")
    info = {}
    with open(args.samples) as f:
        for line in f:
            if line.startswith("info "):
                info.update(dict(p.split("=", 1) for p in line.split()[1:]))
    seg_s = float(info.get("segment_s", 30))
    per_min = max(1, int(round(60 / seg_s)))
    p99 = [int(s["p99_us"]) for s in segs]
    rss = [int(s["rss_kb"]) for s in segs]
    total = sum(int(s["requests"]) for s in segs)
    errors = sum(int(s["errors"]) for s in segs)
    secs = sum(float(s["t_s"]) for s in segs)
    mix = {k: sum(int(s.get(k, 0)) for s in segs) for k in ("verify", "read", "write")}
    checks_ = []
    checks_.append(("zero errors (non-2xx/3xx answers and socket errors)", f"{errors} of {total:,}",
                    errors == 0))
    minutes = len(segs) // per_min
    if minutes >= 3:
        second = max(p99[per_min:2 * per_min])
        last = max(p99[-per_min:])
        checks_.append(("p99 stable: last minute within 1.5x of the second minute",
                        f"{last / 1000:.2f} ms vs {second / 1000:.2f} ms = {last / second:.2f}x",
                        last <= 1.5 * second))
    else:
        checks_.append(("p99 stable: last minute within 1.5x of the second minute",
                        f"run too short ({len(segs)} samples; needs 3 minutes)", None))
    if minutes >= 2:
        base = rss[per_min - 1]
        growth = rss[-1] / base - 1
        checks_.append(("RSS growth < 10 % from the end of minute 1 to the end",
                        f"{base / 1024:.1f} MB -> {rss[-1] / 1024:.1f} MB = {100 * growth:+.1f} %",
                        growth < 0.10))
    else:
        checks_.append(("RSS growth < 10 % from the end of minute 1 to the end",
                        "run too short (needs 2 minutes)", None))
    verdict = lambda ok: "n/a" if ok is None else ("PASS" if ok else "FAIL")
    lines = [
        SOAK_BEGIN,
        "## Soak (`make soak`)",
        "",
        f"Written by `bench/soak` on {info.get('date', '?')}, harvest "
        f"{info.get('harvest', '?').replace('_', ' ')}: {secs:.0f} s of mixed load at "
        f"{info.get('connections', '64')} connections on a copy of the national demo data, "
        f"{total:,} requests ({total / secs if secs else 0:,.0f} req/s; verify "
        f"{mix['verify']:,}, open-data reads {mix['read']:,}, writes {mix['write']:,})" +
        (" from a request file of its own (`SOAK_REQUESTS`)." if info.get("requests") == "custom"
         else "."),
        "",
        "| target | measured | result |",
        "|---|---|---|",
        *[f"| {t} | {m} | {verdict(ok)} |" for t, m, ok in checks_],
        "",
        "Every " + f"{seg_s:.0f} s: p99 (ms) " + ", ".join(f"{v / 1000:.1f}" for v in p99),
        "",
        "RSS (MB) " + ", ".join(f"{v / 1024:.0f}" for v in rss),
        "",
        "Method: wrk (`bench/soak.lua`, one thread, 64 connections) in back-to-back segments "
        f"of {seg_s:.0f} s; each request is drawn by weight: 70 % `GET /api/v1/verify/receipt/N` "
        "(police key, 50,000 random receipts), 20 % open-data reads by parish, 20 a page (prices "
        "and production without a key, farms with the partner key), 10 % `PATCH /api/v1/farmers/{id}` of "
        "`remarks` (extension key, 2,000 farmers; a PATCH repeats without conflict). After each "
        "segment the server's VmRSS is read from `/proc`. A minute's p99 is the larger of its "
        "two segments' p99. An error is an answer outside 2xx/3xx or a socket error.",
        SOAK_END,
    ]
    section = "\n".join(lines) + "\n"
    text = open(args.md).read() if os.path.exists(args.md) else ""
    if SOAK_BEGIN in text and SOAK_END in text:
        a = text.index(SOAK_BEGIN)
        b = text.index(SOAK_END) + len(SOAK_END) + 1
        text = text[:a] + section + text[b:]
    elif NOTES_MARKER in text:
        a = text.index(NOTES_MARKER)
        text = text[:a] + section + "\n" + text[a:]
    else:
        text += "\n" + section
    with open(args.md, "w") as f:
        f.write(text)
    for t, m, ok in checks_:
        print(f"soak: {verdict(ok):4}  {t}: {m}")
    if any(ok is False for _, _, ok in checks_):
        sys.exit(1)


# The Method bullets of the loads added for the filtered pages, the hot receipt, a long
# history of checks and a baseline binary (also copied by hand into bench/RESULTS.md).
METHOD_NEW = [
    "- Filtered pages: `GET /api/v1/farmers?parish=P&limit=20` with the extension key and "
    "`GET /api/v1/farms?parish=P&limit=20` with the partner key, P rotating over the 14 "
    "parish codes, on a copy of the national data and on a copy of a 1,000,000-farmer demo "
    "database (`harvest demo --farmers 1000000`, cached in `bench/out/`; "
    "`BENCH_BIG_FARMERS`). nginx serves the 14 bodies Harvest answered for each list and size "
    "(fetched with curl first), rotating the same way, with the same `Authorization` header. "
    "Both servers and nginx run side by side; each round (`BENCH_PAGE_ROUNDS`, default 3) "
    "loads, per size, nginx farmers, harvest farmers, nginx farms, harvest farms. Targets: "
    ">= 0.25x nginx (median of the per-round ratios), p99 < 10 ms (median of the rounds), and "
    "at 1,000,000 farmers req/s at least 0.8x and p99 at most 1.2x the national figures "
    "(medians of the rounds).",
    "- Table page: `GET /data/prices?commodity=C&parish=P&limit=20` (the HTML table page) and "
    "`GET /api/v1/prices?commodity=C&parish=P&limit=20` (JSON, the same question), (C, P) "
    "rotating over the 14 pairs with the most prices, on one server on a fresh national copy; "
    "each round (`BENCH_PORTAL_ROUNDS`, default 3) loads JSON then HTML without a key (both "
    "answered from the answer cache, as the public gets them) and JSON then HTML with the "
    "partner key (both kept in the answer cache for that key, the key checked at each reuse). "
    "Targets: the "
    "page's req/s >= 0.8x the JSON's (median of the per-round ratios) and its p99 < 10 ms "
    "(median of the rounds).",
    "- Hot receipt: a server on a fresh national copy first answers 20,000 checks of one "
    "receipt (police key, `bench/prep.py hammer`, 4 keep-alive connections); then "
    "`BENCH_HOT_ROUNDS` (default 3) rounds of fresh receipts (50,000 random ones) and of that "
    "one receipt, in turns, on the same server. Target: the hot receipt's req/s >= 0.8x the "
    "fresh receipts' of the same round (median over the rounds).",
    "- A long history of checks: a copy of the national data with 3,000,000 past checks "
    "(`BENCH_HISTORY_CHECKS`) inserted straight into `verifications` (`bench/prep.py checks`, "
    "one transaction: random receipts of random books, spread over the last 400 days, half "
    "API with a demo key, half SMS with a demo officer, mostly VALID; cached), served side by "
    "side with a plain national copy, both loaded in turns with the same 50,000 random "
    "receipts (`BENCH_HISTORY_ROUNDS`, default 3). Targets (the bench's own, as the issue "
    "names none): req/s >= 0.8x the plain copy's (median of per-round ratios) and p99 < 10 "
    "ms. The time from start to listening on the history copy is reported.",
    "- The /verify page: a police web login (`harvest user add`) signs in with curl; its "
    "session cookie and the page's csrf token go on every `POST /verify` (form "
    "`receipt=N&csrf=...`, answered with the HTML verdict card), beside `GET "
    "/api/v1/verify/receipt/N` with the police key, the same 50,000 random receipts, one "
    "server on a fresh national copy, in turns (`BENCH_WEB_ROUNDS`, default 3). Targets: the "
    "page's req/s >= 0.8x the JSON verify's (median of the per-round ratios), p99 < 10 ms.",
    "- PostgreSQL (`BENCH_ONLY=postgres`): a private PostgreSQL 15 server (`scripts/postgres`, "
    "fsync off, on the same two cores, not pinned) holds the 18,000-farmer demo (written by "
    "`harvest demo` into it at each run, the same seed as `base18k.db`, from which 50,000 "
    "random receipts are drawn) and `pgbench -i -s 10`. Each round (`BENCH_FIELD_ROUNDS`) runs "
    "`pgbench -S -M prepared` (64 clients, one thread, pinned as wrk) as the ceiling, then "
    "verify (police key) and the prices query against one `harvest serve`; then two servers "
    "on the one database, each loaded by its own wrk at 32 connections, their req/s added "
    "(on two cores this shows the cost of sharing state, not scale). Targets: verify >= 0.3x "
    "`pgbench -S` transactions/s (median of per-round ratios), p99 < 10 ms; pgbench's own "
    "p50 and p99 come from its per-transaction log (`-l`).",
    "- This build against a baseline (`make bench BASELINE=path/to/old/harvest`, or "
    "`BENCH_BASELINE`): the national demo is built by the baseline binary (cached per its "
    "schema version, with the bench officer added by it), and each binary serves its own "
    "fresh copy of that one source database, so that a newer binary's migrations at start "
    "change only its own copy. The baseline gets the bench config without keys it does not "
    "know. Both servers run side by side and are loaded in turns: baseline verify, this "
    "verify, baseline `/sms/twilio`, this `/sms/twilio` (`BENCH_BASELINE_ROUNDS`, default 3; "
    "each `/sms/twilio` round with its own MessageSids, signed for each server's URL). "
    "Targets: req/s of this build within 10 % of the baseline's (median of the per-round "
    "ratios) and the rounds' median p99 within 2 ms of the baseline's.",
    "- `make soak` (not part of `make bench` or `make test`): `SOAK_SECONDS` (default 600) of "
    "mixed load at 64 connections on a copy of the national data (`bench/soak`, "
    "`bench/soak.lua`): of every 10 requests 7 verify (police key, 50,000 random receipts), "
    "2 open-data reads by parish, 20 a page (prices and production without a key, farms with "
    "the partner key) and 1 "
    "`PATCH /api/v1/farmers/{id}` of `remarks` (extension key). wrk runs in back-to-back "
    "segments of 30 s (`SOAK_SEGMENT`); after each, the segment's p99 and the server's VmRSS "
    "are recorded. Targets: zero errors (answers outside 2xx/3xx, socket errors), the last "
    "minute's p99 within 1.5x of the second minute's (a minute's p99: the larger of its two "
    "segments'), RSS growth under 10 % from the end of minute 1 to the end. It writes its "
    "own section (Soak) into this file, which `make bench` keeps, and exits 1 if a target "
    "fails.",
]

SOAK_BEGIN = "<!-- soak: written by bench/soak -->"
SOAK_END = "<!-- /soak -->"
NOTES_MARKER = "<!-- notes: kept by bench/run -->"


def receipts(args):
    rng = random.Random(args.seed)
    with open(args.out, "w") as f:
        for n in random_receipts(books_of(args.db), args.count, rng):
            f.write(f"GET\t/api/v1/verify/receipt/{n}\n")


def twilio_signature(url, params, token):
    data = url + "".join(k + v for k, v in sorted(params.items()))
    mac = hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(mac).decode()


def twilio(args):
    rng = random.Random(args.seed)
    db = connect(args.db)
    phones = [r[0] for r in db.execute(
        "SELECT phone FROM officers WHERE status = 'active' ORDER BY id")]
    if not phones:
        sys.exit("prep.py: no active officer in " + args.db)
    numbers = random_receipts(books_of(args.db), args.count, rng)
    url = args.url.rstrip("/") + "/sms/twilio"
    # The same bytes as urllib.parse.urlencode(params) and twilio_signature(url, params, token)
    # of params = {AccountSid, MessageSid, From, To, Body, NumMedia}, with the fixed parts
    # encoded and hashed once (3x faster; 300,000 requests take about 2 s).
    account, to = "ACbench0000000000000000000000000000", "+18765550100"
    q = urllib.parse.quote_plus
    sid_prefix = "SM" + args.tag
    from_q = [q(p) for p in phones]
    mac0 = hmac.new(args.token.encode(), digestmod=hashlib.sha1)
    mac0.update((url + "AccountSid" + account + "Body").encode())
    tail = "&To=" + q(to) + "&Body=R+"
    with open(args.out, "w") as f:
        for i in range(args.count):
            sid = "%s%026x" % (sid_prefix, i)
            n = numbers[i % len(numbers)]
            k = i % len(phones)
            mac = mac0.copy()
            mac.update(("R %d" "From%s" "MessageSid%s" "NumMedia0" "To%s"
                        % (n, phones[k], sid, to)).encode())
            sig = base64.b64encode(mac.digest()).decode()
            f.write("POST\t/sms/twilio\t%s\tAccountSid=%s&MessageSid=%s&From=%s%s%d&NumMedia=0\n"
                    % (sig, account, q(sid), from_q[k], tail, n))


def books(args):
    rng = random.Random(args.seed)
    db = connect(args.db)
    have, top = db.execute("SELECT count(*), max(last_receipt) FROM books").fetchone()
    farmers = [r[0] for r in db.execute("SELECT id FROM farmers ORDER BY id")]
    outlets = db.execute("SELECT DISTINCT outlet, parish FROM books ORDER BY 1").fetchall()
    today = datetime.date.today()
    serial = 10_000_000
    start = (top // 100 + 1) * 100 + 1
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["serial", "first_receipt", "last_receipt", "farmer_id", "sold_on", "outlet",
                    "parish", "status"])
        for i in range(max(0, args.total - have)):
            first = start + 100 * i
            outlet, parish = rng.choice(outlets)
            sold = today - datetime.timedelta(days=rng.randint(1, 3 * 365))
            status = "stolen" if rng.random() < 0.005 else "active"
            w.writerow([serial + i, first, first + 99, rng.choice(farmers), sold.isoformat(),
                        outlet, parish, status])


def sqlite_csv(args):
    with open(args.src, newline="") as src, open(args.dst, "w", newline="") as dst:
        r = csv.reader(src)
        w = csv.writer(dst, lineterminator="\n")
        header = next(r)
        w.writerow(header)
        flags = [header.index(c) for c in ("verified", "under_investigation")]
        as_int = {"true": "1", "false": "0"}
        for row in r:
            for i in flags:
                row[i] = as_int.get(row[i], row[i])
            w.writerow(row)


# ---------------------------------------------------------------------------- summary

def read_results(path):
    """Lines `LABEL key=value ...` (wrk RESULT lines and bench/run's own facts)."""
    res = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            label = parts[0]
            entry = res.setdefault(label, {})
            for kv in parts[1:]:
                if "=" in kv:
                    k, v = kv.split("=", 1)
                    entry[k] = v
    return res


def median(args):
    """Prints `LABEL ...` with the figures of the median-p99 run among LABEL_r1, LABEL_r2, ...
    plus every round's p99 and req/s, for summary to read like a single run."""
    res = read_results(args.results)
    runs = [e for label, e in res.items()
            if label.startswith(args.label + "_r") and label[len(args.label) + 2:].isdigit()
            and "p99_us" in e]
    if not runs:
        return
    ordered = sorted(runs, key=lambda e: float(e["p99_us"]))
    mid = dict(ordered[(len(ordered) - 1) // 2])
    mid["rounds"] = str(len(runs))
    mid["p99_rounds_us"] = ",".join(e["p99_us"] for e in runs)
    mid["rps_rounds"] = ",".join(e["rps"] for e in runs)
    print(args.label + " " + " ".join(f"{k}={v}" for k, v in mid.items()))


def round_entries(res, label):
    """{N: entry} of the lines LABEL_rN that hold a wrk result."""
    prefix = label + "_r"
    return {int(name[len(prefix):]): e for name, e in res.items()
            if name.startswith(prefix) and name[len(prefix):].isdigit() and "rps" in e}


# The field loads, measured in rounds (bench/run: nginx_verify_rN, harvest_verify_rN,
# harvest_twilio_rN in turns): each harvest load with the load it is compared with.
FIELD = (("harvest_verify", "nginx_verify"), ("harvest_twilio", "harvest_verify"))


def field_combined(res):
    """Combined entries harvest_verify, nginx_verify, harvest_twilio from their rounds.

    Each harvest load's ratio is taken per round (harvest_verify_rN / nginx_verify_rN,
    harvest_twilio_rN / harvest_verify_rN); `ratio_median` is the median of those per-round
    ratios (with an even number of rounds, the mean of the middle two) and `p99_median_us`
    the median of the rounds' p99. The entry's own figures (rps, p50, p99, ...) are those of
    its median-ratio round (`round`; for an even number, the lower of the middle two), and
    nginx_verify's are those of the same round as harvest_verify, so that the load table's
    req/s, vs-nginx ratio and ceiling come from one round. Without a ratio (the other load
    missing), the round of the median req/s. `round_ids` lists the rounds measured; summary
    prints each round's figures from the LABEL_rN entries themselves."""
    runs = {label: round_entries(res, label)
            for label in ("harvest_verify", "nginx_verify", "harvest_twilio")}
    out = {}

    def middle(rounds, key):
        ordered = sorted(rounds, key=lambda n: (key(n), n))
        return ordered[(len(ordered) - 1) // 2]

    def combined(label, chosen, extra=None):
        own = runs[label]
        ids = sorted(own)
        e = dict(own[chosen])
        e["round"] = str(chosen)
        e["rounds"] = str(len(ids))
        e["round_ids"] = ",".join(map(str, ids))
        p99s = [float(own[n]["p99_us"]) for n in ids if "p99_us" in own[n]]
        if p99s:
            e["p99_median_us"] = "%.0f" % statistics.median(p99s)
        e["errors_rounds"] = str(sum(int(own[n].get("status_errors", 0)) +
                                     int(own[n].get("socket_errors", 0)) for n in ids))
        e.update(extra or {})
        return e

    for label, base in FIELD:
        own, other = runs[label], runs[base]
        if not own:
            continue
        ratios = {n: float(own[n]["rps"]) / float(other[n]["rps"])
                  for n in own if n in other and float(other[n]["rps"]) > 0}
        extra = {}
        if ratios:
            chosen = middle(ratios, ratios.get)
            extra["ratio_median"] = "%.4f" % statistics.median(ratios.values())
            extra["ratio_count"] = str(len(ratios))
        else:
            chosen = middle(own, lambda n: float(own[n]["rps"]))
        out[label] = combined(label, chosen, extra)
        if label == "harvest_verify" and chosen in other:
            out[base] = combined(base, chosen)
    if "nginx_verify" not in out and runs["nginx_verify"]:
        nv = runs["nginx_verify"]
        out["nginx_verify"] = combined("nginx_verify", middle(nv, lambda n: float(nv[n]["rps"])))
    return out


def num(entry, key):
    try:
        return float(entry[key])
    except (KeyError, TypeError, ValueError):
        return None


def fmt_rps(v):
    return "-" if v is None else f"{v:,.0f}"


def fmt_ms(us):
    return "-" if us is None else f"{us / 1000:.2f} ms"


def summary(args):
    res = read_results(args.results)
    # The field loads' combined entries, from their rounds.
    res.update(field_combined(res))
    info = res.get("info", {})
    noisy = []     # runs that shared the machine with other work
    rows = []      # load table: name, rps, p50, p99, nginx rps, ratio
    extra_pages = []  # rounds of the filtered pages, hot receipt, history, baseline
    checks = []    # target, measured, pass

    def check(target, measured, ok):
        checks.append((target, measured, "n/a" if ok is None else ("PASS" if ok else "FAIL")))

    def load(label, name, ceiling=None):
        e = res.get(label)
        if e is None or "rps" not in e:
            reason = (res.get(label + "_skip") or {}).get("reason", "not run").replace("_", " ")
            rows.append((name, "not available: " + reason, "", "", "", "", ""))
            return None
        rps, p99 = num(e, "rps"), num(e, "p99_us")
        c = res.get(ceiling, {}) if ceiling else {}
        crps = num(c, "rps")
        ratio = rps / crps if (rps is not None and crps) else None
        errors = int(num(e, "status_errors") or 0) + int(num(e, "socket_errors") or 0)
        note = f" ({errors} errors)" if errors else ""
        runs = [(name, e)]
        in_rounds = "round_ids" in e
        if in_rounds:  # a field load measured in rounds: its median-ratio round
            runs = [(f"{name}, round {n}", res.get(f"{label}_r{n}", {}))
                    for n in e["round_ids"].split(",")]
            name = f"{name}, round {e['round']} of {e['rounds']}"
            errors = int(num(e, "errors_rounds") or 0)
            note = f" ({errors} errors in {e['rounds']} rounds)" if errors else ""
        for run, entry in runs:
            other = num(entry, "other_cpu_pct")
            if (other or 0) > 10:
                noisy.append(f"{run}: other processes used {other:.0f} % of a core")
        cpus = [num(e, k) for k in ("server_cpu_pct", "wrk_cpu_pct", "other_cpu_pct", "steal_pct")]
        rows.append((name, fmt_rps(rps) + note, fmt_ms(num(e, "p50_us")), fmt_ms(p99),
                     " / ".join("-" if c is None else f"{max(c, 0):.0f}" for c in cpus),
                     fmt_rps(crps) if crps else "", f"{ratio:.2f}x" if ratio is not None else ""))
        # What the targets compare: with rounds, the median of the per-round ratios and of
        # the rounds' p99 (field_combined); a single run's own figures otherwise.
        return {"rps": rps, "p99": p99, "p50": num(e, "p50_us"), "ratio": ratio,
                "errors": errors, "rounds": int(num(e, "rounds") or 1) if in_rounds else 1,
                "ratio_check": num(e, "ratio_median") if in_rounds else ratio,
                "ratio_count": int(num(e, "ratio_count") or 0) if in_rounds else 1,
                "p99_check": num(e, "p99_median_us") if in_rounds else p99}

    prices = load("harvest_prices", "GET /api/v1/prices?commodity&parish&limit=20", "nginx_prices")
    farmer = load("harvest_farmer", "GET /api/v1/farmers/{id} (extension key)", "nginx_farmer")
    verify = load("harvest_verify", "GET /api/v1/verify/receipt/{n} (police key)", "nginx_verify")
    twilio = load("harvest_twilio", "POST /sms/twilio (signed form, TwiML)")
    v10k = load("verify_10k", "verify, 10,000 books")
    v1m = load("verify_1m", "verify, 1,000,000 books")
    for label, name in (("nginx_prices", "nginx static, prices body"),
                        ("nginx_farmer", "nginx static, farmer body"),
                        ("nginx_verify", "nginx static, verify body")):
        load(label, name)

    def of_rounds(n):
        return f" (median of {n} rounds)" if n > 1 else ""

    for name, r in (("prices", prices), ("farmers/{id}", farmer), ("verify", verify)):
        if r is None:
            check(f"{name}: >= 0.5x nginx req/s", "not available", None)
            check(f"{name}: p99 < 10 ms", "not available", None)
            continue
        ratio, p99 = r["ratio_check"], r["p99_check"]
        check(f"{name}: >= 0.5x nginx req/s",
              f"{ratio:.2f}x" + of_rounds(r["ratio_count"]) if ratio is not None else "-",
              ratio is not None and ratio >= 0.5 and not r["errors"])
        check(f"{name}: p99 < 10 ms", fmt_ms(p99) + (of_rounds(r["rounds"]) if p99 is not None else ""),
              p99 is not None and p99 < 10000)
    rss = num(res.get("rss", {}), "vmhwm_kb")
    check("harvest peak RSS < 200 MB", "-" if rss is None else f"{rss / 1024:.0f} MB",
          None if rss is None else rss < 200 * 1024)
    imp = res.get("import", {})
    h_rows, s_rows = num(imp, "harvest_rows_per_s"), num(imp, "sqlite_rows_per_s")
    imp_ratio = h_rows / s_rows if h_rows and s_rows else None
    check("import farmers >= 0.5x sqlite3 .import rows/s",
          "-" if imp_ratio is None else f"{imp_ratio:.2f}x",
          None if imp_ratio is None else imp_ratio >= 0.5)
    tr = None
    if twilio and verify:  # in rounds: the median of twilio_rN / verify_rN (field_combined)
        tr = twilio["ratio_check"] if "round_ids" in res["harvest_twilio"] else (
            twilio["rps"] / verify["rps"] if twilio["rps"] and verify["rps"] else None)
    if tr is not None:
        check("/sms/twilio >= 0.7x JSON verify req/s", f"{tr:.2f}x" + of_rounds(twilio["ratio_count"]),
              tr >= 0.7 and not twilio["errors"])
    else:
        check("/sms/twilio >= 0.7x JSON verify req/s", "not available", None)
    if v10k and v1m:
        br = v1m["p99"] / v10k["p99"]
        check("verify p99, 1M books within 20 % of 10k books",
              f"{fmt_ms(v1m['p99'])} vs {fmt_ms(v10k['p99'])} = {br:.2f}x", br <= 1.2)
    else:
        check("verify p99, 1M books within 20 % of 10k books", "not available", None)

    # Loads measured in rounds against another load of the same round (bench/run): the
    # median of the per-round ratios and of the rounds' p99.
    def paired(label, base):
        own, other = round_entries(res, label), round_entries(res, base)
        if not own:
            return None
        ids = sorted(own)
        ratios = [float(own[n]["rps"]) / float(other[n]["rps"]) for n in ids
                  if n in other and float(other[n]["rps"]) > 0]
        return {"rps": statistics.median(float(own[n]["rps"]) for n in ids),
                "p99": statistics.median(float(own[n]["p99_us"]) for n in ids),
                "ratio": statistics.median(ratios) if ratios else None,
                "rounds": len(ids),
                "errors": sum(int(own[n].get("status_errors", 0)) +
                              int(own[n].get("socket_errors", 0)) for n in ids),
                "each": "; ".join(
                    f"r{n} {fmt_rps(float(own[n]['rps']))} req/s p99 "
                    f"{fmt_ms(float(own[n]['p99_us']))}" +
                    (f" = {float(own[n]['rps']) / float(other[n]['rps']):.2f}x"
                     if n in other and float(other[n]['rps']) > 0 else "") for n in ids)}

    def errs(r):
        return f", {r['errors']} errors" if r["errors"] else ""

    sizes = (("170k", info.get("farmers", "170000")), ("big", res.get("pages_big", {}).get(
        "farmers", "1000000")))
    for kind, who in (("farmers", "extension key"), ("farms", "partner key")):
        got = {}
        for size, farmers in sizes:
            r = paired(f"harvest_p{kind}_{size}", f"nginx_p{kind}_{size}")
            got[size] = r
            name = f"{kind}?parish&limit=20 ({who}), {int(farmers):,} farmers"
            if r is None:
                reason = (res.get(f"pages_skip") or {}).get("reason", "not run").replace("_", " ")
                check(f"{name}: >= 0.25x nginx", "not available: " + reason, None)
                continue
            n = of_rounds(r["rounds"])
            check(f"{name}: >= 0.25x nginx",
                  ("-" if r["ratio"] is None else f"{r['ratio']:.2f}x") + n + errs(r),
                  r["ratio"] is not None and r["ratio"] >= 0.25 and not r["errors"])
            check(f"{name}: p99 < 10 ms", fmt_ms(r["p99"]) + n + errs(r),
                  r["p99"] < 10000 and r["rps"] > 0 and not r["errors"])
            extra_pages.append(f"- {name}: {r['each']} (vs nginx serving the same bodies)")
        a, b = got["170k"], got["big"]
        if a and b and a["rps"] > 0 and a["p99"] > 0:
            rr, pr = b["rps"] / a["rps"], b["p99"] / a["p99"]
            check(f"{kind} pages, {int(sizes[1][1]):,} vs {int(sizes[0][1]):,} farmers: "
                  f"req/s and p99 within 20 %",
                  f"req/s {rr:.2f}x, p99 {pr:.2f}x" + errs(a) + errs(b),
                  rr >= 0.8 and pr <= 1.2 and not a["errors"] and not b["errors"])
        elif a and b:
            check(f"{kind} pages, {int(sizes[1][1]):,} vs {int(sizes[0][1]):,} farmers: "
                  f"req/s and p99 within 20 %", f"no answers at {int(sizes[0][1]):,} farmers"
                  + errs(a), False)
    hot = paired("hot_hot", "hot_fresh")
    fresh = paired("hot_fresh", "hot_hot")
    if hot and fresh and hot["ratio"] is not None:
        check("hot receipt (after 20,000 checks of it) >= 0.8x fresh receipts req/s",
              f"{hot['ratio']:.2f}x" + of_rounds(hot["rounds"]) + errs(hot),
              hot["ratio"] >= 0.8 and not hot["errors"])
        extra_pages.append(f"- hot receipt: {hot['each']} (vs fresh receipts of the same round)")
        extra_pages.append(f"- fresh receipts, same server: {fresh['each']}")
    else:
        check("hot receipt (after 20,000 checks of it) >= 0.8x fresh receipts req/s",
              "not run", None)
    web = paired("webverify_html", "webverify_json")
    if web and web["ratio"] is not None:
        check("/verify page (POST, session, HTML) >= 0.8x JSON verify req/s",
              f"{web['ratio']:.2f}x" + of_rounds(web["rounds"]) + errs(web),
              web["ratio"] >= 0.8 and not web["errors"])
        check("/verify page: p99 < 10 ms", fmt_ms(web["p99"]) + of_rounds(web["rounds"]) + errs(web),
              web["p99"] < 10000 and web["rps"] > 0 and not web["errors"])
        extra_pages.append(f"- /verify page: {web['each']} (vs the JSON verify of the same round)")
        json_verify = paired("webverify_json", "webverify_html")
        if json_verify:
            extra_pages.append(f"- JSON verify, same server: {json_verify['each']}")
    else:
        reason = (res.get("webverify_skip") or {}).get("reason", "not run").replace("_", " ")
        check("/verify page (POST, session, HTML) >= 0.8x JSON verify req/s", reason, None)
    hist = paired("history_verify", "history_plain")
    if hist and hist["ratio"] is not None:
        n_checks = int(res.get("history", {}).get("checks", 0))
        start = res.get("history", {}).get("start_s")
        check(f"verify with {n_checks:,} past checks >= 0.8x without them (req/s)",
              f"{hist['ratio']:.2f}x" + of_rounds(hist["rounds"]) + errs(hist),
              hist["ratio"] >= 0.8 and not hist["errors"])
        check(f"verify with {n_checks:,} past checks: p99 < 10 ms",
              fmt_ms(hist["p99"]) + of_rounds(hist["rounds"]) + errs(hist),
              hist["p99"] < 10000 and hist["rps"] > 0 and not hist["errors"])
        extra_pages.append(f"- verify with {n_checks:,} past checks: {hist['each']} (vs the "
                           f"national copy without them); start to listening "
                           f"{float(start):.1f} s" if start else "")
        plain = paired("history_plain", "history_verify")
        if plain:
            extra_pages.append(f"- verify without past checks: {plain['each']}")
    # The table page /data/prices?... beside the JSON API answering the same question, in
    # turns on one server: without a key (both kept in the answer cache) and with the partner
    # key (both kept for that key, which is authenticated at each reuse).
    for tag, who in (("", "no key, cached"), ("_key", "partner key, cached for the key")):
        page = paired(f"portal_html{tag}", f"portal_json{tag}")
        api = paired(f"portal_json{tag}", f"portal_html{tag}")
        name = f"/data/prices?commodity&parish&limit=20 ({who})"
        if not (page and api) or page["ratio"] is None:
            reason = (res.get("portal_skip") or {}).get("reason", "not run").replace("_", " ")
            check(f"{name}: >= 0.8x the JSON API req/s", "not available: " + reason, None)
            continue
        check(f"{name}: >= 0.8x the JSON API req/s",
              f"{page['ratio']:.2f}x" + of_rounds(page["rounds"]) + errs(page) + errs(api),
              page["ratio"] >= 0.8 and not page["errors"] and not api["errors"])
        check(f"{name}: p99 < 10 ms", fmt_ms(page["p99"]) + of_rounds(page["rounds"]) + errs(page),
              page["p99"] < 10000 and page["rps"] > 0 and not page["errors"])
        extra_pages.append(f"- {name}: {page['each']} (vs the JSON API of the same round)")
        extra_pages.append(f"- /api/v1/prices, same queries ({who}): {api['each']}")
    # PostgreSQL (SPEC §11): verify against pgbench -S on the same server, in the same rounds.
    pg = paired("pg_verify", "pg_pgbench")
    if pg and pg["ratio"] is not None:
        n = of_rounds(pg["rounds"])
        check("verify on PostgreSQL >= 0.3x pgbench -S transactions/s",
              f"{pg['ratio']:.2f}x" + n + errs(pg), pg["ratio"] >= 0.3 and not pg["errors"])
        base = paired("pg_pgbench", "pg_verify")
        # The ceiling's own p99 at the same connections (from pgbench -l; 0 when not logged).
        ceiling = (f" (pgbench -S itself: {fmt_ms(base['p99'])})"
                   if base and base["p99"] > 0 else "")
        check("verify on PostgreSQL: p99 < 10 ms", fmt_ms(pg["p99"]) + n + errs(pg) + ceiling,
              pg["p99"] < 10000 and pg["rps"] > 0 and not pg["errors"])
        extra_pages.append(f"- verify on PostgreSQL, one server: {pg['each']} (vs pgbench -S)")
        extra_pages.append(f"- pgbench -S, same PostgreSQL: " + "; ".join(
            f"r{k} {fmt_rps(float(v['rps']))} tps" +
            (f" p50 {fmt_ms(float(v['p50_us']))} p99 {fmt_ms(float(v['p99_us']))}"
             if float(v.get("p99_us", 0)) > 0 else "") for k, v in
            sorted(round_entries(res, "pg_pgbench").items())) if base else "")
        for label, name in (("pg_prices", "prices on PostgreSQL, one server"),
                            ("pg2_verify", "verify on PostgreSQL, two servers together")):
            r = paired(label, "pg_pgbench")
            if r:
                extra_pages.append(f"- {name}: {r['each']} (vs pgbench -S){errs(r)}")
    else:
        reason = (res.get("postgres_skip") or {}).get("reason", "not run").replace("_", " ")
        check("verify on PostgreSQL >= 0.3x pgbench -S transactions/s", reason, None)
    for what in ("verify", "twilio"):
        new, old = paired(f"baseline_new_{what}", f"baseline_old_{what}"), \
            paired(f"baseline_old_{what}", f"baseline_new_{what}")
        if not (new and old):
            continue
        name = "verify" if what == "verify" else "/sms/twilio"
        if new["ratio"] is None:
            check(f"{name}, this build vs baseline: req/s within 10 %",
                  "the baseline answered nothing", None)
            continue
        check(f"{name}, this build vs baseline: req/s within 10 %",
              f"{new['ratio']:.2f}x" + of_rounds(new["rounds"]) + errs(new) + errs(old),
              abs(new["ratio"] - 1) <= 0.10 and not new["errors"] and not old["errors"])
        diff = new["p99"] - old["p99"]
        check(f"{name}, this build vs baseline: p99 within 2 ms",
              f"{fmt_ms(new['p99'])} vs {fmt_ms(old['p99'])} ({diff / 1000:+.2f} ms)",
              abs(diff) <= 2000 and not new["errors"] and not old["errors"])
        base = res.get("baseline", {})
        extra_pages.append(f"- {name}, this build: {new['each']} (vs the baseline)")
        extra_pages.append(f"- {name}, baseline {base.get('binary', '?').replace('_', ' ')}: "
                           f"{old['each']}")

    def table(header, body):
        widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
        line = lambda r: "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths)) + " |"
        sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
        return "\n".join([line(header), sep] + [line(r) for r in body])

    load_table = table(("load (64 connections)", "req/s", "p50", "p99",
                        "CPU % server / wrk / other / stolen",
                        "nginx req/s", "vs nginx"), rows)
    check_table = table(("target", "measured", "result"), checks)
    imp_lines = []
    if imp:
        imp_lines = [
            f"- `harvest import farmers`: {int(num(imp, 'rows'))} rows in "
            f"{num(imp, 'harvest_s'):.2f} s = {fmt_rps(h_rows)} rows/s",
            f"- `sqlite3` shell `.import`: {int(num(imp, 'rows'))} rows in "
            f"{num(imp, 'sqlite_s'):.2f} s = {fmt_rps(s_rows)} rows/s",
        ]
    extra = []
    if rss is not None:
        extra.append(f"- harvest server peak RSS (VmHWM after all national-data load): "
                     f"{rss / 1024:.1f} MB")
    field_runs = {label: round_entries(res, label)
                  for label in ("nginx_verify", "harvest_verify", "harvest_twilio")}
    field_ids = sorted(set().union(*field_runs.values()))
    if field_ids:
        hv, ht = res.get("harvest_verify", {}), res.get("harvest_twilio", {})
        medians = []
        if "ratio_median" in hv:
            medians.append(f"verify / nginx {num(hv, 'ratio_median'):.2f}x")
        if "ratio_median" in ht:
            medians.append(f"/sms/twilio / verify {num(ht, 'ratio_median'):.2f}x")
        if "p99_median_us" in hv:
            medians.append(f"verify p99 {fmt_ms(num(hv, 'p99_median_us'))}")
        shown = [f"{what} round {e['round']}" for what, e in (("verify and nginx", hv),
                                                               ("/sms/twilio", ht)) if "round" in e]
        extra.append(f"- verify and /sms/twilio, {len(field_ids)} rounds in turns (nginx verify, "
                     f"harvest verify, harvest /sms/twilio): the targets use medians over the "
                     f"rounds ({'; '.join(medians) or 'none'}); the load table shows the "
                     f"median-ratio round ({', '.join(shown) or '-'})")
        for n in field_ids:
            nv, v, t = (field_runs[label].get(n) for label in ("nginx_verify", "harvest_verify",
                                                                "harvest_twilio"))
            parts = [f"nginx verify {fmt_rps(num(nv, 'rps'))} req/s" if nv else "nginx verify -"]
            for what, e, base, base_name in (("harvest verify", v, nv, "nginx"),
                                             ("/sms/twilio", t, v, "verify")):
                if not e:
                    parts.append(what + " -")
                    continue
                part = f"{what} {fmt_rps(num(e, 'rps'))} req/s"
                if base and num(base, "rps"):
                    part += f" = {num(e, 'rps') / num(base, 'rps'):.2f}x {base_name}"
                parts.append(part + f", p50 {fmt_ms(num(e, 'p50_us'))}, "
                             f"p99 {fmt_ms(num(e, 'p99_us'))}")
            extra.append(f"- field round {n}: " + "; ".join(parts))
    for label in ("books_10k", "books_1m"):
        if label in res:
            extra.append(f"- {label.replace('_', ' ')}: {res[label].get('books', '?')} books "
                         f"(server peak RSS {num(res[label], 'vmhwm_kb') / 1024:.0f} MB)"
                         if num(res[label], "vmhwm_kb") else
                         f"- {label.replace('_', ' ')}: {res[label].get('books', '?')} books")
    if v10k and v1m:
        extra.append(f"- verify with 1,000,000 vs 10,000 books: req/s {v1m['rps'] / v10k['rps']:.2f}x, "
                     f"p50 {v1m['p50'] / v10k['p50']:.2f}x, p99 {v1m['p99'] / v10k['p99']:.2f}x "
                     f"(median-p99 round of {res['verify_1m'].get('rounds', '1')})")
        for label, name in (("verify_10k", "10,000"), ("verify_1m", "1,000,000")):
            e = res[label]
            if "p99_rounds_us" in e:
                p99s = ", ".join(fmt_ms(int(v)) for v in e["p99_rounds_us"].split(","))
                rps = ", ".join(fmt_rps(float(v)) for v in e["rps_rounds"].split(","))
                extra.append(f"- verify, {name} books, each round in turn: p99 {p99s}; req/s {rps}")
    extra += [line for line in extra_pages if line]
    if "sanity" in res:
        extra.append("- recorded after the national run: " + ", ".join(
            f"{k.replace('_', ' ')} {v}" for k, v in res["sanity"].items()))

    if noisy:
        extra.append("- WARNING, the machine was not quiet (figures are low): " + "; ".join(noisy))
    print()
    print(load_table)
    print()
    print(check_table)
    print()
    for l in imp_lines + extra:
        print(l)

    d = lambda k: info.get(k, "?").replace("_", " ")
    md = [
        "# Benchmark results",
        "",
        "Written by `bench/run` (`make bench`); the figures below are from its last run.",
        "",
        f"- date: {d('date')}",
        f"- machine: {d('cpu')}, {d('nproc')} cores, {d('mem')} RAM, {d('kernel')}",
        f"- harvest: {d('harvest')}; nginx {d('nginx')}; wrk {d('wrk')}; sqlite3 {d('sqlite')}",
        f"- data: national demo ({int(info.get('farmers', 0)):,} farmers, "
        f"{int(info.get('books', 0)):,} books)",
        f"- load: `wrk -t1 -c64 -d{d('duration')}s` after a {d('warmup')} s warm-up of the same "
        f"requests; {d('split')}",
        "",
        "## Targets",
        "",
        check_table,
        "",
        "## Load",
        "",
        load_table,
        "",
        "## Import (170,000 farmers, same CSV, same table)",
        "",
        *imp_lines,
        "",
        "## Other figures",
        "",
        *extra,
        "",
        "## Method",
        "",
        "- Harvest serves a copy of the cached national demo database (`harvest demo`, "
        "170,000 farmers, seed 2014) from `bench/out/`; each run starts from a clean copy.",
        "- The ceiling is nginx (`bench/nginx.conf`: 1 worker, access log off, keep-alive "
        "unlimited) serving, for each measured JSON endpoint, a static file holding the very "
        "bytes Harvest answered (fetched with curl first), as `application/json`.",
        "- wrk rotates over prepared requests (`bench/load.lua`): the prices query with the "
        "most rows for one commodity and parish; 1,000 random farmer ids; 50,000 random receipt "
        "numbers drawn from random books (so few receipts are re-checked and no single row stays "
        "hot); for `/sms/twilio`, `R <receipt>` messages from the active officers' phones, each "
        "with its own MessageSid and a valid `X-Twilio-Signature` (HMAC-SHA1, computed in "
        "`bench/prep.py`), and the officer rate limit raised in a bench config file.",
        "- verify and `/sms/twilio` are measured in turns: "
        + (f"{len(field_ids)} rounds (`BENCH_FIELD_ROUNDS`, default 3) " if field_ids else
           "`BENCH_FIELD_ROUNDS` rounds (default 3) ") +
        "of nginx verify, harvest verify, harvest `/sms/twilio`, each `/sms/twilio` round "
        "with its own file of fresh MessageSids. The targets use the median over the rounds "
        "of the per-round ratios (harvest verify / nginx verify, `/sms/twilio` / harvest "
        "verify of the same round) and the median of the rounds' verify p99. The load table "
        "shows, for verify and its nginx ceiling, the round whose verify / nginx ratio is the "
        "median, and for `/sms/twilio` the round whose twilio / verify ratio is the median "
        "(with an even number of rounds, the lower middle one); every round is listed under "
        "Other figures. prices and farmers/{id} are one run each.",
        "- Each nginx run comes right before the harvest run it is compared with. Before each "
        "measured run `bench/run` waits (up to 30 s) for the machine to be idle; the CPU "
        "column gives the share of one core used during the run by the server, by wrk, by "
        "every other process, and stolen by the hypervisor (other > 10 % is flagged).",
        "- Peak RSS is `VmHWM` of the server process from `/proc/PID/status` after the load.",
        "- Import: `harvest export farmers --role admin` writes the CSV; `harvest import "
        "farmers` loads it into a new database; the `sqlite3` shell creates the same table "
        "(`.schema farmers` of the demo database: STRICT, CHECKs, indexes, triggers) in a new "
        "database and runs `.import --csv --skip 1` of the same rows. Because the table is "
        "STRICT and the export writes booleans as `true`/`false`, the shell gets a copy of the "
        "CSV with those two columns as `1`/`0` (the shell cannot convert). Wall time, best of "
        "2 runs each.",
        "- 10,000 vs 1,000,000 books: a demo database of 18,000 farmers topped up with "
        "generated books (`harvest import books`, 100 receipts each, random owners) to exactly "
        "10,000 and 1,000,000 books; the same verify load (50,000 random receipts over all "
        "books) on each. Both servers run side by side and are loaded in turns (10k, 1M, "
        "10k, 1M, ...; `BENCH_BOOK_ROUNDS`, default 3); each size's figures are from its "
        "median-p99 round.",
    ] + METHOD_NEW + [""]
    notes = ""
    if os.path.exists(args.md):
        text = open(args.md).read()
        marker = NOTES_MARKER
        if marker in text:
            notes = text[text.index(marker):]
        if SOAK_BEGIN in text and SOAK_END in text:  # make soak's section stays as it was
            notes = (text[text.index(SOAK_BEGIN):text.index(SOAK_END) + len(SOAK_END)] + "\n\n"
                     + notes)
    if not notes:
        notes = "<!-- notes: kept by bench/run -->\n## Notes\n\n(none yet)\n"
    with open(args.md, "w") as f:
        f.write("\n".join(md) + "\n" + notes)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("freeport").set_defaults(fn=freeport)
    g = sub.add_parser("gets")
    g.add_argument("db"), g.add_argument("out")
    g.add_argument("--farmers", type=int, default=1000)
    g.add_argument("--receipts", type=int, default=50000)
    g.add_argument("--seed", type=int, default=1)
    g.set_defaults(fn=gets)
    r = sub.add_parser("receipts")
    r.add_argument("db"), r.add_argument("out")
    r.add_argument("--count", type=int, default=50000)
    r.add_argument("--seed", type=int, default=1)
    r.set_defaults(fn=receipts)
    t = sub.add_parser("twilio")
    t.add_argument("db"), t.add_argument("out")
    t.add_argument("--url", required=True), t.add_argument("--token", required=True)
    t.add_argument("--count", type=int, default=100000)
    t.add_argument("--seed", type=int, default=2)
    t.add_argument("--tag", default="run")
    t.set_defaults(fn=twilio)
    b = sub.add_parser("books")
    b.add_argument("db"), b.add_argument("out")
    b.add_argument("--total", type=int, required=True)
    b.add_argument("--seed", type=int, default=3)
    b.set_defaults(fn=books)
    s = sub.add_parser("sqlite-csv")
    s.add_argument("src"), s.add_argument("dst")
    s.set_defaults(fn=sqlite_csv)
    pg = sub.add_parser("pages")
    pg.add_argument("db"), pg.add_argument("out"), pg.add_argument("--tag", required=True)
    pg.set_defaults(fn=pages)
    po = sub.add_parser("portal")
    po.add_argument("db"), po.add_argument("out")
    po.set_defaults(fn=portal)
    h = sub.add_parser("hammer")
    for a in ("url", "path", "token"):
        h.add_argument(a)
    h.add_argument("count", type=int)
    h.set_defaults(fn=hammer)
    c = sub.add_parser("checks")
    c.add_argument("db"), c.add_argument("--count", type=int, required=True)
    c.add_argument("--seed", type=int, default=4)
    c.set_defaults(fn=checks)
    sr = sub.add_parser("soak-requests")
    sr.add_argument("db"), sr.add_argument("out"), sr.add_argument("--seed", type=int, default=7)
    sr.set_defaults(fn=soak_requests)
    so = sub.add_parser("soak-report")
    so.add_argument("samples"), so.add_argument("md")
    so.set_defaults(fn=soak_report)
    md = sub.add_parser("median")
    md.add_argument("results"), md.add_argument("label")
    md.set_defaults(fn=median)
    m = sub.add_parser("summary")
    m.add_argument("results"), m.add_argument("md")
    m.set_defaults(fn=summary)
    args = p.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
