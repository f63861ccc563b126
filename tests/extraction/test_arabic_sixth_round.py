"""Arabic attribution classes found on the sixth round of held-out dev articles (issue 14,
h89-h101: a Gulf sports TV site, Maghreb and Gulf parliament desks, health desks, court reports,
an economy wire, a port press release, an op-ed, a TV talk-show transcript), each tested on
sentences written for this file (not taken from any article)."""

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
        # occupations as titles before a comma-apposed name: the name speaks
        ('وقال مدرب منتخب الشباب، كريم الحداد، إن الفريق "سيخوض مباراتين وديتين".', "مباراتين", "كريم الحداد"),
        ('وأكد محامي المتهمين، سامي الفرجاني، أن موكليه "لم يطلعوا على الملف".', "موكليه", "سامي الفرجاني"),
        ('ورأت استشارية طب الأطفال، الدكتورة هالة الراشد، أن اللقاح "آمن تماماً".', "اللقاح", "الدكتورة هالة الراشد"),
        ('وأوضح حارس مرمى المنتخب، مشعل المطيري، أن اللاعبين "جاهزون للمواجهة".', "جاهزون", "مشعل المطيري"),
        # a Gulf given name marks the name after a title in "أما TITLE، NAME، فقد" 
        ('أما رئيس النادي، حمد المري، فقد أكد أن الصفقة "لم تحسم بعد".', "الصفقة", "حمد المري"),
        # a data noun after the ل of "وفقاً لـ" is not part of the source
        ("ووفقاً لإحصاءات المركز الوطني للإحصاء، ارتفعت البطالة إلى تسعة في المئة خلال الربع الأخير.", "البطالة", "المركز الوطني للإحصاء"),
        # "دراسة أجرتها X": the organisation that conducted the study
        ("وبحسب دراسة أجرتها جامعة السلطان قابوس، يعاني ربع الطلاب من قلة النوم خلال فترة الامتحانات.", "ربع الطلاب", "جامعة السلطان قابوس"),
        # an unnamed official's affiliation with ب after an adjective, before an anonymity aside
        ('وقال مصدر مسؤول بالشركة، طلب عدم نشر اسمه، إن الرواتب "ستصرف الأحد".', "الرواتب", "مصدر مسؤول بالشركة"),
        # a second title after a titled name is the apposition, not the name
        ('وقال الدكتور ناصر العامري، عضو مجلس الإدارة، إن الأرباح "تضاعفت هذا العام".', "الأرباح", "الدكتور ناصر العامري"),
    ],
)
def test_speakers(text, fragment, speaker):
    c = claim_with(claims_of(text), fragment)
    assert speaker_of(text, c) == speaker


def test_issue_date_after_a_report_is_not_part_of_its_issuer():
    text = "وحسب تقرير ديوان الرقابة المالية الصادر في سبتمبر، فإن نصف المشاريع متعثرة منذ عامين كاملين."
    c = claim_with(claims_of(text), "نصف المشاريع")
    assert chain(c)[0] == "ديوان الرقابة المالية"
    assert "الصادر" not in c.text


def test_journalists_told_are_no_relay():
    text = 'وقال رئيس البلدية، منصور الزين، للصحافيين إن الطريق "سيفتح غداً".'
    c = claim_with(claims_of(text), "الطريق")
    assert chain(c) == ["منصور الزين", OUTLET]


def test_a_statement_posted_on_an_account_has_no_medium():
    text = "وأعلنت وزارة النقل، في بيان نشرته عبر حسابها على منصة فيسبوك، إلغاء رحلات القطار الليلية حتى إشعار آخر."
    c = claim_with(claims_of(text), "إلغاء رحلات")
    assert chain(c) == ["وزارة النقل", OUTLET]


def test_declining_to_be_named_is_not_a_cue():
    text = 'ورد مصدر رفيع بالبلدية، طلب عدم ذكر اسمه، بأن المشروع "متوقف لأسباب فنية".'
    claims = claims_of(text)
    c = claim_with(claims, "المشروع")
    assert speaker_of(text, c) == "مصدر رفيع بالبلدية"
    assert not [x for x in claims if x.attributed and "اسمه" in x.text]


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # two titles joined by و with no name after them: two people, one statement
        ('وأعلن وزير الزراعة ووزير التجارة، في مؤتمر صحفي مشترك، أن الأسعار "ستبقى مستقرة".', ["وزير الزراعة", "وزير التجارة"]),
        # two bodies, each with its own head noun ("كتلة X وكتلة Y", 'مرصد «X» ومنظمة «Y»')
        ('ورأت كتلة الوفاق الوطني وكتلة المستقبل، في بيان مشترك، أن القانون "يحتاج إلى مراجعة".', ["كتلة الوفاق الوطني", "كتلة المستقبل"]),
        ('وقال مرصد "الحقوق أولاً" ومنظمة "عدالة بلا قيود" إن المحاكمة "افتقرت إلى الضمانات".', ['مرصد "الحقوق أولاً"', 'منظمة "عدالة بلا قيود"']),
    ],
)
def test_joint_subjects_each_speak(text, speakers):
    found = sorted(speaker_of(text, c) for c in claims_of(text) if c.attributed)
    assert found == sorted(speakers)


def test_one_person_with_two_titles_stays_one_speaker():
    text = 'وقالت وزيرة المالية ووزيرة الدولة للشؤون الاقتصادية نورة الحمد إن العجز "سيتراجع".'
    c = claim_with(claims_of(text), "العجز")
    assert speaker_of(text, c) == "وزيرة المالية ووزيرة الدولة للشؤون الاقتصادية نورة الحمد"  # (a guard: passes before and after)
    assert len([x for x in claims_of(text) if x.attributed]) == 1


def test_transcript_labels_give_the_speaker_of_each_answer():
    text = (
        "نص المقابلة كما بثتها القناة مساء الأحد مع مدير الميناء.\n"
        "المذيع: هل تأثرت حركة السفن بالإضراب؟\n"
        "المدير يوسف الحسني: لا، الحركة طبيعية. استقبلنا أمس ثلاث عشرة سفينة كالمعتاد.\n"
        "المذيع: ومتى ينتهي مشروع التوسعة؟\n"
        "الحسني: نتوقع أن ينتهي العمل في الرصيف الجديد قبل الصيف المقبل بإذن الله.\n"
    )
    claims = [c for c in claims_of(text) if c.attributed]
    first = claim_with(claims, "الحركة طبيعية")
    assert speaker_of(text, first) == "المدير يوسف الحسني"
    assert "ثلاث عشرة سفينة" in first.text  # the whole answer, both sentences
    second = claim_with(claims, "الرصيف الجديد")
    assert speaker_of(text, second) == "الحسني"
    assert not [c for c in claims if "؟" in c.text]  # the interviewer's questions are no claims


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a relay through two media: "عن X، نقلاً عن Y، أن" and "عن X، التي نقلت بدورها عن Y، أن"
        ('ونقلت قناة "الأفق" عن وكالة الأناضول، نقلاً عن مسؤولين أتراك، أن المعبر "سيفتح الأسبوع المقبل".', ["مسؤولين أتراك", "وكالة الأناضول", "قناة الأفق", OUTLET]),
        ('ونقل موقع "المدار" عن صحيفة "الوطن"، التي نقلت بدورها عن مصدر في البلدية، أن المشروع "سيتأخر".', ["مصدر في البلدية", "صحيفة الوطن", "موقع المدار", OUTLET]),
        # an emphatic pronoun after the relayed speaker is not part of the name
        ('ونقلت إذاعة "صوت الجنوب" عن المدرب نفسه قوله إن الفريق "جاهز".', ["المدرب", "إذاعة صوت الجنوب", OUTLET]),
    ],
)
def test_relay_chains(text, expected):
    fragment = text.rsplit('"', 2)[1][:4]  # the start of the closing quotation
    c = claim_with(claims_of(text), fragment)
    assert chain(c) == expected


def test_plural_verb_after_a_fronted_plural_subject():
    text = 'لكن مهندسين في محطة التحلية أفادوا بأن الضخ "توقف منذ يومين".'
    c = claim_with(claims_of(text), "الضخ")
    assert speaker_of(text, c) == "مهندسين في محطة التحلية"


def test_the_same_occasion_keeps_the_medium():
    text = (
        'ونقلت صحيفة "الأنباء" عن نقابة المعلمين أن الإضراب "سيبدأ الأحد".\n'
        'وأوضح رئيس النقابة، في الحديث ذاته، أن المطالب "لم تتغير منذ عامين".'
    )
    c = claim_with(claims_of(text), "المطالب")
    assert chain(c) == ["رئيس النقابة", "صحيفة الأنباء", OUTLET]


def test_op_ed_first_person_after_lakinni_is_the_author():
    text = (
        "رأي | موازنة بلا أرقام\n"
        "بقلم: د. سمير الحلبي\n"
        'قال وزير المالية، في تصريح لوكالة الأنباء الرسمية، إن العجز "تحت السيطرة".\n'
        "لكنني أعتقد أن الحكومة تخفي حجم الدين الحقيقي عن البرلمان منذ سنوات.\n"
    )
    c = claim_with(claims_of(text), "تخفي حجم الدين")
    assert chain(c) == ["د. سمير الحلبي", OUTLET]


def test_passive_relay_with_an_apposed_name():
    text = 'ونُقل عن مدير مستشفى الأمل، الدكتور سامي الخطيب، قوله إن الأقسام "تعمل بشكل طبيعي".'
    c = claim_with(claims_of(text), "الأقسام")
    assert speaker_of(text, c) == "الدكتور سامي الخطيب"


def test_the_statement_refers_back_to_its_issuer():
    text = (
        'ذكر بيان لهيئة الرقابة الإدارية أن التحقيق "شمل اثني عشر موظفاً".\n'
        'وأضاف البيان أن الهيئة "أحالت الملف إلى النيابة العامة".'
    )
    c = claim_with(claims_of(text), "أحالت الملف")
    assert chain(c) == ["هيئة الرقابة الإدارية", OUTLET]


def test_press_release_issuer_named_in_the_headline_is_the_publisher():
    text = (
        "بيان صحفي\n"
        "هيئة الطيران المدني تطلق منصة رقمية جديدة لخدمة المسافرين\n"
        "مسقط، 2 ديسمبر 2025\n"
        "أعلنت هيئة الطيران المدني اليوم إطلاق منصة رقمية موحدة لخدمة المسافرين في جميع المطارات.\n"
        "ووفق بيانات الهيئة، استقبلت المطارات أكثر من ستة ملايين مسافر منذ بداية العام الجاري.\n"
    )
    claims = claims_of(text, outlet="Civil Aviation Authority")
    for fragment in ("منصة رقمية موحدة", "ستة ملايين مسافر"):
        c = claim_with(claims, fragment)
        assert chain(c) == ["Civil Aviation Authority"], fragment
