from __future__ import annotations

from typing import Annotated
from uuid import UUID

import anyio.to_thread
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.caching import IfNoneMatch, conditional
from api.dependencies import LangFilter, PublishedAfter, PublishedBefore, page, text_filter, timestamp
from api.errors import problem
from claims.history import claim_history as history_of
from claims.provenance import trace_read
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

HopPosition = Annotated[int, PathParameter(ge=0, le=49, description="The hop's position in the chain (0 = speaker)")]


def _on_loop(engine: Engine) -> bool:
    """Whether a trace runs on the event loop: on SQLite, while the pool has an idle connection
    (with none, checking one out could wait for a handler thread to give one back)."""
    if engine.dialect.name != "sqlite":
        return False
    idle = getattr(engine.pool, "checkedin", None)  # a single shared connection (in memory) has no count
    return idle is None or idle() > 0


class ClaimController(Controller):
    path = "/api/v1/claims"
    tags = ["claims"]

    @get("/", summary="List claims with filters", sync_to_thread=True)
    def list_claims(
        self,
        request: Request,
        db_session: NamedDependency[Session],
        pagination: NamedDependency[ListParams],
        speaker_id: Annotated[UUID | None, QueryParameter(description="The speaker's source id")] = None,
        speaker: text_filter("Speaker name or alias, any script") = None,
        outlet_id: Annotated[UUID | None, QueryParameter(description="The publishing outlet's source id")] = None,
        document_id: Annotated[UUID | None, QueryParameter(description="Claims of this document")] = None,
        lang: LangFilter = None,
        modality: Annotated[Modality | None, QueryParameter(description="How firmly the claim is made")] = None,
        group: Annotated[str | None, QueryParameter(
            min_length=1, max_length=120, pattern=r"^[a-z0-9][a-z0-9._-]{0,119}$", description="Claim group key"
        )] = None,
        published_after: PublishedAfter = None,
        published_before: PublishedBefore = None,
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
            published_after=timestamp("published_after", published_after),
            published_before=timestamp("published_before", published_before),
        )
        return page(request, [claim_out(c) for c in items], total, pagination)

    @post("/", summary="Record a claim with its relay chain", sync_to_thread=True)
    def create_claim(self, db_session: NamedDependency[Session], data: JSONBody[ClaimIn]) -> ClaimOut:
        return claim_out(ClaimService(db_session).create(data))

    @get("/{claim_id:uuid}", summary="Get a claim with its hops (ETag; If-None-Match answers 304)", sync_to_thread=True,
         responses=conditional.responses, response_headers=conditional.response_headers)
    def get_claim(
        self,
        request: Request,
        db_session: NamedDependency[Session],
        claim_id: FromPath[UUID],
        if_none_match: IfNoneMatch = None,
    ) -> Response[ClaimOut]:
        return conditional.respond(request, claim_out(ClaimService(db_session).get(claim_id)))

    @patch("/{claim_id:uuid}", summary="Update a claim's modality, stance, group or speaker", sync_to_thread=True)
    def update_claim(
        self, db_session: NamedDependency[Session], claim_id: FromPath[UUID], data: JSONBody[ClaimPatch]
    ) -> ClaimOut:
        return claim_out(ClaimService(db_session).update(claim_id, data))

    @delete("/{claim_id:uuid}", summary="Delete a claim", sync_to_thread=True)
    def delete_claim(self, db_session: NamedDependency[Session], claim_id: FromPath[UUID]) -> None:
        ClaimService(db_session).delete(claim_id)

    @get("/{claim_id:uuid}/provenance", summary="Full chain, evidence, group members and drift (ETag)",
         responses=conditional.responses, response_headers=conditional.response_headers)
    async def claim_provenance(
        self,
        request: Request,
        claim_id: FromPath[UUID],
        if_none_match: IfNoneMatch = None,
        lang: Annotated[str | None, QueryParameter(
            min_length=2, max_length=2, pattern=r"^[a-z]{2}$",
            description="Name every source for a reader of this language (`display_name`, e.g. ar); by default the claim's language",
        )] = None,
    ) -> Response[Provenance]:
        # The hottest read, on a pooled driver connection (no session: its begin, identity map
        # and close cost more than the statements). On SQLite it runs on the event loop: a few
        # key look-ups in a WAL database, where a reader waits for no writer. Handed to a worker
        # thread, every step of the driver releases the GIL to the other handler threads: at 1M
        # claims up to 70 context switches per request under wrk (3 on the loop), half the
        # server's CPU. On PostgreSQL, whose answers take network round trips, in a thread.
        engine = request.app.state.engine
        if _on_loop(engine):
            found = trace_read(engine, claim_id, lang)
        else:
            found = await anyio.to_thread.run_sync(trace_read, engine, claim_id, lang)
        return conditional.respond(request, found)

    @post("/{claim_id:uuid}/review", summary="Review a claim: status, note, optional corrections", status_code=200,
          sync_to_thread=True, opt={"scope": "review"})
    def review_claim_status(
        self, db_session: NamedDependency[Session], claim_id: FromPath[UUID], data: JSONBody[ClaimReviewIn]
    ) -> ReviewOut:
        claim = review_claim(db_session, claim_id, data)
        return ReviewOut(claim_id=claim.id, review_status=claim.review_status, review_note=claim.review_note)

    @post("/{claim_id:uuid}/hops/{position:int}/review", summary="Review one hop of a claim's chain",
          status_code=200, sync_to_thread=True, opt={"scope": "review"})
    def review_hop_status(
        self,
        db_session: NamedDependency[Session],
        claim_id: FromPath[UUID],
        position: HopPosition,
        data: JSONBody[HopReviewIn],
    ) -> ReviewOut:
        hop = review_hop(db_session, claim_id, position, data)
        return ReviewOut(
            claim_id=claim_id, position=hop.position, review_status=hop.review_status, review_note=hop.review_note
        )

    @get("/{claim_id:uuid}/history", summary="Versions of a claim and its hops, from the audit trail "
         "(once the claim is deleted: 404 problem+json whose `history` member still carries them)",
         sync_to_thread=True)
    def claim_history(
        self, request: Request, db_session: NamedDependency[Session], claim_id: FromPath[UUID]
    ) -> Response[History]:
        result = history_of(db_session, claim_id)
        if result.deleted:  # the claim is gone (404), its history stays, for auditors
            return problem(request, 404, "Not found", f"claim {claim_id} was deleted; its history is in 'history'",
                           history=result.model_dump(mode="json"))
        return Response(result)
