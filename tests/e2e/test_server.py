"""Server behaviour: streaming, graceful shutdown on SIGTERM, keep-alive limits."""
import signal
import socket
import sqlite3
import threading

from harvest_env import Server, run_cli


def read_until_closed(sock):
    data = b""
    while True:
        part = sock.recv(65536)
        if not part:
            return data
        data += part


def test_csv_limit_all_is_chunked(server):
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(b"GET /api/v1/prices.csv?limit=all&sort=-price HTTP/1.1\r\nHost: x\r\n"
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


def test_malformed_request_gets_400(server):
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(b"NOT A REQUEST\r\n\r\n")
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 400")


def test_a_write_waiting_for_the_lock_does_not_stop_the_server(fresh_db):
    # Pinned to one core, where one I/O thread per core would mean one thread in all: a write
    # waiting on SQLite's lock (held here as a CLI import would) must leave the server
    # answering everyone else.
    key = run_cli(fresh_db, "key", "create", "--role", "extension", "--name", "w").stdout.split()[0]
    srv = Server(fresh_db, cpus={0})
    lock = sqlite3.connect(fresh_db, isolation_level=None)
    try:
        lock.execute("BEGIN IMMEDIATE")
        result = {}
        farmer = {"id": "990000009", "first_name": "Ivy", "last_name": "Grant", "parish": "KIN",
                  "verified": "no", "activity": "Domestic Crops"}
        writer = threading.Thread(
            target=lambda: result.update(reply=srv.post("/api/v1/farmers", farmer, key=key)))
        writer.start()
        writer.join(timeout=1)
        assert writer.is_alive(), f"the write did not wait for the lock: {result}"
        for path in ("/healthz", "/api/v1/parishes"):
            assert srv.get(path).status == 200
        assert writer.is_alive(), "answered only after the write gave up"
        lock.execute("COMMIT")
        writer.join(timeout=30)
        assert result["reply"].status == 201, result["reply"]
    finally:
        lock.close()
        srv.stop()
