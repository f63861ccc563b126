"""Request-scoped dependencies: one database session (one transaction) per request."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from litestar import Request
from litestar.params import Parameter
from sqlalchemy.orm import Session

from api.auth import WRITE_SCOPES, required_scope
from claims.services import ListParams


def provide_session(request: Request) -> Generator[Session, None, None]:
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
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@dataclass
class Pagination:
    limit: int
    offset: int


def provide_pagination(
    limit: int = Parameter(query="limit", default=50, ge=1, le=200),
    offset: int = Parameter(query="offset", default=0, ge=0, le=10_000_000),
) -> ListParams:
    return ListParams(limit=limit, offset=offset)
