"""Arabic attribution classes found on the fourth round of held-out dev articles (issue 14,
h63-h70: a sports desk, a court report, a parliamentary session, a UN briefing, a health desk,
a translated interview, a press release, a TV site), each tested on sentences written for this
file (not taken from any article)."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from claims.vocabulary import Modality
from tests.extraction.helpers import chain, claim_with, speaker_of

OUTLET = "صحيفة الميزان"


def claims_of(text: str, outlet: str = OUTLET):
    return extract(text, lang="ar", outlet=outlet).claims


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # a question put by an MP, a hint written with shadda (لمّحت), an accusation with its object
        ("وتساءل النائب سالم العنزي: «أين ذهبت أموال الصندوق؟».", "أين ذهبت", "سالم العنزي"),
        ("ولمّحت الوزيرة هدى السالم إلى أن الرسوم قد ترتفع.", "الرسوم قد ترتفع", "هدى السالم"),
        ('واتهم المتحدث باسم الجيش خالد يونس الميليشيا بـ"قصف الأحياء السكنية".', "الميليشيا", "خالد يونس"),
        ('واتهم مندوب ليبيا لدى الأمم المتحدة، طاهر السني، الحكومة الموازية بـ"عرقلة الانتخابات".', "الحكومة الموازية", "طاهر السني"),
        # a standing denial in the imperfect, verb first
        ("بالمقابل، ينفي المتهم الأول كل التهم الموجهة إليه.", "كل التهم", "المتهم الأول"),
        # a topic with أما and a ف-verb without a comma: أما is not part of the speaker
        ('أما الباحث أحمد الكبيسي فاعتبر أن القرار "متسرع".', "متسرع", "أحمد الكبيسي"),
        # pages on social media: the platform belongs to the source; the plural in ـات is no verb
        ("ادعت صفحات على مواقع التواصل الاجتماعي أن عدد الوفيات تجاوز العشرين.", "عدد الوفيات", "صفحات على مواقع التواصل الاجتماعي"),
    ],
)
def test_new_cues_and_their_speakers(text, fragment, speaker):
    c = claim_with(claims_of(text), fragment)
    assert chain(c)[0] == speaker


def test_accused_object_opens_the_content():
    text = 'واتهم المتحدث باسم الجيش خالد يونس الميليشيا بـ"قصف الأحياء السكنية".'
    c = claim_with(claims_of(text), "الميليشيا")
    assert c.text.startswith("الميليشيا")
    assert speaker_of(text, c) == "المتحدث باسم الجيش خالد يونس"


def test_imperfect_denial_in_a_headline_is_no_cue():
    text = "الجيش ينفي المشاركة في المحادثات\nقال المتحدث باسم الجيش إن الوفد \"لن يسافر\".\n"
    head = claim_with(claims_of(text), "ينفي المشاركة")
    assert not head.attributed


def test_manner_participle_is_not_part_of_the_speaker():
    text = 'قال الوزير سامي الحداد إن الطريق "آمن".\nوأضاف الحداد مستدركاً أن "الحذر واجب".\nوأضاف مستدركاً: «لا نريد مفاجآت».\n'
    cs = claims_of(text)
    second = claim_with(cs, "الحذر واجب")
    assert speaker_of(text, second) == "الحداد"
    third = claim_with(cs, "لا نريد مفاجآت")
    assert chain(third)[0] == "سامي الحداد"


def test_but_he_said_follows_the_earlier_speaker():
    text = 'قال الوزير سامي الحداد إن الطريق "آمن"، لكنه قال إن الجسر "يحتاج إلى صيانة".\n'
    c = claim_with(claims_of(text), "يحتاج إلى صيانة")
    assert chain(c)[0] == "سامي الحداد"


def test_replied_with_wa_and_a_three_letter_verb():
    text = 'وأكد ممثل النيابة أن الفواتير "مضخمة".\nورد المحامي قائلاً: «الخبرة أُنجزت في غيابنا».\n'
    c = claim_with(claims_of(text), "الخبرة أُنجزت")
    assert chain(c)[0] == "المحامي"


def test_relative_reply_ends_the_claim_it_answers():
    text = "ادعت حسابات على منصات التواصل أن المصنع أغلق، وهو ما نفته إدارة المصنع جملة وتفصيلاً.\n"
    cs = claims_of(text)
    c = claim_with(cs, "المصنع أغلق")
    assert "نفته" not in c.text and c.modality != Modality.DENIED
    assert not any(x.attributed and "جملة" in x.text and chain(x)[0] != "إدارة المصنع" for x in cs)


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # whom unnamed sources are close to belongs to the source
        ("وأفادت مصادر مقربة من المدرب بأن العقد سيُجدد.", "العقد سيُجدد", "مصادر مقربة من المدرب"),
        # a statement issued by an office, a report issued by an organisation
        ("وأورد بيان صادر عن مكتب الوسيط أن الجولة المقبلة ستعقد في الدوحة.", "الجولة المقبلة", "مكتب الوسيط"),
        ('وكشف تقرير صادر عن منظمة العمل الدولية أن البطالة "ارتفعت".', "البطالة", "منظمة العمل الدولية"),
        # the report the source spoke in is the occasion, not part of its name
        ("وذكر صندوق النقد العربي في تقريره السنوي أن النمو سيتباطأ.", "النمو سيتباطأ", "صندوق النقد العربي"),
        # a long title ending with "إلى + place," and one with a five-word tail before the comma
        ('حذر المبعوث الخاص للأمين العام للأمم المتحدة إلى ليبيا، يان كوبيش، من أن البلاد "تقف على حافة الانقسام".', "حافة الانقسام", "يان كوبيش"),
        ('وقال النائب عن حزب العمال الكردستاني الجديد، شيروان الدوبرداني، إن الهجمات "تتكرر".', "تتكرر", "شيروان الدوبرداني"),
        # a company's quoted name and what describes it, inside an unnamed source's affiliation
        ('وقال مصدر في شركة "نفط الشمال" المشغلة للحقل إن الأضرار "محدودة".', "محدودة", 'مصدر في شركة "نفط الشمال" المشغلة للحقل'),
        # a call's object in the accusative plural is not part of the caller
        ("ودعت الوزارة المواطنين إلى تغطية خزانات المياه.", "تغطية خزانات", "الوزارة"),
        # بيّن (explained), clause-first with a complementiser
        ('وبيّن المدير التنفيذي أن الشركة "ستتوسع".', "ستتوسع", "المدير التنفيذي"),
    ],
)
def test_speaker_phrases_of_the_fourth_round(text, fragment, speaker):
    c = claim_with(claims_of(text), fragment)
    assert speaker_of(text, c) == speaker


def test_bayyin_as_between_is_no_cue():
    cs = claims_of("واتفق الطرفان على تقاسم الإيرادات بين الإقليم والحكومة، على أن تُصرف الرواتب شهرياً.\n")
    assert not any(c.attributed for c in cs)


def test_each_member_listed_after_a_plural_title_speaks():
    text = 'وقال النواب فهد العتيبي ومبارك الحريص وعبدالله المضف إن الحكومة "تطلب تفويضاً مفتوحاً".\n'
    cs = [c for c in claims_of(text) if "تفويضاً" in c.text]
    assert sorted(speaker_of(text, c) for c in cs) == ["عبدالله المضف", "فهد العتيبي", "مبارك الحريص"]


def test_the_statement_refers_back_to_its_issuer():
    text = (
        "أعلن بنك الخليج، في بيان صحفي، أن أرباحه ارتفعت.\n"
        'وقال الرئيس التنفيذي سامي نور إن النتائج "ممتازة".\n'
        "ووفقاً للبيان، فإن الأصول ارتفعت إلى أربعة مليارات.\n"
        "وأشار البيان إلى أن البنك سيعقد مؤتمراً للمستثمرين.\n"
    )
    cs = claims_of(text)
    assert chain(claim_with(cs, "الأصول ارتفعت"))[0] == "بنك الخليج"
    assert chain(claim_with(cs, "مؤتمراً للمستثمرين"))[0] == "بنك الخليج"


def test_a_translator_named_in_a_relative_clause_is_a_hop():
    text = 'وقال المبعوث سامي حداد في الكلمة التي ترجمها مركز الإعلام الأممي: «الحوار ممكن».\n'
    c = claim_with(claims_of(text), "الحوار ممكن")
    assert chain(c) == ["سامي حداد", "مركز الإعلام الأممي", OUTLET]


def test_a_known_name_beginning_with_fa_is_not_a_verb():
    text = 'قال مدرب الفريق جواو فيريرا إن الفريق "جاهز".\nوأضاف فيريرا مستدركاً أن "الإدارة تقرر".\n'
    c = claim_with(claims_of(text), "الإدارة تقرر")
    assert speaker_of(text, c) == "فيريرا"


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        ('ونوّه المحلل الاقتصادي سالم بدر إلى أن الأسعار "ستستقر".', "ستستقر", "المحلل الاقتصادي سالم بدر"),
        # the accused after an organisation subject, before the ب of the charge
        ('اتهمت هيئة الدفاع النيابة بـ"تجاهل الأدلة".', "تجاهل الأدلة", "هيئة الدفاع"),
        # a confirmation's nominal object (استعداد + suffix)
        ("أكدت المنظمة الدولية للهجرة استعدادها لإجلاء العالقين.", "لإجلاء العالقين", "المنظمة الدولية للهجرة"),
        # المكلفة as a title before an apposed name
        ('وأوضحت المكلفة بالاتصال في البلدية، سناء قاسم، أن المياه "ستعود غداً".', "ستعود غداً", "سناء قاسم"),
        # a feminine unnamed source with her affiliation, and a relative clause between commas
        ('وقالت ممرضة في مستشفى المدينة، طلبت عدم ذكر اسمها، إن الأدوية "نفدت".', "نفدت", "ممرضة في مستشفى المدينة"),
        # حسبما + verb + به
        ("وحسبما أفاد به عضو في اللجنة، فإن الاجتماع سيعقد الأحد.", "الاجتماع سيعقد", "عضو في اللجنة"),
        # a topic with أما closed by فقد without a comma
        ('أما النقابة الوطنية للصحفيين فقد عبرت عن "قلقها البالغ" من القرار.', "قلقها البالغ", "النقابة الوطنية للصحفيين"),
        # statistics: the data noun, then the authority with its genitive
        ("كشفت بيانات الهيئة الوطنية للإحصاء أن البطالة تراجعت.", "البطالة تراجعت", "الهيئة الوطنية للإحصاء"),
        # a bank's quoted name inside the analysts' affiliation
        ('ونقلت وكالة رويترز عن محللين في بنك "غولدمان ساكس" قولهم إن النمو "سيتباطأ".', "سيتباطأ", 'محللين في بنك "غولدمان ساكس"'),
    ],
)
def test_speaker_phrases_of_the_fourth_round_second_batch(text, fragment, speaker):
    c = claim_with(claims_of(text), fragment)
    assert speaker_of(text, c) == speaker


def test_a_title_s_genitive_and_a_spokesman_for_her_stay_in_the_title():
    text = (
        'يقول رئيس الجمعية الوطنية للمزارعين سالم العبيدي إن الموسم "صعب".\n'
        'أعلنت الوزارة على لسان المتحدث باسمها سامي الكعبي أن المعبر "سيفتح".\n'
        'وأعرب الكعبي عن أمله في أن يستمر الهدوء.\n'
    )
    cs = claims_of(text)
    assert chain(claim_with(cs, "صعب"))[0] == "سالم العبيدي"
    assert chain(claim_with(cs, "يستمر الهدوء"))[0] == "سامي الكعبي"
