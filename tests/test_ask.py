"""`ask` on the curated seeds: the vacuum question in both languages, the Russia hard negative,
and every `core` question of seeds/questions.yaml, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy.orm import Session

from claims.ask import ask, parse_question
from claims.db import session_factory
from claims.models import Claim, Source
from claims.settings import SEEDS_DIR

QUESTIONS = yaml.safe_load((SEEDS_DIR / "questions.yaml").read_text(encoding="utf-8"))["questions"]
CORE = [q for q in QUESTIONS if q["tier"] == "core"]


@pytest.fixture
def s(seeded_readonly) -> Session:
    with session_factory(seeded_readonly)() as session:
        yield session


def _keys(session: Session, answer) -> tuple[str | None, str, list[str]]:
    claim = session.get(Claim, answer.claim.id)
    origin = session.get(Source, answer.origin.id).key
    chain = [session.get(Source, hop.source.id).key for hop in answer.chain]
    return (claim.group.key if claim.group else None), origin, chain


@pytest.mark.parametrize(
    "question",
    ["Who originally said Iran will fill the vacuum?", "who originally said Iran will fill the vacuum"],
)
def test_vacuum_question_in_english(s, question):
    result = ask(s, question)
    assert result.found and result.intent == "origin" and result.lang == "en"
    top = result.answers[0]
    group, origin, chain = _keys(s, top)
    assert group == "iran-fill-vacuum"
    assert origin == "jerusalem-post"
    assert chain == ["jerusalem-post", "al-arabiya", "publisher-001"]
    assert [h.relation for h in top.chain] == ["reported", "translated", "published"]
    assert top.claim.modality == "hedged"
    assert top.claim.text.startswith("It is not far-fetched that Iran plans to fill the vacuum")
    # The evidence spans point into the stored document text.
    for hop in top.chain:
        if hop.evidence:
            assert hop.evidence.text in top.claim.text or "Jerusalem Post" in hop.evidence.text or "Al Arabiya" in hop.evidence.text
    # The Arabic telling is in the group, and the question's "will" vs the hedge is reported.
    assert any(m.lang == "ar" and "وربما تخطط إيران لملء الفراغ" in m.text for m in top.group)
    assert any(d.scope == "question" and d.before == "asserted" and d.after == "hedged" for d in top.drift)
    assert "Jerusalem Post" in top.answer_text and "hedged" in top.answer_text


def test_vacuum_question_in_arabic(s):
    result = ask(s, "من قال أولاً إن إيران ستملأ الفراغ؟")
    assert result.found and result.intent == "origin" and result.lang == "ar"
    top = result.answers[0]
    group, origin, chain = _keys(s, top)
    assert group == "iran-fill-vacuum" and origin == "jerusalem-post"
    assert chain[:2] == ["jerusalem-post", "al-arabiya"]
    assert top.claim.text == "وربما تخطط إيران لملء الفراغ الذي قد يخلقه الانسحاب الأميركي في العراق."
    assert top.claim.modality == "hedged"
    assert top.chain[0].evidence.text == 'وبحسب تقرير لصحيفة "جيروزاليم بوسي"'
    assert any(m.lang == "en" for m in top.group)
    assert "جيروزاليم" in top.answer_text


@pytest.mark.parametrize(
    "question",
    ["Who originally said Iran will fill the vacuum?", "من قال أولاً إن إيران ستملأ الفراغ؟", "من قال إن إيران ستملأ الفراغ"],
)
def test_iran_question_never_returns_the_russia_claim(s, question):
    for answer in ask(s, question, limit=20).answers:
        group, _, _ = _keys(s, answer)
        assert group != "russia-exploit-vacuum"
        assert "روسيا" not in answer.claim.text


def test_russia_question_is_answered_by_isw_not_iran(s):
    result = ask(s, "من قال إن روسيا يمكن أن تستغل الفراغ في العراق؟")
    assert result.found
    group, origin, _ = _keys(s, result.answers[0])
    assert group == "russia-exploit-vacuum" and origin == "isw"
    for answer in result.answers:
        assert _keys(s, answer)[0] != "iran-fill-vacuum"


@pytest.mark.parametrize(
    "question",
    ["Who said Turkey will fill the vacuum in Iraq?", "من قال إن تركيا ستملأ الفراغ في العراق؟", "Who said the moon is made of cheese?", "?!"],
)
def test_unsupported_questions_are_not_found(s, question):
    result = ask(s, question)
    assert result.found is False and result.answers == []


@pytest.mark.parametrize("q", CORE, ids=[q["q"][:60] for q in CORE])
def test_core_seed_questions(s, q):
    result = ask(s, q["q"])
    assert result.found is q["found"], [a.claim.text for a in result.answers]
    if not q["found"]:
        return
    group, origin, chain = _keys(s, result.answers[0])
    if q.get("group"):
        assert group == q["group"]
    if q.get("claim"):
        assert s.get(Claim, result.answers[0].claim.id).key == q["claim"]
    if q.get("origin"):
        assert origin == q["origin"]
    if q.get("relayer"):
        assert q["relayer"] in chain
    for banned in q.get("not_group") or []:
        assert all(_keys(s, a)[0] != banned for a in result.answers)


@pytest.mark.parametrize(
    ("question", "intent", "proposition", "speaker"),
    [
        ("Who first said that X happened?", "origin", "X happened", None),
        ("What did Abbasi say about Iranian expertise?", "speaker", "Iranian expertise", "Abbasi"),
        ("Which agency reported Salami saying forces divide Iraq?", "relayer", "forces divide Iraq", "Salami"),
        ("من قال أولاً إن إيران ستملأ الفراغ؟", "origin", "إيران ستملأ الفراغ", None),
        ("ماذا قال بايدن عن المهمة القتالية", "speaker", "المهمة القتالية", "بايدن"),
        ("Iran vacuum", "who_said", "Iran vacuum", None),
    ],
)
def test_question_parsing(question, intent, proposition, speaker):
    parsed = parse_question(question)
    assert (parsed.intent, parsed.proposition, parsed.speaker) == (intent, proposition, speaker)
