"""Feeds: ``/api/v1/feeds`` (register, list, poll as a job)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody
from sqlalchemy.orm import Session

from api.dependencies import page
from claims.jobs.store import submit
from claims.schemas import FeedIn, FeedOut, JobOut, Page
from claims.serialize import feed_out, job_out
from claims.services import ListParams

_ACCEPTED = {202: ResponseSpec(JobOut, description="The poll is a job: follow Location (/api/v1/jobs/{id})")}


def _feeds():
    """``claims.feeds``, imported when first used (it brings feedparser and the fetcher's HTTP
    client, which a server that never touches feeds need not load at start)."""
    from claims import feeds

    return feeds


def _accepted(job) -> Response[JobOut]:
    out = job_out(job)
    return Response(out, status_code=202, headers={"Location": out.url})


class FeedController(Controller):
    path = "/api/v1/feeds"
    tags = ["feeds"]

    @get("/", summary="List feeds with their last poll", sync_to_thread=True)
    def list_feeds(
        self, request: Request, db_session: NamedDependency[Session], pagination: NamedDependency[ListParams]
    ) -> Page[FeedOut]:
        rows, total = _feeds().list_feeds(db_session, limit=pagination.limit, offset=pagination.offset)
        return page(request, [feed_out(f) for f in rows], total, pagination)

    @post("/", summary="Register an RSS/Atom feed (201 new, 200 already registered)", sync_to_thread=True,
          responses={200: ResponseSpec(FeedOut, description="The feed was already registered")})
    def add_feed(self, db_session: NamedDependency[Session], data: JSONBody[FeedIn]) -> Response[FeedOut]:
        feed, created = _feeds().add_feed(db_session, data.url, outlet=data.outlet)
        return Response(feed_out(feed), status_code=201 if created else 200)

    @get("/{feed_id:uuid}", summary="Get a feed", sync_to_thread=True)
    def get_feed(self, db_session: NamedDependency[Session], feed_id: FromPath[UUID]) -> FeedOut:
        return feed_out(_feeds().get_feed(db_session, feed_id))

    @delete("/{feed_id:uuid}", summary="Stop polling a feed (its documents stay)", sync_to_thread=True)
    def delete_feed(self, db_session: NamedDependency[Session], feed_id: FromPath[UUID]) -> None:
        _feeds().delete_feed(db_session, feed_id)

    @post("/poll", summary="Poll every feed now, as a job (202 with the job's URL)", sync_to_thread=True,
          status_code=202, responses=_ACCEPTED)
    def poll_all(self, db_session: NamedDependency[Session]) -> Response[JobOut]:
        job, _ = submit(db_session, "feeds.poll", {})
        return _accepted(job)

    @post("/{feed_id:uuid}/poll", summary="Poll one feed now, as a job (202 with the job's URL)",
          sync_to_thread=True, status_code=202, responses=_ACCEPTED)
    def poll_one(self, db_session: NamedDependency[Session], feed_id: FromPath[UUID]) -> Response[JobOut]:
        _feeds().get_feed(db_session, feed_id)
        job, _ = submit(db_session, "feeds.poll", {"feed_id": str(feed_id)})
        return _accepted(job)
