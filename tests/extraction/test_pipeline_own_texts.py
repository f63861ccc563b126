"""The phenomena of ``test_pipeline.py`` (written against the seeds) again, on texts the team
wrote for this test: report inheritance, nested relays through a medium, unnamed sources,
op-ed bylines, statement inheritance, modality and quote continuation, in both languages; each
test runs with the trained English model on (the default) and on the rules alone."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from claims.vocabulary import Modality, Relation, SourceKind, Stance
from tests.extraction.helpers import chain, claim_with

OUTLET = "Harbour Gazette"


#: English through the trained model and through the rules alone (tests/extraction/conftest.py).
pytestmark = pytest.mark.usefixtures("attribution_path")


def claims_of(text: str, lang: str):
    return extract(text, lang=lang, outlet=OUTLET).claims


def test_report_inheritance_in_arabic_until_the_text_moves_on():
    text = (
        "تعثر إصلاح الموانئ\n\n"
        "وذكرت صحيفة الساحل الجديد في تقرير لها أن إصلاح الموانئ تعثر بسبب الخلافات.\n\n"
        "وبحسب التقرير، فإن النقابات عرقلت التصويت في البرلمان.\n\n"
        "وأشار التقرير إلى أن تصويتا جديدا قد يجري في يونيو.\n\n"
        "وتعمل العبارات بشكل طبيعي في الموانئ كلها.\n"
    )
    cs = claims_of(text, "ar")
    for fragment in ("إصلاح الموانئ تعثر", "النقابات عرقلت", "تصويتا جديدا"):
        assert chain(claim_with(cs, fragment))[0] == "صحيفة الساحل الجديد", fragment
    assert claim_with(cs, "تصويتا جديدا").modality == Modality.HEDGED
    assert claim_with(cs, "العبارات").hops[0].mention.publisher


def test_report_inheritance_in_english():
    text = (
        "Port reform stalls\n\n"
        "The Harbour Times reported that the reform had stalled. According to the report, unions blocked the vote. "
        "The report added that a new vote may come in June.\n\n"
        "Ferries ran normally on Sunday across the bay.\n"
    )
    cs = claims_of(text, "en")
    assert chain(claim_with(cs, "reform had stalled"))[0] == "The Harbour Times"
    assert claim_with(cs, "new vote may come").modality == Modality.HEDGED
    assert claim_with(cs, "Ferries ran").hops[0].mention.publisher


def test_a_speaker_telling_a_medium_inside_a_think_tank_report_gives_four_hops():
    text = "وقال السفير الإيطالي ماركو بيانكي لوسائل الإعلام المحلية إن الميناء سيتوسع العام المقبل، بحسب تقرير مركز دراسات البحر.\n"
    c = claim_with(claims_of(text, "ar"), "الميناء سيتوسع")
    assert chain(c) == ["ماركو بيانكي", "وسائل الإعلام المحلية", "مركز دراسات البحر", OUTLET]
    assert [h.relation for h in c.hops] == [Relation.SAID, Relation.REPORTED, Relation.REPORTED, Relation.PUBLISHED]


def test_unnamed_sources_are_anonymous_in_both_languages():
    en = claims_of("Officials said the bridge would reopen in May. Two sources familiar with the talks said a deal was close.\n", "en")
    ar = claims_of("وقال مصدر مطلع إن الاتفاق بات قريبا. وأكد مسؤولون أن الجسر سيفتح في مايو المقبل.\n", "ar")
    for c in (claim_with(en, "bridge would reopen"), claim_with(en, "deal was close"), claim_with(ar, "الاتفاق بات"), claim_with(ar, "الجسر سيفتح")):
        assert c.hops[0].mention.kind == SourceKind.ANONYMOUS


def test_oped_byline_makes_the_author_the_speaker_with_opinion():
    text = (
        "الموانئ والسياسة\n\n"
        "بقلم: سمير الحلو\n\n"
        "أعتقد أن إصلاح الموانئ تأخر كثيرا عن موعده. والحكومة تتحمل المسؤولية كاملة عن هذا التأخير.\n"
    )
    cs = claims_of(text, "ar")
    for fragment in ("إصلاح الموانئ تأخر", "الحكومة تتحمل"):
        c = claim_with(cs, fragment)
        assert chain(c)[0] == "سمير الحلو" and c.modality == Modality.OPINION


def test_a_statement_keeps_speaking_in_the_next_paragraph():
    text = (
        "وأكد بيان مشترك صدر عقب الاجتماع أن البلدين سيوسعان التعاون في مجال الطاقة.\n\n"
        "وأضاف البيان أن الجانبين اتفقا على تشكيل لجنة مشتركة للمتابعة.\n"
    )
    cs = claims_of(text, "ar")
    first, second = claim_with(cs, "سيوسعان التعاون"), claim_with(cs, "تشكيل لجنة")
    assert first.hops[0].mention.kind == SourceKind.DOCUMENT
    assert second.hops[0].mention is first.hops[0].mention


def test_modality_hint_denial_hedge_and_question():
    en = claims_of(
        'The minister hinted that taxes could rise. The ministry denied that any jobs would be cut. '
        'The plan may be delayed until spring, officials said. "Will it pass?" asked the mayor.\n',
        "en",
    )
    ar = claims_of(
        "وألمح الوزير إلى أن الضرائب سترتفع. ونفت الوزارة أن تكون هناك خطط لتسريح الموظفين. "
        "وقال مسؤول إن الخطة قد تتأخر حتى الربيع. ورجح محللون أن يمر القانون بسهولة.\n",
        "ar",
    )
    assert claim_with(en, "taxes could rise").modality == Modality.HINTED
    denied = claim_with(en, "jobs would be cut")
    assert denied.modality == Modality.DENIED and denied.stance == Stance.DENY
    assert claim_with(en, "plan may be delayed").modality == Modality.HEDGED
    assert claim_with(en, "Will it pass").modality == Modality.QUESTION
    assert claim_with(ar, "الضرائب سترتفع").modality == Modality.HINTED
    assert claim_with(ar, "خطط لتسريح").stance == Stance.DENY
    assert claim_with(ar, "الخطة قد تتأخر").modality == Modality.HEDGED
    assert claim_with(ar, "يمر القانون").modality == Modality.HEDGED


def test_a_quote_continues_its_speaker():
    cs = claims_of('"The port is safe," said Mayor Ines Calder. "We checked every crane."\n', "en")
    assert chain(claim_with(cs, "We checked every crane"))[0] == "Ines Calder"
