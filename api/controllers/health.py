from __future__ import annotations

from litestar import get
from sqlalchemy import text
from sqlalchemy.orm import Session

from claims import __version__, migrate


@get("/health", summary="Liveness and database check", tags=["health"], sync_to_thread=True, opt={"scope": "public"})
def health(db_session: Session) -> dict[str, str | None]:
    db_session.execute(text("SELECT 1"))
    return {
        "status": "ok",
        "version": __version__,
        "database": db_session.get_bind().dialect.name,
        "revision": migrate.current(db_session.get_bind()),
    }
