"""The preview's HTTP server (generator/localhttp.py) serves one person on one machine: other Host names get
403, idle connections cost no thread and time out, and 1,000 of them held open do not stop it answering."""

from __future__ import annotations

import http.client
import resource
import socket
import threading
import time

import pytest

from generator.editing import localhttp
from generator.editing.localhttp import LocalHandler, LocalServer


class _Hello(LocalHandler):
    def answer(self, send_body: bool) -> None:
        body = b"hello\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@pytest.fixture
def server():
    srv = LocalServer(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=10)


def _get(port: int, host: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", "/", skip_host=host is not None)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    status, body = response.status, response.read()
    conn.close()
    return status, body


def test_only_its_own_names_are_answered(server):
    port = server.server_address[1]
    assert _get(port) == (200, b"hello\n")  # Host: 127.0.0.1:PORT
    assert _get(port, f"localhost:{port}") == (200, b"hello\n")
    for forged in ("attacker.example", f"attacker.example:{port}", "127.0.0.1", f"localhost:{port + 1}", ""):
        status, body = _get(port, forged)
        assert status == 403, forged
        assert body.decode() == f"403: this preview answers only http://127.0.0.1:{port}/ or http://localhost:{port}/\n"


def test_a_thousand_idle_connections_leave_it_answering(server):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1500:
        if hard != resource.RLIM_INFINITY and hard < 1500:
            pytest.skip(f"this process may open only {hard} files")
        resource.setrlimit(resource.RLIMIT_NOFILE, (1500 if hard == resource.RLIM_INFINITY else min(hard, 4096), hard))
    port = server.server_address[1]
    threads_before = threading.active_count()
    idle = []
    try:
        for _ in range(1000):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        for _ in range(20):  # normal requests, each answered at once
            started = time.monotonic()
            assert _get(port) == (200, b"hello\n")
            assert time.monotonic() - started < 5
        # A thread per request answered, never one per connection.
        assert threading.active_count() <= threads_before + localhttp.MAX_THREADS
        assert len(server._waiting) <= localhttp.MAX_WAITING
    finally:
        for sock in idle:
            sock.close()


def test_an_idle_connection_is_closed(server, monkeypatch):
    monkeypatch.setattr(localhttp, "IDLE_SECONDS", 0.3)
    sock = socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10)
    time.sleep(1)
    assert sock.recv(1) == b""  # closed by the server, having sent nothing
    sock.close()
