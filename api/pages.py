"""What the fact-checker's pages share: templates, the interface language, login sessions and
CSRF tokens. The handlers live in ``api.controllers.web``; the data comes from ``claims``.

Sessions are kept here (in memory, per server process) rather than in a cookie so that a login
can be tied to an API key without the key ever leaving the server, and so that logging in issues
a fresh session id (no fixation). A session holds the key's id, name and scopes and one CSRF
token; every form carries the token and every POST compares it in constant time. Restarting the
server logs everyone out.
"""

from __future__ import annotations

import datetime
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import MediaType, Request, Response
from litestar.datastructures import Cookie

from claims.keys import grants
from claims.settings import PROJECT_ROOT
from claims.vocabulary import Scope
from claims.wording import drift_phrase, gloss, language_name

WEB_DIR = PROJECT_ROOT / "web"
UI_LANGS = ("en", "ar")
SESSION_COOKIE = "claims_session"
LANG_COOKIE = "claims_ui"
SESSION_IDLE_SECONDS = 8 * 3600
MAX_SESSIONS = 10_000

_MESSAGES: dict[str, Any] = yaml.safe_load((WEB_DIR / "messages.yaml").read_text(encoding="utf-8"))
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


_env = Environment(
    loader=FileSystemLoader(WEB_DIR / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["direction"] = direction
_env.filters["text_direction"] = text_direction
_env.filters["when"] = _when


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


@dataclass
class WebSession:
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    key_id: Any = None
    key_name: str | None = None
    scopes: frozenset[Scope] = frozenset()
    flash: list[str] = field(default_factory=list)
    seen: float = field(default_factory=time.monotonic)

    @property
    def logged_in(self) -> bool:
        return self.key_id is not None


class WebSessions:
    """Session id → ``WebSession``, in memory, expiring after ``SESSION_IDLE_SECONDS`` idle."""

    def __init__(self) -> None:
        self._items: dict[str, WebSession] = {}
        self._lock = threading.Lock()

    def get(self, token: str | None) -> WebSession | None:
        if not token:
            return None
        now = time.monotonic()
        with self._lock:
            item = self._items.get(token)
            if item is None or now - item.seen > SESSION_IDLE_SECONDS:
                self._items.pop(token, None)
                return None
            item.seen = now
            return item

    def create(self, **values: Any) -> tuple[str, WebSession]:
        token = secrets.token_urlsafe(32)
        item = WebSession(**values)
        with self._lock:
            if len(self._items) >= MAX_SESSIONS:
                oldest = min(self._items, key=lambda k: self._items[k].seen)
                self._items.pop(oldest)
            self._items[token] = item
        return token, item

    def drop(self, token: str | None) -> None:
        with self._lock:
            self._items.pop(token or "", None)


def sessions(request: Request) -> WebSessions:
    return request.app.state.web_sessions


def current_session(request: Request) -> WebSession | None:
    return sessions(request).get(request.cookies.get(SESSION_COOKIE))


def session_cookie(request: Request, token: str) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=SESSION_IDLE_SECONDS,
    )


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
    page = _env.get_template(template).render(
        ui=lang,
        ui_dir=direction(lang),
        arrow="←" if direction(lang) == "rtl" else "→",
        t=translator(lang),
        gloss=lambda modality: gloss(modality, lang),
        quoted=lambda text: f"«{text}»" if lang == "ar" else f"“{text}”",
        language_name=lambda code: language_name(code, lang),
        drift_phrase=lambda d: drift_phrase(d, lang),
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
    "WebSession",
    "WebSessions",
    "csrf_ok",
    "current_session",
    "direction",
    "messages",
    "render",
    "safe_next",
    "session_cookie",
    "sessions",
    "translator",
    "ui_lang",
    "url_with",
]
