"""Matching names to sources across scripts and spellings.

A name is reduced to a phonetic key: folded (``claims.text.fold_name``), generic words
dropped (وكالة, صحيفة, news agency), the Arabic article and English "al-" dropped,
transliterated with ``anyascii``, then folded phonetically (kh→k, sh→s, th→t, dh→d, gh→g,
p→b, v→f, z→s, q/c→k, g→j; vowels, y, w, h dropped; doubled letters collapsed). Keys are
compared exactly, then with ``rapidfuzz`` ``token_sort_ratio`` (threshold 86). So
"جيروزاليم بوسي" (a typo) meets "Jerusalem Post" (jrslm bs / jrslm bst) and "حسين سلامي" meets
"Hossein Salami" (sn slm). Titles and roles only match exactly: a title can denote another
person elsewhere.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.extraction.lexicon import load
from claims.models import Source, SourceAlias
from claims.text import fold, fold_name
from claims.vocabulary import SourceKind

FUZZY_THRESHOLD = 86.0
_DIGRAPHS = (("kh", "k"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("ph", "f"), ("ou", "u"))
_LETTERS = str.maketrans({"p": "b", "v": "f", "z": "s", "q": "k", "c": "k", "g": "j", "x": "k"})
_DROP = re.compile(r"[aeiouyhw'`’\-]")


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    words = set(load("ar").generic_name_words) | set(load("en").generic_name_words)
    return frozenset(words | {"news", "agency", "the", "al", "el"})


@lru_cache(maxsize=50_000)
def phonetic_key(name: str) -> str:
    tokens = []
    folded = fold_name(name).split()
    for n, word in enumerate(folded):
        if word in _generic_words() or word == "s" or (n + 1 < len(folded) and folded[n + 1] == "s"):
            continue  # a possessive ("Iran's Tasnim") says whose, not who
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        elif len(word) > 2 and word[0] in "لب" and word[1:3] == "ال":
            word = word[3:]
        latin = anyascii(word).lower()
        for a, b in _DIGRAPHS:
            latin = latin.replace(a, b)
        latin = _DROP.sub("", latin.translate(_LETTERS))
        latin = re.sub(r"[^a-z0-9]", "", latin)
        latin = re.sub(r"(.)\1+", r"\1", latin)
        if latin:
            tokens.append(latin)
    return " ".join(tokens)


def _contained(a: str, b: str, **_kw) -> float:
    """100 when every token of the shorter key (at least 4 letters long) is in the longer."""
    ta, tb = a.split(), b.split()
    small, big = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if not small or sum(len(t) for t in small) < 4 or len(small) == len(big):
        return 0.0
    return 100.0 if set(small) <= set(big) else 0.0


def _is_role(note: str | None) -> bool:
    return bool(note) and note.lower().startswith(("role", "anaphoric"))


@dataclass
class _Entry:
    source_id: uuid.UUID
    kind: str
    role: bool


@dataclass
class NameIndex:
    """Names (and roles) of a set of sources, keyed for exact, phonetic and fuzzy look-up."""

    exact: dict[str, list[_Entry]] = field(default_factory=dict)
    phonetic: dict[str, list[_Entry]] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    key_entries: list[_Entry] = field(default_factory=list)

    def add(self, source_id, kind: str, text: str, *, role: bool = False) -> None:
        entry = _Entry(source_id, kind, role)
        folded = fold_name(text)
        if not folded:
            return
        self.exact.setdefault(folded, []).append(entry)
        if role:
            return
        key = phonetic_key(text)
        if len(key.replace(" ", "")) >= 3:
            self.phonetic.setdefault(key, []).append(entry)
            self.keys.append(key)
            self.key_entries.append(entry)

    def match(self, names: list[str], roles: list[str] = (), *, kind: str | None = None) -> uuid.UUID | None:
        def ok(entry: _Entry) -> bool:
            if kind == SourceKind.ANONYMOUS or entry.kind == SourceKind.ANONYMOUS:
                return kind == entry.kind
            return True

        for name in sorted(names, key=len, reverse=True):
            for entry in self.exact.get(fold_name(name), []):
                if ok(entry) and (not entry.role or not names):
                    return entry.source_id
        for name in sorted(names, key=len, reverse=True):
            key = phonetic_key(name)
            if len(key.replace(" ", "")) < 3:
                continue
            for entry in self.phonetic.get(key, []):
                if ok(entry):
                    return entry.source_id
            if len(key.replace(" ", "")) >= 4 and self.keys:
                best = process.extractOne(key, self.keys, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_THRESHOLD)
                if best is not None and ok(self.key_entries[best[2]]):
                    return self.key_entries[best[2]].source_id
                # one name inside the other ("وكالة تسنيم الإيرانية" / "Tasnim News Agency")
                best = process.extractOne(key, self.keys, scorer=_contained, score_cutoff=100)
                if best is not None and ok(self.key_entries[best[2]]):
                    return self.key_entries[best[2]].source_id
        if not names:
            for role in roles:
                for entry in self.exact.get(fold_name(role), []):
                    if ok(entry):
                        return entry.source_id
        return None


class SourceResolver:
    """Resolve a document's mentions to stored sources (cached per resolver; call ``add`` for
    sources created since it was loaded)."""

    def __init__(self, session: Session) -> None:
        self.index = NameIndex()
        rows = session.execute(
            select(SourceAlias.source_id, SourceAlias.text, SourceAlias.note, Source.kind).join(Source)
        ).all()
        for source_id, text, note, kind in rows:
            self.index.add(source_id, kind, text, role=_is_role(note))

    def add(self, source: Source, texts: list[tuple[str, bool]]) -> None:
        for text, role in texts:
            self.index.add(source.id, source.kind, text, role=role)

    def resolve(self, names: list[str], roles: list[str], kind: str) -> uuid.UUID | None:
        return self.index.match(names, roles, kind=kind)


def same_name(a: str, b: str) -> bool:
    """Whether two surface names denote the same source by the phonetic rule (used in eval)."""
    if fold(a) == fold(b):
        return True
    ka, kb = phonetic_key(a), phonetic_key(b)
    return bool(ka) and (ka == kb or fuzz.token_sort_ratio(ka, kb) >= FUZZY_THRESHOLD or _contained(ka, kb) == 100)
