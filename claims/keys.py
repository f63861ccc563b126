"""API keys: creation, revocation, verification and scopes.

A key looks like ``ck_<prefix>_<secret>``. The database keeps the prefix (to find the row
without scanning) and a SHA-256 of the whole key, never the key itself: the secret is shown
once, when the key is created. Verification compares digests in constant time.

Scopes: ``read`` < ``write`` (records) and ``review`` (review decisions); ``admin`` grants
everything. Any valid key may read.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from claims.errors import Conflict, Invalid, NotFound
from claims.models import ApiKey
from claims.vocabulary import Scope

KEY_PREFIX = "ck"
_KEY_RE = re.compile(r"^ck_([a-z0-9]{12})_([A-Za-z0-9_-]{32,64})$")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")

#: What each scope implies besides itself.
_IMPLIES: dict[Scope, frozenset[Scope]] = {
    Scope.READ: frozenset(),
    Scope.WRITE: frozenset({Scope.READ}),
    Scope.REVIEW: frozenset({Scope.READ}),
    Scope.ADMIN: frozenset(Scope),
}

#: ``last_used_at`` is refreshed at most this often (it is a write; keep it off the hot path).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class KeyInfo:
    """What a verified request knows about its key (never the secret)."""

    id: object
    name: str
    scopes: frozenset[Scope]

    @property
    def actor(self) -> str:
        return f"api:{self.name}"

    def allows(self, needed: Scope | str) -> bool:
        return grants(self.scopes, Scope(needed))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_scopes(values: list[str] | tuple[str, ...] | str) -> frozenset[Scope]:
    """``"read write"`` or ``["read", "write"]`` → a set of scopes; unknown names are an error."""
    if isinstance(values, str):
        values = values.split()
    out = set()
    for value in values:
        for part in value.replace(",", " ").split():
            try:
                out.add(Scope(part.strip().lower()))
            except ValueError:
                raise Invalid(
                    f"unknown scope {part!r}; choose from {', '.join(s.value for s in Scope)}", field="scope"
                ) from None
    if not out:
        raise Invalid("a key needs at least one scope", field="scope")
    return frozenset(out)


def grants(scopes: frozenset[Scope] | set[Scope], needed: Scope) -> bool:
    return any(needed == s or needed in _IMPLIES[s] for s in scopes)


def _format_scopes(scopes: frozenset[Scope]) -> str:
    return " ".join(s.value for s in Scope if s in scopes)


def _live(name: str):
    return select(ApiKey).where(ApiKey.name == name, ApiKey.revoked_at.is_(None))


def create_key(
    session: Session, name: str, scopes: list[str] | str, *, expires_at: datetime.datetime | None = None
) -> tuple[ApiKey, str]:
    """Store a new key and return (row, secret). The secret cannot be recovered later.

    A name is unique among live keys: a revoked key's name can be given again."""
    if not NAME_RE.match(name):
        raise Invalid("key names are 1-120 characters of a-z, 0-9, '.', '_' and '-'", field="name")
    wanted = parse_scopes(scopes)
    if expires_at is not None:
        if expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=datetime.UTC)
        if expires_at <= datetime.datetime.now(datetime.UTC):
            raise Invalid("the expiry date is in the past", field="expires_at")
    if session.scalar(_live(name)) is not None:
        raise Conflict(f"a key named {name!r} already exists (revoke it or pick another name)", name=name)
    prefix = _free_prefix(session)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(
        name=name, prefix=prefix, key_hash=hash_key(secret), scopes=_format_scopes(wanted), expires_at=expires_at
    )
    session.add(row)
    session.flush()
    return row, secret


def rotate_key(session: Session, name: str, scopes: list[str] | str | None = None) -> tuple[ApiKey, str]:
    """Give the live key NAME a new secret (the old one stops working at once); scopes kept
    unless given. Returns (row, secret) like ``create_key``."""
    row = session.scalar(_live(name))
    if row is None:
        raise NotFound(f"no live key named {name!r}")
    if scopes is not None:
        row.scopes = _format_scopes(parse_scopes(scopes))
    row.prefix = _free_prefix(session)
    secret = f"{KEY_PREFIX}_{row.prefix}_{secrets.token_urlsafe(32)}"
    row.key_hash = hash_key(secret)
    session.flush()
    return row, secret


def _free_prefix(session: Session) -> str:
    while True:
        prefix = secrets.token_hex(6)
        if session.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)) is None:
            return prefix


def revoke_key(session: Session, name: str) -> ApiKey:
    """Revoke the live key NAME (revoking an already revoked name answers its last revocation)."""
    row = session.scalar(_live(name)) or session.scalar(
        select(ApiKey).where(ApiKey.name == name).order_by(ApiKey.revoked_at.desc()).limit(1)
    )
    if row is None:
        raise NotFound(f"no key named {name!r}")
    if row.revoked_at is None:
        row.revoked_at = datetime.datetime.now(datetime.UTC)
        session.flush()
    return row


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.name, ApiKey.created_at)))


def verify_key(session: Session, presented: str | None) -> KeyInfo | None:
    """The key's identity if ``presented`` is a current key, else None (malformed, unknown, revoked)."""
    if not presented:
        return None
    match = _KEY_RE.match(presented.strip())
    if match is None:
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == match.group(1)))
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and _aware(row.expires_at) <= datetime.datetime.now(datetime.UTC):
        return None
    if not hmac.compare_digest(row.key_hash, hash_key(presented.strip())):
        return None
    return KeyInfo(id=row.id, name=row.name, scopes=parse_scopes(row.scopes))


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)


def current_key(session: Session, key_id: object) -> KeyInfo | None:
    """The key's identity if the key ``key_id`` still exists and is not revoked (a web login
    holds the key's id, never its secret, and re-checks it before every change)."""
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and _aware(row.expires_at) <= datetime.datetime.now(datetime.UTC):
        return None
    return KeyInfo(id=row.id, name=row.name, scopes=parse_scopes(row.scopes))


def touch_key(session: Session, key_id: object, *, now: datetime.datetime | None = None) -> bool:
    """Record use, at most once per ``LAST_USED_RESOLUTION``; True when a row was updated."""
    now = now or datetime.datetime.now(datetime.UTC)
    cutoff = now - LAST_USED_RESOLUTION
    result = session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id)
        .where((ApiKey.last_used_at.is_(None)) | (ApiKey.last_used_at < cutoff))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)
