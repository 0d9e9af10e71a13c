"""Server behaviour: streaming, graceful shutdown on SIGTERM, keep-alive limits."""
import signal
import socket

from harvest_env import Server


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
