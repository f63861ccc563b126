"""Fixtures for the web tests: a local HTTP server, and fetching allowed to reach it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from claims import syndication
from claims.db import get_engine
from claims.settings import get_settings
from tests.web.server import WebServer


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        yield server


@pytest.fixture
def fetch_env(monkeypatch):
    """Fetching may reach 127.0.0.1 (the test server), with small limits so the cap and the
    timeouts are reached quickly. Returns a function that sets more CLAIMS_ variables."""

    def setenv(**values) -> None:
        for k, v in values.items():
            monkeypatch.setenv(f"CLAIMS_{k.upper()}", str(v))
        get_settings.cache_clear()
        get_engine.cache_clear()

    setenv(fetch_allow_private="true", fetch_max_bytes=200_000, fetch_timeout=1.5, fetch_deadline=4)
    syndication.reset()
    yield setenv
    get_settings.cache_clear()
    get_engine.cache_clear()
    syndication.reset()
