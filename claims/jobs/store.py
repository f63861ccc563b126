"""Job rows: the record of every job (status, progress, result, error) and the lease protocol
that makes a job run once even when messages are duplicated or a worker dies.

The queue (claims.jobs.queue) only carries job ids. A worker *claims* a job with one
conditional UPDATE — queued and due, or running with an expired lease — so of two workers
handed the same id only one runs it; the other sees the row taken and drops the message.
While it runs, the worker renews the lease; a worker killed with SIGKILL stops renewing, the
lease expires, and ``recover`` hands the job to another worker, which runs it again from the
start (every job kind is idempotent: it skips what the killed attempt already committed).
"""

from __future__ import annotations

import datetime
import os
import socket
import threading
import uuid
from typing import Any

from sqlalchemy import and_, event, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claims.db import stored
from claims.errors import Invalid
from claims.models import Job
from claims.settings import get_settings
from claims.vocabulary import JobStatus

PENDING_KEY = "claims.jobs.pending"


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"[:200]


def backoff(attempt: int) -> float:
    """Seconds before retry ``attempt`` + 1: the first delay, doubled each attempt, capped at 10 min."""
    return min(get_settings().jobs_retry_delay * (2 ** max(attempt - 1, 0)), 600.0)


# ------------------------------------------------------------------------------ submitting


def submit(
    session: Session,
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    idempotency_key: str | None = None,
    max_attempts: int | None = None,
) -> tuple[Job, bool]:
    """Record a job in the caller's transaction; it is put on the queue once that commits.

    With ``idempotency_key`` the same request twice is one job: (stored job, False).
    """
    from claims.jobs.kinds import KINDS

    if kind not in KINDS:
        raise Invalid(f"unknown job kind {kind!r}; known: {', '.join(sorted(KINDS))}", field="kind")
    if idempotency_key is not None:
        existing = session.scalar(select(Job).where(Job.idempotency_key == idempotency_key))
        if existing is not None:
            return existing, False
    job = Job(
        kind=kind,
        params=params or {},
        status=JobStatus.QUEUED.value,
        idempotency_key=idempotency_key,
        max_attempts=max_attempts or get_settings().jobs_max_attempts,
    )
    if idempotency_key is None:
        session.add(job)
        session.flush()
    else:
        try:
            with session.begin_nested():
                session.add(job)
        except IntegrityError:  # a concurrent submit with the same key won
            existing = session.scalar(select(Job).where(Job.idempotency_key == idempotency_key))
            if existing is None:
                raise
            return existing, False
    session.info.setdefault(PENDING_KEY, []).append(job.id)
    return job, True


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if pending:
        from claims.jobs import queue

        for job_id in pending:
            queue.enqueue(job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


def get(session: Session, job_id: uuid.UUID) -> Job:
    return stored(session, Job, job_id, "job")


def queued_count(session: Session) -> int:
    """Jobs waiting to run (the metrics' queue depth; an index range on ``status``)."""
    return session.scalar(select(func.count()).select_from(Job).where(Job.status == JobStatus.QUEUED.value)) or 0


def list_jobs(session: Session, *, status: str | None = None, kind: str | None = None, limit: int = 50,
              offset: int = 0) -> tuple[list[Job], int]:
    query = select(Job)
    if status:
        query = query.where(Job.status == status)
    if kind:
        query = query.where(Job.kind == kind)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = list(session.scalars(query.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit).offset(offset)))
    return rows, total


# ------------------------------------------------------------------------------ the lease


def claim(session: Session, job_id: uuid.UUID, worker: str) -> Job | None:
    """Take the job for ``worker`` if it is queued and due, or running on an expired lease."""
    now = utcnow()
    lease = datetime.timedelta(seconds=get_settings().jobs_lease_seconds)
    taken = session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                # a retry is due at lease_until (the delayed message's time, set by the same clock)
                and_(Job.status == JobStatus.QUEUED.value, or_(Job.lease_until.is_(None), Job.lease_until <= now)),
                and_(Job.status == JobStatus.RUNNING.value, Job.lease_until < now),
            ),
        )
        .values(
            status=JobStatus.RUNNING.value,
            attempts=Job.attempts + 1,
            worker=worker,
            lease_until=now + lease,
            started_at=func.coalesce(Job.started_at, now),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        return None
    session.flush()
    job = session.get(Job, job_id, populate_existing=True)
    return job


def renew(session: Session, job_id: uuid.UUID, worker: str, *, done: int | None = None, total: int | None = None) -> bool:
    """Extend the lease (and record progress); False when the job is no longer this worker's."""
    now = utcnow()
    values: dict[str, Any] = {
        "lease_until": now + datetime.timedelta(seconds=get_settings().jobs_lease_seconds),
        "updated_at": now,
    }
    if done is not None:
        values["progress_done"] = done
    if total is not None:
        values["progress_total"] = total
    return _own(session, job_id, worker, values)


def _own(session: Session, job_id: uuid.UUID, worker: str, values: dict[str, Any]) -> bool:
    """Write ``values`` only while the job is still running on ``worker``'s lease."""
    return session.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker == worker, Job.status == JobStatus.RUNNING.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount == 1


def finish(session: Session, job_id: uuid.UUID, worker: str, result: dict[str, Any], *,
           body: bytes | None = None, media_type: str | None = None, filename: str | None = None) -> bool:
    now = utcnow()
    values: dict[str, Any] = {
        "status": JobStatus.SUCCEEDED.value, "result": result, "error": None, "finished_at": now,
        "lease_until": None, "updated_at": now,
    }
    if body is not None:
        values.update(result_body=body, result_media_type=media_type, result_filename=filename)
    return _own(session, job_id, worker, values)


def fail(session: Session, job_id: uuid.UUID, worker: str, error: str, *, retry_in: float | None) -> bool:
    """Record an attempt's error: queued again after ``retry_in`` seconds, or failed for good."""
    now = utcnow()
    if retry_in is None:
        values: dict[str, Any] = {"status": JobStatus.FAILED.value, "finished_at": now, "lease_until": None}
    else:
        values = {"status": JobStatus.QUEUED.value, "lease_until": now + datetime.timedelta(seconds=retry_in)}
    return _own(session, job_id, worker, {"error": error[:20_000], "updated_at": now, **values})


def give_up(session: Session, job_id: uuid.UUID, reason: str) -> None:
    now = utcnow()
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
        .values(status=JobStatus.FAILED.value, error=reason, finished_at=now, lease_until=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def stale_running(session: Session) -> list[uuid.UUID]:
    """Running jobs whose worker went silent (lease expired): another worker must take them."""
    return list(session.scalars(
        select(Job.id).where(Job.status == JobStatus.RUNNING.value, Job.lease_until < utcnow()).order_by(Job.id)
    ))


def orphaned_queued(session: Session) -> list[uuid.UUID]:
    """Queued jobs, due, untouched for two leases: asked only when the broker holds no message, so
    these have none (the broker was down when they were committed, or lost the message)."""
    now = utcnow()
    quiet = now - datetime.timedelta(seconds=2 * get_settings().jobs_lease_seconds)
    return list(session.scalars(
        select(Job.id).where(
            Job.status == JobStatus.QUEUED.value,
            or_(Job.lease_until.is_(None), Job.lease_until <= now),
            Job.updated_at < quiet,
        ).order_by(Job.id)
    ))


def touch(session: Session, job_ids: list[uuid.UUID]) -> None:
    if job_ids:
        session.execute(
            update(Job).where(Job.id.in_(job_ids), Job.status == JobStatus.QUEUED.value).values(updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
