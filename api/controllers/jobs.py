"""Jobs: ``/api/v1/jobs`` (state, progress, result, error; submitting needs the admin scope)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from api.dependencies import page, text_filter
from claims.errors import Conflict, NotFound
from claims.jobs.store import get as get_job
from claims.jobs.store import list_jobs, submit
from claims.models import Job
from claims.schemas import JobIn, JobOut, Page
from claims.serialize import job_out
from claims.services import ListParams
from claims.vocabulary import JobStatus, Scope


class JobController(Controller):
    path = "/api/v1/jobs"
    tags = ["jobs"]

    @get("/", summary="List jobs, newest first", sync_to_thread=True)
    def list_jobs(
        self,
        request: Request,
        db_session: NamedDependency[Session],
        pagination: NamedDependency[ListParams],
        status: Annotated[JobStatus | None, QueryParameter(description="Only jobs in this state")] = None,
        kind: text_filter("Only jobs of this kind", max_length=40) = None,
    ) -> Page[JobOut]:
        rows, total = list_jobs(db_session, status=status, kind=kind, limit=pagination.limit, offset=pagination.offset)
        return page(request, [job_out(j) for j in rows], total, pagination)

    @get("/{job_id:uuid}", summary="A job: status, progress, result link, error", sync_to_thread=True)
    def get_job(self, db_session: NamedDependency[Session], job_id: FromPath[UUID]) -> JobOut:
        return job_out(get_job(db_session, job_id))

    @get("/{job_id:uuid}/result", summary="The file a job made (a report), once it succeeded", sync_to_thread=True,
         responses={200: ResponseSpec(bytes, media_type="application/octet-stream", description="The file")})
    def get_result(self, db_session: NamedDependency[Session], job_id: FromPath[UUID]) -> Response[bytes]:
        job = db_session.scalar(select(Job).where(Job.id == job_id).options(undefer(Job.result_body)))
        if job is None:
            raise NotFound(f"job {job_id} does not exist")
        if job.status != JobStatus.SUCCEEDED.value or job.result_body is None:
            # The job exists; its file does not (yet): a conflict with the job's state, not a missing record.
            raise Conflict(f"job {job_id} has no file result (status {job.status})", job_status=job.status)
        headers = {"Content-Disposition": f'inline; filename="{job.result_filename or "result"}"'}
        if job.result and job.result.get("sha256"):
            headers["X-Report-SHA256"] = job.result["sha256"]
        return Response(job.result_body, media_type=job.result_media_type or "application/octet-stream", headers=headers)

    @post("/", summary="Submit a job (admin scope; 202 with the job's URL)", sync_to_thread=True, status_code=202,
          opt={"scope": Scope.ADMIN.value})
    def submit_job(self, db_session: NamedDependency[Session], data: JSONBody[JobIn]) -> Response[JobOut]:
        job, _ = submit(db_session, data.kind, data.params, idempotency_key=data.idempotency_key)
        out = job_out(job)
        return Response(out, status_code=202, headers={"Location": out.url})
