"""Read models behind the fact-checker's pages: a document's text cut into marked segments,
a source's profile (what it said, what it relayed, modality counts, timeline) and the review
queue. The web layer only renders these; every rule stays here, in the domain."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.models import Claim, Document, RelayHop, Source
from claims.services import ListParams
from claims.vocabulary import ReviewStatus

#: The most claims a source page lists in each of "said" and "relayed".
MAX_PROFILE_CLAIMS = 500


@dataclass(frozen=True)
class Mark:
    """A span of a document's text to show marked: a claim, a hop's evidence, or furniture."""

    start: int
    end: int
    kind: str  # claim | evidence | furniture
    ref: str = ""  # the claim id (claim) or the hop position (evidence)
    label: str = ""


@dataclass
class Segment:
    """A run of text covered by the same marks (innermost first)."""

    text: str
    start: int
    marks: list[Mark] = field(default_factory=list)
    ends: list[Mark] = field(default_factory=list)  # marks whose last character is in this run

    def of(self, kind: str) -> list[Mark]:
        return [m for m in self.marks if m.kind == kind]


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark boundary; each piece lists the marks covering it, shortest first."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = sorted((m for m in marks if m.start <= a and b <= m.end), key=lambda m: (m.end - m.start, m.kind))
        if out and out[-1].marks == covering and not out[-1].ends:
            out[-1].text += text[a:b]
        else:
            out.append(Segment(text=text[a:b], start=a, marks=covering))
        out[-1].ends = [m for m in covering if m.end == b]
    return out


# --- documents ---------------------------------------------------------------------------


@dataclass
class DocumentView:
    document: Document
    claims: list[Claim]
    segments: list[Segment]
    furniture: list[tuple[int, int]]


def document_view(session: Session, document: Document) -> DocumentView:
    """The text with every stored claim marked (with its speaker) and skipped furniture marked."""
    claims = list(
        session.scalars(
            select(Claim).where(Claim.document_id == document.id).order_by(Claim.start_offset, Claim.end_offset)
        ).unique()
    )
    from claims.extraction.pipeline import furniture_spans  # the extraction stack: loaded when first used

    furniture = furniture_spans(document.text, lang=document.lang)
    marks = [Mark(c.start_offset, c.end_offset, "claim", str(c.id), c.speaker.name) for c in claims]
    marks += [Mark(a, b, "furniture") for a, b in furniture]
    return DocumentView(document=document, claims=claims, segments=segments(document.text, marks), furniture=furniture)


def evidence_marks(claim: Claim) -> list[Mark]:
    """The claim's own span and each hop's evidence span, for reading them in the full text."""
    marks = [Mark(claim.start_offset, claim.end_offset, "claim", str(claim.id), claim.speaker.name)]
    for hop in claim.hops:
        if hop.evidence_start is not None and hop.evidence_end is not None:
            marks.append(Mark(hop.evidence_start, hop.evidence_end, "evidence", str(hop.position), hop.source.name))
    return marks


# --- sources -----------------------------------------------------------------------------


@dataclass
class Appearance:
    """One claim a source took part in: as its speaker (hop 0) or as a later hop."""

    claim: Claim
    position: int
    relation: str
    modality: str | None

    @property
    def published_at(self) -> datetime.datetime | None:
        return self.claim.document.published_at


@dataclass
class SourceProfile:
    source: Source
    said: list[Appearance]
    relayed: list[Appearance]
    said_modalities: Counter
    relayed_modalities: Counter
    timeline: list[tuple[datetime.date | None, list[Appearance]]]
    truncated: bool = False


def source_profile(session: Session, source: Source) -> SourceProfile:
    """What ``source`` said (hop 0 of a claim) and relayed (any later hop), by modality and by
    publication date (undated documents last)."""
    hops = session.execute(
        select(RelayHop, Claim)
        .join(Claim, Claim.id == RelayHop.claim_id)
        .where(RelayHop.source_id == source.id)
        .order_by(Claim.id, RelayHop.position)
        .limit(2 * MAX_PROFILE_CLAIMS + 1)
    ).unique().all()
    truncated = len(hops) > 2 * MAX_PROFILE_CLAIMS
    said: list[Appearance] = []
    relayed: list[Appearance] = []
    for hop, claim in hops[: 2 * MAX_PROFILE_CLAIMS]:
        item = Appearance(claim=claim, position=hop.position, relation=hop.relation, modality=hop.modality or claim.modality)
        (said if hop.position == 0 else relayed).append(item)
    by_day: dict[datetime.date | None, list[Appearance]] = {}
    for item in sorted(said + relayed, key=_when):
        day = item.published_at.astimezone(datetime.UTC).date() if item.published_at else None
        by_day.setdefault(day, []).append(item)
    return SourceProfile(
        source=source,
        said=said,
        relayed=relayed,
        said_modalities=Counter(a.claim.modality for a in said),
        relayed_modalities=Counter(a.modality for a in relayed),
        timeline=list(by_day.items()),
        truncated=truncated,
    )


def _when(item: Appearance) -> tuple[bool, float, str]:
    published = item.published_at
    return (published is None, published.timestamp() if published else 0.0, str(item.claim.id))


def outlets(session: Session) -> list[Source]:
    """Sources that published at least one stored document (the browse page's outlet filter)."""
    used = select(Document.outlet_id).where(Document.outlet_id.is_not(None))
    return list(session.scalars(select(Source).where(Source.id.in_(used)).order_by(Source.name_normalized)))


# --- review ------------------------------------------------------------------------------


def review_queue(session: Session, params: ListParams) -> tuple[list[Claim], int]:
    """Unreviewed claims, least confident first (the extractor's ``confidence``). Claims
    without a confidence were written by a person (curated seeds, API clients) and come last."""
    unreviewed = Claim.review_status == ReviewStatus.UNREVIEWED.value
    total = session.scalar(select(func.count()).select_from(Claim).where(unreviewed)) or 0
    rows = session.scalars(
        select(Claim).where(unreviewed).order_by(*queue_order()).limit(params.limit).offset(params.offset)
    ).unique()
    return list(rows), total


def queue_order() -> list:
    """NULLs last on both databases (``IS NULL`` sorts false before true), then ascending."""
    return [Claim.confidence.is_(None), Claim.confidence.asc(), Claim.id]


__all__ = [
    "Appearance",
    "DocumentView",
    "Mark",
    "Segment",
    "SourceProfile",
    "document_view",
    "evidence_marks",
    "outlets",
    "review_queue",
    "segments",
    "source_profile",
]
