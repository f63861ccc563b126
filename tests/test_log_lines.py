"""Request log lines written off the event loop (``api.observability._Lines``) still land in the
stream that was ``sys.stderr`` when each line was logged: a server's stream, or a test's capture
that has since been swapped out, never the next owner of ``sys.stderr``."""

from __future__ import annotations

import sys

from api.observability import _Lines


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
