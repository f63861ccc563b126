"""Run one job: claim it, keep its lease alive, call its kind, record the outcome."""

from __future__ import annotations

import logging
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from claims.db import get_engine, session_factory
from claims.jobs import store
from claims.settings import get_settings

log = logging.getLogger("claims.jobs")


@dataclass
class JobContext:
    """What a job kind gets: its parameters, the database, and a way to report progress."""

    job_id: uuid.UUID
    kind: str
    params: dict[str, Any]
    engine: Engine
    worker: str
    attempt: int
    body: bytes | None = None
    media_type: str | None = None
    filename: str | None = None
    _lost: threading.Event = field(default_factory=threading.Event)
    renewed_at: float = field(default_factory=time.monotonic)

    def progress(self, done: int, total: int | None = None) -> None:
        """Record progress and renew the lease. Called by the job's own thread between its
        transactions, this is the renewal that never waits behind the job's writes (on SQLite a
        heartbeat thread can starve while the job commits back to back)."""
        with session_factory(self.engine, write=True)() as s:
            if not store.renew(s, self.job_id, self.worker, done=done, total=total):
                self._lost.set()
            s.commit()
        self.renewed_at = time.monotonic()
        if self._lost.is_set():
            raise JobLost(f"job {self.job_id} was taken over by another worker")

    def attach(self, body: bytes, media_type: str, filename: str) -> None:
        """A file result (a report), served at /api/v1/jobs/{id}/result."""
        self.body, self.media_type, self.filename = body, media_type, filename


class JobLost(Exception):
    """This worker's lease lapsed and another worker owns the job now: stop without writing."""


class _Heartbeat(threading.Thread):
    def __init__(self, ctx: JobContext) -> None:
        super().__init__(name=f"claims-job-heartbeat-{ctx.job_id}", daemon=True)
        self.ctx = ctx
        self.done = threading.Event()

    def run(self) -> None:
        interval = max(get_settings().jobs_lease_seconds / 3, 0.2)
        while not self.done.wait(interval):
            if time.monotonic() - self.ctx.renewed_at < interval:
                continue  # the job reported progress: its lease is fresh
            try:
                with session_factory(self.ctx.engine, write=True)() as s:
                    if not store.renew(s, self.ctx.job_id, self.ctx.worker):
                        self.ctx._lost.set()
                    s.commit()
            except Exception:
                log.warning("heartbeat for job %s failed:\n%s", self.ctx.job_id, traceback.format_exc())


def run(job_id: uuid.UUID, engine: Engine | None = None) -> str:
    """Run ``job_id`` if this worker can claim it; returns what happened (for logs and tests)."""
    from claims.jobs.kinds import KINDS
    from claims.jobs.queue import enqueue

    engine = engine or get_engine()
    worker = store.worker_name()
    sessions = session_factory(engine, write=True)
    with sessions() as s:
        job = store.claim(s, job_id, worker)
        if job is None:
            s.rollback()
            return "skipped"  # done, failed, running elsewhere, not due yet, or unknown
        if job.attempts > job.max_attempts:
            store.give_up(s, job_id, f"gave up after {job.max_attempts} attempts; last error: {job.error or 'the worker died'}")
            s.commit()
            return "failed"
        ctx = JobContext(job.id, job.kind, dict(job.params or {}), engine, worker, job.attempts)
        s.commit()
    beat = _Heartbeat(ctx)
    beat.start()
    try:
        result = KINDS[ctx.kind].run(ctx)
    except JobLost:
        return "lost"
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"
        retry = ctx.attempt < job.max_attempts and KINDS[ctx.kind].retryable(exc)
        delay = store.backoff(ctx.attempt) if retry else None
        with sessions() as s:
            store.fail(s, job_id, worker, error, retry_in=delay)
            s.commit()
        if retry:
            log.info("job %s (%s) attempt %d failed, retry in %.1f s: %s", job_id, ctx.kind, ctx.attempt, delay, exc)
            enqueue(job_id, delay=delay)
            return "retrying"
        log.warning("job %s (%s) failed: %s", job_id, ctx.kind, exc)
        return "failed"
    finally:
        beat.done.set()
    with sessions() as s:
        store.finish(s, job_id, worker, result or {}, body=ctx.body, media_type=ctx.media_type, filename=ctx.filename)
        s.commit()
    return "succeeded"
