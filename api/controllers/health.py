"""Operations endpoints: liveness (``/health``) and readiness (``/ready``). Neither needs a key
nor counts against a rate limit; ``/metrics`` lives in ``api.observability``."""

from __future__ import annotations

import structlog
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.errors import PROBLEM_JSON, Problem, problem
from claims import __version__, embeddings, migrate
from claims.query import vectors
from claims.schemas import Health, Readiness

log = structlog.get_logger("claims.api")

_OPS = {"scope": "public", "operations": True}


@get("/health", summary="Liveness: the process answers (no database access)", tags=["operations"],
     sync_to_thread=False, opt=_OPS)
def health() -> Health:
    return Health(status="ok", version=__version__)


@get(
    "/ready",
    summary="Readiness: database reachable, migrations at head, search index loaded, warmed up",
    tags=["operations"],
    sync_to_thread=True,
    opt=_OPS,
    responses={503: ResponseSpec(Problem, media_type=PROBLEM_JSON, description="Not ready: the problem's checks say why",
                                 generate_examples=False)},
)
def ready(request: Request, db_session: NamedDependency[Session]) -> Response[Readiness]:
    checks: dict[str, str] = {}
    revision = head = None
    stage = "database"
    try:
        db_session.execute(text("SELECT 1"))
        checks["database"] = "ok"
        stage = "migrations"
        revision, head = migrate.current_on(db_session.connection()), migrate.head()
        checks["migrations"] = "ok" if revision == head else f"at {revision or 'nothing'}, head is {head}"
        stage = "index"
        if embeddings.enabled():
            index = vectors.load_index(db_session)
            checks["index"] = f"ok ({len(index)} vectors)"
        else:
            checks["index"] = "ok (full-text only)"
        if (warming := request.app.state.warm_up) is not None:
            checks["warm-up"] = warming.state
    except Exception as exc:  # noqa: BLE001 - readiness reports what failed instead of failing
        log.warning("not ready", check=stage, error=repr(exc))
        checks[stage] = f"failed: {type(exc).__name__}"
    ok = all(v.startswith("ok") for v in checks.values()) and len(checks) == (3 if request.app.state.warm_up is None else 4)
    body = Readiness(
        status="ready" if ok else "not ready",
        version=__version__,
        database=db_session.get_bind().dialect.name,
        revision=revision,
        head=head,
        checks=checks,
    )
    if ok:
        return Response(body)
    failed = "; ".join(f"{k}: {v}" for k, v in checks.items() if not v.startswith("ok"))
    return problem(request, 503, "Service Unavailable", f"not ready: {failed}", checks=checks, revision=revision, head=head)
