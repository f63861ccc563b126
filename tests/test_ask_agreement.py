"""A question in one language about a claim stated only in the other, whose checkable terms fall
short of the cross-lingual floor, is answered when the question's named actors agree with the
claim (``claims.query.support.actors_agree``): the speaker it asks about said it, or a person it
names is heard in the claim by sound; and never when it names someone the claim does not hold.
On the team's own fixture text (not the seeds' sentences, not the held-out corpus), with and
without sentence vectors, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from claims.names import name_forms, phonetic_key
from claims.query import ask
from claims.query.parse import parse_question
from claims.query.retrieve import query_units
from claims.query.support import unheard_names
from tests.query_world import World

#: Team-written: a dock strike at Mombasa (English only).
ENGLISH = (
    "Dock strike enters second week at Mombasa\n"
    "MOMBASA, March 6 (Coastal Herald) - The strike has cost Otieno's shipping line 12 million dollars in "
    "lost revenue, the dockworkers' union said on Friday. Otieno's delegation will visit the port next week "
    "to sign the contract, his office said.\n"
    "The Kenya Ports Authority said the revenue figures were exaggerated and that cranes would restart on Monday."
)


@pytest.fixture
def world(session: Session, mode) -> World:
    w = World(session)
    w.source("herald", "Coastal Herald", "outlet", ("صحيفة الساحل", "ar"))
    w.source("union", "Dockworkers' Union", "organisation", ("نقابة عمال الموانئ", "ar"))
    w.source("kpa", "Kenya Ports Authority", "government", ("هيئة موانئ كينيا", "ar"))
    doc = w.document(ENGLISH, "en", outlet="herald", day=6)
    w.cost = w.claim(doc, "The strike has cost Otieno's shipping line 12 million dollars in lost revenue",
                     [("union", "said"), ("herald", "published")])
    w.office = w.source("office", "Office of Peter Otieno", "organisation")
    w.visit = w.claim(doc, "Otieno's delegation will visit the port next week to sign the contract",
                      [("office", "said"), ("herald", "published")])
    w.figures = w.claim(doc, "the revenue figures were exaggerated", [("kpa", "said"), ("herald", "published")])
    session.flush()
    return w


def test_a_person_heard_by_sound_lets_a_translation_count(session: Session, world: World, mode):
    # "لأوتينو"-style proclitics aside, "أوتينو" is heard as "Otieno"; the other words of the
    # question (sign, contract) are not checkable across languages
    result = ask(session, "من قال إن وفد أوتينو سيزور الميناء لتوقيع العقد؟")
    assert result.found and result.answers[0].claim.id == world.visit.id
    if mode == "rules":
        # another person: nobody the claim names is heard, the floor stays (with vectors a
        # cosine this close still answers it: the vector path has no name check yet)
        result = ask(session, "من قال إن وفد أوكيلو سيزور الميناء لتوقيع العقد؟")
        assert all(a.claim.id != world.visit.id for a in result.answers)


def test_a_name_behind_a_proclitic_is_heard():
    assert name_forms("لأوتينو") == ["لأوتينو", "أوتينو"]
    assert name_forms("Otieno") == ["Otieno"] and name_forms("لبن") == ["لبن"]
    assert phonetic_key(name_forms("لأوتينو")[1]) == phonetic_key("Otieno")


def test_the_named_speaker_of_a_topic_question_agrees(session: Session, world: World, mode):
    result = ask(session, "ماذا قالت هيئة موانئ كينيا عن أرقام إيرادات الشحن؟")
    assert result.found and result.answers[0].claim.id == world.figures.id
    # a topic it did not speak about
    result = ask(session, "ماذا قالت هيئة موانئ كينيا عن صادرات الشاي؟")
    assert all(a.claim.id != world.figures.id for a in result.answers)
    if mode == "rules":
        # "did X say P" asks for P, not for what X said about a topic
        result = ask(session, "هل قالت هيئة موانئ كينيا إن أرقام إيرادات الشحن ستتضاعف؟")
        assert all(a.claim.id != world.figures.id for a in result.answers)


def test_a_capitalised_name_the_claim_lacks_is_unheard():
    parsed = parse_question("Who said the strike cost Okello's shipping line 12 million dollars?")
    units = query_units(parsed.proposition)

    class Result:
        pass

    result = Result()
    result.units = units
    held = {t for u in units for t in u.terms if "okello" not in t}
    assert unheard_names(parsed, result, held) == ["Okello"]
    assert unheard_names(parsed, result, {t for u in units for t in u.terms}) == []
    # an uncased script cannot tell a name from a word
    parsed = parse_question("من قال إن الإضراب كلف شركة أوكيلو 12 مليون دولار؟")
    assert unheard_names(parsed, result, set()) == []
