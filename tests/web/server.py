"""A local web server for the tests: serves the pages and feeds in tests/web/pages (written by
the team, never copied from real sites) plus routes a test adds, on 127.0.0.1 and a free port.

Routes can redirect, answer slowly, stream an oversized body, send a non-HTML body, and honour
ETag / If-Modified-Since so conditional GETs can be checked. Every request is counted and its
headers kept, so tests can assert what was sent.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "pages"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before each chunk
    chunks: int = 1  # body sent in this many pieces
    repeat: int = 1  # body sent this many times (an oversized page without holding it in memory)
    etag: str | None = None
    last_modified: str | None = None
    send_length: bool = True  # False: no Content-Length, the body ends when the connection closes


class WebServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                path = self.path.split("?", 1)[0]
                server.hits[path] += 1
                server.requests.append((path, dict(self.headers.items())))
                route = server.routes.get(path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(b"not found")
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag or (
                    route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
                ):
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body) * route.repeat))
                self.end_headers()
                try:
                    for _ in range(route.repeat):
                        step = max(1, len(route.body) // route.chunks) if route.body else 1
                        for start in range(0, len(route.body), step):
                            if route.delay:
                                time.sleep(route.delay)
                            self.wfile.write(route.body[start : start + step])
                            self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, filename: str, **kw) -> str:
        """Serve tests/web/pages/FILENAME at PATH; returns the URL."""
        self.routes[path] = Route(body=(PAGES / filename).read_bytes(), **kw)
        return self.url(path)

    def add(self, path: str, body: bytes | str = b"", **kw) -> str:
        self.routes[path] = Route(body=body.encode() if isinstance(body, str) else body, **kw)
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        self.routes[path] = Route(status=status, headers={"Location": to}, content_type="text/plain")
        return self.url(path)

    def __enter__(self) -> WebServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
