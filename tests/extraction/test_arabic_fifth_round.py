"""Arabic attribution classes found on the fifth round of held-out dev articles (issue 14,
h77-h88: Iraqi and Jordanian wire copy, Egyptian and Tunisian TV sites, a Maghreb think-tank
summary, a Lebanese op-ed, a Gulf press release, a Libyan denial, nested relays), each tested
on sentences written for this file (not taken from any article)."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from tests.extraction.helpers import chain, claim_with, speaker_of

OUTLET = "صحيفة الميزان"


def claims_of(text: str, outlet: str = OUTLET):
    return extract(text, lang="ar", outlet=outlet).claims


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # a contrastive connective before a fronted subject is not the speaker
        ("غير أن مصادر محلية في بلدة الزاوية أفادت بأن الطريق أغلق مساء الخميس.", "الطريق أغلق", "مصادر محلية في بلدة الزاوية"),
        # an emphatic pronoun after a fronted subject is not part of the name
        ('لكن شركة المياه الوطنية نفسها أوردت في بيان أن المخزون "لا يكفي لشهر".', "المخزون", "شركة المياه الوطنية"),
        # unnamed sources keep their affiliation: an engineer, an owner, a passenger, traders
        ('وقال صاحب مخبز في حي الميدان إن الطحين "لم يصل منذ أسبوع".', "الطحين", "صاحب مخبز في حي الميدان"),
        ('وقال مهندس يعمل في المحطة إن التوربين "متوقف منذ الفجر".', "التوربين", "مهندس يعمل في المحطة"),
        # "مطلع على X": what the source is familiar with belongs to it
        ('ونقلت وكالة الأنباء الفرنسية عن مسؤول مطلع على ملف القرض قوله إن التوقيع "قريب".', "التوقيع", "مسؤول مطلع على ملف القرض"),
        # a relayed speaker ends before its verbal noun with a pronoun, as before "قوله"
        ('ونقلت الوكالة عن وزير المالية سامر الخطيب تأكيده أن العجز "سينخفض".', "العجز", "وزير المالية سامر الخطيب"),
        ('ونقل الموقع عن خبراء ماليين تحذيرهم من أن الدين "سيتضاعف".', "الدين", "خبراء ماليين"),
        # "أما X، apposition، فقد CUE": the topic before its apposition speaks
        ('أما النائبة هدى الزين، عضو لجنة المال والموازنة، فقد ألمحت إلى أن الموازنة "لن تمر".', "لن تمر", "النائبة هدى الزين"),
        # a company is an organisation: its "لل" genitive belongs to its name
        ('وأشارت شركة الواحة للنفط والغاز، المشغلة للحقل، إلى أن الإنتاج "مستقر".', "مستقر", "شركة الواحة للنفط والغاز"),
        # the apposed name after a title with an organisation's quoted name
        ('ورأى المحلل في مؤسسة "كابيتال إيكونوميكس"، جيمس ريد، أن التضخم "سيتراجع ببطء".', "التضخم", "جيمس ريد"),
        # a told medium before the complementiser is not part of the speaker
        ('وقال متعاملون في السوق للموقع إن "الشحنات تأخرت".', "الشحنات", "متعاملون في السوق"),
        # the subject before an anonymity aside speaks
        ('لكن موظفاً في البلدية، طلب عدم ذكر اسمه لأنه غير مخول بالحديث، نفى لـ"الميزان" وجود أي عجز، مؤكداً أن "الرواتب ستصرف".\n',
         "الرواتب ستصرف", "موظفاً في البلدية"),
    ],
)
def test_speakers(text, fragment, speaker):
    c = claim_with(claims_of(text), fragment)
    assert speaker_of(text, c) == speaker


def test_parenthetical_naqlan_an_outlet_relays_the_person():
    text = 'بدوره، رأى الخبير الزراعي منذر العلي، نقلا عن موقع "السنابل نيوز"، أن الموسم "سيكون ضعيفاً".'
    c = claim_with(claims_of(text), "الموسم")
    assert speaker_of(text, c) == "الخبير الزراعي منذر العلي"
    assert chain(c)[1] == "موقع السنابل نيوز"


def test_unquoted_agency_told_keeps_its_name():
    text = "وقال أحد المزارعين لوكالة فرانس برس: «لم نعد نملك ما نزرعه».\n"
    c = claim_with(claims_of(text), "لم نعد نملك")
    assert chain(c)[1] == "وكالة فرانس برس"


def test_translator_after_a_statement_noun_is_a_hop():
    text = "وقالت المنسقة لينا فارس في بيان ترجمه مكتب الأمم المتحدة للإعلام: «الوقت ينفد».\n"
    c = claim_with(claims_of(text), "الوقت ينفد")
    assert chain(c)[1] == "مكتب الأمم المتحدة للإعلام"


def test_agency_relative_clause_relays_its_sources():
    text = "وبحسب وكالة رويترز، التي نقلت عن ثلاثة مصادر في الميناء، فإن السفينة غادرت فجراً.\n"
    c = claim_with(claims_of(text), "السفينة غادرت")
    assert chain(c)[:2] == ["ثلاثة مصادر في الميناء", "وكالة رويترز"]


def test_definite_official_estimates_are_not_a_speaker():
    text = "ويستخدم الجسر نحو مئة ألف سيارة يومياً وفق التقديرات الرسمية.\n"
    c = claim_with(claims_of(text), "الجسر")
    assert c.hops[0].mention.publisher


def test_masthead_with_a_dash_names_the_publisher():
    text = "معهد الضفة للسياسات - ملخص تنفيذي\nخلص تقرير أصدره معهد الضفة للسياسات إلى أن البطالة \"ستبلغ ذروتها العام المقبل\".\n"
    c = claim_with(claims_of(text, outlet="Dafa Policy Institute"), "البطالة")
    assert len(c.hops) == 1 and c.hops[0].mention.publisher


def test_one_of_the_relayed_group_keeps_the_relay():
    text = 'ونقلت وكالة رويترز عن دبلوماسيين في جنيف قولهم إن الجولة "ستبدأ الاثنين".\nوأوضح أحد الدبلوماسيين، الذي طلب عدم نشر اسمه، أن الوفدين "وصلا أمس".\n'
    c = claim_with(claims_of(text), "وصلا أمس")
    assert chain(c)[:2] == ["أحد الدبلوماسيين", "وكالة رويترز"]
