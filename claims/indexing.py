"""Writing the search index: the terms (and sentence vectors) a stored claim is found by.

Sits below ``claims.services`` (CRUD, seeding, ingest and grouping call ``index_claims`` after a
claim's text is set), and never imports the query side: ``claims/query/fulltext.py`` and
``claims/query/vectors.py`` read what is written here. ``generation`` changes on every write
in this process, so readers can drop their caches.
"""

from __future__ import annotations

import os
import re
from collections import Counter

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from claims import embeddings
from claims.entities import concept_terms, entity_terms
from claims.languages import LANGUAGES
from claims.models import Claim, SearchDocument
from claims.text import light, terms

#: Bumped on every index write in this process (readers compare it to their cached value).
generation = 0


#: ``CLAIMS_GROUP_LABELS=off`` indexes claims without their group's curated labels (ingested
#: claims have none; benchmarks report both ways).
GROUP_LABELS_ENV = "CLAIMS_GROUP_LABELS"


def group_labels_indexed() -> bool:
    return os.environ.get(GROUP_LABELS_ENV, "on").lower() not in ("off", "0", "false", "no")


def index_terms(text: str) -> list[str]:
    """What a text is indexed (and a query looked up) under: its stemmed words, one ``@entity``
    term per named entity and one ``~concept`` term per key predicate or noun (both languages
    meet on these: ``claims/data/entities.yaml``, ``concepts.yaml``)."""
    return terms(text) + entity_terms(text) + concept_terms(text)


def is_language_neutral(term: str) -> bool:
    """Entity, concept and number terms mean the same in every language."""
    return term[:1] in "@~" or term.isdigit()


#: How far back (characters) a generic reference looks for the entities it stands for.
REFERENCE_WINDOW = 600
_SENTENCE_END = re.compile(r"[.!?؟\n]")


def referenced_entities(claim: Claim) -> list[str]:
    """Entity terms a claim refers to without naming them: "the two sides" / "الجانبان" → the
    last two entities its document named before it, "the ministry" / "التقرير" / "he" → the
    last one named in the same or the previous sentence. The claim is indexed under them, so a
    question naming those entities is not rejected by the entity check."""
    document = claim.document
    if document is None or not document.text:
        return []
    language = LANGUAGES.get(claim.lang) or LANGUAGES["en"]
    text = light(claim.text)
    pair = bool(language.references_pair.search(text))
    one = not pair and bool(language.references_one.search(text))
    if not (pair or one):
        return []
    before = document.text[max(0, claim.start_offset - REFERENCE_WINDOW) : claim.start_offset]
    if one:
        # The same sentence and the one before it.
        ends = [m.end() for m in _SENTENCE_END.finditer(before.rstrip(" \t\"'«»“”,،"))]
        before = before[ends[-2] if len(ends) >= 2 else 0 :]
    named = entity_terms(before)
    own = set(entity_terms(claim.text))
    recent = [t for t in reversed(named) if t not in own]
    recent = list(dict.fromkeys(recent))
    return recent[: 2 if pair else 1]


def claim_texts(claim: Claim) -> list[str]:
    """The tellings a claim is found by: its own text and (unless switched off) its group's
    curated proposition in both languages, so an elliptical telling ("as the EU does") is
    still found by what it means."""
    group = claim.group
    parts = [claim.text]
    if group is not None and group_labels_indexed():
        parts.extend(label for label in (group.label, group.label_ar) if label)
    return parts


def embed_claims(session: Session, claims: list[Claim]) -> int:
    """Compute and store the vectors of these claims (no-op without the encoder); returns how many."""
    if not claims or not embeddings.enabled():
        return 0
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    for claim in claims:
        parts = claim_texts(claim)
        spans.append((len(texts), len(texts) + len(parts)))
        texts.extend(parts)
    matrix = embeddings.encode(texts)
    embeddings.store(
        session, {c.id: embeddings.mean_vector(matrix[a:b]) for c, (a, b) in zip(claims, spans, strict=True)}
    )
    return len(claims)


def document_terms(counts: Counter[str]) -> str:
    """A claim's ``search_document.terms``: each term as often as it occurs, space separated."""
    return " ".join(" ".join([term] * n) for term, n in counts.items())


def index_claims(session: Session, claims: list[Claim], *, embed: bool = True) -> None:
    """(Re)build the index rows (and vectors) of these claims; call after their text is set and ids exist.

    One ``search_document`` row per claim with terms (the engine's full-text index follows it:
    FTS5 triggers on SQLite, the GIN expression index on PostgreSQL); a claim's row goes with
    it when it is deleted (foreign key, ON DELETE CASCADE)."""
    global generation
    if not claims:
        return
    ids = [c.id for c in claims]
    session.execute(delete(SearchDocument).where(SearchDocument.claim_id.in_(ids)))
    rows = []
    for claim in claims:
        counts = Counter(index_terms("\n".join(claim_texts(claim))) + referenced_entities(claim))
        claim.term_count = sum(counts.values())
        if counts:
            rows.append({"claim_id": claim.id, "terms": document_terms(counts)})
    if rows:
        session.execute(insert(SearchDocument), rows)
    generation += 1
    if embed:
        embed_claims(session, claims)
