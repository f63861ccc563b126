"""`ask` on the curated seeds: the vacuum question in both languages, the Russia hard negative,
and every `core` question of seeds/questions.yaml, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy.orm import Session

from claims.db import session_factory
from claims.models import Claim, Source
from claims.query import ask, parse_question
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


#: Core questions this version gets wrong (none: "Qaani met Biden in Washington", a near miss
#: whose only difference is the place, is refused by the place rule, tests/test_ask_places.py).
KNOWN_CORE_MISSES: set[str] = set()


@pytest.mark.parametrize("q", CORE, ids=[q["q"][:60] for q in CORE])
def test_core_seed_questions(s, q, mode):
    if q["q"] in KNOWN_CORE_MISSES:
        pytest.xfail("known near-miss false 'found' (see KNOWN_CORE_MISSES)")
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
        ("When was it first reported that Iran will fill the vacuum?", "first_reported", "Iran will fill the vacuum", None),
        ("When was the claim that Iran will fill the vacuum first reported?", "first_reported", "Iran will fill the vacuum", None),
        ("متى نُشر لأول مرة أن إيران ستملأ الفراغ؟", "first_reported", "إيران ستملأ الفراغ", None),
        ("How did the claim that Iran will fill the vacuum change as it was relayed?", "change", "Iran will fill the vacuum", None),
        ("هل تغيّرت صياغة خبر أن إيران ستملأ الفراغ عند نقله؟", "change", "إيران ستملأ الفراغ", None),
        ("Which think tank said Moscow could step into the void?", "who_said", "Moscow could step into the void", None),
        ("What source did Al Arabiya rely on for the report that Iran may fill the vacuum?", "origin", "Iran may fill the vacuum", "Al Arabiya"),
        ("ما المصدر الذي اعتمدت عليه قناة العربية في خبر سعي إيران لملء الفراغ؟", "origin", "سعي إيران لملء الفراغ", "قناة العربية"),
        ("من ألمح إلى أن الحرس الثوري مستعد", "who_said", "الحرس الثوري مستعد", None),
        ("من التزم بحماية أفراد التحالف", "who_said", "بحماية أفراد التحالف", None),
    ],
)
def test_question_parsing(question, intent, proposition, speaker):
    parsed = parse_question(question)
    assert (parsed.intent, parsed.proposition, parsed.speaker) == (intent, proposition, speaker)


# --- question forms beyond who-said ------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["How did the claim that Iran will fill the vacuum change as it was relayed?", "هل تغيّرت صياغة خبر أن إيران ستملأ الفراغ عند نقله؟"],
)
def test_change_question_reports_the_drift_along_the_chain(s, question):
    result = ask(s, question)
    assert result.found and result.intent == "change"
    top = result.answers[0]
    assert _keys(s, top)[0] == "iran-fill-vacuum"
    assert any(d.field == "lang" for d in top.drift)  # the Arabic translation hop
    if result.lang == "en":
        assert "translated from en to ar" in top.answer_text and "Al Arabiya" in top.answer_text
    else:
        assert "تُرجمت" in top.answer_text and "العربية" in top.answer_text


@pytest.mark.parametrize(
    "question",
    ["When was it first reported that Iran will fill the vacuum?", "متى نُشر لأول مرة أن إيران ستملأ الفراغ؟"],
)
def test_first_reported_question_names_the_earliest_stored_report(s, question):
    result = ask(s, question)
    assert result.found and result.intent == "first_reported"
    text = result.answers[0].answer_text
    # The seeds record no publication dates: the answer says so instead of inventing one.
    assert ("no publication date is recorded" in text) if result.lang == "en" else ("تاريخ النشر غير مسجل" in text)


def test_first_reported_uses_publication_dates_when_they_exist(s):
    import datetime

    from claims.models import Document

    claim = s.scalar(__import__("sqlalchemy").select(Claim).where(Claim.key.like("001-%")).where(Claim.group_id.is_not(None)).limit(1))
    s.get(Document, claim.document_id).published_at = datetime.datetime(2021, 7, 20, tzinfo=datetime.UTC)
    s.flush()
    result = ask(s, f"When was it first reported that {claim.group.label}?")
    assert result.found
    assert "2021-07-20" in result.answers[0].answer_text
    s.rollback()


def test_answer_text_is_in_the_question_language_and_flags_a_stronger_question(s):
    en = ask(s, "Who said Iran will fill the vacuum?").answers[0]
    ar = ask(s, "من قال إن إيران ستملأ الفراغ؟").answers[0]
    assert "No source asserts it outright" in en.answer_text
    assert "لا يؤكدها أي مصدر" in ar.answer_text
    for answer in (en, ar):
        assert any(d.scope == "question" and (d.before, d.after) == ("asserted", "hedged") for d in answer.drift)


def test_unnamed_source_stays_unnamed(s):
    result = ask(s, "من كشف أن قاآني وصل إلى بغداد في زيارة سرية؟")
    origin = s.get(Source, result.answers[0].origin.id)
    assert origin.key == "informed-iraqi-source" and origin.kind == "anonymous"


def test_speaker_named_in_the_other_script_is_resolved(s):
    from claims.query import resolve_speaker

    assert resolve_speaker(s, "كوتراشيف").key == "elbrus-kotrashev"
    assert resolve_speaker(s, "Kotrashev").key == "elbrus-kotrashev"
    assert resolve_speaker(s, "حسين سلامي").key == "hossein-salami"
    assert resolve_speaker(s, "Zbigniew Nobody") is None


# --- every seed question, with accuracy reported -----------------------------------------------


def test_seed_question_accuracy(s, mode, record_property, capsys):
    """The curated paraphrase questions (both languages, unanswerable ones included): nothing
    unanswerable may be 'found', and the accuracy is reported (and must not fall below what this
    version reaches: on SQLite, with vectors, paraphrase 44/50; rules only, 32/50). Core questions,
    answerable and unanswerable, are each a test of their own above
    (``test_core_seed_questions``), so they are not asked a second time here."""
    right = {"paraphrase": 0}
    total = {"paraphrase": 0}
    false_found = unanswerable = 0
    for q in QUESTIONS:
        if q["tier"] == "core":
            continue
        result = ask(s, q["q"])
        ok = result.found is q["found"]
        if ok and q["found"]:
            group, origin, _ = _keys(s, result.answers[0])
            claim = s.get(Claim, result.answers[0].claim.id)
            ok = (not q.get("group") or group == q["group"]) and (not q.get("claim") or claim.key == q["claim"]) and (
                not q.get("origin") or origin == q["origin"]
            ) and all(_keys(s, a)[0] not in (q.get("not_group") or []) for a in result.answers)
        right[q["tier"]] += ok
        total[q["tier"]] += 1
        if not q["found"]:
            unanswerable += 1
            false_found += result.found
    accuracy = right["paraphrase"] / total["paraphrase"]
    record_property("accuracy", accuracy)
    with capsys.disabled():
        print(f"\n[{mode}] seed questions: paraphrase {right['paraphrase']}/{total['paraphrase']} ({accuracy:.1%}); "
              f"false 'found' {false_found}/{unanswerable}")
    assert false_found <= MAX_FALSE_FOUND
    assert right["paraphrase"] >= PARAPHRASE_FLOOR[mode]


#: Floors at what this version reaches less one (bench/seed_questions.py prints the detail: with
#: vectors paraphrase 44/50, rules 32/50, with the parameters bench/fit_ask.py fitted on the
#: held-out dev split and these questions), so a tie broken differently on PostgreSQL does not
#: fail the suite while a real regression does. The issue's target is 46/50 with no false "found".
PARAPHRASE_FLOOR = {"hybrid": 43, "rules": 31}
#: Known false "found": none (vectors and rules, with labels).
MAX_FALSE_FOUND = 0


def test_answer_text_flags_a_question_weaker_than_the_evidence(s):
    answer = ask(s, "Who said Iran may encourage Iraq to ask for the departure of U.S. forces?").answers[0]
    assert _keys(s, answer)[0] == "iran-training-reason-us-exit" and answer.claim.modality == "asserted"
    assert "more tentative than the evidence" in answer.answer_text
    assert any(d.scope == "question" and (d.before, d.after) == ("hedged", "asserted") for d in answer.drift)
