"""Writing the search index: the terms (and sentence vectors) a stored claim is found by.

Sits below ``claims.services`` (CRUD, seeding, ingest and grouping call ``index_claims`` after a
claim's text is set), and never imports the query side: ``claims/query/fulltext.py`` and
``claims/query/vectors.py`` read what is written here. ``generation`` changes on every write
in this process, so readers can drop their caches.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from claims import embeddings
from claims.entities import entity_terms
from claims.models import Claim, SearchTerm
from claims.text import terms

#: Bumped on every index write in this process (readers compare it to their cached value).
generation = 0


def index_terms(text: str) -> list[str]:
    """What a text is indexed (and a query looked up) under: its stemmed words plus one
    ``@entity`` term per entity."""
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
    global generation
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
    generation += 1
    if embed:
        embed_claims(session, claims)
