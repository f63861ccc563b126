"""Full-text search over claims: a portable inverted index scored with BM25.

One ``search_term`` row per (term, claim); the same SQL runs on SQLite and PostgreSQL and
every look-up goes through the primary key (term, claim_id). Terms come from
``claims.text.terms`` (folded, stemmed, stop words dropped) in both languages.
"""

from __future__ import annotations

import math
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from claims.models import Claim, SearchTerm
from claims.entities import entity_terms
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


def index_claims(session: Session, claims: list[Claim]) -> None:
    """(Re)build the index rows of these claims; call after their text is set and ids exist."""
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
