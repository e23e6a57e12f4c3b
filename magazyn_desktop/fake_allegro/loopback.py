"""Serve a `DemoAllegro` over real sockets on 127.0.0.1, for end-to-end tests and benchmarks.

Both the API and the OAuth endpoints answer on the same base URL (the routes do not overlap).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .responses import Responder

LOOPBACK_HOST = "127.0.0.1"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    demo: Responder
    latency: float
    base_url: str
    stopping: threading.Event


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real client uses it
    # Headers and body go out in separate writes; without TCP_NODELAY each keep-alive request waits ~40 ms for the
    # peer's delayed ACK, which would swamp any benchmark.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # quiet: tests and benchmarks read the demo's request counts instead

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.server.latency > 0:
            time.sleep(self.server.latency)
        parts = urlsplit(self.path)
        answer = self.server.demo.handle(
            self.command, parts.path, parts.query, dict(self.headers.items()), body, base_url=self.server.base_url
        )
        if answer.breakage == "drop":
            self._hang_up()
            return
        if answer.breakage == "silent":
            # Keep the connection open and say nothing, until the client gives up or the server stops.
            self.server.stopping.wait()
            self._hang_up()
            return
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.breakage == "truncate":
            self.send_header("Connection", "close")
        self.end_headers()
        if answer.breakage == "truncate":
            self.wfile.write(answer.body[: len(answer.body) // 2])
            self.wfile.flush()
            self._hang_up()
            return
        self.wfile.write(answer.body)

    def _hang_up(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve


@contextmanager
def serve_on_loopback(demo: Responder, latency: float = 0.0) -> Iterator[str]:
    """Start a threaded HTTP server on 127.0.0.1 (a free port), yield its base URL, stop it on exit.

    `latency` seconds are slept before answering each request (in the request's own thread).
    """
    server = _Server((LOOPBACK_HOST, 0), _Handler)
    server.demo = demo
    server.latency = latency
    server.stopping = threading.Event()
    server.base_url = f"http://{LOOPBACK_HOST}:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="demo-allegro", daemon=True)
    thread.start()
    try:
        yield server.base_url
    finally:
        server.stopping.set()  # releases the silent answers
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
