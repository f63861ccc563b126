"""Answer-quality classes of issue 13 on the team's own fixture articles (not the seeds'
sentences), with and without sentence vectors, on SQLite and PostgreSQL: a question in one
language about a claim stated only in the other, and a generic reference ("الجانبين") that
hides the entities the question names."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from claims.indexing import referenced_entities
from claims.query import ask
from tests.query_world import World

ARTICLE = (
    "عمّان - وقّعت مصر والأردن يوم الأحد مذكرة تفاهم في مجال الطاقة.\n\n"
    "وقالت وزارة الطاقة الأردنية إن الجانبين التزما بتشكيل لجنة فنية مشتركة لتطوير إنتاج الغاز.\n\n"
    "وأضافت الوزارة أن أسعار الكهرباء لن ترتفع هذا العام."
)


@pytest.fixture
def world(session: Session, mode) -> World:
    w = World(session)
    w.source("jordan-energy-ministry", "Jordanian Ministry of Energy", "government", ("وزارة الطاقة الأردنية", "ar"))
    w.source("amman-daily", "Amman Daily", "outlet", ("صحيفة عمان اليومية", "ar"))
    doc = w.document(ARTICLE, "ar", outlet="amman-daily", day=8)
    w.committee = w.claim(doc, "الجانبين التزما بتشكيل لجنة فنية مشتركة لتطوير إنتاج الغاز",
                          [("jordan-energy-ministry", "said"), ("amman-daily", "published")])
    w.prices = w.claim(doc, "أسعار الكهرباء لن ترتفع هذا العام",
                       [("jordan-energy-ministry", "said"), ("amman-daily", "published")])
    session.flush()
    return w


def test_generic_reference_is_indexed_under_the_entities_the_document_named(world: World):
    assert set(referenced_entities(world.committee)) == {"@egypt", "@jordan"}
    assert referenced_entities(world.prices) == []  # no generic reference, nothing added


def test_english_question_finds_the_arabic_only_claim(session: Session, world: World):
    result = ask(session, "Who said Egypt and Jordan committed to forming a joint committee to develop gas production?")
    assert result.found and result.lang == "en"
    top = result.answers[0]
    assert top.claim.id == world.committee.id
    assert top.origin.id == world.sources["jordan-energy-ministry"].id


def test_arabic_question_naming_the_entities_finds_the_claim_that_says_the_two_sides(session: Session, world: World):
    result = ask(session, "من قال إن مصر والأردن التزمتا بتشكيل لجنة مشتركة لتطوير إنتاج الغاز؟")
    assert result.found and result.answers[0].claim.id == world.committee.id


def test_a_question_about_other_entities_is_not_answered(session: Session, world: World):
    result = ask(session, "Who said Iraq and Turkey committed to forming a joint committee to develop gas production?")
    assert all(a.claim.id != world.committee.id for a in result.answers)
