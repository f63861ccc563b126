"""What a job can be: one entry per kind, each a plain domain function run by a worker.

Every kind is idempotent, so a retry or a take-over after a crash repeats nothing that the
earlier attempt committed: feed entries are recorded once by guid, canonical URL and content
hash; bulk loading skips stored documents; signing skips signed documents; a report is
rendered again from the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claims.errors import DomainError


def _retry_unless_client_error(exc: Exception) -> bool:
    """A domain error (bad parameters, unknown record) fails the same way every time."""
    return not isinstance(exc, DomainError)


@dataclass(frozen=True)
class JobKind:
    name: str
    description: str
    run: Callable[[Any], dict[str, Any]]
    retryable: Callable[[Exception], bool] = _retry_unless_client_error


def _poll_feeds(ctx) -> dict[str, Any]:
    from claims.feeds import poll_all

    return poll_all(ctx.engine, feed_id=ctx.params.get("feed_id"), progress=ctx.progress).as_dict()


def _readable(ctx) -> Path:
    from claims.errors import Invalid

    path = Path(ctx.params.get("path") or "")
    if not path.is_file():
        raise Invalid(f"{path} is not a readable file on the worker's machine", field="path")
    return path


def _load(ctx) -> dict[str, Any]:
    """``claims load`` format (keys), one transaction per document (claims.loading)."""
    from claims.loading import load

    report = load(ctx.engine, _readable(ctx), actor=f"job:{ctx.job_id}", progress=lambda r: ctx.progress(r.lines))
    return {
        "lines": report.lines,
        "documents_created": report.documents_created,
        "documents_skipped": report.documents_skipped,
        "claims_created": report.claims_created,
    }


def _bulk_load(ctx) -> dict[str, Any]:
    """``claims bulk-load`` format (names), in batches (claims.bulk); vectors are left to
    ``embed_backfill`` (submitted after it when embeddings are on)."""
    from claims.bulk import bulk_load

    batch = int(ctx.params.get("batch") or 500)
    report = bulk_load(ctx.engine, _readable(ctx), batch=batch, actor=f"job:{ctx.job_id}",
                       progress=lambda r: ctx.progress(r.lines))
    return report.as_dict()


def _embed_backfill(ctx) -> dict[str, Any]:
    """Vectors for every claim stored without one (claims.bulk.embed_missing; resumable: a retry
    starts at the first claim still missing one), then folded into the vector index."""
    from claims import embeddings
    from claims.bulk import embed_missing

    if not embeddings.enabled():
        return {"claims": 0, "note": "embeddings are not installed or switched off"}
    limit = int(ctx.params["limit"]) if ctx.params.get("limit") else None
    report = embed_missing(ctx.engine, limit=limit, progress=lambda r, total: ctx.progress(r.claims, total))
    added = 0
    if report.claims:
        from claims.vector_store import update

        added = update(ctx.engine)
    return {"claims": report.claims, "seconds": round(report.seconds, 3), "index_added": added}


def _index_rebuild(ctx) -> dict[str, Any]:
    """The on-disk vector index from every stored vector (claims.vector_store.rebuild), on the
    machine of the worker that runs it."""
    from claims import embeddings
    from claims.vector_store import index_dir, rebuild

    if not embeddings.enabled():
        return {"count": 0, "note": "embeddings are not installed or switched off"}
    manifest = rebuild(ctx.engine, progress=lambda n: ctx.progress(n))
    return {"count": manifest.count, "directory": str(index_dir(ctx.engine.url.render_as_string(hide_password=False)))}


def _sign_documents(ctx) -> dict[str, Any]:
    from claims import syndication
    from claims.db import session_factory

    signed = 0
    with session_factory(ctx.engine, write=True)() as session:
        session.info["actor"] = f"job:{ctx.job_id}"
        signed = syndication.backfill(session, progress=lambda n, total: ctx.progress(n, total) if n % 50 == 0 else None)
        session.commit()
    return {"documents_signed": signed}


def _report(ctx) -> dict[str, Any]:
    import uuid

    from claims.db import session_factory
    from claims.reports import build_report, render

    with session_factory(ctx.engine)() as session:
        report = build_report(session, ctx.params["subject_kind"], uuid.UUID(ctx.params["subject_id"]))
        ctx.progress(1, 2)
        rendered = render(report, ctx.params["format"])
    ctx.attach(rendered.body, rendered.media_type, rendered.filename(report))
    return {"format": ctx.params["format"], "bytes": len(rendered.body), "sha256": rendered.digest,
            "claims": len(report.claims)}


def _ping(ctx) -> dict[str, Any]:
    import time

    seconds = min(float(ctx.params.get("seconds", 0) or 0), 60.0)
    if seconds:
        time.sleep(seconds)
    return {"worker": ctx.worker, "attempt": ctx.attempt}


KINDS: dict[str, JobKind] = {
    k.name: k
    for k in (
        JobKind("feeds.poll", "Poll every feed (or params.feed_id) and ingest new entries", _poll_feeds),
        JobKind("load", "Load annotated documents (claims load format) from params.path", _load),
        JobKind("bulk_load", "Load an archive (claims bulk-load format) from params.path in batches", _bulk_load),
        JobKind("embed_backfill", "Sentence vectors for claims stored without one (params.limit)", _embed_backfill),
        JobKind("index_rebuild", "Rebuild the on-disk vector index on the worker's machine", _index_rebuild),
        JobKind("syndication.backfill", "Sign unsigned documents and link syndicated copies", _sign_documents),
        JobKind("report", "Render a report (params.subject_kind, subject_id, format)", _report),
        JobKind("ping", "Check that workers run jobs (params.seconds: wait that long first, at most 60)", _ping),
    )
}
