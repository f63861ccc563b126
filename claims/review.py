"""The review workflow: a fact-checker sets a claim's or a hop's review status with a note.

A review is one audit event with action ``review`` whose reason is the note; ``before`` keeps
the previous values, so a correction never loses the version it replaced (see
``claims.history``). A correction may change the reviewed fields in the same event.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.audit import record, snapshot
from claims.errors import NotFound, Unresolvable
from claims.models import Claim, RelayHop, Source
from claims.schemas import ClaimReviewIn, HopReviewIn
from claims.services import ClaimService
from claims.vocabulary import AuditAction


def _record_review(session: Session, obj: Claim | RelayHop, before: dict, note: str | None) -> None:
    record(session, AuditAction.REVIEW, obj, before, snapshot(obj), reason=note)
    # The flush hook would otherwise write a second, plain 'update' event for the same change.
    session.info.setdefault("_audit_recorded", set()).add(obj.id)
    session.flush()


def _lock_claim(session: Session, claim_id: uuid.UUID) -> None:
    """Serialise reviews of one claim so ``before`` is always the last committed version.

    On PostgreSQL the claim row is locked until commit and the claim is read after the lock
    (READ COMMITTED: the next statement sees what a concurrent reviewer committed); SQLite
    write transactions already run one at a time (BEGIN IMMEDIATE, see claims.db.writer).
    """
    session.execute(select(Claim.id).where(Claim.id == claim_id).with_for_update())


def review_claim(session: Session, claim_id: uuid.UUID, data: ClaimReviewIn) -> Claim:
    _lock_claim(session, claim_id)
    claim = ClaimService(session).get(claim_id)
    session.flush()  # anything pending goes out with its own events first
    before = snapshot(claim)
    claim.review_status = data.status
    claim.review_note = data.note
    if data.corrections is not None:
        for field in data.corrections.model_fields_set:
            setattr(claim, field, getattr(data.corrections, field))
    _record_review(session, claim, before, data.note)
    return claim


def review_hop(session: Session, claim_id: uuid.UUID, position: int, data: HopReviewIn) -> RelayHop:
    _lock_claim(session, claim_id)
    claim = ClaimService(session).get(claim_id)
    hop = next((h for h in claim.hops if h.position == position), None)
    if hop is None:
        raise NotFound(f"claim {claim_id} has no hop at position {position}")
    session.flush()
    before = snapshot(hop)
    hop.review_status = data.status
    hop.review_note = data.note
    corrections = data.corrections
    if corrections is not None:
        if "source_id" in corrections.model_fields_set:
            if corrections.source_id is None or session.get(Source, corrections.source_id) is None:
                raise Unresolvable(
                    f"corrections.source_id {corrections.source_id} does not name an existing source",
                    field="corrections.source_id",
                )
            if position == 0:
                claim.speaker_id = corrections.source_id  # hop 0 is the speaker (an ordinary update event)
        for field in corrections.model_fields_set:
            setattr(hop, field, getattr(corrections, field))
    _record_review(session, hop, before, data.note)
    session.expire(hop, ["source"])
    session.expire(claim, ["speaker"])
    return hop
