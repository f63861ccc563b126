"""``claims.provenance.trace`` (Core rows, what GET /claims/{id}/provenance serves) answers
exactly what ``provenance`` answers over ORM objects, for every seeded claim, on both databases."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, select

from claims import provenance as provenance_module
from claims.db import session_factory
from claims.errors import NotFound
from claims.models import Claim, RelayHop, SourceAlias
from claims.provenance import load_claim, provenance, trace, trace_read
from claims.schemas import Provenance
from claims.services import ClaimService
from claims.text import fold_name


def test_trace_equals_provenance_for_every_seeded_claim(seeded_readonly):
    sessions = session_factory(seeded_readonly)
    with sessions() as s:
        ids = list(s.scalars(select(Claim.id)))
    assert len(ids) > 100
    for claim_id in ids:
        with sessions() as s:
            expected = provenance(s, ClaimService(s).get(claim_id)).model_dump()
        with sessions() as s:
            assert trace(s, claim_id).model_dump() == expected
        with sessions() as s:
            assert provenance(s, load_claim(s, claim_id)).model_dump() == expected
        served = trace_read(seeded_readonly, claim_id)
        assert served.model_dump() == expected
        # built without validation: what it sends is exactly what a validated model sends
        body = served.__pydantic_serializer__.to_json(served)
        assert Provenance.model_validate(expected).model_dump_json().encode() == body


def test_trace_runs_a_fixed_number_of_statements(seeded_readonly, monkeypatch):
    sessions = session_factory(seeded_readonly)
    with sessions() as s:
        grouped = s.scalars(select(Claim.id).where(Claim.group_id.is_not(None)).limit(1)).one()
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    original = provenance_module._Statement.rows

    def counted(self, session, **params):  # trace runs its statements on the driver's cursor
        statements.append(1)
        return original(self, session, **params)

    event.listen(seeded_readonly, "before_cursor_execute", count)
    monkeypatch.setattr(provenance_module._Statement, "rows", counted)
    try:
        with sessions() as s:
            trace(s, grouped)
    finally:
        event.remove(seeded_readonly, "before_cursor_execute", count)
    assert len(statements) <= 6  # BEGIN on SQLite, claim, members, hops, origin aliases, display-name aliases


def test_trace_of_a_missing_claim_is_not_found(seeded_readonly):
    with session_factory(seeded_readonly)() as s, pytest.raises(NotFound):
        trace(s, uuid.uuid4())
    with pytest.raises(NotFound):
        trace_read(seeded_readonly, uuid.uuid4())


def test_trace_read_returns_its_connection_to_the_pool_with_no_transaction_open(seeded_readonly):
    with session_factory(seeded_readonly)() as s:
        claim_id = s.scalars(select(Claim.id).limit(1)).one()
    for _ in range(3):
        trace_read(seeded_readonly, claim_id)
    with pytest.raises(NotFound):
        trace_read(seeded_readonly, uuid.uuid4())
    raw = seeded_readonly.raw_connection()
    try:
        if seeded_readonly.dialect.name == "sqlite":
            assert not raw.driver_connection.in_transaction
        else:
            assert raw.driver_connection.info.transaction_status == 0  # IDLE
    finally:
        raw.close()


def test_trace_reads_only_the_aliases_it_shows(session, monkeypatch):
    """Every alias of the origin (listed), and of the other sources only those in the display
    language (``display_name`` reads no others): a relay's spellings in other languages are not
    read (before, the hops statement returned each hop once per alias of its source)."""
    from tests.factories import ClaimFactory, SourceFactory

    def alias(text: str, lang: str) -> SourceAlias:
        return SourceAlias(text=text, normalized=fold_name(text), lang=lang)

    speaker = SourceFactory(name="Anna Berg", aliases=[alias("Anna Berg", "en"), alias("آنا برغ", "ar")])
    outlet = SourceFactory(name="Daily Courier", kind="outlet", aliases=[
        alias("Daily Courier", "en"), alias("الساعي اليومي", "ar"),
        *(alias(f"Courrier {n}", "fr") for n in range(6)),
    ])
    claim = ClaimFactory(speaker=speaker, hops=[
        RelayHop(position=0, source=speaker, relation="said", lang="en", modality="asserted"),
        RelayHop(position=1, source=outlet, relation="published", lang="en", modality="asserted"),
    ])
    session.flush()
    fetched = []
    original = provenance_module._Statement.rows_on

    def counted(self, *args, **params):
        rows = original(self, *args, **params)
        fetched.append(len(rows))
        return rows

    monkeypatch.setattr(provenance_module._Statement, "rows_on", counted)
    for lang, outlet_aliases in ((None, 1), ("ar", 1), ("fr", 6)):
        fetched.clear()
        found = trace(session, claim.id, lang)
        # the claim; hop 0 once per alias of the origin (two), hop 1 once per alias of the outlet in
        # the display language
        assert sum(fetched) == 1 + 2 + outlet_aliases
        assert found.model_dump() == provenance(session, load_claim(session, claim.id), lang).model_dump()
    assert trace(session, claim.id, "ar").chain[1].source.display_name == "الساعي اليومي"
    assert trace(session, claim.id).origin.aliases == ["Anna Berg", "آنا برغ"]
