"""Factories write real rows through sync sessions, visible to a separate connection."""

from __future__ import annotations

from sqlalchemy import func, select

from claims.db import session_factory
from claims.models import Claim, Document, RelayHop, SearchDocument, Source


def test_factories_persist_rows(session, claim_factory, db):
    claim = claim_factory()
    session.commit()
    with session_factory(db)() as other:
        assert other.scalar(select(func.count()).select_from(Claim)) == 1
        assert other.scalar(select(func.count()).select_from(Document)) == 1
        assert other.scalar(select(func.count()).select_from(Source)) == 2
        assert other.scalar(select(func.count()).select_from(RelayHop).where(RelayHop.claim_id == claim.id)) == 2
        assert other.scalar(select(func.count()).select_from(SearchDocument).where(SearchDocument.claim_id == claim.id)) > 0
        stored = other.get(Claim, claim.id)
        assert stored.text == stored.document.text[stored.start_offset : stored.end_offset]


def test_fixture_instances_are_rows(session, claim, source):
    session.commit()
    assert session.get(Claim, claim.id) is not None
    assert session.get(Source, source.id).name == source.name
