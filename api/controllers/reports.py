"""Report downloads: ``GET /api/v1/{claims|claim-groups|documents|sources}/{id}/report?format=``."""

from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, QueryParameter
from sqlalchemy.orm import Session

from api.caching import IfNoneMatch, conditional, etag
from claims.jobs.reports import report_job
from claims.reports import FORMATS, Kind, build_report, render
from claims.schemas import JobOut

ReportFormat = Annotated[
    str,
    QueryParameter(name="format", max_length=40, enum=list(FORMATS), description=f"One of: {', '.join(FORMATS)}"),
]


def _report(request: Request, db_session: Session, kind: Kind, subject_id: UUID, fmt: str) -> Response[bytes]:
    queued = report_job(db_session, kind, subject_id, fmt)
    if queued is not None:  # a large HTML/PDF report is made by a worker
        return Response(content=queued.model_dump_json().encode(), status_code=202, media_type="application/json",
                        headers={"Location": queued.url})
    report = build_report(db_session, kind, subject_id)
    timeless = report.meta.model_copy(update={"generated_at": _EPOCH})
    tag = etag(fmt.encode() + b"\n" + report.model_copy(update={"meta": timeless}).model_dump_json().encode())
    unchanged = conditional.not_modified(request, tag)
    if unchanged is not None:
        return unchanged
    rendered = render(report, fmt)
    headers = {
        "Content-Disposition": f'inline; filename="{rendered.filename(report)}"',
        "X-Report-SHA256": rendered.digest,
    }
    return conditional.with_tag(Response(content=rendered.body, media_type=rendered.media_type, headers=headers), tag)


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


_CONDITIONAL = {
    "responses": {
        **conditional.responses,
        202: ResponseSpec(JobOut, description="A large HTML/PDF report is made by a job: follow Location"),
    },
    "response_headers": conditional.response_headers,
}


def _report_route(path: str, summary: str, kind: Kind, name: str):
    """One report endpoint per subject kind: the same handler, its own path, summary and name
    (the name makes the operationId, e.g. ``ApiV1ClaimsSubjectIdReportClaimReport``)."""

    def handler(
        request: Request, db_session: NamedDependency[Session], subject_id: FromPath[UUID],
        fmt: ReportFormat = "json", if_none_match: IfNoneMatch = None,
    ) -> Response[bytes]:
        return _report(request, db_session, kind, subject_id, fmt)

    handler.__name__ = handler.__qualname__ = name
    return get(path, summary=summary, tags=["reports"], sync_to_thread=True, **_CONDITIONAL)(handler)


REPORT_HANDLERS = [
    _report_route("/api/v1/claims/{subject_id:uuid}/report", "Provenance report for one claim", Kind.CLAIM,
                  "claim_report"),
    _report_route("/api/v1/claim-groups/{subject_id:uuid}/report", "Provenance report for a claim group",
                  Kind.CLAIM_GROUP, "claim_group_report"),
    _report_route("/api/v1/documents/{subject_id:uuid}/report", "Provenance report for a document's claims",
                  Kind.DOCUMENT, "document_report"),
    _report_route("/api/v1/sources/{subject_id:uuid}/report", "Provenance report for a source's claims",
                  Kind.SOURCE, "source_report"),
]
