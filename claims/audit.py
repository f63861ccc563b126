"""The audit trail: every create, update and delete of a record row becomes an event.

Events are written by a session hook, so API, CLI, seed and ingest all leave the same trail
without remembering to. Each event stores the hash of the previous one: editing or deleting
an event behind the system's back breaks the chain, and ``verify_chain`` finds the first
broken link.
"""

from __future__ import annotations

import datetime
import getpass
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import MANYTOONE, Session

from claims.models import AuditEvent, Claim, ClaimGroup, Document, RelayHop, Source, SourceAlias
from claims.settings import get_settings
from claims.vocabulary import AuditAction

AUDITED = (Source, SourceAlias, Document, ClaimGroup, Claim, RelayHop)
_SKIPPED_COLUMNS = {"created_at", "updated_at", "sa_orm_sentinel", "term_count", "minhash"}  # minhash: derived
_CHAIN_LOCK_KEY = 0x636C61696D73  # "claims": serialises chain appends on PostgreSQL


def default_actor() -> str:
    configured = get_settings().actor
    if configured:
        return configured
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # pragma: no cover - no user database in some containers
        return "cli:unknown"


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """The row's columns as JSON-safe values (a document's text is represented by its hash)."""
    mapper = inspect(obj).mapper
    data = {}
    for column in mapper.columns:
        if column.key in _SKIPPED_COLUMNS or (isinstance(obj, Document) and column.key == "text"):
            continue
        data[column.key] = _jsonable(getattr(obj, column.key))
    return data


def _before_values(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    data = snapshot(obj)
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if attr.key in data and history.deleted:
            data[attr.key] = _jsonable(history.deleted[0])
    return data


def event_hash(prev_hash: str | None, payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash or ''}|{canonical}".encode()).hexdigest()


def _payload(ev: AuditEvent) -> dict[str, Any]:
    occurred = ev.occurred_at
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=datetime.UTC)
    return {
        "occurred_at": occurred.astimezone(datetime.UTC).isoformat(),
        "actor": ev.actor,
        "action": ev.action,
        "entity_type": ev.entity_type,
        "entity_id": ev.entity_id,
        "before": ev.before,
        "after": ev.after,
        "reason": ev.reason,
    }


def _last_hash(session: Session) -> str | None:
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    pending = session.info.get("_audit_last_hash")
    if pending is not None:
        return pending
    with session.no_autoflush:
        return session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))


def record(
    session: Session,
    action: AuditAction,
    obj: Any,
    before: dict | None,
    after: dict | None,
    *,
    reason: str | None = None,
    at: datetime.datetime | None = None,
) -> None:
    """Append one event to the chain (used by the flush hook and by review actions). ``at``: the
    events of one flush share one timestamp, so a change set never straddles a second boundary."""
    prev = _last_hash(session)
    ev = AuditEvent(
        occurred_at=at or _now(),
        actor=session.info.get("actor") or default_actor(),
        action=action.value,
        entity_type=type(obj).__tablename__,
        entity_id=str(obj.id),
        before=before,
        after=after,
        reason=reason if reason is not None else session.info.get("reason"),
        prev_hash=prev,
    )
    ev.hash = event_hash(prev, _payload(ev))
    session.info["_audit_last_hash"] = ev.hash
    session.add(ev)


@event.listens_for(Session, "before_flush")
def _audit_before_flush(session: Session, _flush_context, _instances) -> None:
    if session.info.get("audit_disabled"):
        return
    at = _now()
    created = [obj for obj in session.new if isinstance(obj, AUDITED)]
    for obj in created:
        if obj.id is None:
            obj.id = _new_id()
    for obj in created:
        _fill_pending(obj)
        record(session, AuditAction.CREATE, obj, None, snapshot(obj), at=at)
    recorded = session.info.pop("_audit_recorded", set())
    for obj in list(session.dirty):
        if not isinstance(obj, AUDITED) or obj.id in recorded:
            continue  # not audited, or already written as one explicit event (a review)
        if session.is_modified(obj, include_collections=False):
            before, after = _before_values(obj), snapshot(obj)
            if before != after:
                record(session, AuditAction.UPDATE, obj, before, after, at=at)
    for obj in list(session.deleted):
        if isinstance(obj, AUDITED):
            record(session, AuditAction.DELETE, obj, _before_values(obj), None, at=at)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _fill_pending(obj: Any) -> None:
    """Give a new row, before it is written, the values the flush would give it anyway: scalar
    column defaults and foreign keys of parents set through a relationship (a hop appended to
    a new claim has no ``claim_id`` yet). Its 'create' snapshot is then the row as stored."""
    mapper = inspect(obj).mapper
    for column in mapper.columns:
        key = mapper.get_property_by_column(column).key
        default = column.default
        if getattr(obj, key) is None and default is not None and default.is_scalar and default.arg is not None:
            setattr(obj, key, default.arg)
    for rel in mapper.relationships:
        if rel.direction is not MANYTOONE:
            continue
        related = obj.__dict__.get(rel.key)  # only what is already loaded: never a lazy load here
        if related is None:
            continue
        related_mapper = inspect(related).mapper
        for local, remote in rel.local_remote_pairs:
            key = mapper.get_property_by_column(local).key
            if getattr(obj, key) is None:
                setattr(obj, key, getattr(related, related_mapper.get_property_by_column(remote).key))


def _new_id() -> uuid.UUID:
    from advanced_alchemy.mixins.uuid import uuid7

    return uuid7()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_pending_hash(session: Session) -> None:
    session.info.pop("_audit_last_hash", None)


@dataclass(frozen=True)
class ChainReport:
    events: int
    ok: bool
    broken_at: int | None = None
    problem: str | None = None


def verify_chain(session: Session, *, batch: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first event whose link or content does not match."""
    prev: str | None = None
    count = 0
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(events=count, ok=True)
        for ev in rows:
            count += 1
            if ev.prev_hash != prev:
                return ChainReport(count, False, ev.id, "prev_hash does not match the previous event")
            if event_hash(prev, _payload(ev)) != ev.hash:
                return ChainReport(count, False, ev.id, "event content does not match its hash")
            prev = ev.hash
            last_id = ev.id
