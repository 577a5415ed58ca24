"""An HTTP server for one person on one machine: the preview's (serve.py).

- It answers only requests addressed to it by the names it listens under (`Host: 127.0.0.1:PORT` or
  `localhost:PORT`); any other Host gets 403. A page elsewhere that makes the browser resolve its own
  name to 127.0.0.1 (DNS rebinding) so cannot read output/.
- A connection costs no thread until it has sent something: accepted connections wait in a selector,
  and only those with a request to read go to a pool of MAX_THREADS threads. Reading a request and
  writing its answer each time out after REQUEST_SECONDS; a connection that sends nothing is closed
  after IDLE_SECONDS, and when more than MAX_WAITING wait, the oldest is closed.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import socketserver
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler

MAX_THREADS = 8  # requests answered at once
MAX_WAITING = 256  # connections open that have sent nothing yet
IDLE_SECONDS = 30  # how long such a connection may stay open
REQUEST_SECONDS = 10  # for reading one request, and for each write of its answer


class LocalServer(socketserver.TCPServer):
    """A TCP server on one local address: a selector waits for requests, a bounded pool answers them."""

    allow_reuse_address = True
    request_queue_size = 128  # connections the kernel holds before they are accepted

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]):
        self._pool = ThreadPoolExecutor(max_workers=MAX_THREADS, thread_name_prefix="http")
        self._waiting: dict[socket.socket, tuple[float, object]] = {}  # in order of arrival
        self._stop = threading.Event()
        self._stopped = threading.Event()
        super().__init__(address, handler)  # closes the server (server_close) if it cannot bind

    def allowed_hosts(self) -> set[str]:
        """The Host header values this server answers: its own names with its port."""
        port = self.server_address[1]
        return {f"127.0.0.1:{port}", f"localhost:{port}"}

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self.socket, selectors.EVENT_READ)
        try:
            while not self._stop.is_set():
                for key, _ in selector.select(poll_interval):
                    if key.fileobj is self.socket:
                        self._accept(selector)
                    else:
                        conn = key.fileobj
                        selector.unregister(conn)
                        _, address = self._waiting.pop(conn)  # type: ignore[call-overload]
                        self._pool.submit(self._answer, conn, address)
                self._close_idle(selector, time.monotonic() - IDLE_SECONDS)
        finally:
            for conn in list(self._waiting):
                self._drop(selector, conn)
            selector.close()
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _accept(self, selector: selectors.BaseSelector) -> None:
        try:
            conn, address = self.socket.accept()
        except OSError:  # out of descriptors, or the client gave up: make room and go on
            if self._waiting:
                self._drop(selector, next(iter(self._waiting)))
            return
        if len(self._waiting) >= MAX_WAITING:
            self._drop(selector, next(iter(self._waiting)))
        self._waiting[conn] = (time.monotonic(), address)
        selector.register(conn, selectors.EVENT_READ)

    def _close_idle(self, selector: selectors.BaseSelector, before: float) -> None:
        for conn, (since, _) in list(self._waiting.items()):
            if since >= before:
                break  # the rest came later
            self._drop(selector, conn)

    def _drop(self, selector: selectors.BaseSelector, conn: socket.socket) -> None:
        self._waiting.pop(conn, None)
        with contextlib.suppress(KeyError, ValueError):
            selector.unregister(conn)
        conn.close()

    def _answer(self, conn: socket.socket, address: object) -> None:
        try:
            self.finish_request(conn, address)
        except Exception:
            self.handle_error(conn, address)
        finally:
            self.shutdown_request(conn)


class LocalHandler(BaseHTTPRequestHandler):
    """A request handler that refuses other hosts' names; subclasses answer in `answer`."""

    server: LocalServer
    timeout = REQUEST_SECONDS

    def do_GET(self) -> None:
        self._checked(send_body=True)

    def do_HEAD(self) -> None:
        self._checked(send_body=False)

    def do_POST(self) -> None:
        self._checked(send_body=True, post=True)

    def _checked(self, send_body: bool, post: bool = False) -> None:
        origin = self.headers.get("Origin")
        # A page of another site may send a POST here; its Origin says so (a browser always sends one with it).
        other = post and origin is not None and origin not in {f"http://{h}" for h in self.server.allowed_hosts()}
        if self.headers.get("Host", "") not in self.server.allowed_hosts() or other:
            names = " or ".join(f"http://{h}/" for h in sorted(self.server.allowed_hosts()))
            body = f"403: this preview answers only {names}\n".encode()
            self.send_response(403)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return
        if post:
            self.answer_post()
        else:
            self.answer(send_body)

    def answer(self, send_body: bool) -> None:
        raise NotImplementedError

    def answer_post(self) -> None:
        self.send_error(405)
