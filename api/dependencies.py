"""Request-scoped dependencies (one database session, one transaction, per request), pagination,
and the typed query parameters the listings share."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncGenerator
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from litestar import Request
from litestar.exceptions import ValidationException
from litestar.openapi.spec import Example
from litestar.params import QueryParameter
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from api.auth import WRITE_SCOPES, required_scope
from claims.schemas import NO_NUL, Page, Timestamp
from claims.services import ListParams

T = TypeVar("T")

#: Commits, rollbacks and closes run here, never in the pool that runs handlers. A handler
#: thread can wait (up to the busy timeout) for SQLite's write lock; if the lock holder's
#: commit were queued behind such waiters in the same small pool, nothing would move until
#: the timeout expired. Finishing a transaction never waits for a lock, so this pool drains.
_FINISHER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="claims-uow")


async def _finish(fn) -> None:
    await asyncio.get_running_loop().run_in_executor(_FINISHER, fn)


async def provide_session(request: Request) -> AsyncGenerator[Session, None]:
    """Commit when the handler succeeded, roll back everything when anything failed.

    Handlers that change data get a write session (on SQLite it begins IMMEDIATE, see
    ``claims.db.writer``); reads get a plain one.
    """
    writes = required_scope(request.route_handler) in WRITE_SCOPES
    factory = request.app.state.write_session_factory if writes else request.app.state.session_factory
    session: Session = factory()
    session.info["actor"] = request.scope.get("state", {}).get("actor") or "api:anonymous"
    try:
        yield session
    except BaseException:
        await _finish(lambda: _end(session, commit=False))
        raise
    await _finish(lambda: _end(session, commit=True))


def _end(session: Session, *, commit: bool) -> None:
    """Commit (or roll back) and close in one trip to the finisher pool (each trip costs a
    thread hand-off per request)."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


def provide_pagination(
    limit: Annotated[int, QueryParameter(ge=1, le=200, description="Items per page", examples=[Example(value=20)])] = 50,
    offset: Annotated[int, QueryParameter(ge=0, le=10_000_000, description="Items to skip")] = 0,
) -> ListParams:
    return ListParams(limit=limit, offset=offset)


def page(request: Request, items: list[T], total: int, params: ListParams) -> Page[T]:
    """One page of a listing: the items, the total over all pages, and the next page's URL."""
    following = None
    if params.offset + len(items) < total:
        query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")]
        query += [("limit", str(params.limit)), ("offset", str(params.offset + params.limit))]
        following = f"{request.url.path}?{urlencode(query)}"
    return Page(items=items, total=total, limit=params.limit, offset=params.offset, next=following)


# --- typed query parameters (absent = no filter; never null) ----------------------------------

_TIMESTAMP = TypeAdapter(Timestamp)


def _timestamp_param(description: str) -> Any:
    return Annotated[
        str | None,
        QueryParameter(
            format="date-time",
            max_length=64,
            description=f"{description} (RFC 3339; without an offset, UTC)",
            examples=[Example(value="2026-01-02T03:04:05Z")],
        ),
    ]


PublishedAfter = _timestamp_param("Published at or after")
PublishedBefore = _timestamp_param("Published before")
LangFilter = Annotated[
    str | None, QueryParameter(min_length=2, max_length=2, pattern=r"^[a-z]{2}$", description="ISO 639-1 code, e.g. ar")
]


def text_filter(description: str, max_length: int = 300) -> Any:
    return Annotated[str | None, QueryParameter(min_length=1, max_length=max_length, pattern=NO_NUL, description=description)]


def timestamp(name: str, value: str | None) -> datetime.datetime | None:
    """Parse a timestamp query parameter exactly as a body timestamp is parsed (400 otherwise)."""
    if value is None:
        return None
    try:
        return _TIMESTAMP.validate_python(value)
    except ValidationError:
        raise ValidationException(
            detail=f"query parameter {name!r} is not an RFC 3339 date-time", extra=[{"key": name, "message": "not an RFC 3339 date-time"}]
        ) from None
