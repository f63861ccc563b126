"""Retrieve: the claims that might answer a question, each with both views of the match.

BM25 candidates (``fulltext.search``) united with the nearest claims by sentence vector
(``vectors.nearest``); each candidate carries its coverage of the query's IDF mass, its
cosine, and whether it mentions every entity the query names. ``resolve_speaker`` finds the
source a question names.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from claims import embeddings
from claims.entities import concept_terms, entity_terms
from claims.languages import LANGUAGES
from claims.models import Source
from claims.query import fulltext, vectors
from claims.query.fulltext import SearchResult
from claims.query.params import PARAMS, AskParams
from claims.text import _WORD, light, terms
from claims.vocabulary import SourceKind


@dataclass(frozen=True)
class Unit:
    """One thing the query says: a word with its concept (either term matches it), an entity,
    or a concept spelled over several words. ``neutral``: it can match across languages."""

    terms: frozenset[str]
    weight_term: str
    neutral: bool


def query_units(text: str) -> list[Unit]:
    """The query's units: a claim matches a unit when it holds any of its terms, so a synonym
    or the other language's word ("void" for "vacuum", "التزما" for "committed") counts once,
    never twice."""
    units: dict[frozenset[str], Unit] = {}
    seen_concepts: set[str] = set()
    text = light(text)
    for language in LANGUAGES.values():
        # "the two sides" stands for entities the question does not name: nothing to match.
        text = language.references_pair.sub(" ", text)
    for word in _WORD.findall(text):
        word_terms = terms(word)
        if not word_terms:
            continue
        neutral = concept_terms(word) + entity_terms(word)
        seen_concepts.update(neutral)
        key = frozenset(word_terms + neutral)
        units.setdefault(key, Unit(key, word_terms[0], bool(neutral) or word_terms[0].isdigit()))
    for term in [*entity_terms(text), *concept_terms(text)]:
        if term not in seen_concepts:
            units.setdefault(frozenset([term]), Unit(frozenset([term]), term, True))
    return list(units.values())


def _weight(result: SearchResult, term: str) -> float:
    return result.idf.get(term) or max(result.idf.values(), default=1.0)


def unit_coverage(
    result: SearchResult, units: list[Unit], matched: set[str], *, cross_lingual: bool = False,
    params: AskParams = PARAMS, context: frozenset[str] = frozenset(),
) -> float:
    """Share of the query's information (IDF mass of its units) the claim holds; across
    languages, of what can be checked (entities, concepts, numbers; see
    ``AskParams.unchecked_weight``). A unit whose entity only the claim's context names
    (``context``: its sentence, its speaker) counts ``context_credit``."""
    total = held = 0.0
    for u in units:
        w = _weight(result, u.weight_term)
        if cross_lingual:
            total += w if u.neutral else params.unchecked_weight * w
            if u.neutral and u.terms & matched:
                held += w
            elif u.neutral and u.terms & context:
                held += params.context_credit * w
            continue
        total += w
        if u.weight_term in matched or (u.terms & matched and not u.neutral):
            held += w
        elif u.terms & matched:
            held += (params.entity_credit if any(t[:1] == "@" for t in u.terms & matched) else params.concept_credit) * w
        elif u.terms & context:
            held += params.context_credit * w
    return held / total if total else 0.0


@dataclass
class Candidate:
    """One claim with both views of how well it matches: lexical (BM25 score, share of the
    query's IDF mass it contains) and semantic (cosine of the sentence vectors, if any)."""

    claim_id: uuid.UUID
    bm25: float = 0.0
    coverage: float = 0.0
    matched: set[str] = field(default_factory=set)
    cosine: float | None = None
    entities_ok: bool = True
    #: Coverage counting only the units that can match across languages.
    neutral_coverage: float = 0.0
    #: How many of those units the claim holds.
    neutral_held: int = 0


@dataclass
class HybridResult:
    lexical: SearchResult
    candidates: list[Candidate]
    used_vectors: bool
    units: list[Unit] = field(default_factory=list)

    @property
    def neutral_units(self) -> int:
        return sum(u.neutral for u in self.units)


def hybrid(
    session: Session, query: str, *, limit: int = 200, k_vectors: int = 50, params: AskParams = PARAMS
) -> HybridResult:
    """BM25 candidates united with the ``k_vectors`` nearest claims by sentence vector, each
    carrying its coverage, cosine and whether it mentions every entity the query names."""
    lexical = fulltext.search(session, query, limit=limit)
    qvec = embeddings.encode_one(query) if vectors.available(session) else None
    neighbours = vectors.nearest(session, qvec, k_vectors) if qvec is not None else []
    cands: dict[uuid.UUID, Candidate] = {
        h.claim_id: Candidate(h.claim_id, bm25=h.score, matched=set(h.matched))
        for h in lexical.hits
    }
    extra = [cid for cid, _ in neighbours if cid not in cands]
    for cid, cos in neighbours:
        cands.setdefault(cid, Candidate(cid)).cosine = cos
    if extra and lexical.query_terms:
        # Vector-only candidates: which query terms do they contain (coverage, entities)?
        for cid, matched in fulltext.terms_of(session, extra, set(lexical.query_terms)).items():
            cands[cid].matched |= matched
    if qvec is not None:
        missing = [cid for cid, c in cands.items() if c.cosine is None]
        for cid, cos in vectors.cosines(session, qvec, missing).items():
            cands[cid].cosine = cos
    result = HybridResult(lexical, list(cands.values()), qvec is not None, query_units(query))
    cover(result, params)
    return result


def cover(result: HybridResult, params: AskParams = PARAMS) -> None:
    """Fill each candidate's coverage (own language and across languages) and entity check."""
    for c in result.candidates:
        c.entities_ok = result.lexical.required <= c.matched
        c.coverage = unit_coverage(result.lexical, result.units, c.matched, params=params)
        c.neutral_coverage = unit_coverage(result.lexical, result.units, c.matched, cross_lingual=True, params=params)
        c.neutral_held = sum(1 for u in result.units if u.neutral and u.terms & c.matched)


#: Weight of the sentence-vector cosine against the max-normalised BM25 score when ranking.
#: Chosen on the CheckThat! 2021 2A *train* split (MAP@5 by weight 0.0 .7739, 0.5 .8078, 0.7 .8187,
#: 0.8 .8100); dev is reported, never tuned on.
VECTOR_WEIGHT = 0.7


def fused_ranking(result: HybridResult, *, weight: float | None = None) -> list[Candidate]:
    """Candidates best first: BM25 scaled to [0, 1] by the best hit, plus ``weight`` × cosine
    (a candidate missing from one list scores 0 there). Without vectors this is BM25 order."""
    weight = VECTOR_WEIGHT if weight is None else weight
    top = max((c.bm25 for c in result.candidates), default=0.0) or 1.0

    def key(c: Candidate) -> float:
        return (1 - weight) * c.bm25 / top + (weight * (c.cosine or 0.0) if result.used_vectors else 0.0)

    return sorted(result.candidates, key=lambda c: (-key(c), str(c.claim_id)))


#: "the source's account", "Kaabi’s remarks": the name ends at the possessive.
_POSSESSIVE = re.compile(r"^(.+?)['’]s\b")


def _speaker_runs(name: str) -> list[tuple[str, bool]]:
    """The phrases to try for a named speaker, each with whether it is a whole phrase: the
    phrase, the phrase cut at a possessive, then the phrase's shorter leading runs of words."""
    tokens = name.split()
    runs = [(name, True)]
    cut = _POSSESSIVE.match(name)
    if cut:
        runs.append((cut.group(1), True))
    return runs + [(" ".join(tokens[:n]), False) for n in range(len(tokens) - 1, 0, -1)]


def _may_name(run: str) -> bool:
    """A part of the named phrase names a source only if it could be a name: in a cased script
    it holds a capitalised word or an acronym ("Kotrashev", "NOC"), not only common words
    ("maritime" is not UK Maritime Trade Operations); uncased scripts cannot tell."""
    letters = [w for w in run.split() if w[:1].isalpha()]
    cased = [w for w in letters if w[:1].lower() != w[:1].upper()]
    return not cased or any(w[:1].isupper() for w in cased)


def resolve_speaker(session: Session, name: str) -> Source | None:
    """The longest leading run of words in ``name`` that names a known source ("Kotrashev tell
    Russian media" → Kotrashev; "وزير الدفاع العراقي" → the minister, through his role alias;
    "maritime security source's account" → the maritime security source), by the one name
    matcher (``SourceService.resolve``: alias table, then across scripts; the whole phrase may
    also describe an unnamed source: "the informed Iraqi source"). A run that drops part of the
    phrase must look like a name (``_may_name``); a leading article is optional on both sides
    ("an NOC official", "a maritime security source")."""
    from claims.services import SourceService

    service = SourceService(session)
    for run, whole in _speaker_runs(name):
        if not whole and not _may_name(run):
            continue
        for form in _article_forms(run) if whole else [run]:
            source = service.resolve(form)
            if source is not None:
                return source
        if run == name:
            # "the informed Iraqi source": an unnamed source, by the description it was stored with
            source = service.resolve(name, kind=SourceKind.ANONYMOUS)
            if source is not None:
                return source
    return None


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _article_forms(run: str) -> list[str]:
    """The run, and the run with its leading English article dropped or (for an alias stored
    with one) added."""
    bare = _ARTICLE.sub("", run)
    if bare != run:
        return [run, bare]
    return [run, f"a {run}", f"the {run}"] if run[:1].isascii() and run[:1].isalpha() else [run]
