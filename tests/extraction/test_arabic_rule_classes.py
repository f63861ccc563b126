"""Arabic attribution classes found on the second round of held-out dev articles (issue 14),
each tested on sentences the team wrote for this file (not taken from any article)."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from tests.extraction.helpers import chain, claim_with, speaker_of

OUTLET = "جريدة الوادي"


def claims_of(text: str, outlet: str = OUTLET):
    return extract(text, lang="ar", outlet=outlet).claims


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # a title that begins with و (وزير) takes its prepositional phrase and the name after it
        (
            "وقال وزير النقل في الحكومة الانتقالية سامي فؤاد الراشد إن الطريق الساحلي سيفتح الشهر المقبل.",
            "وزير النقل في الحكومة الانتقالية سامي فؤاد الراشد",
            "الطريق الساحلي",
        ),
        # feminine titles (الخبيرة, المديرة) are titles too
        (
            "وحذرت الخبيرة في شؤون المناخ هالة منصور من أن موجات الحر ستطول هذا العام.",
            "الخبيرة في شؤون المناخ هالة منصور",
            "موجات الحر",
        ),
        # an affiliation ends before إلى (folded الي, not a definite word)
        (
            "وأشار مسؤولون في قطاع الصيد إلى أن المخزون تراجع بشكل حاد.",
            "مسؤولون في قطاع الصيد",
            "المخزون تراجع",
        ),
        # ... and before the nominal object of a denial
        (
            "ونفى مصدر في البلدية وجود أي خطة لهدم السوق القديم.",
            "مصدر في البلدية",
            "خطة لهدم",
        ),
        # a quoted outlet name keeps its head noun
        (
            "وذكرت صحيفة «النهار الجديد» أن الحكومة ستعلن تعديلاً وزارياً قريباً.",
            "صحيفة «النهار الجديد»",
            "تعديلاً وزارياً",
        ),
    ],
)
def test_arabic_speaker_spans(text, speaker, content):
    c = claim_with(claims_of(text), content)
    assert speaker_of(text, c) == speaker


def test_data_published_by_a_ministry_are_the_ministry_s():
    text = "ووفق أرقام رسمية نشرتها وزارة الزراعة، تراجع محصول القمح بنسبة 30 بالمائة هذا الموسم.\n"
    c = claim_with(claims_of(text), "محصول القمح")
    assert speaker_of(text, c) == "وزارة الزراعة"
    text = "وحسب بيانات هيئة الإحصاء، ارتفعت البطالة إلى 12 بالمائة خلال الربع الأخير.\n"
    c = claim_with(claims_of(text), "البطالة")
    assert speaker_of(text, c) == "هيئة الإحصاء"


def test_a_study_s_findings_and_its_authors_are_its_publisher_s():
    text = (
        "أصدر مركز النيل للبحوث الزراعية تقريراً جديداً، خلص فيه إلى أن الري بالتنقيط يوفر نصف المياه المستهلكة.\n"
        "وأشار معدو التقرير إلى أن المزارعين الصغار لا يستطيعون تحمل كلفة المعدات.\n"
        "وبحسب التقرير، فإن نقل التقنية إلى القرى يحتاج دعماً حكومياً مباشراً.\n"
    )
    cs = claims_of(text)
    finding = claim_with(cs, "الري بالتنقيط")
    assert chain(finding)[0] == "مركز النيل للبحوث الزراعية"
    assert speaker_of(text, finding) == "مركز النيل للبحوث الزراعية"
    authors = claim_with(cs, "المزارعين الصغار")
    assert chain(authors)[0] == "مركز النيل للبحوث الزراعية"
    assert speaker_of(text, authors) == "معدو التقرير"
    # "نقل التقنية" is the noun "transfer", not the relay verb نقل (no عن follows)
    transfer = claim_with(cs, "التقنية إلى القرى")
    assert chain(transfer)[0] == "مركز النيل للبحوث الزراعية"
    assert all("فإن" not in h.mention.display for c in cs for h in c.hops)


def test_a_medium_told_that_is_the_publisher_adds_no_hop():
    """A speaker who tells the publishing channel itself ("في تصريح لـ«قناة الشروق»") is not
    relayed by another outlet, whether the dateline names the channel before or after the city."""
    text = (
        "قناة الشروق - وهران\n"
        "وأوضح مدير الميناء كمال بوزيد، في تصريح لـ«قناة الشروق»، أن الرصيف الجديد سيفتتح في الربيع.\n"
    )
    c = claim_with(claims_of(text, outlet="Chorouk TV"), "الرصيف الجديد")
    assert chain(c)[-1] == "Chorouk TV" and len(c.hops) == 2


def test_pro_drop_cue_speaker_span_is_the_earlier_name_in_its_paragraph():
    text = "وقال رئيس النقابة عادل حمدي إن الإضراب سيستمر. وتابع أن المفاوضات مع الإدارة متوقفة منذ أسبوع.\n"
    c = claim_with(claims_of(text), "المفاوضات")
    assert chain(c)[0].endswith("عادل حمدي")
    assert speaker_of(text, c) == "رئيس النقابة عادل حمدي"


@pytest.mark.parametrize(
    ("text", "speaker", "name", "content"),
    [
        # a title's phrase that stops at an adverb or a preposition runs on to a given name
        (
            "وقالت المنسقة الأممية بالإنابة ماريا لوبيز إن قوافل الإغاثة دخلت المدينة.",
            "المنسقة الأممية بالإنابة ماريا لوبيز",
            "ماريا لوبيز",
            "قوافل الإغاثة",
        ),
        (
            "وأكد المبعوث الأوروبي الخاص إلى منطقة الساحل جان دوبوا أن المحادثات ستستأنف.",
            "المبعوث الأوروبي الخاص إلى منطقة الساحل جان دوبوا",
            "جان دوبوا",
            "المحادثات ستستأنف",
        ),
    ],
)
def test_title_phrase_runs_through_a_given_name(text, speaker, name, content):
    c = claim_with(claims_of(text), content)
    assert speaker_of(text, c) == speaker
    assert name in c.hops[0].mention.names


def test_a_title_phrase_does_not_run_over_an_occasion_to_a_name():
    text = "وقال الوزير في مؤتمر صحفي مع نظيره محمد العلي إن الاتفاق سيوقع غداً.\n"
    c = claim_with(claims_of(text), "الاتفاق سيوقع")
    assert "محمد" not in (speaker_of(text, c) or "")


def test_calls_and_threats_take_an_object():
    text = (
        "وقال زعيم المعارضة حمدي سالم إن الانتخابات زورت، ودعا أنصاره إلى التظاهر السلمي يوم الجمعة.\n"
        "ودعت النقابة جميع العمال إلى الإضراب عن العمل.\n"
        "ولوّح وزير المالية سامر نجيب الدباغ بفرض ضرائب جديدة على الواردات.\n"
    )
    cs = claims_of(text)
    protest = claim_with(cs, "التظاهر السلمي")
    assert protest.hops[0].mention.display.endswith("حمدي سالم")
    strike = claim_with(cs, "الإضراب")
    assert strike.hops[0].mention.display == "النقابة"
    taxes = claim_with(cs, "ضرائب جديدة")
    assert speaker_of(text, taxes) == "وزير المالية سامر نجيب الدباغ"


def test_a_report_issued_by_a_source_and_dated_is_that_source_s():
    text = "فبحسب تقرير صادر عن صندوق النقد الدولي الأسبوع الماضي، تباطأ النمو في المنطقة إلى 2 بالمائة.\n"
    c = claim_with(claims_of(text), "تباطأ النمو")
    assert speaker_of(text, c) == "صندوق النقد الدولي"
    assert not c.text.startswith(("الأسبوع", "الماضي"))


def test_in_an_op_ed_according_to_and_told_me_stay_their_sources():
    text = (
        "رأي | الموانئ والحرب\n"
        "كتب : نادر سليمان\n"
        "أعتقد أن الموانئ الصغيرة ستدفع الثمن الأكبر.\n"
        "وبحسب بيانات هيئة الموانئ، تراجعت حركة السفن بنسبة 30 بالمائة خلال الربع الأول.\n"
        "وقد ألمح لي مسؤول في الهيئة إلى أن رسوم العبور قد ترتفع مجدداً.\n"
    )
    cs = claims_of(text, outlet="Harbour Review")
    opinion = claim_with(cs, "الموانئ الصغيرة")
    assert opinion.hops[0].mention.display == "نادر سليمان"
    data = claim_with(cs, "حركة السفن")
    assert data.hops[0].mention.display == "هيئة الموانئ"
    hint = claim_with(cs, "رسوم العبور")
    assert speaker_of(text, hint) == "مسؤول في الهيئة"


def test_a_press_release_speaks_for_its_issuer():
    """The release's own "البيان" and the issuer named in its headline are the publisher; a
    double title before one name is one person; an undersecretary's ministry is his title."""
    text = (
        "بيان صحفي\n"
        "هيئة الطيران المدني: افتتاح المدرج الثاني في مطار العاصمة\n"
        "أعلنت هيئة الطيران المدني اليوم أن المدرج الثاني سيفتتح في مارس المقبل.\n"
        "وقال رئيس الهيئة ورئيس مجلس إدارتها خالد يوسف المنصوري إن المطار سيستقبل 20 مليون مسافر.\n"
        "وأكد وكيل وزارة النقل سامي عادل الحربي أن الطريق إلى المطار سيوسع.\n"
        "وأشار البيان إلى أن المشروع نفذ بتمويل محلي بالكامل.\n"
    )
    cs = claims_of(text, outlet="Civil Aviation Authority")
    assert len(claim_with(cs, "المدرج الثاني سيفتتح").hops) == 1
    assert len(claim_with(cs, "بتمويل محلي").hops) == 1
    head = claim_with(cs, "20 مليون مسافر")
    assert speaker_of(text, head) == "رئيس الهيئة ورئيس مجلس إدارتها خالد يوسف المنصوري"
    road = claim_with(cs, "سيوسع")
    assert road.hops[0].mention.display == "سامي عادل الحربي"


def test_unnamed_workers_and_places_in_an_affiliation():
    text = (
        "وأفاد موظف في مستشفى قرب مدينة كسلا بأن الأدوية نفدت منذ أسبوع.\n"
        "ونقلت وكالة رويترز عن ضابط في الميناء قوله إن السفينة غادرت فجراً.\n"
    )
    cs = claims_of(text)
    assert speaker_of(text, claim_with(cs, "الأدوية نفدت")) == "موظف في مستشفى قرب مدينة كسلا"
    ship = claim_with(cs, "السفينة غادرت")
    assert speaker_of(text, ship) == "ضابط في الميناء"
    assert len(ship.hops) == 3


def test_speaker_after_the_quote():
    text = (
        '"سنعيد فتح المعبر خلال أيام"، هكذا قال محافظ المدينة عادل يوسف الزين في مؤتمر صحفي.\n'
        "«المياه لن تكفي الجميع هذا الصيف»، يقول الباحث في شؤون البيئة ماجد سعيد.\n"
        'وقالت إن المدارس "ستفتح أبوابها"، ودعت الأهالي إلى الهدوء.\n'
    )
    cs = claims_of(text)
    crossing = claim_with(cs, "سنعيد فتح المعبر")
    assert speaker_of(text, crossing) == "محافظ المدينة عادل يوسف الزين"  # not "... في مؤتمر صحفي"
    water = claim_with(cs, "المياه لن تكفي")
    assert speaker_of(text, water) == "الباحث في شؤون البيئة ماجد سعيد"
    assert all(c.hops[0].mention.display != "الأهالي" for c in cs)
