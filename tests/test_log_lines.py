"""Request log lines written off the event loop (``api.observability._Lines``) still land in the
stream that was ``sys.stderr`` when each line was logged: a server's stream, or a test's capture
that has since been swapped out, never the next owner of ``sys.stderr``."""

from __future__ import annotations

import json
import re
import sys

import structlog

from api.observability import _Lines, configure_logging, log, request_line
from claims.settings import Settings


def test_each_line_goes_to_the_stream_it_was_logged_to(tmp_path, monkeypatch):
    lines = _Lines()
    first, second = open(tmp_path / "first", "w"), open(tmp_path / "second", "w")  # real files: queued
    try:
        monkeypatch.setattr(sys, "stderr", first)
        lines.info("one")
        lines.info("two")
        monkeypatch.setattr(sys, "stderr", second)
        lines.info("three")
        lines.drain()
    finally:
        first.close()
        second.close()
    assert (tmp_path / "first").read_text() == "one\ntwo\n"
    assert (tmp_path / "second").read_text() == "three\n"


def test_a_stream_without_a_file_descriptor_is_written_at_once(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stderr", sys.stderr)
    _Lines().info("now")
    assert capsys.readouterr().err == "now\n"


def test_the_request_line_is_what_the_structlog_chain_renders(capsys):
    """``request_line`` skips structlog's processors for the one line per request; it must write
    what they write (keys, order, JSON), the timestamp aside."""
    configure_logging(Settings(log_json=True, log_level="info"))
    fields = {"method": "GET", "route": "/api/v1/claims/{claim_id:uuid}/provenance", "path": "/api/v1/claims/مصدر\"x",
              "status": 304, "duration_ms": 1.5, "actor": "api:desk"}
    capsys.readouterr()
    with structlog.contextvars.bound_contextvars(request_id="desk-42.a"):
        log.info("request", **fields)
    by_chain = capsys.readouterr().err.strip()
    fast = request_line("desk-42.a", fields)
    stamp = re.compile(r'"timestamp": "(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z)"')
    assert stamp.search(by_chain) and stamp.search(fast)
    assert stamp.sub("T", fast) == stamp.sub("T", by_chain)
    assert list(json.loads(fast)) == list(json.loads(by_chain))
