"""Answer: one answer per claim group, with its chain, origin, drift and a sentence in the
question's language (phrased by the intent's entry in the registry and the language module)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.models import Claim, Source
from claims.provenance import group_members, origin_telling, provenance
from claims.query import languages, registry
from claims.query.parse import ParsedQuestion
from claims.query.support import calibrated
from claims.query.vocabulary import Intent
from claims.schemas import Answer, ChainHop, Drift, Provenance
from claims.syndication import FirstAppearance, first_appearance
from claims.vocabulary import MODALITY_STRENGTH, Modality, Relation


@dataclass
class AnswerContext:
    """What a language module needs to phrase one answer."""

    parsed: ParsedQuestion
    found: Answer
    #: Display name of a source (model, reference or id) in the question's language.
    name: Callable[[object], str]
    claim: Claim | None = None
    members: list[Claim] = field(default_factory=list)
    relays: list[ChainHop] = field(default_factory=list)
    publisher: uuid.UUID | None = None
    hedge_cue: str | None = None
    weaker_question: bool = False
    #: The proposition's documents and their syndicated copies ordered by publication date
    #: (claims.syndication): who published first, who re-published it, which are undated.
    appearances: FirstAppearance | None = None

    @property
    def syndicated(self) -> bool:
        """More than one appearance is known: phrase the answer as first and later appearances."""
        return self.appearances is not None and len(self.appearances.appearances) > 1

    @property
    def first(self) -> Claim:
        """The telling whose document first reported the proposition (first_reported)."""
        return _first_reported(self.claim, self.members)

    @property
    def first_outlet(self) -> str:
        doc = self.first.document
        if doc.outlet is not None:
            return self.name(doc.outlet)
        return self.name(self.first.hops[-1].source) if self.first.hops else ""

    def hop_source(self, position: int | None) -> uuid.UUID:
        return next(h.source.id for h in self.found.chain if h.position == position)

    @property
    def hop_changes(self) -> list[Drift]:
        return [d for d in self.found.drift if d.scope == "hop" and d.field == "modality"]

    @property
    def lang_changes(self) -> list[Drift]:
        return [d for d in self.found.drift if d.scope == "hop" and d.field == "lang"]

    @property
    def group_changes(self) -> list[Drift]:
        return [d for d in self.found.drift if d.scope == "group"]


def question_drift(parsed: ParsedQuestion, found: Provenance) -> list[Drift]:
    """The question states the proposition more (or less) firmly than the evidence does."""
    evidence = Modality(found.claim.modality)
    if MODALITY_STRENGTH[parsed.modality] == MODALITY_STRENGTH[evidence]:
        return []
    return [
        Drift(
            from_position=None,
            to_position=found.chain[-1].position if found.chain else None,
            field="modality",
            before=parsed.modality.value,
            after=evidence.value,
            scope="question",
        )
    ]


def _weaker_question(parsed: ParsedQuestion, found: Provenance) -> bool:
    return MODALITY_STRENGTH[parsed.modality] < MODALITY_STRENGTH[Modality(found.claim.modality)]


def _sources_for(session: Session, found: Provenance) -> dict[uuid.UUID, Source]:
    ids = [h.source.id for h in found.chain] + [found.origin.id]
    return {s.id: s for s in session.scalars(select(Source).where(Source.id.in_(ids)))}


def _first_reported(claim: Claim, members: list[Claim]) -> Claim:
    def doc_time(c: Claim):
        published = c.document.published_at
        return (published is None, published.timestamp() if published else 0.0, c.created_at.timestamp())

    return min([claim, *members], key=doc_time)


def representative(parsed: ParsedQuestion, members: list[tuple[float, Claim]]) -> tuple[float, Claim]:
    """The best-supported member of a group, preferring (among near-equals) the one whose
    modality, then language, matches the question; returned with the group's best score."""
    best = members[0][0]
    near = [(sc, cl) for sc, cl in members if sc >= best - 0.1]
    _, claim = min(near, key=lambda m: (m[1].modality != parsed.modality.value, m[1].lang != parsed.lang, -m[0]))
    return best, claim


def build_answer(session: Session, parsed: ParsedQuestion, claim: Claim, score: float) -> Answer:
    """The answer shows the telling whose hop 0 is the group's origin (``origin_telling``), so
    origin and chain always come from the same evidence, even when that is another document."""
    others = group_members(session, claim)
    telling = origin_telling(claim, others)
    if telling is not claim:
        claim, others = telling, group_members(session, telling)
    found = provenance(session, claim)
    ans = Answer(
        **found.model_dump(exclude={"drift"}),
        drift=found.drift + question_drift(parsed, found),
        confidence=calibrated(score),
    )
    language = languages.get(parsed.lang)
    sources = _sources_for(session, ans)

    def name(src) -> str:
        return language.display_name(sources.get(getattr(src, "id", src)) or src)

    ctx = AnswerContext(
        parsed=parsed,
        found=ans,
        name=name,
        claim=claim,
        members=others,
        relays=[h for h in ans.chain[1:] if h.relation != Relation.PUBLISHED and h.source.id != ans.origin.id],
        publisher=ans.chain[-1].source.id if ans.chain else None,
        hedge_cue=next((h.cue for h in ans.chain if h.modality == "hedged" and h.cue), None),
        weaker_question=_weaker_question(parsed, ans),
    )
    if parsed.intent == Intent.FIRST_REPORTED:
        ctx.appearances = first_appearance(session, [c.document_id for c in [claim, *others]])
    ans.answer_text = registry.get(parsed.intent).phrase(language, ctx)
    return ans
