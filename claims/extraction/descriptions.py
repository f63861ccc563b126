"""Sources described, not named: "the London-based opposition monitor" is the Syrian
Observatory, "وكالة الأنباء التابعة للنظام السوري" is SANA. Data in
``claims/data/descriptions.yaml``; a description matches when all its words are in the phrase."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from claims.entities import _bare, mentions
from claims.text import fold
from claims.vocabulary import SourceKind
from claims.yamlfile import read_yaml

DESCRIPTION_FILE = Path(__file__).resolve().parent.parent / "data" / "descriptions.yaml"


@lru_cache(maxsize=200_000)
def _key(word: str) -> str:
    w = _bare(fold(word))
    for suffix in ("يه", "ه", "ي"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


_WORDS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=100_000)
def _keys(text: str) -> frozenset[str]:
    return frozenset(_key(w) for w in _WORDS.findall(fold(text).replace("-", " ")))


@dataclass(frozen=True)
class _Entry:
    words: frozenset[str]
    kind: SourceKind
    names: tuple[str, ...] | None  # None: by country
    by_country: dict[str, tuple[str, ...]] | None


@lru_cache(maxsize=1)
def _entries() -> tuple[_Entry, ...]:
    data = read_yaml(DESCRIPTION_FILE)
    out: list[_Entry] = []
    for item in data.get("named") or []:
        for form in [*(item.get("en") or []), *(item.get("ar") or [])]:
            out.append(_Entry(_keys(form), SourceKind(item["kind"]), tuple(item["names"]), None))
        for name in item["names"]:
            if len(name.split()) > 1:
                out.append(_Entry(_keys(name), SourceKind(item["kind"]), tuple(item["names"]), None))
    for item in data.get("by_country") or []:
        table = {k: tuple(v) for k, v in item["sources"].items()}
        for form in [*(item.get("en") or []), *(item.get("ar") or [])]:
            out.append(_Entry(_keys(form), SourceKind(item["kind"]), None, table))
    # most specific first
    return tuple(sorted(out, key=lambda e: -len(e.words)))


def describe(phrase: str, context_countries) -> tuple[list[str], SourceKind] | None:
    """(names, kind) of the source a phrase describes, or None. ``context_countries`` returns
    the document's countries (called only when a description needs one)."""
    keys = _keys(phrase)
    if len(keys) < 2:
        return None
    for entry, named in _candidates(keys):
        if entry.names is not None:
            return list(entry.names), entry.kind
        if named is not None:  # "the state-run Anadolu Agency": the agency the phrase names
            return list(named), entry.kind
        in_phrase = [e for e in mentions(phrase) if e in entry.by_country]
        for country in [*in_phrase, *(context_countries() if not in_phrase else [])]:
            if country in entry.by_country:
                return list(entry.by_country[country]), entry.kind
    return None


@lru_cache(maxsize=50_000)
def _candidates(keys: frozenset[str]) -> tuple[tuple[_Entry, tuple[str, ...] | None], ...]:
    """The entries whose words are all among ``keys``, most specific first, each with the
    by-country table's source the phrase names (``_named_in``; None for a named entry)."""
    return tuple((e, None if e.names is not None else _named_in(keys, e.by_country)) for e in _entries() if e.words <= keys)


def _named_in(keys: frozenset[str], table: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    """The table's sources one of whose names (four letters or more: not "واع", "قنا") the
    phrase contains word for word."""
    for names in table.values():
        for name in names:
            name_keys = _keys(name)
            if name_keys and name_keys <= keys and len(fold(name).replace(" ", "")) >= 4 and not name_keys <= _GENERIC:
                return names
    return None


_GENERIC = _keys("news agency state television official وكالة الأنباء التلفزيون الرسمي")


def countries(text: str) -> list[str]:
    """Entity ids the text names, most often first (the document's countries)."""
    counts: dict[str, int] = {}
    for paragraph in text.split("\n"):
        for e in mentions(paragraph) if paragraph.strip() else ():
            counts[e] = counts.get(e, 0) + 1
    return sorted(counts, key=lambda e: -counts[e])
