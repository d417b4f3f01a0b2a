"""A real HTTP server on 127.0.0.1 for tests: routes, a request log, delays, errors.

    with LocalServer() as server:
        server.page("/a", "<html>...</html>")
        server.route("/flaky", Reply(503), Reply(200, "ok"))   # 503 first, then 200
        server.redirect("/old", "/a")
        server.robots("User-agent: *\\nDisallow: /private\\n")
        fetch(server.url("/a"))
        assert server.hits("/a")[0].headers["User-Agent"].startswith("corroborate/")

Each request to a route takes its next reply; the last one repeats. Unknown paths are
404. Every request is logged (path, headers, monotonic arrival time) before it is
answered, so tests can count requests and measure the spacing between them. The server
runs in threads so a slow route does not hold up the others, and closing it cuts
pending delays short.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line is sent
    # Body chunks sent after the headers, without Content-Length (the end of the body is
    # the end of the connection); `body` is ignored then.
    stream: Callable[[], Iterator[bytes]] | None = None
    # Announce this Content-Length instead of the body's real length.
    length: int | None = None


@dataclass(frozen=True)
class Hit:
    path: str  # without the query string: routes are matched on it
    target: str  # the request target as sent, with its query
    headers: dict[str, str]
    at: float  # time.monotonic() when the request line arrived


class LocalServer:
    """A threaded HTTP/1.0 server on 127.0.0.1 and a free port."""

    def __init__(self) -> None:
        self._routes: dict[str, list[Reply]] = {}
        self._served: dict[str, int] = {}
        self._hits: list[Hit] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    # --- set-up ------------------------------------------------------------------------

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self._routes[path] = list(replies)
            self._served[path] = 0

    def page(self, path: str, html: str, content_type: str = "text/html; charset=utf-8") -> None:
        self.route(path, Reply(200, html, content_type))

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.route(path, Reply(status, b"", None, {"Location": location}))

    def robots(self, text: str) -> None:
        self.route("/robots.txt", Reply(200, text, "text/plain"))

    # --- what happened -----------------------------------------------------------------

    def hits(self, path: str | None = None) -> list[Hit]:
        with self._lock:
            return [hit for hit in self._hits if path is None or hit.path == path]

    # --- lifetime ----------------------------------------------------------------------

    def close(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    # --- used by the handler -----------------------------------------------------------

    def _next_reply(self, path: str, target: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self._hits.append(Hit(path, target, headers, time.monotonic()))
            replies = self._routes.get(path)
            if not replies:
                return Reply(404, "not found", "text/plain")
            index = min(self._served[path], len(replies) - 1)
            self._served[path] += 1
            return replies[index]


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = server._next_reply(self.path.split("?", 1)[0], self.path,
                                       dict(self.headers.items()))
            if reply.delay and server.stopping.wait(reply.delay):
                return
            # The client may give up (size cap, timeout): that is what tests test.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(reply)

        def _send(self, reply: Reply) -> None:
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.stream is None:
                length = reply.length if reply.length is not None else len(body)
                self.send_header("Content-Length", str(length))
            self.end_headers()
            if reply.stream is None:
                self.wfile.write(body)
                return
            for chunk in reply.stream():
                if server.stopping.is_set():
                    return
                self.wfile.write(chunk)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler
