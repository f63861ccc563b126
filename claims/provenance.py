"""Provenance of a claim: its ordered chain with evidence, its origin, the other members of its
group (other documents and languages) and the drift between hops and between members."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.models import Claim, RelayHop, Source
from claims.schemas import ChainHop, ClaimBrief, Drift, Evidence, GroupMember, Origin, Provenance, SourceRef
from claims.vocabulary import Relation, SourceKind


def evidence(claim: Claim, hop: RelayHop) -> Evidence | None:
    if hop.evidence_start is None or hop.evidence_end is None:
        return None
    return Evidence(
        document_id=claim.document_id,
        start=hop.evidence_start,
        end=hop.evidence_end,
        text=claim.document.text[hop.evidence_start : hop.evidence_end],
    )


def claim_evidence(claim: Claim) -> Evidence:
    return Evidence(document_id=claim.document_id, start=claim.start_offset, end=claim.end_offset, text=claim.text)


def chain(claim: Claim) -> list[ChainHop]:
    """The hops in position order; a hop without its own span points at the claim's text."""
    out = []
    last = len(claim.hops) - 1
    for hop in claim.hops:
        ev = evidence(claim, hop)
        if ev is None and hop.position in (0, last):
            ev = claim_evidence(claim)
        out.append(
            ChainHop(
                position=hop.position,
                source=SourceRef.model_validate(hop.source),
                relation=hop.relation,
                lang=hop.lang,
                modality=hop.modality,
                cue=hop.cue,
                evidence=ev,
            )
        )
    return out


def origin_of(source: Source, *, claim_id=None) -> Origin:
    return Origin(id=source.id, name=source.name, kind=source.kind, aliases=[a.text for a in source.aliases], claim_id=claim_id)


def hop_drift(claim: Claim) -> list[Drift]:
    """Where modality or language changes from one hop to the next (translation, softening, hardening)."""
    drifts: list[Drift] = []
    prev: RelayHop | None = None
    for hop in claim.hops:
        if prev is not None:
            for field in ("modality", "lang"):
                before, after = getattr(prev, field), getattr(hop, field)
                if before and after and before != after:
                    drifts.append(
                        Drift(
                            from_position=prev.position,
                            to_position=hop.position,
                            field=field,
                            before=before,
                            after=after,
                        )
                    )
        prev = hop
    return drifts


def group_members(session: Session, claim: Claim) -> list[Claim]:
    if claim.group_id is None:
        return []
    return list(
        session.scalars(
            select(Claim).where(Claim.group_id == claim.group_id, Claim.id != claim.id).order_by(Claim.created_at)
        )
    )


def group_drift(claim: Claim, members: list[Claim]) -> list[Drift]:
    """Modality differences between this claim and the other tellings of the same proposition."""
    out = []
    for other in members:
        if other.modality != claim.modality:
            out.append(
                Drift(
                    from_position=len(claim.hops) - 1,
                    to_position=len(other.hops) - 1,
                    field="modality",
                    before=claim.modality,
                    after=other.modality,
                    scope="group",
                    from_claim_id=claim.id,
                    to_claim_id=other.id,
                )
            )
    return out


_PRIMARY = {Relation.SAID.value, Relation.QUOTED.value, Relation.PARAPHRASED.value}


def _origin_tier(telling: Claim) -> int:
    """0: a primary speaker (said/quoted/paraphrased) relayed by someone; 1: an outlet that
    reported it, or a speaker with no relay; 2: only its own publisher."""
    hop0 = telling.hops[0]
    if hop0.relation == Relation.PUBLISHED.value:
        return 2
    return 0 if hop0.relation in _PRIMARY and len(telling.hops) > 1 else 1


def origin_telling(claim: Claim, members: list[Claim]) -> Claim:
    """The one origin rule (provenance, reports and ``ask``): of the tellings of a proposition
    (this claim and its group members), the one whose hop 0 is the origin.

    A better kind of origin (primary speaker over an outlet that reported it over a bare
    publisher) wins, then an earlier dated one of the same kind; undated tellings of the same
    kind keep this claim's own. An unnamed source stays unnamed: it is never replaced by a
    named guess from another telling.
    """
    if not claim.hops or claim.hops[0].source.kind == SourceKind.ANONYMOUS:
        return claim
    best, best_tier = claim, _origin_tier(claim)
    for member in members:
        if not member.hops:
            continue
        tier = _origin_tier(member)
        earlier = (
            member.document.published_at is not None
            and best.document.published_at is not None
            and member.document.published_at < best.document.published_at
        )
        if tier < best_tier or (tier == best_tier and earlier):
            best, best_tier = member, tier
    return best


def origin_source(telling: Claim) -> Source:
    return telling.hops[0].source if telling.hops else telling.speaker


def origin(claim: Claim, members: list[Claim]) -> Origin:
    """The proposition's origin as provenance, reports and answers show it; ``claim_id`` names
    the telling whose hop 0 it is (its chain is the evidence for it)."""
    telling = origin_telling(claim, members)
    return origin_of(origin_source(telling), claim_id=telling.id)


def group_member(member: Claim) -> GroupMember:
    """Another telling of the claim's proposition, as provenance and reports list it."""
    return GroupMember(
        claim_id=member.id,
        document_id=member.document_id,
        lang=member.lang,
        text=member.text,
        modality=member.modality,
        speaker=SourceRef.model_validate(member.speaker),
    )


def provenance(session: Session, claim: Claim) -> Provenance:
    members = group_members(session, claim)
    return Provenance(
        claim=ClaimBrief.model_validate(claim),
        document_id=claim.document_id,
        origin=origin(claim, members),
        chain=chain(claim),
        group=[group_member(m) for m in members],
        drift=hop_drift(claim) + group_drift(claim, members),
    )
