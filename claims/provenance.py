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


def origin_of(source: Source) -> Origin:
    return Origin(id=source.id, name=source.name, kind=source.kind, aliases=[a.text for a in source.aliases])


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


def primary_origin(claim: Claim, members: list[Claim]) -> Source:
    """Hop 0 of this claim, unless it is only its own publisher and a group member names a
    primary speaker; an anonymous source stays anonymous (never replaced by a guess)."""
    own = claim.hops[0].source if claim.hops else claim.speaker
    publisher_only = len(claim.hops) == 1 or claim.hops[0].relation == Relation.PUBLISHED
    if not publisher_only or own.kind == SourceKind.ANONYMOUS:
        return own
    for other in members:
        if other.hops and other.hops[0].relation != Relation.PUBLISHED:
            return other.hops[0].source
    return own


_PRIMARY = {Relation.SAID.value, Relation.QUOTED.value, Relation.PARAPHRASED.value}


def group_origin(claim: Claim, members: list[Claim]) -> Source:
    """The earliest hop-0 source across the group: a primary speaker (said/quoted) over an
    outlet that reported it, a relayer over a bare publisher; an unnamed source stays unnamed."""
    own = claim.hops[0].source if claim.hops else claim.speaker
    if own.kind == SourceKind.ANONYMOUS:
        return own

    def tier(member: Claim) -> int:
        hop0 = member.hops[0]
        if hop0.relation == Relation.PUBLISHED.value:
            return 2
        return 0 if hop0.relation in _PRIMARY and len(member.hops) > 1 else 1

    if not claim.hops:
        return own
    best, best_tier = claim, tier(claim)
    for member in members:
        if not member.hops:
            continue
        t = tier(member)
        earlier = (
            member.document.published_at is not None
            and best.document.published_at is not None
            and member.document.published_at < best.document.published_at
        )
        # Only a better kind of origin, or a dated earlier one of the same kind, displaces it:
        # undated tellings keep their own origin rather than an arbitrary order.
        if t < best_tier or (t == best_tier and earlier):
            best, best_tier = member, t
    return best.hops[0].source


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
        origin=origin_of(primary_origin(claim, members)),
        chain=chain(claim),
        group=[group_member(m) for m in members],
        drift=hop_drift(claim) + group_drift(claim, members),
    )
