"""Server behaviour: streaming, graceful shutdown on SIGTERM, keep-alive limits."""
import signal
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from harvest_env import Server, run_cli

pytestmark = pytest.mark.first_pass_only(
    "HTTP framing, keep-alive, streaming and signals over the first pass's SQLite demo, not "
    "converted: one test holds SQLite's write lock")


def read_until_closed(sock):
    data = b""
    while True:
        part = sock.recv(65536)
        if not part:
            return data
        data += part


def test_csv_limit_all_is_chunked(server):
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(b"GET /api/v1/prices.csv?limit=all&sort=-week_of HTTP/1.1\r\nHost: x\r\n"
                     b"Connection: close\r\n\r\n")
        raw = read_until_closed(sock)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"Transfer-Encoding: chunked" in head
    assert body.endswith(b"0\r\n\r\n")


def test_sigterm_finishes_requests_in_flight(demo_db):
    srv = Server(demo_db)
    try:
        sock = socket.create_connection((srv.host, srv.port), timeout=30)
        sock.sendall(b"GET /api/v1/prices.csv?limit=all HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        first = sock.recv(1024)
        assert first.startswith(b"HTTP/1.1 200")
        srv.proc.send_signal(signal.SIGTERM)
        rest = read_until_closed(sock)
        sock.close()
        body = (first + rest).partition(b"\r\n\r\n")[2]
        assert body.endswith(b"0\r\n\r\n"), "the response was cut short"
        assert srv.proc.wait(timeout=30) == 0
        # After shutdown nothing listens any more.
        try:
            socket.create_connection((srv.host, srv.port), timeout=2).close()
            assert False, "still accepting connections"
        except OSError:
            pass
    finally:
        srv.stop()


def exchange(server, raw):
    """Sends raw request bytes and reads until the server closes the connection."""
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(raw)
        return read_until_closed(sock)


def split_response(raw):
    """(status line, {lower-case header: value}, rest) of the first response in `raw`."""
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        assert name.lower() not in headers, "header sent twice: " + line
        headers[name.lower()] = value.strip()
    return lines[0], headers, rest


def test_response_heads_frame_keep_alive_head_and_304(server):
    # Two requests on one HTTP/1.1 connection, the second asking to close: both answered,
    # each body exactly Content-Length long, then the connection closed.
    raw = exchange(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                           b"GET /api/v1/parishes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, headers, rest = split_response(raw)
    assert status == "HTTP/1.1 200 OK"
    assert headers["server"] == "Harvest" and "connection" not in headers
    length = int(headers["content-length"])
    assert rest[:length] == b'{"status":"ok"}'
    status, headers, rest = split_response(rest[length:])
    assert status == "HTTP/1.1 200 OK" and headers["connection"] == "close"
    assert len(rest) == int(headers["content-length"]) and rest.startswith(b'{"data":[')
    etag = headers["etag"]
    # HEAD: the GET's length, no body. 304: no body and no length.
    status, head_headers, rest = split_response(
        exchange(server, b"HEAD /api/v1/parishes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
    assert status == "HTTP/1.1 200 OK" and rest == b""
    assert head_headers["content-length"] == headers["content-length"]
    status, headers, rest = split_response(exchange(
        server, b"GET /api/v1/parishes HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag.encode() +
        b"\r\nConnection: close\r\n\r\n"))
    assert status == "HTTP/1.1 304 Not Modified" and rest == b""
    assert "content-length" not in headers and headers["etag"] == etag
    # HEAD of a streamed (chunked) answer: its length is unknown, so none is given.
    status, headers, rest = split_response(exchange(
        server, b"HEAD /api/v1/prices.csv?limit=all HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
    assert status == "HTTP/1.1 200 OK" and rest == b"" and "content-length" not in headers
    # HTTP/1.0 without keep-alive: answered in 1.0 and closed; with it: kept open.
    status, headers, _ = split_response(exchange(server, b"GET /healthz HTTP/1.0\r\n\r\n"))
    assert status == "HTTP/1.0 200 OK" and "connection" not in headers
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        first = sock.recv(4096)
        assert b"\r\nConnection: keep-alive\r\n" in first
        sock.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
        assert read_until_closed(sock).startswith(b"HTTP/1.0 200 OK")


def test_expect_100_continue_then_the_answer(server):
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        body = b"[]"
        sock.sendall(b"POST /api/v1/farmers HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                     b"Content-Type: application/json\r\nConnection: close\r\n"
                     b"Content-Length: 2\r\n\r\n")
        status, headers, rest = split_response(sock.recv(4096))
        assert status == "HTTP/1.1 100 Continue" and "content-length" not in headers and rest == b""
        sock.sendall(body)
        status, headers, _ = split_response(read_until_closed(sock))
        assert status.startswith("HTTP/1.1 401") and headers["connection"] == "close"


def test_malformed_request_gets_400(server):
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(b"NOT A REQUEST\r\n\r\n")
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 400")


def test_writes_waiting_for_the_lock_do_not_stop_the_server(fresh_db):
    # Pinned to one core, where the server runs one I/O thread: writes waiting on SQLite's
    # lock (held here as a CLI import would) must leave it answering everyone else, through
    # its standby threads, even with two writes waiting at once.
    key = run_cli(fresh_db, "key", "create", "--role", "extension", "--name", "w").stdout.split()[0]
    srv = Server(fresh_db, cpus={0})
    lock = sqlite3.connect(fresh_db, isolation_level=None)
    try:
        lock.execute("BEGIN IMMEDIATE")
        results = {}
        writers = []
        for n in (1, 2):
            farmer = {"id": f"99000000{n}", "first_name": "Ivy", "last_name": "Grant",
                      "parish": "KIN", "verified": "no", "activity": "Domestic Crops"}
            writers.append(threading.Thread(target=lambda n=n, farmer=farmer: results.update(
                {n: srv.post("/api/v1/farmers", farmer, key=key)})))
            writers[-1].start()
            time.sleep(0.3)
        for writer in writers:
            writer.join(timeout=0.5)
            assert writer.is_alive(), f"a write did not wait for the lock: {results}"
        for path in ("/healthz", "/api/v1/parishes"):
            started = time.monotonic()
            assert srv.get(path).status == 200
            assert time.monotonic() - started < 2, f"{path} waited for the writes"
        assert all(w.is_alive() for w in writers), "answered only after a write gave up"
        lock.execute("COMMIT")
        for writer in writers:
            writer.join(timeout=30)
        assert [results[n].status for n in (1, 2)] == [201, 201], results
    finally:
        lock.close()
        srv.stop()


def test_threads_on_one_core(fresh_db):
    # Pinned to one core the server runs one I/O thread (the main one), two standbys that
    # serve only while handlers wait, the log committer and the receipt index's copier.
    srv = Server(fresh_db, cpus={0})
    try:
        assert srv.get("/healthz").status == 200
        names = sorted((task / "comm").read_text().strip()
                       for task in Path(f"/proc/{srv.proc.pid}/task").iterdir())
        assert names.count("harvest-io") == 0, names
        assert names.count("harvest") == 1, names
        assert names.count("harvest-standby") == 2, names
        assert names.count("harvest-index") == 1, names
        # one group committer for receipt checks, audit entries and SMS replies
        assert names.count("harvest-log") == 1, names
    finally:
        srv.stop()
