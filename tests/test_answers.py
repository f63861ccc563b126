"""The content of answers (issue 13), on the team's own fixture articles (Sudan, Yemen, Libya;
not the seeds' sentences), on SQLite and PostgreSQL:

- one display-name rule (``claims.names.display_name``): a source is named in the question's
  language, never by a role or back-reference alias, and a publisher the text does not name is
  said as such — in ask answers, the CLI table, reports and the web pages;
- yes/no questions get a verdict (yes / no / only_hedged / disputed / unsupported) and say how
  the wording changed; never "firm" when the origin only hedges;
- "what did X say" without a topic lists what X said, most recent first;
- origin and chain come from the same telling, even in another document.
"""

from __future__ import annotations

import json
from types import SimpleNamespace as NS

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from claims.names import display_name, is_display_alias
from claims.query import ask, parse_question
from claims.query.verdict import judge
from claims.reports.model import claim_section
from claims.vocabulary import Verdict
from tests.query_world import World

# --- the display-name rule, on its own -------------------------------------------------------


def _source(name: str, *aliases: tuple) -> NS:
    return NS(name=name, aliases=[NS(text=a[0], lang=a[1], note=a[2] if len(a) > 2 else None) for a in aliases])


def test_display_name_prefers_the_name_in_the_readers_language_and_never_a_role_or_anaphor():
    ministry = _source(
        "Sudanese Ministry of Foreign Affairs",
        ("الوزارة", "ar", "anaphoric (the note of the Khartoum brief)"),
        ("المصدر", "ar"),  # a back-reference stored without a note is still not a name
        ("التقرير", "ar"),
        ("the ministry", "en"),
        ("وزارة الخارجية السودانية", "ar"),
        ("وزير الخارجية", "ar", "role"),
    )
    assert display_name(ministry, "ar") == "وزارة الخارجية السودانية"
    assert display_name(ministry, "en") == "Sudanese Ministry of Foreign Affairs"
    envoy = _source("Karim Haddad", ("المبعوث الأممي", "ar", "role"), ("حداد", "ar"), ("المبعوث الأممي كريم حداد", "ar"), ("كريم حداد", "ar"))
    assert display_name(envoy, "ar") == "كريم حداد"  # spells the name, no title, not the surname alone
    only_anaphors = _source("Institute for Desert Studies", ("التقرير", "ar"), ("المعهد", "ar", "anaphoric"))
    assert display_name(only_anaphors, "ar") == "Institute for Desert Studies"
    arabic_record = _source("وكالة أنباء الصحراء", ("Desert News Agency", "en"), ("the agency", "en"))
    assert display_name(arabic_record, "en") == "Desert News Agency"
    assert display_name(arabic_record, "ar") == "وكالة أنباء الصحراء"
    for alias, lang in (("the report", "en"), ("The Source", "en"), ("المصدر", "ar"), ("للتقرير", "ar"), ("البيان", "ar")):
        assert not is_display_alias(alias, lang, None), alias


def test_an_unidentified_publisher_is_said_as_such_in_each_language():
    for record in ("Unidentified publisher of the Khartoum brief", "Unidentified publisher (doc-7f3a)"):
        publisher = _source(record)
        assert display_name(publisher, "en") == "an unidentified publisher"
        assert display_name(publisher, "ar") == "ناشر لم يُذكر اسمه"


# --- a world of fixture articles ---------------------------------------------------------------


@pytest.fixture
def world(session: Session) -> World:
    w = World(session)
    w.source("sd-mofa", "Sudanese Ministry of Foreign Affairs", "government",
             ("وزارة الخارجية السودانية", "ar"), ("الوزارة", "ar", "anaphoric"), ("المصدر", "ar"), ("the ministry", "en"))
    w.source("khartoum-publisher", "Unidentified publisher of the Khartoum brief", "outlet")
    w.source("port-publisher", "Unidentified publisher of the Port Sudan note", "outlet")
    w.source("port-official", "an official at Port Sudan", "anonymous", ("مسؤول في ميناء بورتسودان", "ar"))
    w.source("haddad", "Karim Haddad", "person", ("كريم حداد", "ar"), ("المبعوث الأممي", "ar", "role"))
    w.source("aden-daily", "Aden Daily", "outlet", ("صحيفة عدن اليومية", "ar"))
    w.source("adviser", "Nabil Saeed", "person", ("نبيل سعيد", "ar"))
    w.source("libya-oil", "Libyan Ministry of Oil", "government", ("وزارة النفط الليبية", "ar"))
    w.source("tripoli-herald", "Tripoli Herald", "outlet", ("طرابلس هيرالد", "ar"))
    w.source("hnec", "High National Elections Commission", "government", ("المفوضية الوطنية العليا للانتخابات", "ar"))
    w.source("commission-member", "a member of the elections commission", "anonymous")
    w.source("gulf-wire", "Gulf Wire", "agency", ("وكالة غلف واير", "ar"))

    khartoum = w.document("الخرطوم - قالت وزارة الخارجية السودانية يوم الاثنين إن محادثات جدة ستستأنف الأسبوع المقبل.",
                          "ar", outlet="khartoum-publisher", day=2)
    w.talks = w.claim(khartoum, "محادثات جدة ستستأنف الأسبوع المقبل", [("sd-mofa", "said"), ("khartoum-publisher", "published")])
    port = w.document("An official at Port Sudan, who asked not to be named, said that fuel shipments to Khartoum have been suspended.",
                      "en", outlet="port-publisher", day=3)
    w.fuel = w.claim(port, "fuel shipments to Khartoum have been suspended", [("port-official", "said"), ("port-publisher", "published")])

    # Yemen: the adviser only says the airport *may* reopen; the paper's telling hardens it.
    aden = w.document(
        "ADEN - Sanaa airport will reopen to commercial flights next month, Aden Daily reported, citing government adviser "
        "Nabil Saeed, who said the airport may reopen to commercial flights next month if the truce holds.",
        "en", outlet="aden-daily", day=4)
    w.airport = w.claim(aden, "Sanaa airport will reopen to commercial flights next month",
                        [("adviser", "said", "hedged", "may"), ("aden-daily", "published", "asserted")],
                        modality="asserted", group="sanaa-airport-reopens")
    aden_ar = w.document("عدن - قال المستشار الحكومي نبيل سعيد إن مطار صنعاء قد يُعاد فتحه أمام الرحلات التجارية الشهر المقبل.",
                         "ar", outlet="aden-daily", day=5)
    w.airport_ar = w.claim(aden_ar, "مطار صنعاء قد يُعاد فتحه أمام الرحلات التجارية الشهر المقبل",
                           [("adviser", "said", "hedged", "قد"), ("aden-daily", "published", "asserted")],
                           modality="asserted", group="sanaa-airport-reopens")

    # The envoy, three times: two tellings of one proposition and a later statement.
    hod_en = w.document("HODEIDAH - UN envoy Karim Haddad said on Sunday that the ceasefire in Hodeidah is holding.",
                        "en", outlet="gulf-wire", day=10)
    w.ceasefire = w.claim(hod_en, "the ceasefire in Hodeidah is holding",
                          [("haddad", "said"), ("gulf-wire", "published")], group="hodeidah-ceasefire-holds")
    hod_ar = w.document("الحديدة - قال المبعوث الأممي كريم حداد يوم الأحد إن وقف إطلاق النار في الحديدة صامد.",
                        "ar", outlet="aden-daily", day=11)
    w.ceasefire_ar = w.claim(hod_ar, "وقف إطلاق النار في الحديدة صامد",
                             [("haddad", "said"), ("aden-daily", "published")], group="hodeidah-ceasefire-holds")
    amman = w.document("AMMAN - Karim Haddad said talks on a prisoner exchange will begin in Amman on Tuesday.",
                       "en", outlet="gulf-wire", day=12)
    w.prisoners = w.claim(amman, "talks on a prisoner exchange will begin in Amman on Tuesday",
                          [("haddad", "said"), ("gulf-wire", "published")])

    # Libya: a denial, and a proposition stated firmly by one source and only hedged by another.
    sharara = w.document("TRIPOLI - The Libyan Ministry of Oil denied on Monday that the Sharara oil field has been shut down.",
                         "en", outlet="tripoli-herald", day=6)
    w.sharara = w.claim(sharara, "the Sharara oil field has been shut down",
                        [("libya-oil", "said", "denied", "denied"), ("tripoli-herald", "published", "denied")],
                        modality="denied", stance="deny")
    vote = w.document("The High National Elections Commission announced that the Benghazi municipal elections are postponed until June.",
                      "en", outlet="tripoli-herald", day=7)
    w.vote = w.claim(vote, "the Benghazi municipal elections are postponed until June",
                     [("hnec", "said"), ("tripoli-herald", "published")], group="benghazi-vote-postponed")
    vote2 = w.document("A member of the elections commission said the Benghazi municipal elections could be postponed until June.",
                       "en", outlet="gulf-wire", day=8)
    w.vote2 = w.claim(vote2, "the Benghazi municipal elections could be postponed until June",
                      [("commission-member", "said", "hedged", "could"), ("gulf-wire", "published", "hedged")],
                      modality="hedged", group="benghazi-vote-postponed")
    session.flush()
    return w


# --- 1. display names in answers, the CLI, reports ---------------------------------------------


def _texts(answer) -> str:
    names = [h.source.display_name for h in answer.chain] + [answer.origin.display_name]
    return " ".join([answer.answer_text or "", *names])


def test_arabic_answer_names_sources_in_arabic_and_the_unidentified_publisher_as_such(session: Session, world: World):
    result = ask(session, "من قال إن محادثات جدة ستستأنف الأسبوع المقبل؟")
    assert result.found and result.answers[0].claim.id == world.talks.id
    top = result.answers[0]
    assert top.origin.display_name == "وزارة الخارجية السودانية"
    assert [h.source.display_name for h in top.chain] == ["وزارة الخارجية السودانية", "ناشر لم يُذكر اسمه"]
    text = _texts(top)
    assert "وزارة الخارجية السودانية" in top.answer_text and "ناشر لم يُذكر اسمه" in top.answer_text
    for never in ("Unidentified", "Sudanese Ministry", "الوزارة،", "المصدر الأصلي: المصدر"):
        assert never not in text
    assert top.origin.name == "Sudanese Ministry of Foreign Affairs"  # the record name stays the record's


def test_english_answer_names_an_unnamed_source_and_an_unidentified_publisher(session: Session, world: World):
    top = ask(session, "Who said fuel shipments to Khartoum have been suspended?").answers[0]
    assert top.claim.id == world.fuel.id
    assert top.answer_text.startswith("Originally an official at Port Sudan, published by an unidentified publisher.")
    assert "Unidentified publisher of" not in _texts(top)


def test_cli_table_uses_the_display_names(session: Session, world: World, use_database, db):
    session.commit()
    use_database(db)
    from claims.cli import main

    runner = CliRunner()
    human = runner.invoke(main, ["ask", "من قال إن محادثات جدة ستستأنف الأسبوع المقبل؟"])
    assert human.exit_code == 0, human.output
    assert "وزارة الخارجية السودانية" in human.output and "ناشر لم يُذكر اسمه" in human.output
    assert "Unidentified publisher" not in human.output and "Sudanese Ministry" not in human.output
    verdict = runner.invoke(main, ["ask", "Will Sanaa airport reopen to commercial flights next month?"])
    assert verdict.exit_code == 0 and "verdict: only hedged" in verdict.output
    body = json.loads(runner.invoke(main, ["ask", "Will Sanaa airport reopen to commercial flights next month?", "--json"]).output)
    assert body["verdict"] == "only_hedged" and body["answers"][0]["verdict"] == "only_hedged"


def test_reports_and_sections_name_sources_by_the_same_rule(session: Session, world: World):
    section = claim_section(session, world.talks, "ar")
    assert [h.source.display_name for h in section.chain] == ["وزارة الخارجية السودانية", "ناشر لم يُذكر اسمه"]
    assert section.origin.display_name == "وزارة الخارجية السودانية"
    english = claim_section(session, world.talks, "en")
    assert english.chain[-1].source.display_name == "an unidentified publisher"
    assert claim_section(session, world.talks).chain[0].source.display_name is None  # records read without a language

    from claims.reports import build_report, render

    html = render(build_report(session, "claim", world.talks.id), "html").body.decode("utf-8")
    assert "an unidentified publisher" in html and "(record: Unidentified publisher of the Khartoum brief)" in html


# --- 2. verdicts --------------------------------------------------------------------------------


def _telling(modality: str, *hops: str, stance: str = "affirm") -> NS:
    return NS(modality=modality, stance=stance, hops=[NS(modality=m, cue=None) for m in hops])


@pytest.mark.parametrize(
    ("tellings", "verdict"),
    [
        ([_telling("asserted", "asserted", "asserted")], Verdict.YES),
        ([_telling("reported", "asserted", "reported")], Verdict.YES),
        # a relay that hardens a hedge does not make it firm
        ([_telling("asserted", "hedged", "asserted")], Verdict.ONLY_HEDGED),
        ([_telling("hinted", "hinted")], Verdict.ONLY_HEDGED),
        ([_telling("opinion", "opinion")], Verdict.ONLY_HEDGED),
        ([_telling("denied", "denied", stance="deny")], Verdict.NO),
        ([_telling("asserted", "asserted", stance="deny")], Verdict.NO),
        ([_telling("asserted", "asserted"), _telling("denied", "denied", stance="deny")], Verdict.DISPUTED),
        ([_telling("asserted", "asserted"), _telling("hedged", "hedged")], Verdict.DISPUTED),
        ([_telling("hedged", "hedged"), _telling("asserted", "asserted")], Verdict.DISPUTED),
        ([], Verdict.UNSUPPORTED),
    ],
)
def test_verdict_rule(tellings, verdict):
    assert judge(tellings)[0] == verdict


@pytest.mark.parametrize(
    ("question", "lang"),
    [("Will Sanaa airport reopen to commercial flights next month?", "en"),
     ("Is it true that Sanaa airport will reopen to commercial flights next month?", "en"),
     ("هل سيُعاد فتح مطار صنعاء أمام الرحلات التجارية الشهر المقبل؟", "ar")],
)
def test_only_hedged_origin_is_never_called_firm(session: Session, world: World, question, lang):
    result = ask(session, question)
    assert result.found and result.lang == lang and result.verdict == Verdict.ONLY_HEDGED
    top = result.answers[0]
    assert top.verdict == Verdict.ONLY_HEDGED and top.origin.id == world.sources["adviser"].id
    if lang == "ar":
        assert "الصيغة مؤكدة" not in top.answer_text and not top.answer_text.startswith(("نعم", "الروايات"))
        assert top.answer_text.startswith("بصيغة متحفظة فقط") and "نبيل سعيد" in top.answer_text
        assert "تحولت الصيغة من متحفظة" in top.answer_text  # how the wording changed between hops
    else:
        assert top.answer_text.startswith("Only hedged: no source states it firmly; Nabil Saeed only hedges it.")
        assert "it went from hedged to asserted at Aden Daily" in top.answer_text


def test_the_chain_answer_never_calls_a_hardened_hedge_firm(session: Session, world: World):
    ar = ask(session, "من قال إن مطار صنعاء قد يُعاد فتحه أمام الرحلات التجارية الشهر المقبل؟").answers[0]
    assert ar.verdict is None and "الصيغة مؤكدة" not in ar.answer_text and "متحفظة" in ar.answer_text


@pytest.mark.parametrize(
    "question",
    ["Did Karim Haddad say the ceasefire in Hodeidah is holding?", "هل قال كريم حداد إن وقف إطلاق النار في الحديدة صامد؟"],
)
def test_did_x_say_is_answered_yes_with_x_named_in_the_question_language(session: Session, world: World, question):
    result = ask(session, question)
    assert result.found and result.intent == "speaker" and result.verdict == Verdict.YES
    top = result.answers[0]
    assert top.origin.id == world.sources["haddad"].id
    expected = "نعم: يجزم بذلك كريم حداد" if result.lang == "ar" else "Yes: Karim Haddad states it."
    assert top.answer_text.startswith(expected)
    assert "المبعوث الأممي" not in top.answer_text  # a role alias is never the name


def test_a_denied_proposition_is_answered_no(session: Session, world: World):
    result = ask(session, "Has the Sharara oil field been shut down?")
    assert result.verdict == Verdict.NO
    assert result.answers[0].answer_text.startswith("No: Libyan Ministry of Oil denies it.")


def test_sources_that_disagree_on_how_firmly_make_it_disputed(session: Session, world: World):
    result = ask(session, "Are the Benghazi municipal elections postponed until June?")
    assert result.verdict == Verdict.DISPUTED
    text = result.answers[0].answer_text
    assert text.startswith("Disputed: High National Elections Commission states it, but a member of the elections commission only hedges it.")


def test_nothing_stored_is_unsupported_and_other_questions_get_no_verdict(session: Session, world: World):
    result = ask(session, "Is it true that Mauritania closed its border with Mali?")
    assert not result.found and result.verdict == Verdict.UNSUPPORTED
    who = ask(session, "Who said the ceasefire in Hodeidah is holding?")
    assert who.found and who.verdict is None and who.answers[0].verdict is None


# --- 3. what did X say, without a topic ---------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lang"),
    [("What did Karim Haddad say?", "en"), ("What has Karim Haddad said?", "en"), ("ماذا قال كريم حداد؟", "ar"),
     ("ما الذي قاله كريم حداد؟", "ar")],
)
def test_what_did_x_say_without_a_topic_lists_what_x_said_most_recent_first(session: Session, world: World, question, lang):
    parsed = parse_question(question)
    assert parsed.intent == "speaker" and parsed.about_anything
    result = ask(session, question)
    assert result.found and result.lang == lang and result.verdict is None
    claims = [a.claim.id for a in result.answers]
    # one answer per proposition: the Amman statement (day 12), then the ceasefire (its two tellings)
    assert claims[0] == world.prisoners.id
    assert claims[1] in (world.ceasefire.id, world.ceasefire_ar.id) and len(claims) == 2
    name = "كريم حداد" if lang == "ar" else "Karim Haddad"
    assert result.answers[0].answer_text.startswith(f"قال {name}:" if lang == "ar" else f"{name} said:")
    assert "talks on a prisoner exchange will begin in Amman on Tuesday" in result.answers[0].answer_text


def test_what_did_an_unnamed_source_say(session: Session, world: World):
    result = ask(session, "What did the official at Port Sudan say?")
    assert result.found and [a.claim.id for a in result.answers] == [world.fuel.id]
    assert result.answers[0].answer_text.startswith("an official at Port Sudan said:")


def test_what_did_x_say_keeps_its_topic_and_an_unknown_speaker_finds_nothing(session: Session, world: World):
    topic = ask(session, "What did Karim Haddad say about the ceasefire in Hodeidah?")
    assert topic.found and topic.answers[0].claim.id in (world.ceasefire.id, world.ceasefire_ar.id)
    assert all(a.claim.id != world.prisoners.id for a in topic.answers)
    assert not ask(session, "What did Zbigniew Nobody say?").found


# --- 4. origin and chain from the same telling --------------------------------------------------


def test_origin_in_another_document_brings_that_documents_chain(session: Session, world: World):
    # The English telling is what the question words; the origin rule picks the earlier-dated
    # telling of the same kind, so the answer shows that (Arabic) telling's document and chain.
    top = ask(session, "Who said the ceasefire in Hodeidah is holding?").answers[0]
    telling = world.ceasefire  # day 10, before the Arabic telling (day 11)
    assert top.origin.claim_id == top.claim.id == telling.id
    assert top.document_id == telling.document_id
    assert [h.source.id for h in top.chain] == [h.source_id for h in telling.hops]
    ar = ask(session, "من قال إن وقف إطلاق النار في الحديدة صامد؟").answers[0]
    assert ar.origin.claim_id == ar.claim.id == telling.id and ar.document_id == telling.document_id
    assert [h.source.display_name for h in ar.chain] == ["كريم حداد", "وكالة غلف واير"]


# --- the web ask page ---------------------------------------------------------------------------


def test_web_ask_page_shows_the_verdict_and_names_sources_in_the_interface_language(session: Session, world: World, app_factory):
    from litestar.testing import TestClient

    session.commit()
    with TestClient(app=app_factory()) as client:
        ar = client.get("/", params={"q": "هل سيُعاد فتح مطار صنعاء أمام الرحلات التجارية الشهر المقبل؟", "ui": "ar"}).text
        assert 'class="verdict verdict-only_hedged"' in ar and "بصيغة متحفظة فقط: لا يجزم به أي مصدر" in ar
        facts = ar[ar.index('<dl class="facts">') : ar.index("</dl>")]
        assert "نبيل سعيد" in facts
        for english in ("Nabil Saeed", "Aden Daily"):  # not in the facts box, hop list, graph or its aria-label
            assert english not in ar
        en = client.get("/", params={"q": "من قال إن محادثات جدة ستستأنف الأسبوع المقبل؟", "ui": "en"}).text
        chain = en[en.index('<ol class="chain">') :]
        assert "an unidentified publisher" in chain and "Sudanese Ministry of Foreign Affairs" in chain
        assert "Unidentified publisher of" not in en and 'id="verdict"' not in en


def test_provenance_names_sources_for_the_asked_language_or_the_claims(session: Session, world: World, client):
    from claims.provenance import provenance, trace

    traced, built = trace(session, world.talks.id, "ar"), provenance(session, world.talks, "ar")
    shown = lambda p: ([h.source.display_name for h in p.chain], p.origin.display_name)  # noqa: E731
    assert shown(traced) == shown(built) == (["وزارة الخارجية السودانية", "ناشر لم يُذكر اسمه"], "وزارة الخارجية السودانية")
    session.commit()
    ar = client.get(f"/api/v1/claims/{world.talks.id}/provenance", params={"lang": "ar"}).json()
    assert [h["source"]["display_name"] for h in ar["chain"]] == ["وزارة الخارجية السودانية", "ناشر لم يُذكر اسمه"]
    assert ar["origin"]["display_name"] == "وزارة الخارجية السودانية"
    plain = client.get(f"/api/v1/claims/{world.talks.id}/provenance").json()
    # without ?lang, sources are named for a reader of the claim's language (Arabic here)
    assert [h["source"]["display_name"] for h in plain["chain"]] == ["وزارة الخارجية السودانية", "ناشر لم يُذكر اسمه"]
    assert plain["chain"][0]["source"]["name"] == "Sudanese Ministry of Foreign Affairs"
    en = client.get(f"/api/v1/claims/{world.talks.id}/provenance", params={"lang": "en"}).json()
    assert en["chain"][0]["source"]["display_name"] == "Sudanese Ministry of Foreign Affairs"
    assert client.get(f"/api/v1/claims/{world.talks.id}/provenance", params={"lang": "arabic"}).status_code == 422


def test_a_question_that_hedges_too_is_still_told_the_evidence_only_hedges(session: Session, world: World):
    result = ask(session, "Is it true that Sanaa airport may reopen to commercial flights next month?")
    assert result.verdict == Verdict.ONLY_HEDGED
    assert result.answers[0].answer_text.startswith("Only hedged: no source states it firmly; Nabil Saeed only hedges it.")


@pytest.mark.parametrize(
    ("question", "verdict", "start"),
    [("Did the Libyan Ministry of Oil deny that the Sharara oil field has been shut down?", Verdict.YES,
      "Yes: Libyan Ministry of Oil denies it."),
     ("هل نفت وزارة النفط الليبية إغلاق حقل الشرارة؟", None, None),
     ("Did Karim Haddad deny that the ceasefire in Hodeidah is holding?", Verdict.NO, "No: Karim Haddad states it.")],
)
def test_a_question_about_a_denial_is_answered_yes_by_the_denial(session: Session, world: World, question, verdict, start):
    parsed = parse_question(question)
    assert parsed.yes_no and parsed.asks_denial
    if verdict is None:
        return  # the Arabic form is parsed as a denial question; the fixture's Sharara text is English
    result = ask(session, question)
    assert result.verdict == verdict and result.answers[0].answer_text.startswith(start)


def test_verdict_rule_for_a_question_about_a_denial():
    deny, affirm = _telling("denied", "denied", stance="deny"), _telling("asserted", "asserted")
    assert judge([deny], denial=True)[0] == Verdict.YES
    assert judge([affirm], denial=True)[0] == Verdict.NO
    assert judge([deny, affirm], denial=True)[0] == Verdict.DISPUTED
