"""Request-scoped dependencies: one database session (one transaction) per request."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from litestar import Request
from litestar.params import Parameter
from sqlalchemy.orm import Session

from claims.services import ListParams


def provide_session(request: Request) -> Generator[Session, None, None]:
    """Commit when the handler succeeded, roll back everything when anything failed."""
    session: Session = request.app.state.session_factory()
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
