"""A claim's versions, rebuilt from the audit trail.

Every event on the claim row or on any of its hops (including hops since deleted or replaced)
is replayed in chain order. Events written in one flush by one actor (consecutive in the chain,
same second) form one change set and so one version; a review is always a version of its own.
Each version carries the full state of the claim and its hops after that change set, so a
correction keeps the version it replaced.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from claims.errors import NotFound
from claims.models import AuditEvent, Claim
from claims.schemas import ClaimState, FieldChange, History, Version, VersionEvent
from claims.vocabulary import AuditAction


def claim_events(session: Session, claim_id: uuid.UUID) -> list[AuditEvent]:
    key = str(claim_id)
    hop_of_claim = or_(
        AuditEvent.after["claim_id"].as_string() == key,
        AuditEvent.before["claim_id"].as_string() == key,
    )
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    and_(AuditEvent.entity_type == "claim", AuditEvent.entity_id == key),
                    and_(AuditEvent.entity_type == "relay_hop", hop_of_claim),
                )
            )
            .order_by(AuditEvent.id)
        )
    )


def _changes(before: dict | None, after: dict | None) -> dict[str, FieldChange]:
    before, after = before or {}, after or {}
    out = {}
    for field in sorted(set(before) | set(after)):
        if before.get(field) != after.get(field):
            out[field] = FieldChange(before=before.get(field), after=after.get(field))
    return out


def _same_change_set(prev: AuditEvent | None, ev: AuditEvent) -> bool:
    return (
        prev is not None
        and ev.id == prev.id + 1
        and ev.actor == prev.actor
        and ev.occurred_at == prev.occurred_at
        and AuditAction.REVIEW.value not in (ev.action, prev.action)
    )


def _state(claim: dict[str, Any] | None, hops: dict[str, dict[str, Any]]) -> ClaimState:
    ordered = sorted(hops.values(), key=lambda h: (h.get("position") is None, h.get("position")))
    return ClaimState(claim=dict(claim) if claim is not None else None, hops=[dict(h) for h in ordered])


def history(session: Session, claim_id: uuid.UUID) -> History:
    claim: dict[str, Any] | None = None
    hops: dict[str, dict[str, Any]] = {}
    versions: list[Version] = []
    prev: AuditEvent | None = None
    for ev in claim_events(session, claim_id):
        if ev.entity_type == "claim":
            claim = ev.after
        elif ev.after is None:
            hops.pop(ev.entity_id, None)
        else:
            hops[ev.entity_id] = ev.after
        data = ev.after or ev.before or {}
        item = VersionEvent(
            event_id=ev.id,
            action=ev.action,
            entity_type=ev.entity_type,
            entity_id=ev.entity_id,
            position=data.get("position") if ev.entity_type == "relay_hop" else None,
            changes=_changes(ev.before, ev.after),
            hash=ev.hash,
        )
        if _same_change_set(prev, ev):
            current = versions[-1]
            current.events.append(item)
            current.state = _state(claim, hops)
            if ev.entity_type == "claim":
                current.action = ev.action  # the claim's own action names the change set
            current.reason = current.reason or ev.reason
        else:
            versions.append(
                Version(
                    version=len(versions) + 1,
                    occurred_at=ev.occurred_at,
                    actor=ev.actor,
                    action=ev.action,
                    reason=ev.reason,
                    events=[item],
                    state=_state(claim, hops),
                )
            )
        prev = ev
    return History(claim_id=claim_id, versions=versions)


def claim_history(session: Session, claim_id: uuid.UUID) -> History:
    """The versions of a claim, also after it was deleted; NotFound if it never existed."""
    result = history(session, claim_id)
    exists = session.get(Claim, claim_id) is not None
    if not result.versions and not exists:
        raise NotFound(f"claim {claim_id} has no history (it never existed)")
    result.deleted = not exists
    return result
