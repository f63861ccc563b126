"""Arabic and English normalisation for matching (stored text is never changed)."""

from __future__ import annotations

import pytest

from claims.entities import mentions
from claims.text import detect_lang, fold, fold_name, fold_with_offsets, terms


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("إِيرَان", "ايران"),  # diacritics
        ("إيـــران", "ايران"),  # tatweel
        ("أإآٱ", "اااا"),  # alef forms
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("منظمة", "منظمه"),  # ta marbuta
        ("العراقیة", "العراقيه"),  # Persian ya (seed 002's keyword line)
        ("\u200fمرحبا\u200e", "مرحبا"),  # RTL/LTR marks
        ("Jerusalem POST", "jerusalem post"),
        ("٢٠٢٤", "2024"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_with_offsets_maps_back_to_the_original():
    original = "مَنْ قالَ إنَّ إيران"
    folded, offsets = fold_with_offsets(original)
    start = folded.index("ايران")
    assert original[offsets[start] : offsets[start + len("ايران")]] == "إيران"


def test_inflections_meet_on_one_term():
    assert terms("ستملأ الفراغ") == terms("لملء الفراغ")
    assert "vacuum" in terms("VACUUM")
    assert terms("the and of في من على") == []


def test_names_fold_across_spelling_and_articles():
    assert fold_name("The Jerusalem Post") == fold_name("jerusalem  post")
    assert fold_name("حسين سلامي") == "حسين سلامي"


def test_language_detection():
    assert detect_lang("من قال إن إيران") == "ar"
    assert detect_lang("who said Iran") == "en"


def test_entities_cross_scripts_and_avoid_common_words():
    assert mentions("يمكن لروسيا أن تستغل الفراغ") == ["russia"]
    assert mentions("Russia could exploit the vacuum") == ["russia"]
    assert mentions("It is what it is") == []
    assert mentions("IS fighters attacked") == ["isis"]
    assert set(mentions("الاتحاد الأوروبي والولايات المتحدة")) == {"european-union", "united-states"}
