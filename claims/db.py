"""Engines and sync sessions for SQLite and PostgreSQL.

The domain uses synchronous sessions: factory_boy and the CLI need them, and Litestar runs
sync handlers in its thread pool.
"""

from __future__ import annotations

import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Generic, TypeVar

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from claims.settings import get_settings

RecordT = TypeVar("RecordT")
CacheT = TypeVar("CacheT")

#: Execution option naming how a SQLite transaction begins (see ``writer``).
SQLITE_BEGIN = "claims_sqlite_begin"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - exercised via every SQLite test
    # Take transaction control away from the sqlite3 module (it would BEGIN lazily, only before
    # DML): SQLAlchemy's "begin" event below issues BEGIN itself, so every transaction starts
    # where SQLAlchemy thinks it does and a write transaction can start IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine with the settings each backend needs.

    SQLite gets foreign keys, WAL and a busy timeout on every connection; an in-memory
    database gets a single shared connection so Litestar's worker threads see the same data.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs: dict = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if parsed.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, echo=echo, pool_recycle=RECYCLE_S)
    event.listen(engine, "checkin", _note_idle_since)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


#: A pooled connection idle this long is pinged before use (the server may have restarted or a
#: proxy dropped it meanwhile); one in steady use is not. ``pool_pre_ping`` pinged before every
#: checkout: a round trip per request, 0.3 of 0.7 ms of a chain trace's CPU on PostgreSQL.
IDLE_PING_S = 10.0
#: Connections are replaced after this long whatever their use (server-side idle timeouts).
RECYCLE_S = 1800


def _note_idle_since(_dbapi_connection, record) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
    """Ping a connection that sat idle in the pool; a dead one makes the pool open another
    (``DisconnectionError`` from a checkout listener: the pool retries the checkout)."""
    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < IDLE_PING_S:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()  # the transaction the ping began
    except Exception as error:  # noqa: BLE001 - any failure means the connection is unusable
        raise exc.DisconnectionError() from error


def _sqlite_begin(connection) -> None:
    """BEGIN, or BEGIN IMMEDIATE for writers: a writer takes SQLite's write lock up front (waiting
    up to the busy timeout for it) instead of reading first and failing with "database is locked"
    when it later tries to write after another writer committed. It also serialises appends to the
    audit hash chain, which reads the last hash and then writes the next event."""
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions are write transactions.

    On SQLite they begin IMMEDIATE; on PostgreSQL nothing changes (row locks and the audit
    chain's advisory lock do the work there).
    """
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    return engine


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    settings = get_settings()
    return make_engine(url or settings.database_url, echo=settings.echo_sql)


def session_factory(engine: Engine, *, write: bool = False) -> sessionmaker[Session]:
    """Sessions on ``engine``; ``write=True`` for units of work that change data (see ``writer``)."""
    return sessionmaker(bind=writer(engine) if write else engine, expire_on_commit=False, autoflush=False)


@contextmanager
def session_scope(
    engine: Engine | None = None, *, actor: str | None = None, write: bool = True
) -> Iterator[Session]:
    """A unit of work: commit on success, roll back everything on any error."""
    session = session_factory(engine or get_engine(), write=write)()
    if actor:
        session.info["actor"] = actor
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()

import claims.audit  # noqa: E402,F401  (registers the audit hook on every Session)


def stored(session: Session, model: type[RecordT], record_id: object, noun: str) -> RecordT:
    """The stored ``model`` row with this primary key, or NotFound naming it ("claim 1b2… does
    not exist"): the one "get or 404" every service, report and job lookup uses."""
    from claims.errors import NotFound

    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"{noun} {record_id} does not exist")
    return record


class StoredSince:
    """Reads only the rows stored since the previous read, for in-process caches of a table.

    Keys are UUIDv7, whose first 48 bits are the time they were made, and both databases compare
    them by their bytes, so "since" is a primary-key range: a cache kept current this way costs
    each request what was stored since, not what the store holds. The range reaches
    ``SLACK_MS`` back, for rows committed a little after their keys were made; a row committed
    later than that (a transaction held open longer) is not seen until the cache is rebuilt.
    """

    SLACK_MS = 10_000

    def __init__(self) -> None:
        self._seen_ms: int | None = None

    def rows(self, session: Session, query, key) -> list:
        """``query`` limited to keys made since the last call (everything the first time)."""
        now_ms = time.time_ns() // 1_000_000
        if self._seen_ms is not None:
            query = query.where(key >= uuid7_floor(self._seen_ms - self.SLACK_MS))
        found = session.execute(query).all()
        self._seen_ms = now_ms
        return found

    @classmethod
    def is_recent(cls, key: uuid.UUID) -> bool:
        """Whether ``key`` was made within the slack: its row may not be committed yet."""
        return uuid7_ms(key) >= time.time_ns() // 1_000_000 - cls.SLACK_MS


def uuid7_ms(key: uuid.UUID) -> int:
    """The creation time (Unix ms) a UUIDv7 key carries in its first 48 bits."""
    return key.int >> 80


def uuid7_floor(ms: int) -> uuid.UUID:
    """The smallest key made at or after ``ms``."""
    return uuid.UUID(int=max(ms, 0) << 80)


class PerEngine(Generic[CacheT]):
    """One in-process cache object per database engine (a name index, a grouping cache), made
    on first use; ``forget`` drops it when the database was emptied or restored under us."""

    def __init__(self, make: Callable[[], CacheT]) -> None:
        self._make = make
        self._caches: weakref.WeakKeyDictionary[Engine, CacheT] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def of(self, session: Session) -> CacheT:
        bind = session.get_bind()
        engine = getattr(bind, "engine", bind)
        with self._lock:
            cache = self._caches.get(engine)
            if cache is None:
                cache = self._caches[engine] = self._make()
            return cache

    def forget(self, engine: Engine | None = None) -> None:
        with self._lock:
            if engine is None:
                self._caches.clear()
            else:
                self._caches.pop(engine, None)
