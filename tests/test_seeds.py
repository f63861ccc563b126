"""The curated seeds load exactly, idempotently, and say what the texts say."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from claims.db import session_factory
from claims.models import AuditEvent, Claim, ClaimGroup, Document, RelayHop, Source
from claims.seeding import seed
from claims.settings import SEEDS_DIR
from claims.vocabulary import Relation


@pytest.fixture
def s(seeded_readonly):
    with session_factory(seeded_readonly)() as session:
        yield session


def _claims(s, filename):
    doc = s.scalar(select(Document).where(Document.content_hash.isnot(None)).where(Document.text == (SEEDS_DIR / filename).read_text(encoding="utf-8")))
    return list(s.scalars(select(Claim).where(Claim.document_id == doc.id))), doc


def test_seed_texts_are_byte_for_byte(s):
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        stored = s.scalar(select(Document).where(Document.text == path.read_text(encoding="utf-8")))
        assert stored is not None, path.name
        assert stored.text.encode("utf-8") == path.read_bytes()


def test_every_offset_points_into_the_document(s):
    for claim in s.scalars(select(Claim)):
        assert claim.document.text[claim.start_offset : claim.end_offset] == claim.text
        for hop in claim.hops:
            if hop.evidence_start is not None:
                assert 0 <= hop.evidence_start < hop.evidence_end <= len(claim.document.text)


def test_chains_start_with_the_speaker_and_end_with_the_publisher(s):
    for claim in s.scalars(select(Claim)):
        assert [h.position for h in claim.hops] == list(range(len(claim.hops)))
        assert claim.hops[0].source_id == claim.speaker_id
        assert claim.hops[-1].relation == Relation.PUBLISHED
        assert claim.hops[-1].source_id == claim.document.outlet_id


def test_seeding_twice_changes_nothing(seeded):
    with session_factory(seeded)() as s:
        before = {c.key: c.id for c in s.scalars(select(Claim))}
        counts = [s.scalar(select(func.count()).select_from(m)) for m in (Source, Document, Claim, RelayHop, ClaimGroup)]
        events = s.scalar(select(func.count()).select_from(AuditEvent))
        report = seed(s, SEEDS_DIR)
        s.commit()
        assert report.claims_created == 0 and report.claims_updated == 0
        assert {c.key: c.id for c in s.scalars(select(Claim))} == before
        assert [s.scalar(select(func.count()).select_from(m)) for m in (Source, Document, Claim, RelayHop, ClaimGroup)] == counts
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_page_furniture_in_002_is_not_claims(s):
    claims, doc = _claims(s, "002_1664d10b82cc0e1f.txt")
    assert claims
    for marker in ("كلمات دلالية", "إقرأ أيضاً", "مقالات مشابهة", "المصدر: الحرة", "آخر تحديث"):
        at = doc.text.index(marker)
        assert not any(c.start_offset <= at < c.end_offset for c in claims), marker
    related = doc.text.index("مقالات مشابهة")
    assert not any(c.start_offset > related for c in claims)


def test_op_ed_is_opinion_by_its_author(s):
    claims, doc = _claims(s, "002_1664d10b82cc0e1f.txt")
    byline = doc.text.index("بقلم:فاروق يوسف")
    op_ed = [c for c in claims if c.start_offset > byline]
    assert len(op_ed) >= 10
    assert {c.speaker.key for c in op_ed} == {"farouk-youssef"}
    assert {c.modality for c in op_ed} <= {"opinion", "question"}


def test_alhurra_relays_the_joint_statement(s):
    claims, _ = _claims(s, "002_1664d10b82cc0e1f.txt")
    statement = [c for c in claims if c.speaker.kind == "document"]
    assert statement
    assert all("alhurra" in [h.source.key for h in c.hops] for c in statement)


def test_russia_vacuum_is_a_different_claim_from_iran_vacuum(s):
    iran = s.scalar(select(ClaimGroup).where(ClaimGroup.key == "iran-fill-vacuum"))
    russia = s.scalar(select(ClaimGroup).where(ClaimGroup.key == "russia-exploit-vacuum"))
    iran_members = list(s.scalars(select(Claim).where(Claim.group_id == iran.id)))
    russia_members = list(s.scalars(select(Claim).where(Claim.group_id == russia.id)))
    assert {c.lang for c in iran_members} == {"ar", "en"}
    assert russia_members and all("روسيا" in c.text for c in russia_members)
    assert not set(c.id for c in iran_members) & set(c.id for c in russia_members)


def test_typo_alias_resolves_to_the_jerusalem_post(s):
    from claims.services import SourceService

    assert SourceService(s).resolve("جيروزاليم بوسي").key == "jerusalem-post"
    assert SourceService(s).resolve("Jerusalem Post").key == "jerusalem-post"
    assert SourceService(s).resolve("the jerusalem  post").key == "jerusalem-post"


def test_anonymous_sources_stay_anonymous(s):
    anonymous = list(s.scalars(select(Source).where(Source.kind == "anonymous")))
    assert {a.key for a in anonymous} >= {"informed-iraqi-source"}
    spoken = s.scalars(select(Claim).where(Claim.speaker_id.in_([a.id for a in anonymous]))).all()
    assert spoken
