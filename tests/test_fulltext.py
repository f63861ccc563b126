"""The full-text index (``search_document`` with FTS5 on SQLite, the GIN tsvector index on
PostgreSQL) follows every write, and ``fulltext.search`` scores what it finds by BM25 the same
way whether it scores every match (small stores) or a pool of the engine's best candidates."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from claims.indexing import index_claims, index_terms
from claims.models import Claim, ClaimGroup, SearchDocument
from claims.query import fulltext
from claims.services import ClaimService

SENTENCES = [
    "The minister said the volcano near the harbour will erupt before the winter storms.",
    "Officials said the harbour bridge will reopen in spring after repairs.",
    "The ministry denied that the United States plans to close the harbour.",
    "A spokesman said the storms damaged the old bridge and the northern harbour.",
    "Residents said the volcano has been quiet for a century.",
    "The mayor promised that the bridge repairs will be paid by the ministry.",
    "Fishermen said the harbour is too shallow for the new ferries.",
    "The agency warned that winter storms could delay the ferries.",
]


def _claims(claim_factory, document_factory, sentences=SENTENCES) -> list[Claim]:
    out = []
    for sentence in sentences:
        document = document_factory(text=sentence)
        out.append(claim_factory(document=document, start_offset=0, end_offset=len(sentence) - 1))
    return out


def _integrity(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":  # FTS5 checks its index against the content table
        session.execute(text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))


def _ids(session: Session, query: str) -> set:
    return {h.claim_id for h in fulltext.search(session, query, limit=50).hits}


def test_created_claims_are_found_and_deleted_ones_are_not(session: Session, claim_factory, document_factory):
    claims = _claims(claim_factory, document_factory)
    volcano = {claims[0].id, claims[4].id}
    assert _ids(session, "volcano") == volcano
    ClaimService(session).delete(claims[0].id)
    _integrity(session)
    assert _ids(session, "volcano") == {claims[4].id}
    assert session.scalar(select(func.count()).select_from(SearchDocument)) == len(claims) - 1


def test_reindexing_replaces_a_claims_terms(session: Session, claim_factory, document_factory):
    claim = _claims(claim_factory, document_factory)[6]
    assert not _ids(session, "lighthouse")
    claim.group = ClaimGroup(key="g-lighthouse", label="the lighthouse keeper's warning")
    session.flush()
    index_claims(session, [claim])
    _integrity(session)
    assert _ids(session, "lighthouse") == {claim.id}
    claim.group = None
    session.flush()
    index_claims(session, [claim])
    _integrity(session)
    assert not _ids(session, "lighthouse")
    assert _ids(session, "shallow ferries") >= {claim.id}


def test_hits_carry_exact_bm25_and_matched_terms(session: Session, claim_factory, document_factory):
    claims = _claims(claim_factory, document_factory)
    result = fulltext.search(session, "Will the harbour bridge reopen after the storms?", limit=50)
    n = len(claims)
    docs = {c.id: Counter(index_terms(c.text)) for c in claims}
    avgdl = sum(sum(d.values()) for d in docs.values()) / n
    wanted = set(result.query_terms)
    expected = {}
    for cid, counts in docs.items():
        held = wanted & set(counts)
        if held:
            dl = sum(counts.values())
            expected[cid] = sum(result.idf[t] * counts[t] * 2.2 / (counts[t] + 1.2 * (0.25 + 0.75 * dl / avgdl)) for t in held)
    assert {h.claim_id for h in result.hits} == set(expected)
    for hit in result.hits:
        assert hit.matched == wanted & set(docs[hit.claim_id])
        assert abs(hit.score - expected[hit.claim_id]) < 1e-9
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)
    assert result.hits[0].claim_id == claims[1].id


def test_corpus_statistics_come_from_the_index(session: Session, claim_factory, document_factory):
    claims = _claims(claim_factory, document_factory)
    n, avgdl = fulltext._engine(session).stats(session)
    assert n == len(claims)
    assert abs(avgdl - sum(c.term_count for c in claims) / len(claims)) < 1e-9
    harbour = index_terms("harbour")[0]
    df = fulltext._engine(session).document_frequencies(session, [harbour, "@united-states", "~deny", "nothing"], n)
    assert df == {harbour: 5, "@united-states": 1, "~deny": 1}


def test_the_candidate_pool_gives_the_exhaustive_ranking(session: Session, claim_factory, document_factory, monkeypatch):
    _claims(claim_factory, document_factory)
    query = "Who said the harbour bridge and the volcano will be repaired before the winter storms?"
    exhaustive = fulltext.search(session, query, limit=5)
    monkeypatch.setattr(fulltext, "EXHAUSTIVE_DOCS", 0)
    every_rare = fulltext.search(session, query, limit=5)  # every claim holding a rarer term, scored
    assert [(h.claim_id, round(h.score, 9), h.matched) for h in every_rare.hits] == [
        (h.claim_id, round(h.score, 9), h.matched) for h in exhaustive.hits
    ]


def test_beyond_the_cap_the_pool_is_the_claims_holding_the_rarest_terms_together(
    session: Session, claim_factory, document_factory, monkeypatch
):
    claims = _claims(claim_factory, document_factory)
    exhaustive = {h.claim_id: (round(h.score, 9), h.matched) for h in fulltext.search(session, "volcano winter harbour").hits}
    monkeypatch.setattr(fulltext, "EXHAUSTIVE_DOCS", 0)
    monkeypatch.setattr(fulltext, "MAX_SCORED", 1)
    # volcano (2 claims), winter (2), harbour (5): more than one claim holds any of them; one
    # holds the rarest two together, and it is scored over every term as the exhaustive search does
    pooled = fulltext.search(session, "volcano winter harbour")
    assert [(h.claim_id, (round(h.score, 9), h.matched)) for h in pooled.hits] == [(claims[0].id, exhaustive[claims[0].id])]
    # more claims than the cap hold even every term: the first the index lists, still scored
    both = fulltext.search(session, "harbour bridge")
    assert len(both.hits) == 1 and both.hits[0].claim_id in {claims[1].id, claims[3].id}


def test_sqlite_estimates_a_frequent_terms_document_frequency_in_a_large_store(
    session: Session, claim_factory, document_factory, monkeypatch
):
    if session.get_bind().dialect.name != "sqlite":
        return
    _claims(claim_factory, document_factory)
    fulltext.clear_cache()
    harbour, volcano = index_terms("harbour")[0], index_terms("volcano")[0]
    monkeypatch.setattr(fulltext, "EXHAUSTIVE_DOCS", 0)
    monkeypatch.setattr(fulltext, "FULL_POSTINGS_DF", 2)  # harbour (5 claims) is beyond the cap, volcano (2) is counted
    df = fulltext._SQLite.document_frequencies(session, [harbour, volcano, "nothing"], 8)
    assert df == {harbour: 5, volcano: 2}  # the sampled windows cover this small store: the estimate is the count
    monkeypatch.setattr(fulltext, "SAMPLE_DOCS", 2)  # two windows of one claim each: an estimate, at least the cap
    monkeypatch.setattr(fulltext, "SAMPLE_WINDOWS", 2)
    fulltext.clear_cache()
    assert fulltext._SQLite.document_frequencies(session, [harbour], 8)[harbour] >= 3


def test_frequent_terms_only_add_to_claims_rarer_terms_found(session: Session, claim_factory, document_factory, monkeypatch):
    claims = _claims(claim_factory, document_factory)
    monkeypatch.setattr(fulltext, "EXHAUSTIVE_DOCS", 0)
    monkeypatch.setattr(fulltext, "FULL_POSTINGS_DF", 2)  # "harbour" (5 claims) is frequent, "volcano" (2) is not
    result = fulltext.search(session, "volcano harbour", limit=50)
    assert {h.claim_id for h in result.hits} == {claims[0].id, claims[4].id}
    first = result.hits[0]
    assert first.claim_id == claims[0].id and first.matched == set(index_terms("volcano harbour"))


def test_matching_all_needs_every_term(session: Session, claim_factory, document_factory):
    claims = _claims(claim_factory, document_factory)
    assert set(fulltext.matching_all(session, "harbour bridge")) == {claims[1].id, claims[3].id}
    assert fulltext.matching_all(session, "harbour lighthouse") == []


def test_terms_of_reads_the_documents(session: Session, claim_factory, document_factory):
    claims = _claims(claim_factory, document_factory)
    volcano, bridge = index_terms("volcano bridge")
    held = fulltext.terms_of(session, [claims[0].id, claims[5].id], {volcano, bridge, "nothing"})
    assert held == {claims[0].id: {volcano}, claims[5].id: {bridge}}


def test_postgresql_takes_a_surely_frequent_term_from_analyze_without_counting(
    session: Session, claim_factory, document_factory, monkeypatch
):
    if session.get_bind().dialect.name != "postgresql":
        return
    _claims(claim_factory, document_factory)
    harbour, volcano, *_concepts = index_terms("harbour volcano")  # "harbour" also gives the concept ~port
    # As if ANALYZE had seen "harbour" in 40% of 10,000 claims and "volcano" in 1%.
    monkeypatch.setattr(fulltext, "_lexeme_frequencies", lambda _s: {harbour: 0.4, volcano: 0.01})
    monkeypatch.setattr(fulltext, "EXACT_STATS_DOCS", 0)
    monkeypatch.setattr(fulltext, "FULL_POSTINGS_DF", 100)
    df = fulltext._PostgreSQL.document_frequencies(session, [harbour, volcano, "nothing"], 10_000)
    # harbour: estimate 4,000 >= 1.5 x the cap, not counted; volcano: estimate 100, counted (2).
    assert df == {harbour: 4_000, volcano: 2}
