"""Request-scoped dependencies: one database session (one transaction) per request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from litestar import Request
from litestar.params import Parameter
from sqlalchemy.orm import Session

from api.auth import WRITE_SCOPES, required_scope
from claims.services import ListParams

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
        await _finish(session.commit)
    except BaseException:
        await _finish(session.rollback)
        raise
    finally:
        await _finish(session.close)


@dataclass
class Pagination:
    limit: int
    offset: int


def provide_pagination(
    limit: int = Parameter(query="limit", default=50, ge=1, le=200),
    offset: int = Parameter(query="offset", default=0, ge=0, le=10_000_000),
) -> ListParams:
    return ListParams(limit=limit, offset=offset)
