"""Failure classes of issue 13's held-out dev analysis, each on the team's own fixture article
(not the seeds' sentences, not the held-out corpus), with and without sentence vectors, on
SQLite and PostgreSQL:

- a quotation whose subject only its sentence names ('the new canal "will double ..."' said by
  Egypt's minister): the question naming Egypt must find it, one naming Jordan must not; and a
  claim that names its own subject (Saudi farmers) is not lent the sentence's other one (Jordan);
- a denial asked as "Did X deny ...?": the denied claim does not say "deny", its modality does;
- a word the claim only negates ("..., but no fire") does not answer a question asserting it;
- an unnamed official "at the Damietta Port Authority" speaks for the authority a question names;
- speaker phrases: "the port security source's account" names the source, and a common word
  of a longer name ("maritime") names nobody;
- the fitted parameters: the committed params.json is what ask reads, and the confidence curve
  is monotone.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from claims.query import ask
from claims.query.params import PARAMS, PARAMS_FILE, AskParams, load
from claims.query.retrieve import resolve_speaker
from claims.query.support import antecedent_terms, calibrated, context_terms, modality_terms, negated_terms
from tests.query_world import World

ARTICLE = (
    "Canal works to double Nile deliveries, ministry says\n"
    "CAIRO, May 4 (Delta Courier) - Egypt's irrigation minister Hani Sewilam said on Sunday that the new canal "
    '"will double water deliveries to farms" by 2027.\n'
    "Officials at the ministry called reports that it had raised water prices for farmers \"baseless\".\n"
    "A port security source told the Delta Courier that two dredgers had left the site.\n"
    "An official at the Damietta Port Authority said the dredgers \"will return next week\".\n"
    "During a visit by Jordanian engineers, the ministry said Saudi farmers \"will receive new pumps\" this year.\n"
    "The Red Sea Maritime Authority said the crew of a dredger had reported smoke near the engine room, but no fire."
)


@pytest.fixture
def world(session: Session, mode) -> World:
    w = World(session)
    w.source("sewilam", "Hani Sewilam", "person", ("Sewilam", "en"))
    w.source("irrigation-ministry", "Egyptian Ministry of Irrigation", "government", ("the ministry", "en", "anaphoric"))
    w.source("port-source", "Unnamed port security source", "anonymous", ("A port security source", "en"))
    w.source("maritime-authority", "Red Sea Maritime Authority", "government")
    w.source("delta-courier", "Delta Courier", "outlet")
    w.source("port-authority", "Damietta Port Authority", "organisation")
    w.source("port-official", "Unnamed port official", "anonymous", ("An official at the Damietta Port Authority", "en"))
    doc = w.document(ARTICLE, "en", outlet="delta-courier", day=4)
    w.canal = w.claim(doc, 'the new canal "will double water deliveries to farms" by 2027',
                      [("sewilam", "said"), ("delta-courier", "published")])
    w.prices = w.claim(doc, "it had raised water prices for farmers",
                       [("irrigation-ministry", "said"), ("delta-courier", "published")], modality="denied")
    w.dredgers = w.claim(doc, "two dredgers had left the site",
                         [("port-source", "said"), ("delta-courier", "reported")])
    w.dredgers_return = w.claim(doc, 'the dredgers "will return next week"',
                                [("port-official", "said"), ("delta-courier", "published")])
    w.pumps = w.claim(doc, 'Saudi farmers "will receive new pumps" this year',
                      [("irrigation-ministry", "said"), ("delta-courier", "published")])
    w.smoke = w.claim(doc, "the crew of a dredger had reported smoke near the engine room, but no fire",
                      [("maritime-authority", "said"), ("delta-courier", "published")])
    session.flush()
    return w


def test_the_sentence_of_a_quotation_names_its_subject(world: World):
    assert "@egypt" in context_terms(world.canal)
    assert "@jordan" not in context_terms(world.canal)


def test_a_question_naming_the_subject_only_the_sentence_names_finds_the_quotation(session: Session, world: World):
    result = ask(session, "Who said Egypt's new canal will double water deliveries to farms by 2027?")
    assert result.found and result.answers[0].claim.id == world.canal.id
    assert result.answers[0].origin.id == world.sources["sewilam"].id


def test_a_question_naming_another_subject_does_not_find_it(session: Session, world: World):
    result = ask(session, "Who said Jordan's new canal will double water deliveries to farms by 2027?")
    assert all(a.claim.id != world.canal.id for a in result.answers)


def test_a_claim_with_its_own_subject_is_not_lent_another_by_its_sentence(session: Session, world: World):
    assert "@jordan" in context_terms(world.pumps)
    result = ask(session, "Who said Jordanian farmers will receive new pumps this year?")
    assert all(a.claim.id != world.pumps.id for a in result.answers)
    result = ask(session, "Who said Saudi farmers will receive new pumps this year?")
    assert result.found and result.answers[0].claim.id == world.pumps.id


def test_a_denial_holds_deny_through_its_modality(session: Session, world: World):
    assert modality_terms(world.prices) == {"~deny"}
    assert modality_terms(world.canal) == set()
    result = ask(session, "Did the ministry deny raising water prices for farmers?")
    assert result.found and result.answers[0].claim.id == world.prices.id


def test_a_word_the_claim_only_negates_is_not_held(session: Session, world: World):
    assert negated_terms(world.smoke.text) == {"fire"}
    assert negated_terms("طاقم الحفارة أبلغ عن دخان دون اندلاع حريق") == {"اندلاع"}
    assert "قرار" not in negated_terms("لم يكن قرار الحفارة نهائيا")  # the copula is negated, not the decision
    asserted = ask(session, "Who said the crew of a dredger reported a fire near the engine room?")
    assert all(a.claim.id != world.smoke.id for a in asserted.answers)
    result = ask(session, "Who said the crew of a dredger reported smoke near the engine room?")
    assert result.found and result.answers[0].claim.id == world.smoke.id


def test_an_unnamed_official_of_an_organisation_speaks_for_it(session: Session, world: World):
    result = ask(session, "What did the Damietta Port Authority say about the dredgers?")
    assert result.found and result.answers[0].claim.id == world.dredgers_return.id
    assert all(a.claim.id != world.dredgers.id for a in result.answers)  # the port security source's


def test_speaker_phrases_name_the_source_not_a_word_of_another_name(session: Session, world: World):
    assert resolve_speaker(session, "port security source's account").key == "port-source"
    assert resolve_speaker(session, "Sewilam tell reporters").key == "sewilam"
    assert resolve_speaker(session, "maritime officials") is None


def test_ask_reads_the_fitted_params():
    assert PARAMS_FILE.exists()
    assert load() == PARAMS
    assert PARAMS.fitted.get("by") == "bench/fit_ask.py"
    # Fitted values are not silently the hand-set defaults everywhere.
    assert AskParams() != PARAMS


def test_confidence_is_monotone_in_support():
    values = [calibrated(x / 100) for x in range(0, 101)]
    assert values == sorted(values)
    assert all(0.0 <= v <= 0.99 for v in values)


#: Team-written: a denial whose definite noun ("the shelling") refers back to the sentence before.
SHELLING = (
    "Market shelled in Benghazi\n"
    "BENGHAZI, May 4 (Cyrene Post) - Libyan artillery shelling hit a crowded market in Benghazi on Sunday, residents said. "
    "The brigade denied responsibility for the shelling.\n"
)


def test_a_definite_noun_takes_what_it_refers_back_to_from_the_sentence_before():
    before = "Libyan artillery shelling hit a crowded market in Benghazi on Sunday, residents said."
    got = antecedent_terms("The brigade denied responsibility for the shelling", before, "en")
    assert {"~attack", "@benghazi"} <= got
    assert "@libya" not in got  # a subject is never lent this way, only where
    assert antecedent_terms("The brigade denied responsibility", before, "en") == set()  # no definite noun mentioned before
    got = antecedent_terms("نفى مسؤوليته عن القصف", "قصف مدفعي على بنغازي أصاب سوقا شعبيا يوم الأحد", "ar")
    assert {"~attack", "@benghazi"} <= got


def test_a_denial_of_the_shelling_answers_a_question_about_the_shelling_in_benghazi(session: Session, mode):
    w = World(session)
    w.source("brigade", "Tariq Brigade", "organisation", ("the brigade", "en", "anaphoric"))
    w.source("cyrene", "Cyrene Post", "outlet")
    doc = w.document(SHELLING, "en", outlet="cyrene", day=4)
    denial = w.claim(doc, "The brigade denied responsibility for the shelling", [("brigade", "said"), ("cyrene", "published")],
                     modality="denied", stance="deny")
    session.flush()
    result = ask(session, "من نفى مسؤوليته عن القصف على بنغازي؟")
    assert result.found and result.answers[0].claim.id == denial.id
    result = ask(session, "من نفى مسؤوليته عن القصف على صنعاء؟")
    assert all(a.claim.id != denial.id for a in result.answers)
