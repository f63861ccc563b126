from __future__ import annotations

import datetime
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.params import Parameter
from sqlalchemy.orm import Session

from claims.history import claim_history as history_of
from claims.provenance import trace
from claims.review import review_claim, review_hop
from claims.schemas import (
    ClaimIn,
    ClaimOut,
    ClaimPatch,
    ClaimReviewIn,
    History,
    HopReviewIn,
    Page,
    Provenance,
    ReviewOut,
)
from claims.serialize import claim_out
from claims.services import ClaimService, ListParams
from claims.vocabulary import Modality


class ClaimController(Controller):
    path = "/api/v1/claims"
    tags = ["claims"]

    @get("/", summary="List claims with filters", sync_to_thread=True)
    def list_claims(
        self,
        db_session: Session,
        pagination: ListParams,
        speaker_id: UUID | None = None,
        speaker: str | None = Parameter(default=None, max_length=300, description="Speaker name or alias, any script"),
        outlet_id: UUID | None = None,
        document_id: UUID | None = None,
        lang: str | None = Parameter(default=None, pattern=r"^[a-z]{2}$"),
        modality: Modality | None = None,
        group: str | None = Parameter(default=None, max_length=120),
        published_after: datetime.datetime | None = None,
        published_before: datetime.datetime | None = None,
    ) -> Page[ClaimOut]:
        items, total = ClaimService(db_session).list(
            pagination,
            speaker_id=speaker_id,
            speaker=speaker,
            outlet_id=outlet_id,
            document_id=document_id,
            lang=lang,
            modality=modality,
            group_key=group,
            published_after=published_after,
            published_before=published_before,
        )
        return Page(items=[claim_out(c) for c in items], total=total, limit=pagination.limit, offset=pagination.offset)

    @post("/", summary="Record a claim with its relay chain", sync_to_thread=True)
    def create_claim(self, db_session: Session, data: ClaimIn) -> ClaimOut:
        return claim_out(ClaimService(db_session).create(data))

    @get("/{claim_id:uuid}", summary="Get a claim with its hops", sync_to_thread=True)
    def get_claim(self, db_session: Session, claim_id: UUID) -> ClaimOut:
        return claim_out(ClaimService(db_session).get(claim_id))

    @patch("/{claim_id:uuid}", summary="Update a claim's modality, stance, group or speaker", sync_to_thread=True)
    def update_claim(self, db_session: Session, claim_id: UUID, data: ClaimPatch) -> ClaimOut:
        return claim_out(ClaimService(db_session).update(claim_id, data))

    @delete("/{claim_id:uuid}", summary="Delete a claim", sync_to_thread=True)
    def delete_claim(self, db_session: Session, claim_id: UUID) -> None:
        ClaimService(db_session).delete(claim_id)

    @get("/{claim_id:uuid}/provenance", summary="Full chain, evidence, group members and drift", sync_to_thread=True)
    def claim_provenance(self, db_session: Session, claim_id: UUID) -> Provenance:
        return trace(db_session, claim_id)

    @post("/{claim_id:uuid}/review", summary="Review a claim: status, note, optional corrections", status_code=200,
          sync_to_thread=True, opt={"scope": "review"})
    def review_claim_status(self, db_session: Session, claim_id: UUID, data: ClaimReviewIn) -> ReviewOut:
        claim = review_claim(db_session, claim_id, data)
        return ReviewOut(claim_id=claim.id, review_status=claim.review_status, review_note=claim.review_note)

    @post("/{claim_id:uuid}/hops/{position:int}/review", summary="Review one hop of a claim's chain",
          status_code=200, sync_to_thread=True, opt={"scope": "review"})
    def review_hop_status(self, db_session: Session, claim_id: UUID, position: int, data: HopReviewIn) -> ReviewOut:
        hop = review_hop(db_session, claim_id, position, data)
        return ReviewOut(
            claim_id=claim_id, position=hop.position, review_status=hop.review_status, review_note=hop.review_note
        )

    @get("/{claim_id:uuid}/history", summary="Versions of a claim and its hops, from the audit trail",
         sync_to_thread=True)
    def claim_history(self, db_session: Session, claim_id: UUID) -> History:
        return history_of(db_session, claim_id)
