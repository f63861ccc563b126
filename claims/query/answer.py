"""Answer: one answer per claim group, with its chain, origin, drift and a sentence in the
question's language (phrased by the intent's entry in the registry and the language module)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.models import Claim, Document, Source
from claims.names import display_name
from claims.provenance import CHAIN_OPTIONS, group_members, origin_telling, provenance
from claims.query import languages, registry
from claims.query.parse import ParsedQuestion
from claims.query.support import calibrated
from claims.query.verdict import Telling, judge, weakest_wording
from claims.query.vocabulary import Intent
from claims.schemas import Answer, ChainHop, Drift, Provenance
from claims.syndication import FirstAppearance, first_appearance
from claims.vocabulary import MODALITY_STRENGTH, Modality, Relation, Verdict


@dataclass(frozen=True)
class Statement:
    """One thing a speaker said, for "what did X say" (``statements_answer``)."""

    who: str
    text: str
    wording: str
    outlet: str | None
    date: str | None
    #: The proposition's origin is another source (the answer's chain is that telling's).
    elsewhere: bool


@dataclass
class AnswerContext:
    """What a language module needs to phrase one answer."""

    parsed: ParsedQuestion
    found: Answer
    #: Display name of a source (model, reference or id) in the question's language: the one
    #: display-name rule, ``claims.names.display_name``.
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
    #: A yes/no question: the verdict and every telling as it read them (``claims.query.verdict``).
    verdict: Verdict | None = None
    tellings: list[Telling] = field(default_factory=list)
    #: The claim retrieval found (the shown ``claim`` is its group's origin telling): for "what
    #: did X say", X's own telling.
    asked: Claim | None = None

    @property
    def statement(self) -> Statement:
        """The asked telling as "what X said" shows it."""
        asked = self.asked or self.claim
        doc = asked.document
        return Statement(
            who=self.name(asked.speaker),
            text=asked.text,
            wording=weakest_wording(asked)[0].value,
            outlet=self.name(doc.outlet) if doc.outlet is not None else None,
            date=doc.published_at.date().isoformat() if doc.published_at else None,
            elsewhere=self.found.origin.id != asked.speaker_id,
        )

    @property
    def wording(self) -> Modality:
        """How firmly the shown telling states it: its weakest wording along the chain, so an
        answer never calls a hedge firm because a relay hardened it."""
        return weakest_wording(self.claim)[0] if self.claim is not None else Modality(self.found.claim.modality)

    def names_of(self, tellings: list[Telling]) -> list[str]:
        """Display names of the tellings' sources, once each, in order."""
        out: list[str] = []
        for t in tellings:
            shown = self.name(t.source)
            if shown not in out:
                out.append(shown)
        return out

    @property
    def firm(self) -> list[Telling]:
        """Tellings that state it firmly (a denial question's deniers are in ``denying``)."""
        return [t for t in self.tellings if t.firm and not t.denies]

    @property
    def tentative(self) -> list[Telling]:
        return [t for t in self.tellings if not t.firm and not t.denies]

    @property
    def denying(self) -> list[Telling]:
        return [t for t in self.tellings if t.denies]

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


def _said_by(tellings: list[Claim], speaker: Source | None) -> list[Claim]:
    """The tellings a named speaker says or relays ("Did X say …" is judged on X's), else all."""
    if speaker is None:
        return tellings
    own = [c for c in tellings if c.speaker_id == speaker.id or any(h.source_id == speaker.id for h in c.hops)]
    return own or tellings


def statements(session: Session, speaker: Source, *, limit: int) -> list[tuple[float, Claim]]:
    """What a speaker said (a question naming a speaker and no topic): their claims, one per
    proposition, the most recently published first, then the most confident (a claim a person
    recorded counts as sure), each with that confidence as its score."""
    sure = func.coalesce(Claim.confidence, 1.0)
    rows = session.scalars(
        select(Claim)
        .join(Document, Document.id == Claim.document_id)
        .where(Claim.speaker_id == speaker.id)
        .order_by(Document.published_at.is_(None), Document.published_at.desc(), sure.desc(), Claim.created_at.desc(), Claim.id)
        .limit(limit * 20)
        .options(*CHAIN_OPTIONS)
    ).all()
    out: list[tuple[float, Claim]] = []
    groups: set = set()
    for c in rows:
        group = c.group_id or c.id
        if group in groups:
            continue
        groups.add(group)
        out.append((1.0 if c.confidence is None else c.confidence, c))
        if len(out) >= limit:
            break
    return out


def build_answer(session: Session, parsed: ParsedQuestion, claim: Claim, score: float, speaker: Source | None = None) -> Answer:
    """The answer shows the telling whose hop 0 is the group's origin (``origin_telling``), so
    origin and chain always come from the same evidence, even when that is another document.
    Every source is named by the one display-name rule in the question's language; a yes/no
    question gets a verdict judged on all the group's tellings (on the named ``speaker``'s when
    it asks whether someone said it)."""
    asked = claim
    others = group_members(session, claim)
    telling = origin_telling(claim, others)
    if telling is not claim:
        claim, others = telling, group_members(session, telling)
    found = provenance(session, claim, parsed.lang)
    verdict, tellings = judge(_said_by([claim, *others], speaker), denial=parsed.asks_denial) if parsed.yes_no else (None, [])
    ans = Answer(
        **found.model_dump(exclude={"drift"}),
        drift=found.drift + question_drift(parsed, found),
        confidence=calibrated(score),
        verdict=verdict,
    )
    language = languages.get(parsed.lang)
    shown = {h.source.id: h.source.display_name for h in ans.chain}
    shown[ans.origin.id] = ans.origin.display_name
    loaded = {h.source.id: h.source for h in claim.hops}

    def name(src) -> str:
        sid = getattr(src, "id", src)
        if shown.get(sid):
            return shown[sid]
        source = src if isinstance(src, Source) else loaded.get(sid) or session.get(Source, sid)
        shown[sid] = display_name(source, parsed.lang)
        return shown[sid]

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
        verdict=verdict,
        tellings=tellings,
        asked=asked,
    )
    if parsed.intent == Intent.FIRST_REPORTED:
        ctx.appearances = first_appearance(session, [c.document_id for c in [claim, *others]])
    ans.answer_text = registry.get(parsed.intent).phrase(language, ctx)
    return ans
