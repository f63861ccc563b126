"""Support: which retrieved claims actually say what the question asks, and how surely.

A claim must cover the proposition (share of its IDF mass, at least two of its terms, or a
sentence vector close enough), name every entity the question names, and (when the question
names a speaker) be attributed to that speaker. A claim that shares one word ("vacuum") is
not an answer, and a question about something the store never mentions finds nothing.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.indexing import group_labels_indexed
from claims.models import Claim, Source
from claims.query.parse import ParsedQuestion
from claims.query.retrieve import Candidate, HybridResult

MIN_COVERAGE = 0.6
#: With a resolved speaker constraint the speaker carries part of the meaning.
MIN_COVERAGE_WITH_SPEAKER = 0.5

#: Cosine of two sentence vectors below which they are treated as unrelated, and the span over
#: which similarity rises from "unrelated" to "same proposition" (USE v3 multilingual: a
#: sentence and its translation score ~0.9, a paraphrased question ~0.6–0.75, a different
#: proposition about the same topic ~0.5–0.65; NLP.md and the seed probes).
COS_FLOOR = 0.45
COS_SPAN = 0.40
#: Combined support needed to answer; below it ``found`` is false.
MIN_SUPPORT = 0.6
#: A claim stored only in the other language (no curated label in the question's language)
#: shares no words with the question but its names and numbers: lexical coverage says little,
#: so the cosine decides, and this cosine counts as just enough support (0.55 when the question
#: names a speaker the claim is attributed to, as the speaker carries part of the meaning).
CROSS_LINGUAL_COS = 0.60


#: A claim in the other language is matched on the question's language-neutral units
#: (entities, concepts, numbers); fewer than this many of them say too little on their own.
MIN_NEUTRAL_UNITS = 3


def support(c: Candidate, *, lexical: float | None = None, speaker_bonus: float = 0.0, cross_lingual: bool = False) -> float:
    """How well a stored claim supports the question, 0..1.

    Lexical coverage (share of the question's IDF mass the claim holds; for a claim in the
    other language, of its language-neutral units) is the rule-path measure; when sentence
    vectors exist it is blended with the cosine, rescaled so that 0.45 means nothing and 0.85
    means a translation-level match. Either signal alone can carry a match it is sure of (full
    coverage, or a near-translation); a middling value of both is what a paraphrase looks like.
    Subject agreement (entities) is checked separately and is absolute.
    """
    lexical = min(1.0, (c.coverage if lexical is None else lexical) + speaker_bonus)
    if c.cosine is None:
        return lexical
    semantic = max(0.0, min(1.0, (c.cosine - COS_FLOOR) / COS_SPAN))
    blended = 0.5 * lexical + 0.5 * semantic
    if cross_lingual:
        return max(lexical, blended, MIN_SUPPORT + (c.cosine - CROSS_LINGUAL_COS) + speaker_bonus / 2)
    return max(lexical, blended)


#: Across languages the units are coarse (a concept, an entity): a claim must hold nearly all
#: of what can be checked, or lexical evidence counts for nothing and the cosine decides.
MIN_CROSS_LINGUAL_COVERAGE = 0.8


def cross_lingual_coverage(c: Candidate, result: HybridResult) -> float:
    """Coverage of what can be checked across languages, discounted when the question has few
    language-neutral units; 0 below ``MIN_CROSS_LINGUAL_COVERAGE``."""
    n = result.neutral_units
    if not n:
        return 0.0
    xl = c.neutral_coverage * min(1.0, n / MIN_NEUTRAL_UNITS)
    return xl if xl >= MIN_CROSS_LINGUAL_COVERAGE else 0.0


def calibrated(score: float) -> float:
    """Confidence reported to clients (0..0.99), monotone in the support score."""
    return round(max(0.0, min(0.99, score)), 3)


def _other_language_only(claim: Claim, lang: str) -> bool:
    """The claim is in the other language and has no curated label in the question's language."""
    if claim.lang == lang:
        return False
    group = claim.group
    if group is None or not group_labels_indexed():
        return True
    return not (group.label if lang == "en" else group.label_ar)


def _mentions_source(claim: Claim, source_id: uuid.UUID) -> bool:
    return claim.speaker_id == source_id or any(h.source_id == source_id for h in claim.hops)


def _may_load(cand: Candidate, needed: int, bonus: float) -> bool:
    """The cheap tests of ``supported``: whether a candidate's row will be read."""
    if not cand.entities_ok:
        return False
    if len(cand.matched) < needed and (cand.cosine is None or cand.cosine < COS_FLOOR + COS_SPAN / 2):
        return False
    cross_possible = cand.cosine is not None and cand.cosine >= CROSS_LINGUAL_COS - bonus / 2
    return support(cand, speaker_bonus=bonus) >= MIN_SUPPORT or cross_possible


def _prefetch(session: Session, claim_ids: list[uuid.UUID]) -> list[Claim]:
    """Load the rows ``supported`` will read with one query per 500 instead of five statements
    per claim. The caller holds the list: the identity map only keeps objects referenced
    elsewhere, and ``session.get`` then finds them there."""
    from claims.provenance import CHAIN_OPTIONS

    out: list[Claim] = []
    for i in range(0, len(claim_ids), 500):
        out += session.scalars(select(Claim).where(Claim.id.in_(claim_ids[i : i + 500])).options(*CHAIN_OPTIONS)).all()
    return out


def supported(
    session: Session, parsed: ParsedQuestion, result: HybridResult, speaker: Source | None
) -> list[tuple[float, Claim]]:
    """The claims that support the question, best first, with their support score."""
    needed = min(2, len(set(result.lexical.query_terms)))
    bonus = (MIN_COVERAGE - MIN_COVERAGE_WITH_SPEAKER) if speaker else 0.0
    scored: list[tuple[float, Candidate]] = []
    claims: dict[uuid.UUID, Claim] = {}
    loaded = _prefetch(session, [c.claim_id for c in result.candidates if _may_load(c, needed, bonus)])
    for cand in result.candidates:
        if not cand.entities_ok:
            continue  # the subject must agree: a claim about Russia never answers a question about Iran
        if len(cand.matched) < needed and (cand.cosine is None or cand.cosine < COS_FLOOR + COS_SPAN / 2):
            continue
        xl = cross_lingual_coverage(cand, result)
        optimistic = max(support(cand, speaker_bonus=bonus), support(cand, lexical=xl, speaker_bonus=bonus))
        cross_possible = cand.cosine is not None and cand.cosine >= CROSS_LINGUAL_COS - bonus / 2
        if optimistic < MIN_SUPPORT and not cross_possible:
            continue  # cheap rejection: most candidates never need their row loaded
        claim = claims[cand.claim_id] = session.get(Claim, cand.claim_id)
        if claim.lang == parsed.lang:
            score = support(cand, speaker_bonus=bonus)
        else:
            score = support(cand, lexical=max(cand.coverage, xl), speaker_bonus=bonus,
                            cross_lingual=_other_language_only(claim, parsed.lang))
        if score >= MIN_SUPPORT:
            scored.append((score, cand))
    scored.sort(key=lambda sc: (-sc[0], -sc[1].bm25))
    if speaker is not None:
        scored = [(sc, c) for sc, c in scored if _mentions_source(claims[c.claim_id], speaker.id)]
    del loaded
    return [(sc, claims[c.claim_id]) for sc, c in scored]
