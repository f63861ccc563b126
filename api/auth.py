"""API keys over HTTP: one app-level guard authenticates, rate-limits and checks scopes.

* The key travels in a header (``X-API-Key`` by default, ``CLAIMS_API_KEY_HEADER``); OpenAPI
  documents it as the ``ApiKey`` security scheme.
* Each handler needs one scope: ``opt={"scope": ...}`` names it, otherwise safe methods (GET)
  need ``read`` and the others ``write``; ``"public"`` needs nothing (health, the schema).
* Reads are open unless ``CLAIMS_REQUIRE_KEY_FOR_READS`` is true. A presented key is always
  verified: a bad key gets 401 even where none is needed. 401 = no valid key, 403 = the key
  lacks the scope, 429 (with ``Retry-After``) = the rate limit is spent: per key, and per client
  address for requests without a key, in a store every process shares (``claims.ratelimit``).
  Every limited response carries ``RateLimit-Policy`` and ``RateLimit`` (current IETF draft)
  and ``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` (earlier drafts).
* The authenticated key's name becomes the audit actor (``api:<name>``). The key itself is
  never logged, stored or echoed: only its SHA-256 is compared.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, TooManyRequestsException
from litestar.handlers import BaseRouteHandler
from litestar.openapi.spec import Components, SecurityScheme
from sqlalchemy.orm import Session, sessionmaker

from claims.keys import LAST_USED_RESOLUTION, KeyInfo, touch_key, verify_key
from claims.ratelimit import Buckets, Decision
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


class RateLimiter:
    """Per-key and per-client-address budgets over a shared bucket store (``claims.ratelimit``)."""

    def __init__(self, settings: Settings, buckets: Buckets) -> None:
        self.settings = settings
        self.buckets = buckets

    def limits(self, key_name: str | None) -> bool:
        """Whether this kind of caller has a budget at all (no bucket to read when not)."""
        per_minute = self.settings.rate_limit_per_minute if key_name is not None else self.settings.rate_limit_anonymous_per_minute
        return per_minute > 0

    def take(self, key_name: str | None, client: str) -> Decision | None:
        """One request's decision; None when that kind of caller is unlimited."""
        if key_name is not None:
            per_minute, who = self.settings.rate_limit_per_minute, f"key:{key_name}"
        else:
            per_minute, who = self.settings.rate_limit_anonymous_per_minute, f"ip:{client}"
        if per_minute <= 0:
            return None
        capacity = self.settings.rate_limit_burst or per_minute
        return self.buckets.take(who, capacity, per_minute)


def rate_limit_headers(decision: Decision) -> dict[str, str]:
    """The RateLimit header fields: the structured ``RateLimit-Policy`` / ``RateLimit`` pair of
    the current IETF draft (draft-ietf-httpapi-ratelimit-headers-10: quota ``q`` per window ``w``
    seconds; ``r`` left, ``t`` seconds until full), and the three fields of the earlier drafts
    that clients already read (budget, what is left, seconds until full)."""
    return {
        "RateLimit-Policy": f'"burst";q={decision.limit};w=60',
        "RateLimit": f'"burst";r={decision.remaining};t={decision.reset}',
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(decision.reset),
    }


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
    if connection.scope["path"].startswith(app_state.openapi_path) or handler.opt.get("operations"):
        return  # the schema, health, readiness and metrics: no key, no rate limit
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
    client = connection.client.host if connection.client else "unknown"
    limiter: RateLimiter = app_state.rate_limiter
    decision = (
        await anyio.to_thread.run_sync(limiter.take, key.name if key else None, client)
        if limiter.limits(key.name if key else None)
        else None  # unlimited: no worker thread for a decision that is known
    )
    if decision is not None:
        _state(connection)["rate_limit_headers"] = rate_limit_headers(decision)
        if not decision.allowed:
            whose = "this key" if key else f"requests without a key from {client}"
            raise TooManyRequestsException(
                detail=f"rate limit of {decision.limit} requests reached for {whose}; retry after {decision.retry_after} s",
                headers={"Retry-After": str(decision.retry_after), **rate_limit_headers(decision)},
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
