"""``create_app()``: the Litestar application, assembled in one place."""

from __future__ import annotations

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.routes import HTTPRoute
from sqlalchemy import Engine

from api.auth import (
    PUBLIC,
    SECURITY_SCHEME,
    WRITE_SCOPES,
    Authenticator,
    RateLimiter,
    api_key_guard,
    required_scope,
    security_components,
)
from api.controllers.ask import AskController
from api.controllers.claims import ClaimController
from api.controllers.documents import DocumentController
from api.controllers.health import health
from api.controllers.reports import REPORT_HANDLERS
from api.controllers.sources import SourceController
from api.controllers.web import WEB_ROUTES, swagger_plugin
from api.dependencies import provide_pagination, provide_session
from api.errors import EXCEPTION_HANDLERS, PROBLEM_JSON, Problem
from api.pages import WebSessions
from claims import __version__
from claims.db import get_engine, session_factory
from claims.settings import Settings, get_settings
from claims.vocabulary import Scope

OPENAPI_PATH = "/schema"


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=Problem, media_type=PROBLEM_JSON, description=description, generate_examples=False)


def _document_access(app: Litestar, settings: Settings) -> None:
    """Write each operation's key requirement and error responses into the OpenAPI document."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(OPENAPI_PATH):
            continue
        for handler in route.route_handlers:
            needed = required_scope(handler)
            responses = dict(handler.responses or {})
            responses.setdefault(400, _problem("Malformed request (e.g. a body that is not JSON)"))
            responses.setdefault(422, _problem("The request does not match the schema or the record's rules"))
            if needed is not None:
                keyed = needed in WRITE_SCOPES or settings.require_key_for_reads
                # An empty requirement ({}) marks the key as optional: reads are open by default.
                handler.security = [{SECURITY_SCHEME: []}] if keyed else [{}, {SECURITY_SCHEME: []}]
                responses.setdefault(401, _problem("No valid API key (missing, unknown, malformed or revoked)"))
                responses.setdefault(429, _problem("The key's rate limit is spent; see Retry-After"))
                if needed is not Scope.READ:
                    responses.setdefault(403, _problem(f"The key lacks the '{needed}' scope"))
            if handler.http_methods & {"POST", "PUT", "PATCH"}:
                responses.setdefault(409, _problem("Conflicts with stored data (duplicate or in use)"))
                responses.setdefault(413, _problem("The request body is larger than the server accepts"))
            if "{" in route.path:
                responses.setdefault(404, _problem("No such record"))
            handler.responses = responses


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Litestar:
    settings = settings or get_settings()
    engine = engine or get_engine(settings.database_url)
    read_sessions, write_sessions = session_factory(engine), session_factory(engine, write=True)
    app = Litestar(
        route_handlers=[
            *WEB_ROUTES, health, SourceController, DocumentController, ClaimController, AskController, *REPORT_HANDLERS
        ],
        dependencies={
            "db_session": Provide(provide_session),
            "pagination": Provide(provide_pagination, sync_to_thread=False),
        },
        guards=[api_key_guard],
        exception_handlers=EXCEPTION_HANDLERS,
        state=State(
            {
                "session_factory": read_sessions,
                "write_session_factory": write_sessions,
                "engine": engine,
                "settings": settings,
                "authenticator": Authenticator(read_sessions, write_sessions),
                "rate_limiter": RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst),
                "openapi_path": OPENAPI_PATH,
                "web_sessions": WebSessions(),
            }
        ),
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
    _document_access(app, settings)
    return app


__all__ = ["PUBLIC", "create_app"]
