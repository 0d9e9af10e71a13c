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
import statistics
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
