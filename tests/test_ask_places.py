"""Places a question names (issue 13's "Qaani met Biden in Washington" class), on the team's own
fixture article (not the seeds' sentences), with and without sentence vectors, on SQLite and
PostgreSQL: a claim whose document never names the asked place, or whose sentence puts the event
in another place, does not answer; the same question with the right place does, in either
language; times after "in" are not places."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from claims.entities import place_terms, subject_terms
from claims.query import ask
from claims.query.parse import Place, question_places
from claims.query.support import holds_place
from tests.query_world import World

ARTICLE = (
    "Oman hosts prisoner talks\n"
    "MUSCAT, June 3 (Gulf Morning) - Oman's foreign minister said on Tuesday that Iranian and Saudi "
    "negotiators had met in Riyadh to discuss a prisoner exchange.\n"
    "Talks held in Tehran last year ended without a deal.\n"
    "The minister said a second round would be held in the port of Salalah next month."
)


@pytest.fixture
def world(session: Session, mode) -> World:
    w = World(session)
    w.source("oman-fm", "Omani Foreign Minister", "person", ("Oman's foreign minister", "en"), ("the minister", "en", "role"))
    w.source("gulf-morning", "Gulf Morning", "outlet")
    doc = w.document(ARTICLE, "en", outlet="gulf-morning", day=3)
    w.met = w.claim(doc, "Iranian and Saudi negotiators had met in Riyadh to discuss a prisoner exchange",
                    [("oman-fm", "said"), ("gulf-morning", "published")])
    w.round = w.claim(doc, "a second round would be held in the port of Salalah next month",
                      [("oman-fm", "said"), ("gulf-morning", "published")])
    session.flush()
    return w


def test_question_places_by_language_data():
    assert question_places("Qaani met Biden in Washington", "en") == (Place("Washington", "washington"),)
    assert question_places("قاآني التقى بايدن في واشنطن", "ar") == (Place("واشنطن", "washington"),)
    assert question_places("shells struck near the hospital in El Fasher", "en") == (Place("El Fasher"),)
    assert question_places("turnout in Tunisia's election", "en") == (Place("Tunisia", "tunisia"),)
    assert question_places("turnout in Grenvia's election", "en") == (Place("Grenvia"),)  # not in the gazetteer
    assert question_places("المحتجون أغلقوا حقل الشرارة", "ar") == (Place("الشرارة"),)
    assert question_places("the talks will resume in March", "en") == ()  # a time, not a place
    assert question_places("committed to developing Iraq's security", "en") == ()  # "Iraq" is not after the locative


def test_a_place_is_held_by_its_name_in_either_language_and_a_country_by_its_cities():
    assert holds_place(Place("El Fasher"), "قصفت قوات الدعم السريع مدينة الفاشر")
    assert not holds_place(Place("El Fasher"), "قصفت قوات الدعم السريع مدينة نيالا")
    assert holds_place(Place("Iraq", "iraq"), "Qaani arrived in Baghdad")
    assert not holds_place(Place("Washington", "washington"), "the American president")  # a city is not its country


def test_a_question_placing_the_event_where_the_document_never_does_is_not_answered(session: Session, world: World):
    result = ask(session, "Who said Iranian and Saudi negotiators met in Amman to discuss a prisoner exchange?")
    assert all(a.claim.id != world.met.id for a in result.answers)
    result = ask(session, "Who said a second round would be held in Sohar next month?")
    assert all(a.claim.id != world.round.id for a in result.answers)


def test_a_question_placing_the_event_elsewhere_than_the_claims_sentence_is_not_answered(session: Session, world: World):
    # The document names Tehran (last year's talks), but the claim's sentence puts the meeting in Riyadh.
    result = ask(session, "Who said Iranian and Saudi negotiators met in Tehran to discuss a prisoner exchange?")
    assert all(a.claim.id != world.met.id for a in result.answers)


def test_the_right_place_is_answered_in_either_language(session: Session, world: World):
    result = ask(session, "Who said Iranian and Saudi negotiators met in Riyadh to discuss a prisoner exchange?")
    assert result.found and result.answers[0].claim.id == world.met.id
    result = ask(session, "Who said a second round of talks would be held in Salalah next month?")
    assert result.found and result.answers[0].claim.id == world.round.id
    assert question_places("جولة ثانية ستعقد في ميناء صلالة", "ar") == (Place("صلالة"),)
    assert holds_place(Place("صلالة"), world.round.text)


def test_a_country_is_held_by_a_place_within_it_and_cities_are_places():
    assert holds_place(Place("Sudan", "sudan"), "drones struck fuel depots in Port Sudan")
    assert holds_place(Place("السودان", "sudan"), "قصفت مسيرات مستودعات الوقود في بورتسودان")
    assert not holds_place(Place("Port Sudan", "port-sudan"), "drones struck fuel depots in Sudan")  # never the reverse
    assert holds_place(Place("Iraq", "iraq"), "rockets hit the airport in Erbil")
    assert {"@erbil", "@basra"} <= place_terms()
    assert subject_terms("rockets hit the airport in Erbil") == []  # a claim naming Erbil names no subject


def test_a_question_asking_about_the_country_finds_the_claim_in_its_city(session: Session):
    w = World(session)
    w.source("port-authority", "Red Sea Ports Authority", "organisation")
    w.source("coast-daily", "Coast Daily", "outlet")
    doc = w.document("Depots burn\nFuel depots burned for ten hours in Port Sudan after the strike, the ports authority said.",
                     "en", outlet="coast-daily", day=9)
    burned = w.claim(doc, "Fuel depots burned for ten hours in Port Sudan after the strike",
                     [("port-authority", "said"), ("coast-daily", "published")])
    session.flush()
    result = ask(session, "Who said fuel depots burned for ten hours in Sudan?")
    assert result.found and result.answers[0].claim.id == burned.id
    result = ask(session, "Who said fuel depots burned for ten hours in Libya?")
    assert all(a.claim.id != burned.id for a in result.answers)
