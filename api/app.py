"""``create_app()``: the Litestar application, assembled in one place."""

from __future__ import annotations

import threading

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from sqlalchemy import Engine

from api import collect_normally, observability, openapi
from api.auth import PUBLIC, Authenticator, RateLimiter, security_components
from api.checks import request_checks
from api.controllers.ask import AskController
from api.controllers.claims import ClaimController
from api.controllers.documents import DocumentController
from api.controllers.feeds import FeedController
from api.controllers.health import health, ready
from api.controllers.jobs import JobController
from api.controllers.reports import REPORT_HANDLERS
from api.controllers.sources import SourceController
from api.controllers.web import WEB_ROUTES, swagger_plugin
from api.dependencies import provide_pagination, provide_session
from api.errors import EXCEPTION_HANDLERS
from api.observability import Metrics, metrics_endpoint
from api.openapi import OPENAPI_PATH
from api.pages import SESSION_STORE, session_store
from claims import __version__
from claims.db import get_engine, session_factory
from claims.jobs.store import queued_count
from claims.query.warmup import BackgroundWarmUp, settle
from claims.ratelimit import buckets_for
from claims.settings import Settings, get_settings


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Litestar:
    settings = settings or get_settings()
    engine = engine or get_engine(settings.database_url)
    app = Litestar(
        route_handlers=[
            *WEB_ROUTES, health, ready, *([metrics_endpoint] if settings.metrics_enabled else []),
            SourceController, DocumentController, ClaimController, AskController, *REPORT_HANDLERS,
            FeedController, JobController,
        ],
        dependencies={
            "db_session": Provide(provide_session),
            "pagination": Provide(provide_pagination, sync_to_thread=False),
        },
        before_request=request_checks,
        exception_handlers=EXCEPTION_HANDLERS,
        on_startup=[_start_warm_up],
        state=app_state(settings, engine),
        stores={SESSION_STORE: session_store(settings)},
        request_max_body_size=2 * settings.max_text_chars * 4,
        openapi_config=OpenAPIConfig(
            title="Claims provenance API",
            version=__version__,
            description=(
                "Who said what, through whom, and how firmly. Errors are RFC 9457 problem+json. "
                f"Writes need an API key in the {settings.api_key_header} header (scopes: read, write, "
                "review, admin); reads are open unless the server requires keys for reads."
            ),
            path=OPENAPI_PATH,
            components=security_components(settings),
            render_plugins=[swagger_plugin()],
        ),
    )
    openapi.install(app, settings)
    observability.install(app, settings)
    collect_normally()  # the app is built: the collector's own thresholds again (``api``)
    return app


def _start_warm_up(app: Litestar) -> None:
    warming = app.state.warm_up
    if warming is not None:
        warming.start()
        threading.Thread(target=_freeze_after, args=(warming,), name="claims-gc-freeze", daemon=True).start()


def _freeze_after(warming: BackgroundWarmUp) -> None:
    """Once the warm-up is done, ``settle``: what it loaded is frozen out of the collector's reach."""
    warming.wait()
    settle()


def app_state(settings: Settings, engine: Engine) -> State:
    """What the handlers read from ``app.state``: sessions, key checks, limits, metrics. Kept apart
    from the routes so a new state can be given to a built app (routing is the costly part)."""
    read_sessions, write_sessions = session_factory(engine), session_factory(engine, write=True)
    metrics = Metrics()
    metrics.track_queue("jobs", lambda: _queued_jobs(read_sessions))
    return State(
        {
            "session_factory": read_sessions,
            "write_session_factory": write_sessions,
            "engine": engine,
            "settings": settings,
            "authenticator": Authenticator(read_sessions, write_sessions),
            "rate_limiter": RateLimiter(settings, buckets_for(settings, engine)),
            "metrics": metrics,
            "openapi_path": OPENAPI_PATH,
            "warm_up": BackgroundWarmUp(read_sessions) if settings.warm_up else None,
        }
    )


def _queued_jobs(sessions) -> int:
    with sessions() as session:
        return queued_count(session)


__all__ = ["PUBLIC", "create_app"]
