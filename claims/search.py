"""Search over claims: a portable inverted index scored with BM25, fused with cross-lingual
sentence embeddings when they are installed.

One ``search_term`` row per (term, claim); the same SQL runs on SQLite and PostgreSQL and
every look-up goes through the primary key (term, claim_id). Terms come from
``claims.text.terms`` (folded, stemmed, stop words dropped) in both languages, plus ``@entity``
terms. With the optional encoder (``claims.embeddings``) each claim also gets a vector at
indexing time, and ``hybrid`` merges the BM25 candidates with the nearest vectors.
"""

from __future__ import annotations

import math
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from claims.entities import entity_terms
from claims.models import Claim, SearchTerm
from claims.text import terms

K1 = 1.2
B = 0.75
_STATS_TTL_SECONDS = 5.0
_stats_cache: dict[str, tuple[float, int, float]] = {}


def index_terms(text: str) -> list[str]:
    """What a text is indexed under: its stemmed words plus one ``@entity`` term per entity."""
    return terms(text) + entity_terms(text)


def searchable_text(claim: Claim) -> str:
    """A claim is found by its own words and by its group's curated proposition (both languages):
    an elliptical telling ("as the EU does") is still found by what it means."""
    group = claim.group
    parts = [claim.text]
    if group is not None:
        parts.extend(label for label in (group.label, group.label_ar) if label)
    return "\n".join(parts)


def embedding_texts(claim: Claim) -> list[str]:
    """The tellings a claim's vector averages: its own text and its group's curated labels."""
    group = claim.group
    parts = [claim.text]
    if group is not None:
        parts.extend(label for label in (group.label, group.label_ar) if label)
    return parts


def embed_claims(session: Session, claims: list[Claim]) -> int:
    """Compute and store the vectors of these claims (no-op without the encoder); returns how many."""
    from claims import embeddings

    if not claims or not embeddings.enabled():
        return 0
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    for claim in claims:
        parts = embedding_texts(claim)
        spans.append((len(texts), len(texts) + len(parts)))
        texts.extend(parts)
    matrix = embeddings.encode(texts)
    embeddings.store(
        session, {c.id: embeddings.mean_vector(matrix[a:b]) for c, (a, b) in zip(claims, spans, strict=True)}
    )
    return len(claims)


def index_claims(session: Session, claims: list[Claim], *, embed: bool = True) -> None:
    """(Re)build the index rows (and vectors) of these claims; call after their text is set and ids exist."""
    if not claims:
        return
    ids = [c.id for c in claims]
    session.execute(delete(SearchTerm).where(SearchTerm.claim_id.in_(ids)))
    rows = []
    for claim in claims:
        counts = Counter(index_terms(searchable_text(claim)))
        claim.term_count = sum(counts.values())
        rows.extend({"term": t, "claim_id": claim.id, "tf": n} for t, n in counts.items())
    if rows:
        session.execute(insert(SearchTerm), rows)
    _stats_cache.clear()
    if embed:
        embed_claims(session, claims)


def _corpus_stats(session: Session) -> tuple[int, float]:
    key = str(session.get_bind().url)
    cached = _stats_cache.get(key)
    now = time.monotonic()
    if cached and now - cached[0] < _STATS_TTL_SECONDS:
        return cached[1], cached[2]
    n, avg = session.execute(select(func.count(Claim.id), func.avg(Claim.term_count))).one()
    n, avg = int(n or 0), float(avg or 0.0) or 1.0
    _stats_cache[key] = (now, n, avg)
    return n, avg


@dataclass
class Hit:
    claim_id: uuid.UUID
    score: float
    matched: set[str] = field(default_factory=set)


@dataclass
class SearchResult:
    query_terms: list[str]
    idf: dict[str, float]
    hits: list[Hit]

    @property
    def required(self) -> set[str]:
        """Entity terms: an answer must mention every entity the question names."""
        return {t for t in self.query_terms if t.startswith("@")}

    def satisfies(self, hit: Hit) -> bool:
        return self.required <= hit.matched

    def coverage(self, hit: Hit) -> float:
        """Share of the query's information (IDF mass) that the hit contains."""
        total = sum(self.idf[t] for t in set(self.query_terms))
        return sum(self.idf[t] for t in hit.matched) / total if total else 0.0


def search(session: Session, query: str, *, limit: int = 50, max_postings: int = 50_000) -> SearchResult:
    """BM25 over the inverted index. Terms absent from the index get the highest IDF, so a
    question about something the store never mentions scores low coverage everywhere."""
    qterms = list(dict.fromkeys(index_terms(query)))
    if not qterms:
        return SearchResult([], {}, [])
    n_docs, avgdl = _corpus_stats(session)
    df = dict(
        session.execute(
            select(SearchTerm.term, func.count()).where(SearchTerm.term.in_(qterms)).group_by(SearchTerm.term)
        ).all()
    )
    max_idf = math.log(1 + (n_docs + 0.5) / 0.5)
    idf = {
        t: (math.log(1 + (n_docs - df[t] + 0.5) / (df[t] + 0.5)) if df.get(t) else max_idf) for t in qterms
    }
    scores: dict[uuid.UUID, Hit] = {}
    for term in sorted((t for t in qterms if df.get(t)), key=lambda t: df[t]):
        rows = session.execute(
            select(SearchTerm.claim_id, SearchTerm.tf, Claim.term_count)
            .join(Claim, Claim.id == SearchTerm.claim_id)
            .where(SearchTerm.term == term)
            .limit(max_postings)
        ).all()
        for claim_id, tf, dl in rows:
            norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * (dl or 0) / avgdl))
            hit = scores.setdefault(claim_id, Hit(claim_id, 0.0))
            hit.score += idf[term] * norm
            hit.matched.add(term)
    hits = sorted(scores.values(), key=lambda h: h.score, reverse=True)[:limit]
    return SearchResult(qterms, idf, hits)


def search_ids(session: Session, query: str, *, limit: int = 1000) -> list[uuid.UUID]:
    """Claims holding every one of the query's terms, best BM25 first (the listings' full-text filter)."""
    result = search(session, query, limit=limit)
    wanted = set(result.query_terms)
    return [h.claim_id for h in result.hits if wanted <= h.matched]


# --- hybrid retrieval ------------------------------------------------------------------------


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


@dataclass
class HybridResult:
    lexical: SearchResult
    candidates: list[Candidate]
    used_vectors: bool


def _vector_neighbours(session: Session, query: str, k: int):
    from claims import embeddings

    if not embeddings.enabled():
        return None, []
    index = embeddings.load_index(session)
    if not len(index):
        return None, []
    qvec = embeddings.encode_one(query)
    return (index, qvec), index.search(qvec, k)


def hybrid(session: Session, query: str, *, limit: int = 200, k_vectors: int = 50) -> HybridResult:
    """BM25 candidates united with the ``k_vectors`` nearest claims by sentence vector, each
    carrying its coverage, cosine and whether it mentions every entity the query names."""
    lexical = search(session, query, limit=limit)
    found, neighbours = _vector_neighbours(session, query, k_vectors)
    cands: dict[uuid.UUID, Candidate] = {
        h.claim_id: Candidate(h.claim_id, bm25=h.score, coverage=lexical.coverage(h), matched=set(h.matched))
        for h in lexical.hits
    }
    extra = [cid for cid, _ in neighbours if cid not in cands]
    for cid, cos in neighbours:
        cands.setdefault(cid, Candidate(cid)).cosine = cos
    if extra and lexical.query_terms:
        # Vector-only candidates: which query terms do they contain (coverage, entities)?
        for cid, term in session.execute(
            select(SearchTerm.claim_id, SearchTerm.term).where(
                SearchTerm.claim_id.in_(extra), SearchTerm.term.in_(set(lexical.query_terms))
            )
        ):
            cands[cid].matched.add(term)
        for cid in extra:
            c = cands[cid]
            c.coverage = lexical.coverage(Hit(cid, 0.0, c.matched))
    if found is not None:
        index, qvec = found
        missing = [cid for cid, c in cands.items() if c.cosine is None]
        for cid, cos in index.scores(qvec, missing).items():
            cands[cid].cosine = cos
    for c in cands.values():
        c.entities_ok = lexical.required <= c.matched
    return HybridResult(lexical, list(cands.values()), found is not None)


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
