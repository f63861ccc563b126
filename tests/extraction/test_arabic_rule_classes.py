"""Arabic attribution classes found on the second round of held-out dev articles (issue 14),
each tested on sentences the team wrote for this file (not taken from any article)."""

from __future__ import annotations

import pytest

from claims.extraction import extract

OUTLET = "جريدة الوادي"


def claims_of(text: str, outlet: str = OUTLET):
    return extract(text, lang="ar", outlet=outlet).claims


def claim_with(claims, fragment: str):
    found = [c for c in claims if fragment in c.text]
    assert found, f"no claim contains {fragment!r}: {[c.text for c in claims]}"
    return found[0]


def speaker_of(text: str, claim) -> str | None:
    span = claim.hops[0].speaker_span
    return text[span[0] : span[1]] if span else None


def chain(claim) -> list[str]:
    return [h.mention.display for h in claim.hops]


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
