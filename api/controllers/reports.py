"""Report downloads: ``GET /api/v1/{claims|claim-groups|documents|sources}/{id}/report?format=``."""

from __future__ import annotations

from uuid import UUID

from litestar import Response, get
from litestar.params import Parameter
from sqlalchemy.orm import Session

from claims.jobs.reports import report_job
from claims.reports import FORMATS, Kind, build_report, render

_FORMAT = Parameter(
    query="format",
    default="json",
    max_length=40,
    description=f"One of: {', '.join(FORMATS)}",
)


def _report(db_session: Session, kind: Kind, subject_id: UUID, fmt: str) -> Response[bytes]:
    queued = report_job(db_session, kind, subject_id, fmt)
    if queued is not None:  # a large HTML/PDF report is made by a worker
        return Response(content=queued.model_dump_json().encode(), status_code=202, media_type="application/json",
                        headers={"Location": queued.url})
    report = build_report(db_session, kind, subject_id)
    rendered = render(report, fmt)
    return Response(
        content=rendered.body,
        media_type=rendered.media_type,
        headers={
            "Content-Disposition": f'inline; filename="{rendered.filename(report)}"',
            "X-Report-SHA256": rendered.digest,
        },
    )


@get("/api/v1/claims/{subject_id:uuid}/report", summary="Provenance report for one claim", tags=["reports"],
     sync_to_thread=True)
def claim_report(db_session: Session, subject_id: UUID, fmt: str = _FORMAT) -> Response[bytes]:
    return _report(db_session, Kind.CLAIM, subject_id, fmt)


@get("/api/v1/claim-groups/{subject_id:uuid}/report", summary="Provenance report for a claim group",
     tags=["reports"], sync_to_thread=True)
def claim_group_report(db_session: Session, subject_id: UUID, fmt: str = _FORMAT) -> Response[bytes]:
    return _report(db_session, Kind.CLAIM_GROUP, subject_id, fmt)


@get("/api/v1/documents/{subject_id:uuid}/report", summary="Provenance report for a document's claims",
     tags=["reports"], sync_to_thread=True)
def document_report(db_session: Session, subject_id: UUID, fmt: str = _FORMAT) -> Response[bytes]:
    return _report(db_session, Kind.DOCUMENT, subject_id, fmt)


@get("/api/v1/sources/{subject_id:uuid}/report", summary="Provenance report for a source's claims",
     tags=["reports"], sync_to_thread=True)
def source_report(db_session: Session, subject_id: UUID, fmt: str = _FORMAT) -> Response[bytes]:
    return _report(db_session, Kind.SOURCE, subject_id, fmt)


REPORT_HANDLERS = [claim_report, claim_group_report, document_report, source_report]
