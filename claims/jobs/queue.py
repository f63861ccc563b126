"""The task queue: Huey, with the storage the deployment chooses (``CLAIMS_JOBS_BROKER``).

- ``auto`` (default): a SQLite file beside a SQLite database (``claims.db`` → ``claims-jobs.db``;
  no service to run, ``claims serve`` works it in-process), or the PostgreSQL database itself
  (Huey's ``PostgresStorage``: ``FOR UPDATE SKIP LOCKED`` and LISTEN/NOTIFY).
- ``sqlite`` / ``postgres`` / ``redis`` with ``CLAIMS_JOBS_URL``; ``memory`` for one process.

Messages carry only a job id. What a job is, and whether it already ran, lives in the ``job``
table (claims.jobs.store): the message is a wake-up call, so a lost or duplicated message is
harmless. Retries are scheduled through Huey's delayed queue with a doubling delay.
"""

from __future__ import annotations

import logging
import threading
import traceback
import uuid
from functools import lru_cache
from pathlib import Path

from huey import Huey, MemoryHuey, PostgresHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from sqlalchemy.engine import make_url

from claims.settings import Settings, get_settings

log = logging.getLogger("claims.jobs")


def _database_url(settings: Settings):
    return make_url(settings.database_url)


def broker(settings: Settings | None = None) -> tuple[str, str]:
    """(kind, location) of the queue storage the settings select."""
    settings = settings or get_settings()
    kind = settings.jobs_broker
    url = _database_url(settings)
    if kind == "auto":
        kind = "postgres" if url.get_backend_name() == "postgresql" else "sqlite"
        if kind == "sqlite" and url.database in (None, "", ":memory:"):
            kind = "memory"
    location = settings.jobs_url
    if not location:
        if kind == "postgres" and url.get_backend_name() == "postgresql":
            location = url.set(drivername="postgresql").render_as_string(hide_password=False)
        elif kind == "sqlite" and url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            db = Path(url.database)
            location = str(db.with_name(f"{db.stem}-jobs{db.suffix or '.db'}"))
        elif kind == "redis":
            location = "redis://127.0.0.1:6379/0"
        elif kind == "sqlite":
            location = "claims-jobs.db"
    return kind, location


def _make_huey(kind: str, location: str, name: str) -> Huey:
    if kind == "sqlite":
        return SqliteHuey(name=name, filename=location, results=False)
    if kind == "postgres":
        return PostgresHuey(name=name, dsn=location, results=False, table_prefix="claims_huey")
    if kind == "redis":
        return RedisHuey(name=name, url=location, results=False)
    return MemoryHuey(name=name, results=False)


class Queue:
    """One Huey instance and the tasks registered on it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.kind, self.location = broker(settings)
        self.huey = _make_huey(self.kind, self.location, settings.jobs_queue)
        self.run_job = self.huey.task(name="claims.run_job")(_run_job)
        minutes = settings.feeds_poll_minutes
        self.poll_feeds = None
        if minutes:
            schedule = crontab(minute=f"*/{minutes}") if minutes < 60 else crontab(minute="0", hour=f"*/{minutes // 60}")
            self.poll_feeds = self.huey.periodic_task(schedule, name="claims.poll_feeds")(_schedule_feed_poll)

    def enqueue(self, job_id: uuid.UUID, delay: float | None = None) -> None:
        if delay:
            self.run_job.schedule((str(job_id),), delay=delay)
        else:
            self.run_job(str(job_id))

    def size(self) -> int:
        return self.huey.pending_count() + self.huey.scheduled_count()


@lru_cache(maxsize=8)
def _queue(settings_key: tuple) -> Queue:
    return Queue(get_settings())


def current() -> Queue:
    s = get_settings()
    return _queue((s.jobs_broker, s.jobs_url, s.jobs_queue, s.database_url, s.feeds_poll_minutes))


def enqueue(job_id: uuid.UUID, delay: float | None = None) -> None:
    try:
        current().enqueue(job_id, delay)
    except Exception:  # the row is committed: recovery puts it on the queue when the broker is back
        log.exception("could not put job %s on the queue; recovery will retry", job_id)


# ------------------------------------------------------------------------------ the task


def _run_job(job_id: str) -> None:
    from claims.jobs.runner import run

    run(uuid.UUID(job_id))


def _schedule_feed_poll() -> None:
    """Every consumer's scheduler fires this; the time slot as idempotency key makes it one job."""
    import datetime

    from claims.db import session_scope
    from claims.jobs.store import submit

    minutes = get_settings().feeds_poll_minutes or 1
    now = datetime.datetime.now(datetime.UTC)
    slot = now.replace(minute=now.minute - now.minute % minutes, second=0, microsecond=0) if minutes < 60 else now.replace(
        minute=0, second=0, microsecond=0)
    with session_scope(actor="scheduler") as session:
        submit(session, "feeds.poll", {}, idempotency_key=f"feeds.poll@{slot.isoformat()}")


# ------------------------------------------------------------------------------ workers


class _ThreadSafeConsumer(Consumer):
    """A consumer that can start off the main thread (embedded in ``claims serve``)."""

    def _set_signal_handlers(self) -> None:
        if threading.current_thread() is threading.main_thread():
            super()._set_signal_handlers()


def consumer(workers: int | None = None, *, periodic: bool = True) -> Consumer:
    q = current()
    return _ThreadSafeConsumer(
        q.huey, workers=workers or get_settings().jobs_workers, periodic=periodic, worker_type="thread",
        initial_delay=0.05, max_delay=1.0,
    )


class Recovery(threading.Thread):
    """Every half lease: put jobs of dead workers (and queued jobs whose message was lost) back
    on the queue. Runs in every worker process; duplicates are dropped by the claim."""

    def __init__(self, stop: threading.Event) -> None:
        super().__init__(name="claims-jobs-recovery", daemon=True)
        self.stop = stop

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                recover()
            except Exception:
                log.warning("job recovery pass failed:\n%s", traceback.format_exc())
            self.stop.wait(max(get_settings().jobs_lease_seconds / 2, 0.5))


def recover() -> int:
    """Put jobs whose worker died back on the queue, and (when the queue is empty) queued jobs
    whose message is missing; returns how many."""
    from claims.db import session_scope
    from claims.jobs.store import orphaned_queued, stale_running, touch

    idle = current().huey.pending_count() == 0
    with session_scope(actor="jobs") as session:
        ids = stale_running(session) + (orphaned_queued(session) if idle else [])
        touch(session, ids)
    for job_id in ids:
        enqueue(job_id)
    return len(ids)


def start_embedded_worker() -> tuple[Consumer, threading.Event]:
    """Worker threads, the scheduler and recovery inside this process (``claims serve``)."""
    c = consumer()
    c.start()
    stop = threading.Event()
    Recovery(stop).start()
    return c, stop
