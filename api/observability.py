"""Request ids, structured logs and Prometheus metrics, around every request.

* Every response carries ``X-Request-ID`` (the client's, when it sent a sane one, else a new
  one); problem+json bodies repeat it as ``request_id``, and every log line of the request has it.
* Logs are structlog, one JSON object per line (``CLAIMS_LOG_JSON=false`` for console lines):
  one ``request`` line per request with method, route, status, duration and key.
* ``GET /metrics`` serves Prometheus text from this app's own registry: requests by route and
  status, latency histograms by route, ask answers found / not found, documents and claims
  ingested, and the job queue depth (``set_queue_depth`` / ``track_queue`` for the jobs worker).
  Under ``claims serve --workers N`` every worker writes its values to files in
  ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's multiprocess mode, set up by ``serve``), and
  a scrape answered by any worker adds up all of them.
"""

from __future__ import annotations

import atexit
import datetime
import json
import logging
import os
import random
import re
import sys
import threading
import time
from collections.abc import Callable
from queue import Empty, SimpleQueue
from typing import Any

import structlog
from litestar import Litestar, Request, Response, get
from litestar.datastructures import MutableScopeHeaders
from litestar.routes import HTTPRoute
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from claims.settings import Settings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_ID = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

log = structlog.get_logger("claims.api")


class Metrics:
    """The app's Prometheus registry and the instruments the code updates."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "claims_http_requests_total", "HTTP requests by method, route and status",
            ["method", "route", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "claims_http_request_duration_seconds", "Time to answer, by method and route", ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30), registry=self.registry,
        )
        self.asks = Counter(
            "claims_ask_total", "Questions answered, by outcome (found / not_found)", ["outcome"], registry=self.registry
        )
        self.ingested = Counter(
            "claims_ingest_total", "Documents stored (created / existing) and claims extracted by ingest",
            ["what"], registry=self.registry,
        )
        self.queue_depth = Gauge(
            "claims_job_queue_depth", "Jobs waiting, by queue", ["queue"], registry=self.registry,
            multiprocess_mode="mostrecent",  # read from the job table at each scrape, by whichever worker
        )
        self._queues: dict[str, Callable[[], int]] = {}
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one request and its latency (the labelled children are looked up once per
        method, route and status: ``labels()`` costs more than the update)."""
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (
                self.requests.labels(method=method, route=route, status=str(status)),
                self.latency.labels(method=method, route=route),
            )
        children[0].inc()
        children[1].observe(seconds)

    def ask(self, found: bool) -> None:
        self.asks.labels(outcome="found" if found else "not_found").inc()

    def ingest(self, *, created: bool, claims: int) -> None:
        self.ingested.labels(what="documents_created" if created else "documents_existing").inc()
        self.ingested.labels(what="claims").inc(claims)

    def set_queue_depth(self, queue: str, depth: int) -> None:
        self.queue_depth.labels(queue=queue).set(depth)

    def track_queue(self, queue: str, depth: Callable[[], int]) -> None:
        """Read the queue's depth with ``depth()`` at every scrape."""
        self._queues[queue] = depth

    def render(self) -> bytes:
        for queue, depth in self._queues.items():
            try:
                self.set_queue_depth(queue, int(depth()))
            except Exception:  # noqa: BLE001 - a scrape must not fail because one queue cannot be read
                log.warning("queue depth unavailable", queue=queue)
        if os.environ.get(MULTIPROC_ENV):  # several server processes: sum what each one wrote
            combined = CollectorRegistry()
            multiprocess.MultiProcessCollector(combined)
            return generate_latest(combined)
        return generate_latest(self.registry)


def metrics_of(app: Litestar) -> Metrics:
    return app.state.metrics


@get("/metrics", summary="Prometheus metrics (text exposition format)", tags=["operations"], sync_to_thread=False,
     media_type=CONTENT_TYPE_LATEST, opt={"scope": "public", "operations": True})
def metrics_endpoint(request: Request) -> Response[bytes]:
    return Response(metrics_of(request.app).render(), media_type=CONTENT_TYPE_LATEST)


# --- logging --------------------------------------------------------------------------------

_configured: tuple | None = None
#: How request lines are written: "json" (``request_line``), "structlog" (console lines), or
#: None (the level is above info: no request lines).
_request_lines: str | None = "structlog"


class _Lines:
    """The structlog logger: each rendered line goes to the ``sys.stderr`` of the moment it was
    logged (a test's capture, a server's stream), written by a background thread when that
    stream is a real file or pipe.

    Writing a line is a system call, which releases the GIL; under load the event loop then
    waits for a handler thread to give it back (up to the 5 ms switch interval) before it can
    serve the next request: one log line per request halved the server's throughput. Queued
    lines are written in batches, and the rest at exit. A stream without a file descriptor (a
    test's capture) makes no system call and is written at once.
    """

    def __init__(self) -> None:
        self._queue: SimpleQueue[tuple[Any, Any]] = SimpleQueue()
        self._writer: threading.Thread | None = None
        self._lock = threading.Lock()

    def msg(self, message: str) -> None:
        stream = sys.stderr
        if not _has_fd(stream):
            stream.write(message + "\n")
            stream.flush()
            return
        self._queue.put((stream, message))
        if self._writer is None or not self._writer.is_alive():  # first line, or after a fork
            with self._lock:
                if self._writer is None or not self._writer.is_alive():
                    self._writer = threading.Thread(target=self._write_forever, name="claims-log", daemon=True)
                    self._writer.start()

    log = debug = info = warn = warning = err = error = critical = exception = fatal = failure = msg

    #: How long the writer lets lines gather after the first one before writing them: one wake-up
    #: and one write per batch. Woken per line, the writer took the GIL at once: the ``put`` that
    #: woke it was a quarter of a profiled request (1.19 of 4.5 s for 1,000; batched, 0.07 s).
    BATCH_S = 0.05

    def _write_forever(self) -> None:
        while True:
            first = self._queue.get()
            time.sleep(self.BATCH_S)
            self._write([first])

    def _write(self, items: list[tuple[Any, Any]]) -> None:
        """Write ``items`` and whatever else is queued, each run of lines logged to one stream in
        one call, in the order logged; a drain marker (stream None) is set once the lines before
        it are written."""
        while True:
            try:
                items.append(self._queue.get_nowait())
            except Empty:
                break
        start = 0
        while start < len(items):
            stream, end = items[start][0], start + 1
            if stream is None:
                items[start][1].set()
                start = end
                continue
            while end < len(items) and items[end][0] is stream:
                end += 1
            try:
                stream.write("\n".join(message for _, message in items[start:end]) + "\n")
                stream.flush()
            except (OSError, ValueError):  # a closed stream (a finished test's capture): nothing to tell it
                pass
            start = end

    def drain(self, timeout: float = 5.0) -> None:
        """Wait until every line logged so far is written (at exit): the writer thread reaches a
        marker queued after them; with no writer running, write them here."""
        if self._writer is not None and self._writer.is_alive():
            written = threading.Event()
            self._queue.put((None, written))
            written.wait(timeout)
        else:
            self._write([])


def _has_fd(stream) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


_LINES = _Lines()
atexit.register(_LINES.drain)


def _stderr_logger(*_args: Any) -> _Lines:
    return _LINES


def configure_logging(settings: Settings) -> None:
    """structlog for our lines, and the same renderer for the standard library's (uvicorn, SQLAlchemy)."""
    global _configured, _request_lines
    wanted = (settings.log_level.lower(), settings.log_json)
    if _configured == wanted:
        return
    _configured = wanted
    level = logging.getLevelName(settings.log_level.upper())
    level = level if isinstance(level, int) else logging.INFO
    _request_lines = None if level > logging.INFO else "json" if settings.log_json else "structlog"
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = structlog.processors.JSONRenderer() if settings.log_json else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=[
        structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer,
    ]))
    handler.set_name("claims-structlog")
    for name in ("claims", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [h for h in logger.handlers if h.get_name() != "claims-structlog"] + [handler]
        logger.setLevel(level)
        logger.propagate = False


def request_line(request_id: str, fields: dict[str, Any]) -> str:
    """The JSON request line, exactly as the structlog chain above renders
    ``log.info("request", **fields)`` with ``request_id`` bound (same keys in the same order, same
    timestamp format, same ``json.dumps``; tested against the chain), without running it: the
    chain took 31 µs a line, this 15 µs, on the event loop, once per request. During a request
    ``request_id`` is the only context variable bound (``Observed``)."""
    return json.dumps({
        **fields, "event": "request", "request_id": request_id, "level": "info",
        "timestamp": datetime.datetime.now(tz=datetime.UTC).isoformat().replace("+00:00", "Z"),
    })


def _log_request(request_id: str, fields: dict[str, Any]) -> None:
    if _request_lines == "json":
        _LINES.msg(request_line(request_id, fields))
    elif _request_lines is not None:
        log.info("request", **fields)


# --- around every request -------------------------------------------------------------------


def new_request_id() -> str:
    """32 random hex digits. An id names a request, it guards nothing: the module's generator
    (reseeded in every forked worker) instead of ``uuid4``'s ``os.urandom``, a system call per
    request, which releases the GIL and under load hands it to another thread."""
    return f"{random.getrandbits(128):032x}"


def request_id_of(scope: dict[str, Any]) -> str | None:
    return scope.get("state", {}).get("request_id")


class Observed:
    """ASGI wrapper around the app's handler: request id, timing, metrics, one log line."""

    def __init__(self, app: Litestar, inner) -> None:
        self.app = app
        self.inner = inner
        # The methods of each path, over every route that serves it: Litestar's own OPTIONS and
        # 405 answers list only the methods of one of them.
        allowed: dict[str, set[str]] = {}
        for route in app.routes:
            if isinstance(route, HTTPRoute):
                allowed.setdefault(route.path_format, set()).update(route.methods)
        self.allow = {path: ", ".join(sorted(methods | {"OPTIONS"})) for path, methods in allowed.items()}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        incoming = next((v for k, v in scope.get("headers", []) if k == b"x-request-id"), b"").decode("latin-1")
        rid = incoming if _SANE_ID.match(incoming) else new_request_id()
        state["request_id"] = rid
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # no response sets X-Request-ID but this one: appended, as MutableScopeHeaders would
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", rid.encode("latin-1"))]
                allow = (scope.get("method") == "OPTIONS" or status == 405) and scope.get("path_template") in self.allow
                limits = state.get("rate_limit_headers")
                if allow or limits:
                    headers = MutableScopeHeaders(message)
                    if allow:
                        headers["Allow"] = self.allow[scope["path_template"]]
                    for name, value in (limits or {}).items():
                        headers[name] = value
            await send(message)

        tokens = structlog.contextvars.bind_contextvars(request_id=rid)  # each request runs in its own task's context
        try:
            await self.inner(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("path_template") or "unmatched"
            method = scope.get("method", "")
            self.app.state.metrics.observe_request(method, route, status, elapsed)
            if not route.startswith(("/metrics", "/health", "/ready")):
                _log_request(rid, {
                    "method": method, "route": route, "path": scope.get("path"), "status": status,
                    "duration_ms": round(elapsed * 1000, 1), "actor": state.get("actor", "api:anonymous"),
                })
            structlog.contextvars.reset_contextvars(**tokens)


def install(app: Litestar, settings: Settings) -> None:
    configure_logging(settings)
    app.asgi_handler = Observed(app, app.asgi_handler)
