"""``create_app()``: the Litestar application, assembled in one place."""

from __future__ import annotations

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from sqlalchemy import Engine

from api.controllers.ask import AskController
from api.controllers.claims import ClaimController
from api.controllers.documents import DocumentController
from api.controllers.health import health
from api.controllers.reports import REPORT_HANDLERS
from api.controllers.sources import SourceController
from api.controllers.web import index
from api.dependencies import provide_pagination, provide_session
from api.errors import EXCEPTION_HANDLERS
from claims import __version__
from claims.db import get_engine, session_factory
from claims.settings import Settings, get_settings


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Litestar:
    settings = settings or get_settings()
    engine = engine or get_engine(settings.database_url)
    return Litestar(
        route_handlers=[
            index, health, SourceController, DocumentController, ClaimController, AskController, *REPORT_HANDLERS
        ],
        dependencies={
            "db_session": Provide(provide_session),
            "pagination": Provide(provide_pagination, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        state=State({"session_factory": session_factory(engine), "engine": engine, "settings": settings}),
        request_max_body_size=2 * settings.max_text_chars * 4,
        openapi_config=OpenAPIConfig(
            title="Claims provenance API",
            version=__version__,
            description="Who said what, through whom, and how firmly. Errors are RFC 9457 problem+json.",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
    )
