"""Arabic attribution classes found on the third round of held-out dev articles (issue 14,
h52-h55), each tested on sentences written for this file (not taken from any article)."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from tests.extraction.helpers import chain, claim_with, speaker_of

OUTLET = "صحيفة الميزان"


def claims_of(text: str, outlet: str = OUTLET):
    return extract(text, lang="ar", outlet=outlet).claims


@pytest.mark.parametrize(
    ("text", "speaker", "origin"),
    [
        # title, comma, honorific and name, comma: the name is the speaker
        (
            'أكد وزير الزراعة والري السوداني، الدكتور كامل حسن الطيب، أن الموسم "سيكون وفيراً".',
            "الدكتور كامل حسن الطيب",
            "كامل حسن الطيب",
        ),
        # a name without an honorific, closed by a comma, after a title with a prepositional tail
        (
            "نفى مدير المكتب الإعلامي في الهيئة العامة للموانئ بالعاصمة، نادر سليم حجازي، وقوع أي إصابات في الحريق.",
            "نادر سليم حجازي",
            "نادر سليم حجازي",
        ),
        # a title ending with بالإنابة, then the name closed by the complementiser
        (
            "وصرّح رئيس هيئة الطيران المدني بالإنابة، المهندس فادي يوسف بأن المطار سيفتح غداً.",
            "المهندس فادي يوسف",
            "فادي يوسف",
        ),
    ],
)
def test_comma_apposed_name_is_the_speaker(text, speaker, origin):
    c = claims_of(text)[0]
    assert speaker_of(text, c) == speaker
    assert chain(c)[0] == origin


def test_comma_apposed_title_is_kept_for_a_later_title_reference():
    text = (
        'قال محافظ البنك المركزي العراقي، علي محسن الزبيدي، إن الاحتياطي "مستقر".\n'
        'وأضاف المحافظ أن سعر الصرف "لن يتغير".'
    )
    second = claim_with(claims_of(text), "سعر الصرف")
    assert chain(second)[0] == "علي محسن الزبيدي"


def test_title_with_a_place_genitive_runs_through_the_place_to_the_name():
    text = 'قال المتحدث باسم حكومة إقليم دارفور يوسف آدم موسى إن المساعدات "وصلت".'
    c = claims_of(text)[0]
    assert speaker_of(text, c) == "المتحدث باسم حكومة إقليم دارفور يوسف آدم موسى"
    assert chain(c)[0] == "يوسف آدم موسى"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("وذكرت مصادر بالهيئة العامة للبترول أن الشحنة ستصل الأسبوع المقبل.", "مصادر بالهيئة العامة للبترول"),
        ("وقال مسؤول بالوزارة إن الاجتماع تأجل إلى موعد لاحق.", "مسؤول بالوزارة"),
    ],
)
def test_unnamed_source_with_a_bal_affiliation(text, speaker):
    assert speaker_of(text, claims_of(text)[0]) == speaker


@pytest.mark.parametrize(
    ("text", "speaker", "name"),
    [
        (
            "وأعلنت الهيئة الوطنية للانتخابات (هنا) أن النتائج ستعلن غداً.",
            "الهيئة الوطنية للانتخابات (هنا)",
            "الهيئة الوطنية للانتخابات",
        ),
        (
            "وقال مسؤول في منظمة الأمم المتحدة للطفولة (يونيسف) إن التمويل تأخر.",
            "مسؤول في منظمة الأمم المتحدة للطفولة (يونيسف)",
            None,
        ),
    ],
)
def test_acronym_in_brackets_closes_the_speaker_span(text, speaker, name):
    c = claims_of(text)[0]
    assert speaker_of(text, c) == speaker
    if name:
        assert chain(c)[0] == name


def test_topic_before_fa_qad_is_the_subject():
    text = (
        'قال وزير المالية إن العجز "تراجع".\n'
        'أما نقابة المعلمين، فقد حذّرت في بيان من أن تجميد الأجور "سيشعل الإضرابات".'
    )
    c = claim_with(claims_of(text), "تجميد الأجور")
    assert speaker_of(text, c) == "نقابة المعلمين"
    assert chain(c) == ["نقابة المعلمين", OUTLET]


def test_topic_does_not_replace_a_subject_after_the_verb():
    text = 'أما الحكومة، فقد قال المتحدث باسمها سمير جابر إن الخطة "جاهزة".'
    c = claims_of(text)[0]
    assert chain(c)[0] != "الحكومة"


def test_study_issued_by_a_centre_speaks_for_the_centre_and_is_referred_back_to():
    text = (
        "ملخص\n"
        "خلصت دراسة حديثة أعدّها معهد النيل للسياسات إلى أن البطالة بين الشباب بلغت 30 في المائة.\n"
        "ووفق الدراسة، فإن الهجرة الداخلية تضاعفت خلال خمس سنوات."
    )
    cl = claims_of(text)
    first = claim_with(cl, "البطالة")
    assert speaker_of(text, first) == "معهد النيل للسياسات"
    assert chain(claim_with(cl, "الهجرة الداخلية"))[0] == "معهد النيل للسياسات"


def test_masthead_names_the_publisher_so_its_own_study_has_one_hop():
    text = (
        "معهد النيل للسياسات | تقدير موقف\n"
        "خلصت دراسة حديثة أصدرها معهد النيل للسياسات إلى أن البطالة بين الشباب بلغت 30 في المائة.\n"
        'وقال الباحث في المعهد، الدكتور سامح عادل، إن الأرقام "مقلقة".'
    )
    cl = claims_of(text, outlet="Nile Policy Institute")
    assert len(claim_with(cl, "البطالة").hops) == 1
    assert chain(claim_with(cl, "مقلقة")) == ["سامح عادل", "Nile Policy Institute"]


def test_vowelled_passive_has_no_speaker_and_a_trailing_source_carries_it():
    text = (
        'قال النائب سالم داود إن الأزمة "ستطول".\n'
        "ويُتوقع أن تُعقد جولة جديدة من المحادثات الشهر المقبل، وفق ما أوردته صحيفة المسار."
    )
    c = claim_with(claims_of(text), "جولة جديدة")
    assert chain(c) == ["صحيفة المسار", OUTLET]


# ----------------------------------------------------------------- found on dev h56-h59


@pytest.mark.parametrize(
    ("text", "speaker", "origin"),
    [
        (
            'كمال الدين حسن، رئيس هيئة الموانئ، قال خلال جولة في الميناء إن الأرصفة "جاهزة".',
            "كمال الدين حسن",
            "كمال الدين حسن",
        ),
        (
            'غير أن المحلل الاقتصادي، الدكتور سامر يوسف، يرى أن الأرقام "مبالغ فيها".',
            "الدكتور سامر يوسف",
            "سامر يوسف",
        ),
    ],
)
def test_name_and_title_apposed_before_the_verb(text, speaker, origin):
    c = claims_of(text)[0]
    assert speaker_of(text, c) == speaker
    assert chain(c)[0] == origin


def test_relayed_origin_with_a_comma_apposed_name():
    text = 'ونقلت وكالة الأنباء الألمانية عن مديرة المستشفى الميداني بمدينة رفح، آنا شميت، قولها إن الأدوية "نفدت".'
    c = claims_of(text)[0]
    assert speaker_of(text, c) == "آنا شميت"
    assert chain(c) == ["آنا شميت", "وكالة الأنباء الألمانية", OUTLET]


def test_demand_with_a_ba_object_and_its_participle():
    text = (
        'طالبت نقابة الأطباء بزيادة رواتب المقيمين، مؤكدة أن العجز "بلغ 40 في المائة".\n'
        'وقال النقيب إن الإضراب "سيستمر"، مطالباً الوزارة بفتح حوار جاد.'
    )
    cl = claims_of(text)
    c = claim_with(cl, "بزيادة رواتب")
    assert speaker_of(text, c) == "نقابة الأطباء"
    assert chain(claim_with(cl, "العجز"))[0] == "نقابة الأطباء"
    assert claim_with(cl, "الوزارة بفتح حوار").attributed


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "نفى المتحدث باسم قوات حرس الحدود اعتقال الصيادين، مؤكداً أنهم أُفرج عنهم.",
            "المتحدث باسم قوات حرس الحدود",
            "اعتقال الصيادين",
        ),
        (
            'نفت إدارة الميناء، في بيان، وجود أي تسرب نفطي قرب رصيف "الحاويات".',
            "إدارة الميناء",
            "وجود أي تسرب نفطي",
        ),
    ],
)
def test_denial_object_ends_the_speaker_and_opens_the_content(text, speaker, content):
    c = claims_of(text)[0]
    assert speaker_of(text, c) == speaker
    assert c.text.startswith(content)


def test_closing_remarks_by_the_phrase_bil_qawl():
    text = 'قال الوزير مراد حسن إن الخطة "جاهزة".\nواختتم حسن كلمته بالقول إن "التنفيذ يبدأ غداً".'
    c = claim_with(claims_of(text), "التنفيذ")
    assert speaker_of(text, c) == "حسن"


def test_topic_with_a_fa_verb():
    text = 'أما اتحاد المزارعين، فأكد في بيان نشره أمس أن الموسم "تأثر بالجفاف".'
    c = claims_of(text)[-1]
    assert speaker_of(text, c) == "اتحاد المزارعين"


def test_according_to_what_x_said_skips_the_verbs_preposition():
    text = "وحسب ما أدلت به مصادر بالبلدية، فإن الطريق سيغلق يومين."
    c = claim_with(claims_of(text), "الطريق")
    assert speaker_of(text, c) == "مصادر بالبلدية"


def test_estimates_of_a_named_body_and_unsourced_estimates():
    text = (
        "وتشير تقديرات منظمة العمل الدولية إلى أن البطالة سترتفع العام المقبل.\n"
        "ويُعتقد أن الخسائر تجاوزت ملياري دولار، بحسب تقديرات غير رسمية."
    )
    cl = claims_of(text)
    assert speaker_of(text, claim_with(cl, "البطالة")) == "منظمة العمل الدولية"
    assert chain(claim_with(cl, "الخسائر")) == [OUTLET]


def test_the_ministry_refers_back_to_the_issuing_ministry_of_a_press_release():
    text = (
        "بيان صحفي\n"
        "وزارة النقل: افتتاح الطريق الدائري الشهر المقبل\n"
        "أعلنت وزارة النقل اليوم عن افتتاح الطريق الدائري الجديد الشهر المقبل.\n"
        "ولفتت الوزارة إلى أن كلفة المشروع بلغت 200 مليون دولار."
    )
    c = claim_with(claims_of(text, outlet="Ministry of Transport"), "كلفة المشروع")
    assert len(c.hops) == 1


def test_telling_the_publisher_in_the_other_script_adds_no_relay():
    text = 'وقال أحد السكان لـ"صدى الوادي" إن المياه "مقطوعة منذ أسبوع".'
    c = claims_of(text, outlet="Sada al-Wadi")[0]
    assert chain(c) == ["أحد السكان", "Sada al-Wadi"]


def test_a_person_quoted_directly_in_a_study_summary_is_not_relayed_by_the_study():
    text = (
        'أصدر معهد الرافدين للدراسات دراسة جديدة خلص فيها إلى أن الفقر "ارتفع".\n'
        'وقال الباحث في المعهد الدكتور علي حسين إن الأرقام "مقلقة".\n'
        'ويرى المعهد أن الحل "يبقى سياسياً".'
    )
    c = claim_with(claims_of(text), "مقلقة")
    assert chain(c) == ["علي حسين", OUTLET]


# ----------------------------------------------------------------- found on dev h60-h61


def test_statement_of_a_body_received_by_the_publisher_is_the_bodys():
    text = 'وافق المجلس على الميزانية الجديدة، وفق بلاغ لوزارة المالية تلقت "الصحيفة" نسخة منه.'
    c = claims_of(text)[0]
    assert speaker_of(text, c) == "وزارة المالية"
    assert chain(c) == ["وزارة المالية", OUTLET]


def test_participle_after_a_welcoming_organisation():
    text = 'قال الوزير إن "القرار نهائي".\nمن جهتها، رحبت نقابة الناقلين بالقرار، معتبرة أنه "يخفض الكلفة".'
    c = claim_with(claims_of(text), "يخفض الكلفة")
    assert chain(c)[0] == "نقابة الناقلين"


def test_unnamed_source_from_a_town_telling_a_newspaper_quoted_name():
    text = 'وقال مزارع من كفرنبل لصحيفة "الوطن" إن المحصول "تضرر".'
    c = claims_of(text)[0]
    assert speaker_of(text, c) == "مزارع من كفرنبل"
    assert chain(c) == ["مزارع من كفرنبل", "صحيفة الوطن", OUTLET]


def test_feminine_title_with_an_an_affiliation_then_the_name():
    text = 'في حين اعتبرت النائبة عن كتلة الوسط، هدى سليم، أن القانون "منقوص".'
    assert speaker_of(text, claims_of(text)[0]) == "هدى سليم"


def test_participle_opens_the_content_after_the_name():
    text = 'وتابع حداد قائلاً إن "الخطة تحتاج إلى تمويل".'
    assert speaker_of(text, claims_of(text)[0]) == "حداد"


def test_hasabama_and_its_verb_before_the_source():
    text = 'وحسبما نشرته مجلة "الاقتصاد"، فإن الأسعار سترتفع في الربع الأخير.'
    assert speaker_of(text, claims_of(text)[0]) == 'مجلة "الاقتصاد"'


@pytest.mark.parametrize(
    "line",
    [
        "* هالة منصور: كاتبة وباحثة في شؤون التعليم.",
        "المقالات المنشورة تعبر عن آراء كتابها فقط.",
        "تابعوا الصحيفة على تطبيق واتساب",
        "عمال يصلحون خط الكهرباء في الحي (رويترز)",
    ],
)
def test_writer_notes_disclaimers_app_lines_and_captions_are_furniture(line):
    from claims.extraction.pipeline import furniture_spans

    text = (
        "رأي | التعليم أولاً\nبقلم: هالة منصور\nأعتقد أن التعليم هو الأساس.\nوفي رأيي، لا إصلاح بلا مدرسة.\n"
        + line
        + "\n"
    )
    start = text.index(line)
    assert any(a <= start and start + len(line) <= b for a, b in furniture_spans(text, lang="ar"))


# ----------------------------------------------------------------- found on dev h62


def test_long_title_apposed_before_the_name_and_the_verb():
    text = 'وزير الزراعة والثروة الحيوانية في الحكومة الانتقالية، كريم فؤاد عمران، قال إن الموسم "جيد".'
    c = claims_of(text)[0]
    assert speaker_of(text, c) == "كريم فؤاد عمران"


def test_warning_with_qailan_after_a_comma_apposed_name():
    text = (
        'قال وزير الصحة إن "المستشفيات جاهزة".\n'
        "وحذر رئيس نقابة الممرضين، سامي خليل، قائلاً: «الأقسام تعمل بنصف طاقمها. الوضع خطير»."
    )
    c = claim_with(claims_of(text), "الأقسام")
    assert chain(c)[0] == "سامي خليل"


def test_a_saying_participle_is_not_a_name_after_a_title():
    text = "وقال مدير المستشفى قائلاً: «نحتاج إلى الوقود فوراً»."
    c = claims_of(text)[0]
    assert "قائلاً" not in chain(c)[0]


# ----------------------------------------------------------------- English furniture (dev h01-h10)


@pytest.mark.parametrize(
    ("text", "furniture"),
    [
        (
            "Port strike ends after three days\nBy Ann Lee\nLAGOS/ABUJA, June 9 (Coast Wire) - Dockworkers said on Monday they would return to work.\n",
            "LAGOS/ABUJA, June 9 (Coast Wire) - ",
        ),
        (
            "Port strike ends\nDockworkers said on Monday they would return to work, union leaders said.\nPhoto: Cranes at the port of Lagos in 2022. (Coast Wire/File)\nMore text follows here, officials said.\n",
            "Photo: Cranes at the port of Lagos in 2022. (Coast Wire/File)",
        ),
        (
            "Port strike ends\nDockworkers said on Monday they would return to work, union leaders said.\nShare: Facebook | X | WhatsApp\n",
            "Share: Facebook | X | WhatsApp",
        ),
    ],
)
def test_english_datelines_photo_lines_and_share_bars_are_furniture(text, furniture):
    from claims.extraction.pipeline import furniture_spans

    start = text.index(furniture)
    assert any(a <= start and start + len(furniture) <= b for a, b in furniture_spans(text, lang="en"))
    speakers = [
        text[c.hops[0].speaker_span[0] : c.hops[0].speaker_span[1]]
        for c in extract(text, lang="en", outlet="Coast Wire").claims
        if c.hops[0].speaker_span
    ]
    assert not any(s.startswith(("LAGOS", "Photo", "Share")) for s in speakers)
