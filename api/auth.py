"""API keys over HTTP: one app-level guard authenticates, rate-limits and checks scopes.

* The key travels in a header (``X-API-Key`` by default, ``CLAIMS_API_KEY_HEADER``); OpenAPI
  documents it as the ``ApiKey`` security scheme.
* Each handler needs one scope: ``opt={"scope": ...}`` names it, otherwise safe methods (GET)
  need ``read`` and the others ``write``; ``"public"`` needs nothing (health, the schema).
* Reads are open unless ``CLAIMS_REQUIRE_KEY_FOR_READS`` is true. A presented key is always
  verified: a bad key gets 401 even where none is needed. 401 = no valid key, 403 = the key
  lacks the scope, 429 (with ``Retry-After``) = the key's rate limit is spent.
* The authenticated key's name becomes the audit actor (``api:<name>``). The key itself is
  never logged, stored or echoed: only its SHA-256 is compared.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, TooManyRequestsException
from litestar.handlers import BaseRouteHandler
from litestar.openapi.spec import Components, SecurityScheme
from sqlalchemy.orm import Session, sessionmaker

from claims.keys import LAST_USED_RESOLUTION, KeyInfo, touch_key, verify_key
from claims.settings import Settings
from claims.vocabulary import Scope

SECURITY_SCHEME = "ApiKey"
PUBLIC = "public"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_SCOPES = frozenset({Scope.WRITE, Scope.REVIEW, Scope.ADMIN})


def required_scope(handler: BaseRouteHandler) -> Scope | None:
    """The scope a handler needs; None for public handlers."""
    wanted = handler.opt.get("scope")
    if wanted == PUBLIC:
        return None
    if wanted:
        return Scope(wanted)
    methods = getattr(handler, "http_methods", None) or {"GET"}
    return Scope.READ if set(methods) <= SAFE_METHODS else Scope.WRITE


def security_components(settings: Settings) -> Components:
    return Components(
        security_schemes={
            SECURITY_SCHEME: SecurityScheme(
                type="apiKey",
                name=settings.api_key_header,
                security_scheme_in="header",
                description=(
                    "An API key from `claims keys create NAME --scope SCOPE`. Scopes: read, write, "
                    "review, admin (admin grants all; any key may read)."
                ),
            )
        }
    )


@dataclass
class RateLimiter:
    """Token bucket per key: ``per_minute`` refill, ``burst`` capacity. Thread safe, in memory."""

    per_minute: int
    burst: int = 0
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self, who: str, *, now: float | None = None) -> float | None:
        """Take one token; None when allowed, else the seconds until one is available."""
        if self.per_minute <= 0:
            return None
        capacity = float(self.burst or self.per_minute)
        rate = self.per_minute / 60.0
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(who, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[who] = (tokens - 1.0, now)
                return None
            self._buckets[who] = (tokens, now)
            return (1.0 - tokens) / rate


class Authenticator:
    """Verifies presented keys against the database and records their use (throttled)."""

    def __init__(self, read_sessions: sessionmaker[Session], write_sessions: sessionmaker[Session]) -> None:
        self.read_sessions = read_sessions
        self.write_sessions = write_sessions
        self._touched: dict[str, float] = {}
        self._lock = threading.Lock()

    def verify(self, presented: str) -> KeyInfo | None:
        with self.read_sessions() as session:
            info = verify_key(session, presented)
            session.rollback()
        if info is not None:
            self._touch(info)
        return info

    def _touch(self, info: KeyInfo) -> None:
        now = time.monotonic()
        with self._lock:
            last = self._touched.get(info.name)
            if last is not None and now - last < LAST_USED_RESOLUTION.total_seconds():
                return
            self._touched[info.name] = now
        try:
            with self.write_sessions() as session:
                touch_key(session, info.id)
                session.commit()
        except Exception:  # noqa: BLE001 - bookkeeping must never fail a request
            with self._lock:
                self._touched.pop(info.name, None)


def _state(connection: ASGIConnection) -> dict[str, Any]:
    return connection.scope.setdefault("state", {})  # type: ignore[return-value]


async def api_key_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    app_state = connection.app.state
    settings: Settings = app_state.settings
    if connection.scope["path"].startswith(app_state.openapi_path):
        return
    needed = required_scope(handler)
    _state(connection)["required_scope"] = needed
    presented = connection.headers.get(settings.api_key_header)
    key: KeyInfo | None = None
    if presented is not None:
        authenticator: Authenticator = app_state.authenticator
        key = await anyio.to_thread.run_sync(authenticator.verify, presented)
        if key is None:
            raise NotAuthorizedException(
                detail=f"the key in the {settings.api_key_header} header is not valid (unknown, malformed or revoked)",
                headers={"WWW-Authenticate": f'ApiKey header="{settings.api_key_header}"'},
            )
        _state(connection)["actor"] = key.actor
        wait = app_state.rate_limiter.acquire(key.name)
        if wait is not None:
            raise TooManyRequestsException(
                detail=f"rate limit of {settings.rate_limit_per_minute} requests per minute reached for this key",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
    if needed is None or (needed is Scope.READ and not settings.require_key_for_reads):
        return
    if key is None:
        raise NotAuthorizedException(
            detail=f"this operation needs an API key with the '{needed}' scope in the {settings.api_key_header} header",
            headers={"WWW-Authenticate": f'ApiKey header="{settings.api_key_header}"'},
        )
    if not key.allows(needed):
        raise PermissionDeniedException(detail=f"this key lacks the '{needed}' scope needed here")
