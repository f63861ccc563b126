"""Large HTML and PDF reports are made by a worker: the request gets 202 and the job's URL."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.db import session_factory
from claims.jobs.store import submit
from claims.models import AuditEvent
from claims.reports import claim_count, get
from claims.schemas import JobOut
from claims.serialize import job_out
from claims.settings import get_settings

#: Formats slow enough to be worth a job (WeasyPrint layout, Graphviz per claim).
JOB_FORMATS = ("html", "pdf")


def report_job(session: Session, kind: str, subject_id: uuid.UUID, fmt: str) -> JobOut | None:
    """Submit (or find) the job for a report over ``CLAIMS_REPORT_JOB_THRESHOLD`` claims; None when
    the report is small enough to make in the request.

    The job is keyed by subject, format and the last audit event: asking again before anything
    changed returns the same job (and its finished file); any change makes a new one.
    """
    get(fmt)  # an unknown format is a 422 before anything is counted
    if fmt not in JOB_FORMATS or claim_count(session, kind, subject_id) <= get_settings().report_job_threshold:
        return None
    last_event = session.scalar(select(func.max(AuditEvent.id))) or 0
    key = f"report:{kind}:{subject_id}:{fmt}:{last_event}"
    writer = session_factory(session.get_bind(), write=True)()
    try:
        job, _ = submit(writer, "report", {"subject_kind": str(kind), "subject_id": str(subject_id), "format": fmt},
                        idempotency_key=key)
        out = job_out(job)
        writer.commit()
    finally:
        writer.close()
    return out
