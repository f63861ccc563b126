"""Confidence per extracted claim and hop: set by the pipeline from its evidence, stored on
both databases, NULL for curated records, and bounded by a named CHECK constraint.
Texts are the team's own."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from claims.db import session_factory
from claims.extraction import extract
from claims.ingest import IngestService
from claims.models import Claim, RelayHop
from claims.seeding import seed
from claims.serialize import claim_out
from claims.settings import SEEDS_DIR

EN = (
    "Harbour workers end strike in Portmere\n\n"
    "Transport Minister Lena Varga said on Monday that the port would reopen within a week.\n\n"
    "She added that talks with the union had gone well.\n\n"
    "The strike had closed the harbour for nine days, the longest stoppage in a decade.\n"
)
AR = (
    "وزير الزراعة: محصول القمح سيتضاعف هذا العام\n\n"
    "قال وزير الزراعة سامر الحداد إن محصول القمح سيتضاعف هذا العام بفضل الأمطار الغزيرة.\n\n"
    "وأضاف أن الحكومة ستشتري المحصول بسعر مجزٍ من المزارعين.\n"
)


def _by_text(ex, fragment):
    return next(c for c in ex.claims if fragment in c.text)


def test_every_claim_and_hop_has_a_confidence_between_0_and_1():
    for ex in (extract(EN, lang="en", outlet="Portmere Herald"), extract(AR, lang="ar", outlet="الريف اليوم")):
        assert ex.claims
        for c in ex.claims:
            assert 0 < c.confidence <= 1
            assert all(0 < h.confidence <= 1 for h in c.hops)
            product = 1.0
            for h in c.hops:
                product *= h.confidence
            assert c.confidence == pytest.approx(product, abs=1e-3)


@pytest.mark.parametrize(
    ("text", "lang", "named", "continued"),
    [
        (EN, "en", "the port would reopen", "talks with the union"),
        (AR, "ar", "محصول القمح سيتضاعف هذا العام بفضل", "ستشتري المحصول"),
    ],
)
def test_a_named_speaker_in_the_sentence_beats_a_continuation(text, lang, named, continued):
    ex = extract(text, lang=lang, outlet="Portmere Herald")
    first, second = _by_text(ex, named), _by_text(ex, continued)
    assert first.hops[0].mention is second.hops[0].mention  # "She added" / "وأضاف": same speaker
    assert first.hops[0].confidence > second.hops[0].confidence
    assert first.confidence > second.confidence


def test_an_unidentified_publisher_is_less_certain_than_a_named_one():
    named = extract(EN, lang="en", outlet="Portmere Herald")
    unknown = extract(EN, lang="en")
    a = _by_text(named, "longest stoppage")
    b = _by_text(unknown, "longest stoppage")
    assert a.hops[-1].mention.publisher and b.hops[-1].mention.publisher
    assert b.hops[-1].confidence < a.hops[-1].confidence


def test_ingest_stores_confidence_and_seeds_leave_it_null(db):
    with session_factory(db)() as s:
        s.info["actor"] = "test"
        seed(s, SEEDS_DIR)
        result = IngestService(s, grouping=False).ingest(EN, lang="en", outlet="Portmere Herald")
        s.commit()
        doc_id = result.document.id
    with session_factory(db)() as s:
        stored = list(s.scalars(select(Claim).where(Claim.document_id == doc_id)))
        assert stored and all(0 < c.confidence <= 1 for c in stored)
        assert all(h.confidence is not None for c in stored for h in c.hops)
        out = claim_out(stored[0])
        assert out.confidence == stored[0].confidence and out.hops[0].confidence == stored[0].hops[0].confidence
        curated = list(s.scalars(select(Claim).where(Claim.document_id != doc_id)))
        assert curated and all(c.confidence is None for c in curated)
        assert all(h.confidence is None for c in curated for h in c.hops)
        least_certain = s.scalars(select(Claim).where(Claim.confidence.is_not(None)).order_by(Claim.confidence)).first()
        assert least_certain.confidence == min(c.confidence for c in stored)


@pytest.mark.parametrize("model", [Claim, RelayHop])
def test_the_check_constraint_refuses_values_outside_0_1(db, model):
    with session_factory(db)() as s:
        s.info["actor"] = "test"
        result = IngestService(s, grouping=False).ingest(EN, lang="en", outlet="Portmere Herald")
        s.commit()
        claim_id = result.claims[0].id
    column = model.id if model is Claim else model.claim_id
    with session_factory(db)() as s, pytest.raises(IntegrityError, match="(?i)confidence"):
        s.execute(update(model).where(column == claim_id).values(confidence=1.5))
        s.flush()
    with session_factory(db)() as s:
        s.execute(update(model).where(column == claim_id).values(confidence=0.0))
        s.commit()
        assert s.execute(text(f"SELECT min(confidence) FROM {model.__tablename__}")).scalar() == 0.0
