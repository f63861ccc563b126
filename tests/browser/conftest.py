"""A real browser against a real server: Debian's Chromium (``/usr/bin/chromium``, installed by
scripts/system-deps.sh) driven by Playwright's Python package, never a downloaded browser; the
server is ``uvicorn api.app:create_app`` started on a free loopback port over a freshly migrated
and seeded database (SQLite, and PostgreSQL where the test is about data); the seeds are copied
from the run's one seeding per backend (``tests.conftest.load_seeds``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from claims import migrate
from claims.db import make_engine, session_factory
from claims.keys import create_key
from claims.settings import PROJECT_ROOT
from tests.conftest import PG_ENV, create_postgres_database, drop_postgres_database, load_seeds

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str
    database_url: str

    def key(self, name: str, *scopes: str) -> str:
        """A real API key stored in the server's database; returns the secret."""
        engine = make_engine(self.database_url)
        try:
            with session_factory(engine, write=True)() as s:
                _, secret = create_key(s, name, list(scopes))
                s.commit()
        finally:
            engine.dispose()
        return secret


def _seeded(url: str, tmp_path_factory) -> None:
    """Migrate and seed through the suite's ``load_seeds``: the real loader runs once per backend
    and run, and every other seeded database of the run (these servers', the API tests') is a
    row-for-row copy of its snapshot."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        load_seeds(engine, tmp_path_factory)
    finally:
        engine.dispose()


def _serve(url: str, log: Path) -> Iterator[Server]:
    port = _free_port()
    env = {**os.environ, "CLAIMS_DATABASE_URL": url, "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("CLAIMS_REQUIRE_KEY_FOR_READS", None)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1", "--port", str(port)],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"the server exited ({proc.returncode}): {log.read_text(errors='replace')[-2000:]}")
                try:
                    with urllib.request.urlopen(f"{base}/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("the server did not answer /health within 120 s")
                time.sleep(0.3)
            yield Server(base, url)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def sqlite_server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("browser_sqlite")
    url = f"sqlite:///{folder / 'claims.db'}"
    _seeded(url, tmp_path_factory)
    yield from _serve(url, folder / "server.log")


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory) -> Iterator[Server]:
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} not set")
    url = create_postgres_database("claims_browser")
    try:
        _seeded(url, tmp_path_factory)
        yield from _serve(url, tmp_path_factory.mktemp("browser_pg") / "server.log")
    finally:
        drop_postgres_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_server(request) -> Server:
    """The review flow runs against both databases."""
    return request.getfixturevalue("sqlite_server" if request.param == "sqlite" else "postgres_server")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    # bypass_csp: the pages allow no inline script; axe-core is injected by the test itself
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install` (npm install --prefix tests/browser)")
    return AXE.read_text(encoding="utf-8")
