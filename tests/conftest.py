"""Every database test runs twice: on SQLite (a temp file) and on PostgreSQL.

PostgreSQL comes from ``CLAIMS_TEST_POSTGRES_URL`` (``.ci/run`` and ``make test`` set it to the
local server). Each run creates its own throw-away database there and drops it at the end. Without
the variable the PostgreSQL half is skipped with a reason (so a bare ``pytest`` still works);
with it set and the server down, the run fails loudly instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_factoryboy import register
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from claims import migrate
from claims.db import make_engine, session_factory
from claims.models import metadata
from claims.settings import SEEDS_DIR
from tests import factories

PG_ENV = "CLAIMS_TEST_POSTGRES_URL"

register(factories.SourceFactory)
register(factories.DocumentFactory)
register(factories.ClaimFactory)


def _postgres_server_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def create_postgres_database(prefix: str) -> str:
    """Create a fresh database on the test server and return its URL."""
    server = make_url(_postgres_server_url())
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database=make_url(_postgres_server_url()).database), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def backend_params():
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param(
            "postgresql",
            id="postgresql",
            marks=pytest.mark.skipif(_postgres_server_url() is None, reason=f"{PG_ENV} not set"),
        ),
    ]


def _migrated_database(backend: str, tmp_path_factory, prefix: str) -> Iterator[Engine]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp(prefix) / 'claims.db'}"
    else:
        url = create_postgres_database(prefix)
    eng = make_engine(url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()
    if backend == "postgresql":
        drop_postgres_database(url)


@pytest.fixture(scope="session", params=backend_params())
def engine(request, tmp_path_factory) -> Iterator[Engine]:
    """A migrated database per backend, shared by the session's tests (emptied after each)."""
    yield from _migrated_database(request.param, tmp_path_factory, "claims_test")


@pytest.fixture(scope="session", params=backend_params())
def seeded_readonly(request, tmp_path_factory) -> Iterator[Engine]:
    """A separate database per backend, seeded once, for tests that only read."""
    from claims.seeding import seed

    for eng in _migrated_database(request.param, tmp_path_factory, "claims_seeded"):
        with session_factory(eng)() as s:
            s.info["actor"] = "seed"
            seed(s, SEEDS_DIR)
            s.commit()
        yield eng


def empty_database(eng: Engine) -> None:
    from claims.query import fulltext

    fulltext.clear_cache()
    with eng.begin() as conn:
        if eng.dialect.name == "postgresql":
            names = ", ".join(t.name for t in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    """The backend's engine, emptied after the test."""
    yield engine
    empty_database(engine)


@pytest.fixture
def session(db: Engine) -> Iterator[Session]:
    s = session_factory(db)()
    s.info["actor"] = "test"
    factories.bind(s)
    yield s
    s.rollback()
    s.close()


@pytest.fixture
def seeded(db: Engine) -> Engine:
    """The database with the curated seeds loaded.

    The first use per backend runs the real loader and snapshots every table; later uses restore
    that snapshot row for row (same ids, audit chain included), which takes a fraction of the time.
    """
    from claims.query import fulltext
    from claims.seeding import seed

    key = db.url.render_as_string(hide_password=False)
    snapshot = _SEED_SNAPSHOTS.get(key)
    if snapshot is None:
        with session_factory(db)() as s:
            s.info["actor"] = "seed"
            seed(s, SEEDS_DIR)
            s.commit()
        with db.connect() as conn:
            _SEED_SNAPSHOTS[key] = {
                t.name: [dict(row._mapping) for row in conn.execute(t.select())] for t in metadata.sorted_tables
            }
        return db
    with db.begin() as conn:
        for table in metadata.sorted_tables:
            if snapshot[table.name]:
                conn.execute(table.insert(), snapshot[table.name])
        if db.dialect.name == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('audit_event', 'id'), (SELECT max(id) FROM audit_event))"))
    fulltext.clear_cache()
    return db


_SEED_SNAPSHOTS: dict[str, dict[str, list[dict]]] = {}


@pytest.fixture
def make_key(db: Engine):
    """``make_key(name, *scopes)`` stores a real API key and returns the headers that send it."""
    from claims.keys import create_key
    from claims.settings import Settings

    header = Settings().api_key_header

    def make(name: str = "test-admin", *scopes: str) -> dict[str, str]:
        with session_factory(db, write=True)() as s:
            _, secret = create_key(s, name, list(scopes) or ["admin"])
            s.commit()
        return {header: secret}

    return make


@pytest.fixture
def admin_headers(make_key) -> dict[str, str]:
    """Headers carrying a key with the admin scope (every write allowed)."""
    return make_key("test-admin", "admin")


def _app(db: Engine, **settings):
    from api.app import create_app
    from claims.settings import Settings

    return create_app(Settings(database_url=db.url.render_as_string(hide_password=False), **settings), engine=db)


@pytest.fixture
def app_factory(db: Engine):
    """``app_factory(**settings)``: the API over the test database with settings overridden."""
    return lambda **settings: _app(db, **settings)


@pytest.fixture
def client(db: Engine):
    """An anonymous client: reads work, writes get 401 (use ``admin_client`` to write)."""
    from litestar.testing import TestClient

    with TestClient(app=_app(db)) as test_client:
        yield test_client


@pytest.fixture
def admin_client(db: Engine, admin_headers):
    """A client whose every request carries an admin key."""
    from litestar.testing import TestClient

    with TestClient(app=_app(db)) as test_client:
        test_client.headers.update(admin_headers)
        yield test_client


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS_DIR
