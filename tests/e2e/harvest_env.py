"""Starting and talking to the real harvest binary for end-to-end tests.

Each server runs on a free port (the binary binds port 0 and prints the port) against its
own database file, and is stopped with SIGTERM afterwards.
"""
import http.client
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = os.path.abspath(os.environ.get("HARVEST_BIN", str(ROOT / "build" / "harvest")))

# What AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer print (make test also
# runs this suite on a sanitized binary): a report fails the test even when the process goes on.
SANITIZER_REPORT = re.compile(r"ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|"
                              r"^SUMMARY: \w+Sanitizer|: runtime error: ", re.M)


def check_no_sanitizer_report(stderr, what):
    """Raises AssertionError with the report when `stderr` holds a sanitizer report."""
    match = SANITIZER_REPORT.search(stderr or "")
    if match:
        start = max(0, match.start() - 2000)
        raise AssertionError(f"{what} printed a sanitizer report:\n{stderr[start:start + 12000]}")


def run_cli(db, *args, stdin=None, env=None, check=True):
    """Runs `harvest --db DB ARGS`; returns the CompletedProcess."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run([BIN, "--db", str(db), *args], input=stdin, capture_output=True,
                          text=True, env=full_env, timeout=300)
    check_no_sanitizer_report(proc.stderr, f"harvest {' '.join(args)}")
    if check and proc.returncode != 0:
        raise AssertionError(f"harvest {' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return f"<Reply {self.status} {self.body[:300]!r}>"


class Client:
    """HTTP requests to a Harvest server at host:port."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.base = f"http://{host}:{port}"

    def request(self, method, path, body=None, headers=None, key=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        hdrs = dict(headers or {})
        if key:
            hdrs["Authorization"] = f"Bearer {key}"
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            hdrs.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=body, headers=hdrs)
        res = conn.getresponse()
        data = res.read()
        reply = Reply(res.status, {k.lower(): v for k, v in res.getheaders()}, data)
        conn.close()
        return reply

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body, **kw):
        return self.request("PATCH", path, body=body, **kw)


def _prepare_child(cpus, preexec):
    if cpus:
        os.sched_setaffinity(0, cpus)
    if preexec:
        preexec()


class Server(Client):
    """A running `harvest serve` process."""

    def __init__(self, db, extra_args=(), env=None, cpus=None, preexec=None):
        """cpus: run the server on these CPUs only (as `taskset` would); preexec: also run
        this in the child before it starts (to set resource limits, say)."""
        self.db = db
        full_env = dict(os.environ)
        full_env.update(env or {})
        # A file, not a pipe: nobody reads stderr while the server runs, and a full pipe would
        # block it. stop() reads it for sanitizer reports.
        self.stderr_file = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        self.proc = subprocess.Popen([BIN, "--db", str(db), "serve", "--listen", "127.0.0.1:0",
                                      "--quiet", *extra_args],
                                     stdout=subprocess.PIPE, stderr=self.stderr_file, text=True,
                                     env=full_env,
                                     preexec_fn=((lambda: _prepare_child(cpus, preexec))
                                                 if cpus or preexec else None))
        deadline = time.time() + 120
        line = ""
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            match = re.search(r"listening on http://([\d.]+):(\d+)", line)
            if match:
                break
            if self.proc.poll() is not None:
                raise AssertionError("harvest serve exited: " + self.stderr())
        else:
            raise AssertionError("harvest serve did not start: " + line)
        super().__init__(match.group(1), int(match.group(2)))

    def stderr(self):
        """What the server has printed on stderr so far."""
        self.stderr_file.flush()
        self.stderr_file.seek(0)
        return self.stderr_file.read()

    def stop(self):
        """SIGTERM (unless it has ended already); returns the exit status. Raises
        AssertionError when the server printed a sanitizer report, at exit (leaks) or before."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        printed = self.stderr()
        self.stderr_file.close()
        check_no_sanitizer_report(printed, f"harvest serve (exit status {self.proc.returncode})")
        return self.proc.returncode


def walk_pages(server, path, key=None):
    """Follows `next` links from path; returns every row."""
    rows = []
    pages = 0
    while path:
        reply = server.get(path, key=key)
        assert reply.status == 200, reply
        doc = reply.json()
        rows.extend(doc["data"])
        path = doc["next"]
        pages += 1
        assert pages < 10000
    return rows
