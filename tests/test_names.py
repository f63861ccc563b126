"""The one name matcher (``claims.names``), and that ingest, the services and ``ask`` all use it."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import Session

from claims.extraction.resolution import SourceResolver
from claims.models import SourceAlias
from claims.names import THRESHOLD, NameIndex, best_match, phonetic_key, same_name, similarity
from claims.query import resolve_speaker
from claims.services import SourceService
from claims.text import fold_name


@pytest.mark.parametrize(
    ("a", "b"),
    [("Hossein Salami", "حسين سلامي"), ("Salami", "حسين سلامي"), ("Kotrashev", "كوتراشيف"),
     ("Jerusalem Post", "جيروزاليم بوست"), ("Thabet al-Abbasi", "ثابت العباسي"), ("Esmail Qaani", "إسماعيل قاآني"),
     ("Khazali", "الخزعلي"), ("Farouk Youssef", "فاروق يوسف"), ("Ahmed Hafez", "أحمد حافظ"),
     ("Mykola Bondar", "ميكولا بوندار"), ("Mustafa al-Kadhimi", "مصطفى الكاظمي")],
)
def test_names_match_across_scripts(a, b):
    assert max(similarity(phonetic_key(a), phonetic_key(b)), similarity(phonetic_key(b), phonetic_key(a))) >= THRESHOLD
    assert same_name(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Salami", "Abbasi"), ("Biden", "Kadhimi"), ("Kotrashev", "Khazali"), ("Qaani", "Austin"), ("Hafez", "Haftar")],
)
def test_different_names_do_not_match(a, b):
    assert max(similarity(phonetic_key(a), phonetic_key(b)), similarity(phonetic_key(b), phonetic_key(a))) < THRESHOLD
    assert not same_name(a, b)


#: Names the team made up (no seed text holds them), transliterated as an Arabic desk would.
@pytest.mark.parametrize(
    ("a", "b"),
    [("Samir al-Hallou", "سمير الحلو"), ("Nadia Brun", "نادية برون"), ("Khaled al-Omar", "خالد العمر"),
     ("Lena Varga", "لينا فارغا"), ("Maria Eklund", "ماريا إكلوند"), ("Omar Diaz", "عمر دياز"), ("Diaz", "عمر دياز"),
     ("Tom Reyes", "توم رييس"), ("Ines Calder", "إينيس كالدر"), ("Harbour Gazette", "هاربر غازيت")],
)
def test_invented_names_match_across_scripts(a, b):
    assert same_name(a, b)


@pytest.mark.parametrize(("a", "b"), [("Nadia Brun", "Lena Varga"), ("Omar Diaz", "Tom Reyes"), ("Calder", "Eklund")])
def test_different_invented_names_do_not_match(a, b):
    assert not same_name(a, b)


def test_a_possessive_says_whose_not_who():
    assert phonetic_key("Chile's Coastal News Agency") == phonetic_key("Coastal News Agency")
    assert same_name("Norway's Fjord Post", "فيورد بوست")


def test_typos_generic_words_and_one_name_inside_the_other():
    assert phonetic_key("حسين سلامي") == phonetic_key("Hossein Salami")
    assert same_name("جيروزاليم بوسي", "Jerusalem Post")  # a typo
    assert same_name("وكالة تسنيم الإيرانية", "Tasnim News Agency")  # generic words, one inside the other
    assert not same_name("جيروزاليم بوسي", "Al Arabiya")
    # A short stored name (Iraq → "rk") is never found inside a longer one that is asked about.
    index = NameIndex()
    index.add(uuid.uuid4(), "government", "Iraq")
    assert index.match(["the informed Iraqi source"]) is None


def test_roles_match_only_exactly_and_ties_name_nobody():
    index = NameIndex()
    jpost, biden = uuid.uuid4(), uuid.uuid4()
    index.add(jpost, "outlet", "The Jerusalem Post")
    index.add(biden, "person", "الرئيس الأمريكي", role=True)
    assert index.match(["صحيفة جيروزاليم بوسي"]) == jpost
    assert index.match([], ["الرئيس الأمريكي"]) == biden
    assert index.match(["الرئيس"]) is None
    a, b = uuid.uuid4(), uuid.uuid4()
    assert best_match("Salami", [("حسين سلامي", a), ("Thabet al-Abbasi", b)]) == a
    assert best_match("Salami", [("Hossein Salami", a), ("Ali Salami", b)]) is None
    assert best_match("Nobody Here", [("Hossein Salami", a)]) is None


def _alias(source, text: str, lang: str, note: str | None = None) -> None:
    source.aliases.append(SourceAlias(text=text, normalized=fold_name(text), lang=lang, note=note))


def test_ingest_services_and_ask_resolve_names_alike(session: Session, source_factory):
    """One matcher: the resolver ingest uses, ``SourceService.resolve`` and the speaker of a
    question find the same source for the same spelling, and all refuse the same ambiguity."""
    hafez = source_factory(name="Ahmed Hafez", kind="person")
    _alias(hafez, "أحمد حافظ", "ar")
    _alias(hafez, "وزير الطاقة الليبي", "ar", note="role")
    source_factory(name="Omar Bondar", kind="person")
    source_factory(name="Lina Bondar", kind="person")
    session.flush()
    resolver = SourceResolver(session)
    service = SourceService(session)
    for spelling in ("Hafez", "حافظ", "Ahmad Hafiz", "أحمد حافظ"):
        assert resolver.resolve([spelling], [], "person") == hafez.id, spelling
        assert service.resolve(spelling).id == hafez.id, spelling
        assert resolve_speaker(session, f"{spelling} tell reporters").id == hafez.id, spelling
    # A role alias resolves a question's speaker exactly, never fuzzily.
    assert resolve_speaker(session, "وزير الطاقة الليبي").id == hafez.id
    assert service.resolve("وزير الطاقة") is None
    # Two sources share the surname: nobody is guessed.
    assert resolver.resolve(["Bondar"], [], "person") is None
    assert service.resolve("Bondar") is None
    assert resolve_speaker(session, "Bondar") is None


def test_a_short_name_is_matched_as_written_not_inside_a_longer_name():
    """"قناة العربية" (phonetic key "rb") is the outlet stored as "العربية" (the channel word
    aside), not a think tank whose last word ("الحرب", also "rb") it happens to spell; "Yemen"
    ("mn") is not "Minnawi" ("mn"): a two-letter key alone names nobody; two sources written
    alike are a tie."""
    index = NameIndex()
    channel, think_tank, governor = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    index.add(think_tank, "organization", "مركز دراسات الحرب")
    index.add(channel, "outlet", "العربية")
    index.add(governor, "person", "Minnawi")
    assert phonetic_key("قناة العربية") == phonetic_key("العربية") == "rb"
    assert index.match(["قناة العربية"]) == channel
    assert phonetic_key("Yemen") == phonetic_key("Minnawi")
    assert index.match(["Yemen"]) is None
    assert index.match(["مناوي"]) is None  # another spelling of a two-letter name: not guessed
    index.add(uuid.uuid4(), "outlet", "صحيفة العربية")
    assert index.match(["قناة العربية"]) is None
