"""Retrieve: the claims that might answer a question, each with both views of the match.

BM25 candidates (``fulltext.search``) united with the nearest claims by sentence vector
(``vectors.nearest``); each candidate carries its coverage of the query's IDF mass, its
cosine, and whether it mentions every entity the query names. ``resolve_speaker`` finds the
source a question names.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from claims import embeddings
from claims.models import Source
from claims.query import fulltext, vectors
from claims.query.fulltext import Hit, SearchResult


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


def hybrid(session: Session, query: str, *, limit: int = 200, k_vectors: int = 50) -> HybridResult:
    """BM25 candidates united with the ``k_vectors`` nearest claims by sentence vector, each
    carrying its coverage, cosine and whether it mentions every entity the query names."""
    lexical = fulltext.search(session, query, limit=limit)
    qvec = embeddings.encode_one(query) if vectors.available(session) else None
    neighbours = vectors.nearest(session, qvec, k_vectors) if qvec is not None else []
    cands: dict[uuid.UUID, Candidate] = {
        h.claim_id: Candidate(h.claim_id, bm25=h.score, coverage=lexical.coverage(h), matched=set(h.matched))
        for h in lexical.hits
    }
    extra = [cid for cid, _ in neighbours if cid not in cands]
    for cid, cos in neighbours:
        cands.setdefault(cid, Candidate(cid)).cosine = cos
    if extra and lexical.query_terms:
        # Vector-only candidates: which query terms do they contain (coverage, entities)?
        for cid, matched in fulltext.terms_of(session, extra, set(lexical.query_terms)).items():
            c = cands[cid]
            c.matched |= matched
            c.coverage = lexical.coverage(Hit(cid, 0.0, c.matched))
    if qvec is not None:
        missing = [cid for cid, c in cands.items() if c.cosine is None]
        for cid, cos in vectors.cosines(session, qvec, missing).items():
            cands[cid].cosine = cos
    for c in cands.values():
        c.entities_ok = lexical.required <= c.matched
    return HybridResult(lexical, list(cands.values()), qvec is not None)


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


def resolve_speaker(session: Session, name: str) -> Source | None:
    """The longest leading run of words in ``name`` that names a known source ("Kotrashev tell
    Russian media" → Kotrashev; "وزير الدفاع العراقي" → the minister, through his role alias),
    by the one name matcher (``SourceService.resolve``: alias table, then across scripts)."""
    from claims.services import SourceService

    service = SourceService(session)
    tokens = name.split()
    for n in range(len(tokens), 0, -1):
        source = service.resolve(" ".join(tokens[:n]))
        if source is not None:
            return source
    return None
