"""Ingest keeps one name index and one grouping cache per process and database, brought up to
date with what was stored since it last looked, so a request's cost does not grow with the
store: the alias table and the documents are never re-read whole (SQLite and PostgreSQL).
The texts are the team's own."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from claims.db import session_factory
from claims.extraction import grouping
from claims.ingest import IngestService
from claims.models import Claim, Document, Source
from claims.schemas import SourceIn
from claims.services import DocumentService, SourceService, free_key

PORT = (
    "Port authority sets date for container terminal\n\n"
    "Nadia Okonkwo-Barre, the port authority's director, said on Monday that the new container "
    "terminal in Tema would open to ships in March after two years of dredging work.\n\n"
    "The authority said the terminal would handle 1.5 million containers a year."
)
PORT_AGAIN = (
    "Tema terminal to open in March, director says\n\n"
    "The new container terminal in Tema would open to ships in March after two years of dredging "
    "work, Nadia Okonkwo-Barre, the port authority's director, said on Monday.\n\n"
    "Shipping lines welcomed the news."
)
RAIL = (
    "Rail line delayed again\n\n"
    "Tomas Eriksen, a spokesman for the rail operator, said on Tuesday that the coastal line "
    "would not reopen before the summer because of landslides near Kvarven."
)


@pytest.fixture(autouse=True)
def _rule_path_only(monkeypatch):
    monkeypatch.setenv("CLAIMS_EMBEDDINGS", "off")
    grouping.embedder.cache_clear()
    yield
    grouping.embedder.cache_clear()


def _ingest(db, text: str, *, commit: bool = True):
    """One ingest as POST /documents makes it: a new service in a new session."""
    with session_factory(db)() as s:
        s.info["actor"] = "test"
        result = IngestService(s).ingest(text, lang="en", outlet="Harbour Wire")
        speakers = {c.speaker.name: c.speaker_id for c in result.claims}
        document_id = result.document.id
        if commit:
            s.commit()
        else:
            s.rollback()
    return document_id, speakers


def test_an_ingest_reads_only_what_was_stored_since_the_last_one(db):
    _ingest(db, PORT)
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split()))

    event.listen(db, "before_cursor_execute", record)
    try:
        _ingest(db, RAIL)
    finally:
        event.remove(db, "before_cursor_execute", record)
    alias_reads = [s for s in statements if re.search(r"FROM source_alias JOIN source", s)]
    document_reads = [s for s in statements if re.match(r"SELECT document\.id FROM document\b", s)]
    signature_reads = [s for s in statements if "document.minhash IS NOT NULL" in s]
    assert alias_reads and document_reads and signature_reads  # the caches were brought up to date ...
    assert all("source_alias.id >=" in s for s in alias_reads), alias_reads  # ... by key range only
    assert all("document.id >=" in s for s in document_reads), document_reads
    assert all("document.id >=" in s for s in signature_reads), signature_reads


def test_a_source_stored_elsewhere_after_the_cache_was_filled_is_matched(db):
    _ingest(db, RAIL)  # fills this process's name index
    with session_factory(db)() as s:
        s.info["actor"] = "test"
        stored = SourceService(s).create(SourceIn(name="Nadia Okonkwo-Barre", kind="person"))
        s.commit()
        stored_id = stored.id
    _, speakers = _ingest(db, PORT)
    assert speakers["Nadia Okonkwo-Barre"] == stored_id


def test_a_source_deleted_after_it_was_cached_gives_way_to_a_new_one(db):
    with session_factory(db)() as s:
        s.info["actor"] = "test"
        doomed = SourceService(s).create(SourceIn(name="Tomas Eriksen", kind="person"))
        s.commit()
        doomed_id = doomed.id
    _ingest(db, PORT)  # the index now holds Tomas Eriksen
    with session_factory(db)() as s:
        s.info["actor"] = "test"
        SourceService(s).delete(doomed_id)
        s.commit()
    _, speakers = _ingest(db, RAIL)
    assert speakers["Tomas Eriksen"] != doomed_id
    with session_factory(db)() as s:
        assert s.get(Source, speakers["Tomas Eriksen"]) is not None


def test_a_rolled_back_ingest_leaves_nothing_the_next_one_trips_on(db):
    _, first = _ingest(db, RAIL, commit=False)
    document_id, again = _ingest(db, RAIL)
    with session_factory(db)() as s:
        assert s.get(Source, again["Tomas Eriksen"]) is not None
        assert s.scalar(select(Document.id)) == document_id


def test_a_rolled_back_document_the_grouping_cache_took_in_is_never_grouped_with(db):
    """The grouper caches a document's anchors when it groups it (not when it next reads what
    was stored): a document whose transaction then rolls back must not be grouped with."""
    _ingest(db, PORT, commit=False)
    second_doc, _ = _ingest(db, PORT_AGAIN)
    with session_factory(db)() as s:
        assert not [c for c in s.scalars(select(Claim).where(Claim.document_id == second_doc)) if c.group_id]
    third_doc, _ = _ingest(db, PORT)  # stored for good now: grouped with the restatement
    with session_factory(db)() as s:
        groups = {
            doc: {c.group_id for c in s.scalars(select(Claim).where(Claim.document_id == doc)) if c.group_id}
            for doc in (second_doc, third_doc)
        }
    assert groups[second_doc] & groups[third_doc]


def test_a_restatement_groups_with_the_story_stored_before_it(db):
    first_doc, _ = _ingest(db, PORT)
    second_doc, _ = _ingest(db, PORT_AGAIN)
    with session_factory(db)() as s:
        groups = {
            doc: {c.group_id for c in s.scalars(select(Claim).where(Claim.document_id == doc)) if c.group_id}
            for doc in (first_doc, second_doc)
        }
    assert groups[first_doc] & groups[second_doc]


def test_a_deleted_document_drops_out_of_the_grouping_cache(db):
    first_doc, _ = _ingest(db, PORT)
    _ingest(db, RAIL)  # the grouping cache now holds the port story
    with session_factory(db)() as s:
        s.info["actor"] = "test"
        DocumentService(s).delete(first_doc)
        s.commit()
    second_doc, _ = _ingest(db, PORT_AGAIN)
    with session_factory(db)() as s:
        claims = list(s.scalars(select(Claim).where(Claim.document_id == second_doc)))
        assert claims and all(c.group_id is None for c in claims)


def test_a_free_key_takes_a_bounded_number_of_look_ups_however_many_namesakes():
    taken = {"a-spokesman", *(f"a-spokesman-{n}" for n in range(2, 500))}
    asked: list[str] = []

    def is_taken(key: str) -> bool:
        asked.append(key)
        return key in taken

    key = free_key("a-spokesman", is_taken)
    assert key not in taken and key.startswith("a-spokesman-")
    assert len(asked) <= 6  # counting up to the first free number asked 500 times


def test_namesake_sources_get_distinct_keys(db):
    with session_factory(db)() as s:
        s.info["actor"] = "test"
        service = SourceService(s)
        keys = {service.create(SourceIn(name="A spokesman", kind="anonymous")).key for _ in range(7)}
        s.commit()
    assert len(keys) == 7 and {"a-spokesman", "a-spokesman-2"} <= keys
