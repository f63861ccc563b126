"""What the fact-checker's pages share: templates, the interface language, login sessions and
CSRF tokens. The handlers live in ``api.controllers.web``; the data comes from ``claims``.

Sessions are Litestar's server-side sessions (the cookie holds only a random id) so that a login
can be tied to an API key without the key ever leaving the server. The data lives in a store
every server process shares (``session_store``: files by default, Redis when configured), so a
restart or ``claims serve --workers N`` keeps logins. Logging in or out issues a fresh session id
(no fixation). A session holds the key's id, name and scopes and one CSRF token; every form
carries the token and every POST compares it in constant time; every change re-checks the key.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import re
import secrets
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from litestar import MediaType, Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.memory import MemoryStore
from sqlalchemy.engine import make_url

from claims.keys import grants
from claims.models import Source
from claims.names import display_name
from claims.settings import PROJECT_ROOT, Settings
from claims.vocabulary import Scope
from claims.wording import drift_phrase, gloss, language_name
from claims.yamlfile import read_yaml

if TYPE_CHECKING:  # pragma: no cover
    from jinja2 import Environment

WEB_DIR = PROJECT_ROOT / "web"
UI_LANGS = ("en", "ar")
SESSION_COOKIE = "claims_session"
LANG_COOKIE = "claims_ui"
SESSION_IDLE_SECONDS = 8 * 3600
SESSION_STORE = "web_sessions"

_MESSAGES: dict[str, Any] = read_yaml(WEB_DIR / "messages.yaml")
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_RTL_LANGS = frozenset({"ar", "fa", "he", "ur", "ps", "yi"})


def direction(lang: str | None) -> str:
    return "rtl" if lang in _RTL_LANGS else "ltr"


def text_direction(value: str | None) -> str:
    """``rtl`` when the text holds right-to-left letters (for text whose language is unknown)."""
    return "rtl" if value and _RTL.search(value) else "ltr"


def _when(value: datetime.datetime | datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC)
        return value.strftime("%Y-%m-%d %H:%M UTC") if (value.hour, value.minute) != (0, 0) else value.date().isoformat()
    return value.isoformat()


@functools.cache
def _environment() -> Environment:
    """The pages' templates (jinja2 is imported on the first page rendered, not at every start)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(WEB_DIR / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["direction"] = direction
    env.filters["text_direction"] = text_direction
    env.filters["when"] = _when
    return env


def source_name(source: Any, lang: str, names: dict | None = None) -> str:
    """A source as the pages name it, in the interface language, by the one display-name rule
    (``claims.names.display_name``): a stored source directly; a reference by the name its
    producer gave it for this page (``names``, or its ``display_name``), else its record name."""
    if source is None:
        return ""
    sid = getattr(source, "id", None)
    if names and names.get(sid):
        return names[sid]
    if isinstance(source, Source):
        return display_name(source, lang)
    return getattr(source, "display_name", None) or source.name


# --- interface language ------------------------------------------------------------------


def ui_lang(request: Request) -> str:
    """``?ui=ar|en`` (remembered in a cookie), else the cookie, else the browser's first choice."""
    wanted = request.query_params.get("ui")
    if wanted in UI_LANGS:
        return wanted
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in UI_LANGS:
        return remembered
    accept = request.headers.get("accept-language", "")
    return "ar" if accept.strip().lower().startswith("ar") else "en"


def translator(lang: str):
    table = _MESSAGES[lang]

    def t(key: str) -> str:
        return table.get(key, _MESSAGES["en"].get(key, key))

    return t


def url_with(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters replaced (None drops one)."""
    params = {k: v for k, v in request.query_params.items()}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


# --- sessions and CSRF -------------------------------------------------------------------


def session_store(settings: Settings) -> Store:
    """The store every server process shares: Redis when configured, else a directory of files
    (``CLAIMS_SESSION_STORE``, ``CLAIMS_SESSION_DIR``); ``memory`` is one process only."""
    kind = settings.session_store
    if kind == "redis" or (kind == "auto" and settings.redis_url):
        if not settings.redis_url:
            raise ValueError("CLAIMS_SESSION_STORE=redis needs CLAIMS_REDIS_URL")
        from litestar.stores.redis import RedisStore  # the redis client only when it is used

        return RedisStore.with_client(settings.redis_url, namespace=settings.session_redis_prefix)
    if kind == "memory":
        return MemoryStore()
    return FileStore(session_dir(settings), create_directories=True)


def session_dir(settings: Settings) -> Path:
    if settings.session_dir is not None:
        return settings.session_dir
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(database.name + "-sessions")
    digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"claims-sessions-{digest}"


_ROTATE, _NEW_ID = "claims.rotate_session", "claims.new_session_id"


class LoginSessionBackend(ServerSideSessionBackend):
    """Litestar's server-side sessions, with a fresh id whenever a handler starts a session
    (``start_session``: login, logout) so that no id chosen before a login survives it, and
    neither a cookie nor a stored entry for a visitor who never needed a session."""

    def get_session_id(self, connection: ASGIConnection) -> str:
        if connection.scope.get(_ROTATE):
            if _NEW_ID not in connection.scope:
                connection.scope[_NEW_ID] = self.generate_session_id()  # type: ignore[literal-required]
            return connection.scope[_NEW_ID]  # type: ignore[literal-required]
        return super().get_session_id(connection)

    async def store_in_message(self, scope_session: Any, message: Any, connection: ASGIConnection) -> None:
        store = self.config.get_store_from_app(connection.scope["app"])
        presented = connection.cookies.get(self.config.key)
        if connection.scope.get(_ROTATE) and presented:
            await self.delete(presented, store=store)
        if not scope_session and not presented:
            return
        headers = MutableScopeHeaders.from_message(message)
        cookie: dict[str, Any] = {
            "key": self.config.key, "path": "/", "httponly": True, "samesite": "lax",
            "secure": connection.url.scheme == "https",
        }
        if not scope_session:
            await self.delete(presented, store=store)
            headers.add("Set-Cookie", Cookie(value="", expires=0, max_age=0, **cookie).to_header(header=""))
            return
        session_id = self.get_session_id(connection)
        await self.set(session_id, self.serialize_data(scope_session, connection.scope), store=store)
        headers.add("Set-Cookie", Cookie(value=session_id, max_age=self.config.max_age, **cookie).to_header(header=""))


@dataclass
class LoginSessionConfig(ServerSideSessionConfig):
    _backend_class = LoginSessionBackend


#: The pages' session middleware (the API never sees a session or sets a cookie).
session_config = LoginSessionConfig(
    key=SESSION_COOKIE, max_age=SESSION_IDLE_SECONDS, store=SESSION_STORE, httponly=True, samesite="lax"
)

_SCOPES = frozenset(s.value for s in Scope)


class WebSession:
    """A view of the session dict the store holds: the key's id, name and scopes, one CSRF
    token and messages shown once. Changes are saved when the response starts."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @property
    def csrf(self) -> str:
        return self.data["csrf"]

    @property
    def key_id(self) -> uuid.UUID | None:
        return uuid.UUID(self.data["key_id"]) if self.data.get("key_id") else None

    @property
    def key_name(self) -> str | None:
        return self.data.get("key_name")

    @property
    def scopes(self) -> frozenset[Scope]:
        return frozenset(Scope(s) for s in self.data.get("scopes", ()) if s in _SCOPES)

    @property
    def flash(self) -> list[str]:
        return self.data.setdefault("flash", [])

    @property
    def logged_in(self) -> bool:
        return self.key_id is not None

    def log_out(self) -> None:
        for name in ("key_id", "key_name", "scopes"):
            self.data.pop(name, None)


def current_session(connection: ASGIConnection) -> WebSession | None:
    data = connection.scope.get("session")
    return WebSession(data) if isinstance(data, dict) and data.get("csrf") else None


def start_session(request: Request, *, key_id: Any = None, key_name: str | None = None,
                  scopes: frozenset[Scope] = frozenset()) -> WebSession:
    """A new session under a new id (the old id is deleted from the store when the response starts)."""
    data: dict[str, Any] = {"csrf": secrets.token_urlsafe(32), "flash": []}
    if key_id is not None:
        data.update(key_id=str(key_id), key_name=key_name, scopes=sorted(s.value for s in scopes))
    request.scope[_ROTATE] = True  # type: ignore[literal-required]
    request.set_session(data)
    return WebSession(request.scope["session"])  # type: ignore[arg-type]


def csrf_ok(request: Request, web_session: WebSession | None, presented: str | None) -> bool:
    """The form's token equals the session's, and a browser-sent Origin names this host."""
    if web_session is None or not presented:
        return False
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if re.sub(r"^https?://", "", origin).rstrip("/") != host:
            return False
    return hmac.compare_digest(web_session.csrf.encode(), presented.encode())


def safe_next(target: str | None, default: str = "/") -> str:
    """Only local paths ("/claims/…"), never another site ("//evil", "https://…")."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


# --- rendering ---------------------------------------------------------------------------


def render(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    cookies: list[Cookie] | None = None,
    web_session: WebSession | None = None,
    **context: Any,
) -> Response:
    lang = ui_lang(request)
    web_session = web_session or current_session(request)
    flash = list(web_session.flash) if web_session else []
    if web_session:
        web_session.flash.clear()
    page = _environment().get_template(template).render(
        ui=lang,
        ui_dir=direction(lang),
        arrow="←" if direction(lang) == "rtl" else "→",
        t=translator(lang),
        gloss=lambda modality: gloss(modality, lang),
        quoted=lambda text: f"«{text}»" if lang == "ar" else f"“{text}”",
        language_name=lambda code: language_name(code, lang),
        drift_phrase=lambda d: drift_phrase(d, lang),
        source_name=lambda src: source_name(src, lang, context.get("names")),
        request_path=request.url.path,
        switch_url=url_with(request, ui="en" if lang == "ar" else "ar"),
        url_with=lambda **changes: url_with(request, **changes),
        web_session=web_session,
        can_review=bool(web_session and web_session.logged_in and grants(web_session.scopes, Scope.REVIEW)),
        csrf_token=web_session.csrf if web_session else "",
        flash=flash,
        examples=_MESSAGES["examples"],
        **context,
    )
    cookies = list(cookies or [])
    if request.query_params.get("ui") in UI_LANGS:
        cookies.append(Cookie(key=LANG_COOKIE, value=lang, path="/", samesite="lax", max_age=365 * 86400))
    return Response(
        content=page,
        status_code=status_code,
        media_type=MediaType.HTML,
        cookies=cookies,
        headers={
            "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Cache-Control": "no-store" if web_session else "no-cache",
        },
    )


def messages() -> dict[str, Any]:
    return _MESSAGES


__all__ = [
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "UI_LANGS",
    "SESSION_STORE",
    "WebSession",
    "csrf_ok",
    "current_session",
    "direction",
    "messages",
    "render",
    "safe_next",
    "session_config",
    "session_store",
    "start_session",
    "translator",
    "ui_lang",
    "url_with",
]
