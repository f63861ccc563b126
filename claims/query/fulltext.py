"""Full-text search over claims: the one seam between ``ask`` and the term index.

Seam (kept stable for whoever replaces the internals, e.g. SQLite FTS5 / PostgreSQL tsvector):

    search(session, query, *, limit=50) -> SearchResult
        ``query`` is free text; it is analysed by ``claims.indexing.index_terms`` (folded,
        stemmed words in both languages plus ``@entity`` terms), the same analysis that wrote
        the index. The result carries the query's terms, each term's IDF, and the ``limit``
        best hits by BM25, each with the set of query terms that claim contains (``matched``).
        Terms absent from the index get the highest IDF, so a question about something the
        store never mentions has low coverage everywhere.
    terms_of(session, claim_ids, terms) -> dict[uuid.UUID, set[str]]
        Which of ``terms`` each listed claim is indexed under (coverage of vector-only hits).
    clear_cache()
        Forget cached corpus statistics (tests; writes in this process are noticed anyway).

Today: one ``search_term`` row per (term, claim) written by ``claims.indexing``; the same SQL
runs on SQLite and PostgreSQL, every look-up goes through the primary key (term, claim_id),
rarest terms first, each capped at ``max_postings`` rows; a term found in more than
``FULL_POSTINGS_DF`` claims is read only for the claims the rarer terms found (key look-ups).
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims import indexing
from claims.models import Claim, SearchTerm

K1 = 1.2
B = 0.75
_STATS_TTL_SECONDS = 5.0
#: Posting lists longer than this are read only for the claims rarer query terms found (see
#: ``search``). Below it (every store of a few thousand claims) the scoring is exhaustive.
FULL_POSTINGS_DF = 2_000
_stats_cache: dict[str, tuple[float, int, float, int]] = {}


def clear_cache() -> None:
    _stats_cache.clear()


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
    """BM25 over the inverted index (see the module docstring for the contract)."""
    qterms = list(dict.fromkeys(indexing.index_terms(query)))
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
        posting = (
            select(SearchTerm.claim_id, SearchTerm.tf, Claim.term_count)
            .join(Claim, Claim.id == SearchTerm.claim_id)
            .where(SearchTerm.term == term)
        )
        if df[term] > FULL_POSTINGS_DF and scores:
            # A frequent term (low IDF) only adds to the claims rarer terms already found, read
            # through the (term, claim_id) key: reading its whole posting list would cost
            # in proportion to the store for a term that barely moves the ranking.
            found = list(scores)
            rows = []
            for i in range(0, len(found), 500):
                rows += session.execute(posting.where(SearchTerm.claim_id.in_(found[i : i + 500]))).all()
        else:
            rows = session.execute(posting.limit(max_postings)).all()
        for claim_id, tf, dl in rows:
            norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * (dl or 0) / avgdl))
            hit = scores.setdefault(claim_id, Hit(claim_id, 0.0))
            hit.score += idf[term] * norm
            hit.matched.add(term)
    hits = sorted(scores.values(), key=lambda h: h.score, reverse=True)[:limit]
    return SearchResult(qterms, idf, hits)


def matching_all(session: Session, query: str, *, limit: int = 1000) -> list[uuid.UUID]:
    """Claims holding every one of the query's terms, best BM25 first (the listings' filter)."""
    result = search(session, query, limit=limit)
    wanted = set(result.query_terms)
    return [h.claim_id for h in result.hits if wanted <= h.matched]


def terms_of(session: Session, claim_ids: list[uuid.UUID], terms: set[str]) -> dict[uuid.UUID, set[str]]:
    out: dict[uuid.UUID, set[str]] = {cid: set() for cid in claim_ids}
    if not claim_ids or not terms:
        return out
    for cid, term in session.execute(
        select(SearchTerm.claim_id, SearchTerm.term).where(SearchTerm.claim_id.in_(claim_ids), SearchTerm.term.in_(terms))
    ):
        out[cid].add(term)
    return out


def _corpus_stats(session: Session) -> tuple[int, float]:
    key = str(session.get_bind().url)
    cached = _stats_cache.get(key)
    now = time.monotonic()
    if cached and cached[3] == indexing.generation and now - cached[0] < _STATS_TTL_SECONDS:
        return cached[1], cached[2]
    n, avg = session.execute(select(func.count(Claim.id), func.avg(Claim.term_count))).one()
    n, avg = int(n or 0), float(avg or 0.0) or 1.0
    _stats_cache[key] = (now, n, avg, indexing.generation)
    return n, avg
