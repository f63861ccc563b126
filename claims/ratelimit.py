"""Token-bucket rate limits shared by every worker and process.

A bucket holds up to ``capacity`` tokens and refills at ``per_minute`` tokens a minute; each
request takes one. Buckets live where every process sees them:

* ``DatabaseBuckets`` (the default): one row per bucket in ``rate_bucket``, refilled and taken
  in a single atomic upsert (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``) on SQLite and
  PostgreSQL alike, so two processes can never both spend the last token.
* ``RedisBuckets`` (``CLAIMS_REDIS_URL`` set): the same arithmetic in one Lua script, atomic on
  the Redis server; keys carry a prefix (``CLAIMS_REDIS_PREFIX``) and expire when idle.
* ``MemoryBuckets``: one process only (tests, a single-process embedded run).

The bucket key says whose budget it is: ``key:<name>`` for an API key, ``ip:<address>`` for
requests without one.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Engine, case, func, literal
from sqlalchemy.dialects import postgresql, sqlite

from claims.models import RateBucket


@dataclass(frozen=True)
class Decision:
    """One request's outcome, with what the ``RateLimit-*`` headers report."""

    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the bucket is full again
    retry_after: int | None = None  # seconds until one token is available (when refused)


def decide(tokens_before_take: float, capacity: int, per_minute: int) -> Decision:
    """The decision for a bucket that held ``tokens_before_take`` after refilling."""
    rate = per_minute / 60.0
    allowed = tokens_before_take >= 1.0
    left = tokens_before_take - 1.0 if allowed else tokens_before_take
    reset = math.ceil((capacity - left) / rate) if rate else 0
    retry = None if allowed else max(1, math.ceil((1.0 - left) / rate))
    return Decision(allowed, capacity, max(0, math.floor(left)), max(0, reset), retry)


class Buckets(Protocol):
    def take(self, key: str, capacity: int, per_minute: int) -> Decision: ...


@dataclass
class MemoryBuckets:
    """In-process buckets (one process only)."""

    _state: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, capacity: int, per_minute: int, *, now: float | None = None) -> Decision:
        now = time.time() if now is None else now
        rate = per_minute / 60.0
        with self._lock:
            tokens, last = self._state.get(key, (float(capacity), now))
            tokens = min(float(capacity), tokens + max(0.0, now - last) * rate)
            self._state[key] = (tokens - 1.0 if tokens >= 1.0 else tokens, now)
        return decide(tokens, capacity, per_minute)


class DatabaseBuckets:
    """Buckets in the ``rate_bucket`` table: one atomic statement per request."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    def take(self, key: str, capacity: int, per_minute: int, *, now: float | None = None) -> Decision:
        now = time.time() if now is None else now
        rate = per_minute / 60.0
        table = RateBucket.__table__
        insert = (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)
        least = func.least if self.dialect == "postgresql" else func.min
        greatest = func.greatest if self.dialect == "postgresql" else func.max
        # tokens after refilling, before this request's take
        refilled = least(
            literal(float(capacity)), table.c.tokens + greatest(literal(0.0), literal(now) - table.c.updated_at) * rate
        )
        statement = insert.values(key=key, tokens=float(capacity) - 1.0, refilled=float(capacity), updated_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "refilled": refilled,
                "tokens": refilled - case((refilled >= 1.0, 1.0), else_=0.0),
                "updated_at": now,
            },
        ).returning(table.c.refilled)
        with self.engine.begin() as connection:
            before = connection.execute(statement).scalar_one()
        return decide(float(before), capacity, per_minute)


#: Refill and take in one step on the Redis server (KEYS[1]; ARGV: capacity, per-second rate, now).
_LUA = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local before = tokens
if tokens >= 1 then tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
return tostring(before)
"""


class RedisBuckets:
    """Buckets in Redis (``CLAIMS_REDIS_URL``), keys under ``prefix``."""

    def __init__(self, url: str, prefix: str = "claims:ratelimit:") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self._script = self.client.register_script(_LUA)

    def take(self, key: str, capacity: int, per_minute: int, *, now: float | None = None) -> Decision:
        now = time.time() if now is None else now
        before = float(self._script(keys=[self.prefix + key], args=[capacity, per_minute / 60.0, now]))
        return decide(before, capacity, per_minute)


def buckets_for(settings, engine: Engine) -> Buckets:
    """The store the settings name (``CLAIMS_RATE_LIMIT_STORE``: database, redis or memory)."""
    store = settings.rate_limit_store
    if store == "redis" or (store == "auto" and settings.redis_url):
        if not settings.redis_url:
            raise ValueError("CLAIMS_RATE_LIMIT_STORE=redis needs CLAIMS_REDIS_URL")
        return RedisBuckets(settings.redis_url, settings.redis_prefix)
    if store == "memory":
        return MemoryBuckets()
    return DatabaseBuckets(engine)
