"""The demo for a new user: `make demo` fails fast on a busy port and builds only the server;
`serve --demo --farmers N` makes N farmers, turns the SMS webhooks on with demo secrets and
prints ready commands that answer; every example in /docs and README answers real rows."""
import http.client
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import time
import urllib.parse

import pytest

from field_samples import query
from harvest_env import BIN, ROOT

SMALL = "500"


class DemoServer:
    """`harvest serve --demo` with its start-up text (not --quiet), on a free port."""

    def __init__(self, db, *args, env=None):
        full_env = dict(os.environ)
        full_env.pop("HARVEST_KANNEL_SECRET", None)
        full_env.pop("HARVEST_TWILIO_AUTH_TOKEN", None)
        full_env.update(env or {})
        self.db = db
        self.proc = subprocess.Popen(
            [BIN, "--db", str(db), "serve", "--demo", "--listen", "127.0.0.1:0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env)
        self.lines = []
        deadline = time.time() + 120
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError("harvest serve exited: " + self.proc.stderr.read())
            self.lines.append(line.rstrip("\n"))
            if line.startswith("Stop with Ctrl-C"):
                break
        match = re.search(r"listening on (http://[\d.]+:\d+)", "\n".join(self.lines))
        assert match, self.lines
        self.base = match.group(1)

    def text(self):
        return "\n".join(self.lines)

    def commands(self):
        """The printed curl commands, each with the comment line above it ("" if none)."""
        found, comment = [], ""
        for line in self.lines:
            line = line.strip()
            if line.startswith("#"):
                comment = line
            elif line.startswith("curl "):
                found.append((comment, line))
                comment = ""
        return found

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode


@pytest.fixture()
def demo_server(fresh_db):
    server = DemoServer(fresh_db, "--farmers", SMALL)
    yield server
    assert server.stop() == 0


def run_curl(command, base=None, key=None):
    """Runs one documented curl command with http.client: returns (status, body bytes).
    `base` replaces the documented http://127.0.0.1:8080; `key` the placeholder KEY."""
    args = shlex.split(command)
    assert args[0] == "curl", command
    method, headers, data, url = None, {}, [], None
    i = 1
    while i < len(args):
        arg = args[i]
        if arg in ("-X", "-H", "-d", "-o"):
            value = args[i + 1]
            i += 2
            if arg == "-X":
                method = value
            elif arg == "-H":
                name, _, text = value.partition(":")
                text = text.strip()
                if key and text == "Bearer KEY":
                    text = "Bearer " + key
                headers[name.strip()] = text
            elif arg == "-d":
                data.append(value)
            continue
        assert not arg.startswith("-"), f"unexpected curl option {arg} in {command}"
        url = arg
        i += 1
    assert url, command
    if base:
        url = url.replace("http://127.0.0.1:8080", base)
    body = None
    if data:
        body = "&".join(data).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        method = method or "POST"
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    target = parts.path + ("?" + parts.query if parts.query else "")
    conn.request(method or "GET", target, body=body, headers=headers)
    res = conn.getresponse()
    payload = res.read()
    conn.close()
    return res.status, payload


def busy_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


# ---- make demo and serve --demo -----------------------------------------------------------

@pytest.mark.first_pass_only("make demo: its SQLite file and build directory")
def test_make_demo_fails_fast_on_a_busy_port(tmp_path):
    sock = busy_port()
    port = sock.getsockname()[1]
    try:
        start = time.time()
        proc = subprocess.run(["make", "--no-print-directory", "demo", f"PORT={port}",
                               f"BUILD={tmp_path / 'build'}", f"DB={tmp_path / 'demo.db'}"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        took = time.time() - start
    finally:
        sock.close()
    assert proc.returncode != 0
    assert f"port {port}" in proc.stderr and f"make demo PORT={port + 1}" in proc.stderr, proc
    assert took < 30  # before installing, building or generating anything
    assert not (tmp_path / "build").exists() and not (tmp_path / "demo.db").exists()


@pytest.mark.first_pass_only("make demo: what make would run, no database")
def test_make_demo_builds_only_the_server_and_passes_farmers():
    proc = subprocess.run(["make", "-n", "--no-print-directory", "demo", "PORT=1", "FARMERS=900"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc
    builds = [line for line in proc.stdout.splitlines() if "cmake --build" in line]
    assert builds and all("--target harvest" in line for line in builds), proc.stdout
    assert "unit_tests" not in proc.stdout
    assert re.search(r"harvest serve .*--demo --farmers 900 --listen 127\.0\.0\.1:1\b",
                     proc.stdout), proc.stdout


@pytest.mark.first_pass_only("that no SQLite file is made before the port is checked")
def test_serve_demo_checks_the_port_before_making_data(tmp_path):
    sock = busy_port()
    port = sock.getsockname()[1]
    db = tmp_path / "demo.db"
    try:
        start = time.time()
        proc = subprocess.run([BIN, "--db", str(db), "serve", "--demo", "--listen",
                               f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=120)
        took = time.time() - start
    finally:
        sock.close()
    assert proc.returncode == 1, proc
    assert f"127.0.0.1:{port} is already in use" in proc.stderr, proc.stderr
    assert f"--listen 127.0.0.1:{port + 1}" in proc.stderr
    assert "building demo data" not in proc.stderr
    assert took < 10
    assert not db.exists()


def test_serve_demo_takes_farmers(demo_server):
    status, body = run_curl("curl -H 'Authorization: Bearer hv_demo_admin' "
                            f"'{demo_server.base}/api/v1/farmers?count=true&limit=1'")
    assert status == 200
    assert json.loads(body)["total"] == int(SMALL)


@pytest.mark.first_pass_only("a usage error, before any database is opened")
def test_farmers_without_demo_is_a_usage_error(tmp_path):
    proc = subprocess.run([BIN, "--db", str(tmp_path / "h.db"), "serve", "--farmers", "500",
                           "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc
    assert "--demo" in proc.stderr


# ---- SMS in demo mode ---------------------------------------------------------------------

def test_demo_prints_sms_secrets_and_commands_that_answer(demo_server):
    text = demo_server.text()
    assert "Kannel secret      hv_demo_kannel" in text
    assert "Twilio auth token  hv_demo_twilio" in text
    sms = [(c, cmd) for c, cmd in demo_server.commands() if "/sms/" in cmd]
    replies = []
    for comment, command in sms:
        status, body = run_curl(command)
        assert status == 200, (command, body)
        replies.append((comment, command, body.decode()))
    words = [re.sub(r"^<\?xml.*?<Message>", "", reply).split(" ")[0] for _, _, reply in replies]
    # R on a clean receipt, R on a stolen book, S by its farmer, R of that sale, R by Twilio.
    assert words == ["VALID", "ALERT", "SOLD", "VALID", "VALID"], replies
    assert all(w in c for w, (c, _, _) in zip(["VALID", "ALERT"], replies))
    sold = re.match(r"SOLD (\d+): (\d+) kg ([a-z ]+) recorded", replies[2][2])
    assert sold, replies[2]
    assert f"R {sold.group(1)}" in urllib.parse.unquote(replies[3][1])
    assert f"Sale: {sold.group(2)} kg {sold.group(3)}" in replies[3][2]
    # The sale is really kept, on the farmer's own book.
    rows = query(demo_server.db,
                 "SELECT s.channel FROM sales s JOIN books b ON s.receipt BETWEEN b.first_receipt "
                 "AND b.last_receipt AND b.farmer_id = s.farmer_id WHERE s.receipt = ?",
                 int(sold.group(1)))
    assert rows == [("sms",)]


def test_demo_restart_suggests_a_receipt_not_yet_sold(fresh_db):
    db = fresh_db
    first = DemoServer(db, "--farmers", SMALL)
    try:
        sell = [cmd for _, cmd in first.commands() if "text=S%20" in cmd][0]
        assert run_curl(sell)[1].startswith(b"SOLD ")
    finally:
        assert first.stop() == 0
    second = DemoServer(db)
    try:
        again = [cmd for _, cmd in second.commands() if "text=S%20" in cmd][0]
        assert again != sell
        assert run_curl(again)[1].startswith(b"SOLD ")
    finally:
        assert second.stop() == 0


def test_demo_keeps_a_configured_secret(fresh_db):
    server = DemoServer(fresh_db, "--farmers", SMALL,
                        env={"HARVEST_KANNEL_SECRET": "our-own-secret"})
    try:
        assert "hv_demo_kannel" not in server.text()
        assert "our-own-secret" not in server.text()  # a real secret is never printed
        kannel = [cmd for _, cmd in server.commands() if "/sms/kannel" in cmd]
        assert kannel and all("key=SECRET" in cmd for cmd in kannel)
        assert run_curl(kannel[0])[0] == 403
        assert run_curl(kannel[0].replace("key=SECRET", "key=our-own-secret"))[1].startswith(
            b"VALID ")
    finally:
        assert server.stop() == 0


def test_without_demo_the_gateways_stay_off(fresh_db):
    db = fresh_db
    subprocess.run([BIN, "--db", str(db), "demo", "--farmers", "50"], check=True,
                   capture_output=True, timeout=120)
    env = {k: v for k, v in os.environ.items()
           if k not in ("HARVEST_KANNEL_SECRET", "HARVEST_TWILIO_AUTH_TOKEN")}
    proc = subprocess.Popen([BIN, "--db", str(db), "serve", "--listen", "127.0.0.1:0", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        base = re.search(r"(http://[\d.]+:\d+)", proc.stdout.readline()).group(1)
        status, _ = run_curl(f"curl '{base}/sms/kannel?key=hv_demo_kannel&from=1&text=HELP'")
        assert status == 404
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()


# ---- examples in /docs, README and the start-up text answer rows on demo data --------------

def rows_answered(command, status, body):
    """How many rows one example answered (a record or a verdict counts as one)."""
    assert 200 <= status < 300, (command, status, body[:300])
    if ".csv" in command:
        return len(body.decode().strip().splitlines()) - 1  # minus the header
    doc = json.loads(body)
    for listing in ("data", "features", "datasets"):
        if isinstance(doc.get(listing), list):
            return len(doc[listing])
    if "verdict" in doc:
        assert doc["verdict"] == "VALID" and doc["book"], (command, doc)
        return 1
    assert doc.get("id") or doc.get("serial") or doc.get("receipt"), (command, doc)
    return 1


def docs_commands(html_text):
    """Every curl command in the page's code blocks, continuation lines joined."""
    import html
    commands = []
    for block in re.findall(r"<pre><code>(.*?)</code></pre>", html_text, re.S):
        text = html.unescape(block).replace("\\\n", " ")
        commands += [line.strip() for line in text.splitlines() if line.strip().startswith("curl ")]
    return commands


def test_every_docs_example_answers_rows(demo_server):
    status, page = run_curl(f"curl {demo_server.base}/docs")
    assert status == 200
    commands = docs_commands(page.decode())
    # Quick start (5), writing (2), sales and book report (2): none may drop out unnoticed.
    assert len(commands) >= 9, commands
    for command in commands:  # in page order: the report comes after the sale on its book
        status, body = run_curl(command, base=demo_server.base, key="hv_demo_admin")
        assert rows_answered(command, status, body) >= 1, (command, body[:300])


def test_every_readme_api_example_answers_rows(demo_server):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Trying the API", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [shlex.join(shlex.split(line, comments=True)) for line in section.splitlines()
                if line.startswith("curl ")]
    assert len(commands) >= 5, section
    for command in commands:
        status, body = run_curl(command, base=demo_server.base)
        assert rows_answered(command, status, body) >= 1, (command, body[:300])


def test_printed_api_examples_answer_rows(demo_server):
    commands = [cmd for _, cmd in demo_server.commands() if "/api/v1/" in cmd]
    assert len(commands) >= 4, demo_server.text()
    for command in commands:
        status, body = run_curl(command)
        assert rows_answered(command, status, body) >= 1, (command, body[:300])
