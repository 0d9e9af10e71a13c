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
import sys
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
    with open(args.out, "w") as f:
        for i in range(args.count):
            params = {
                "AccountSid": "ACbench0000000000000000000000000000",
                "MessageSid": "SM%s%026x" % (args.tag, i),
                "From": phones[i % len(phones)],
                "To": "+18765550100",
                "Body": "R %d" % numbers[i % len(numbers)],
                "NumMedia": "0",
            }
            body = urllib.parse.urlencode(params)
            f.write(f"POST\t/sms/twilio\t{twilio_signature(url, params, args.token)}\t{body}\n")


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
    info = res.get("info", {})
    noisy = []     # runs that shared the machine with other work
    rows = []      # load table: name, rps, p50, p99, nginx rps, ratio
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
        cpus = [num(e, k) for k in ("server_cpu_pct", "wrk_cpu_pct", "other_cpu_pct", "steal_pct")]
        if (cpus[2] or 0) > 10:
            noisy.append(f"{name}: other processes used {cpus[2]:.0f} % of a core")
        rows.append((name, fmt_rps(rps) + note, fmt_ms(num(e, "p50_us")), fmt_ms(p99),
                     " / ".join("-" if c is None else f"{max(c, 0):.0f}" for c in cpus),
                     fmt_rps(crps) if crps else "", f"{ratio:.2f}x" if ratio is not None else ""))
        return {"rps": rps, "p99": p99, "p50": num(e, "p50_us"), "ratio": ratio,
                "errors": errors}

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

    for name, r in (("prices", prices), ("farmers/{id}", farmer), ("verify", verify)):
        if r is None:
            check(f"{name}: >= 0.5x nginx req/s", "not available", None)
            check(f"{name}: p99 < 10 ms", "not available", None)
            continue
        check(f"{name}: >= 0.5x nginx req/s",
              f"{r['ratio']:.2f}x" if r["ratio"] is not None else "-",
              r["ratio"] is not None and r["ratio"] >= 0.5 and not r["errors"])
        check(f"{name}: p99 < 10 ms", fmt_ms(r["p99"]), r["p99"] is not None and r["p99"] < 10000)
    rss = num(res.get("rss", {}), "vmhwm_kb")
    check("harvest peak RSS < 200 MB", "-" if rss is None else f"{rss / 1024:.0f} MB",
          None if rss is None else rss < 200 * 1024)
    imp = res.get("import", {})
    h_rows, s_rows = num(imp, "harvest_rows_per_s"), num(imp, "sqlite_rows_per_s")
    imp_ratio = h_rows / s_rows if h_rows and s_rows else None
    check("import farmers >= 0.5x sqlite3 .import rows/s",
          "-" if imp_ratio is None else f"{imp_ratio:.2f}x",
          None if imp_ratio is None else imp_ratio >= 0.5)
    if twilio and verify:
        tr = twilio["rps"] / verify["rps"]
        check("/sms/twilio >= 0.7x JSON verify req/s", f"{tr:.2f}x", tr >= 0.7 and not twilio["errors"])
    else:
        check("/sms/twilio >= 0.7x JSON verify req/s", "not available", None)
    if v10k and v1m:
        br = v1m["p99"] / v10k["p99"]
        check("verify p99, 1M books within 20 % of 10k books",
              f"{fmt_ms(v1m['p99'])} vs {fmt_ms(v10k['p99'])} = {br:.2f}x", br <= 1.2)
    else:
        check("verify p99, 1M books within 20 % of 10k books", "not available", None)

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
        "",
    ]
    notes = ""
    if os.path.exists(args.md):
        text = open(args.md).read()
        marker = "<!-- notes: kept by bench/run -->"
        if marker in text:
            notes = text[text.index(marker):]
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
