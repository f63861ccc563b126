"""Gazetteer terms: named entities (``claims/data/entities.yaml``) and key predicates and nouns
(``claims/data/concepts.yaml``), each in English and Arabic surface forms.

An entity mention becomes the search term ``@<id>``: subjects must agree between a question and
its answer (a question about Russia is not answered by a claim about Iran), and English and
Arabic mentions of the same entity meet on one term. A concept becomes ``~<id>``: what is said
("committed", "التزما") meets across languages and paraphrases; concepts are never required.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from claims.text import fold, light, stem, words
from claims.yamlfile import read_yaml

ENTITY_FILE = Path(__file__).parent / "data" / "entities.yaml"
CONCEPT_FILE = Path(__file__).parent / "data" / "concepts.yaml"
_MAX_WORDS = 4
_AR_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
#: Pronoun and plural endings tried (longest first) when an Arabic word is not a listed form.
_AR_SUFFIXES = ("هما", "ات", "ون", "ين", "ها", "هم", "ه")


def _is_acronym(form: str) -> bool:
    """Short all-capital forms (IS, US, UN) collide with common words: match them case-sensitively."""
    return form.isascii() and form.isupper() and len(form) <= 3


class Gazetteer:
    """Surface forms → ids, matched as whole (folded) words or word sequences, longest first."""

    def __init__(self, path: Path, section: str, *, by_stem: bool = False, literal: bool = False) -> None:
        self.path, self.section, self.by_stem, self.literal = path, section, by_stem, literal

    @property
    def _tables(self) -> tuple[dict[tuple[str, ...], str], list[tuple[re.Pattern[str], str]]]:
        return _load(self.path, self.section, self.literal)

    def mentions(self, text: str) -> list[str]:
        """Ids mentioned in ``text``, in order of first mention, without repeats."""
        return list(_mentions(self, text))

    def _scan(self, text: str) -> tuple[str, ...]:
        """``mentions`` worked out (``_mentions`` caches it per distinct text)."""
        table, acronyms = self._tables
        any_acronym = _prefilter(self.path, self.section, self.literal)[1]
        raw = _words(text)
        info, word_ = self._word_info, self._word
        known = [info.get(w) or word_(w) for w in raw]
        found: list[str] = []
        i, end = 0, len(raw)
        while i < end:
            first = known[i]
            # Positions that cannot start a mention are skipped without the n-gram look-ups.
            if not first[1]:
                i += 1
                continue
            for n in range(min(first[3], _MAX_WORDS, end - i), 1, -1):
                key = table.get(tuple(k[0] for k in known[i : i + n])) or table.get(tuple(raw[i : i + n]))
                if key is not None:
                    break
            else:
                n, key = 1, first[2]
            if key is not None:
                if key not in found:
                    found.append(key)
                i += n
            else:
                i += 1
        if any_acronym is not None and any_acronym.search(text):
            for pattern, key in acronyms:
                if key not in found and pattern.search(text):
                    found.append(key)
        return tuple(found)

    @property
    def _word_info(self) -> dict[str, tuple[str, bool, str | None, int]]:
        cache = self.__dict__.get("_words")
        if cache is None or len(cache) > _MAX_CACHED_WORDS:
            cache = self.__dict__["_words"] = {}
        return cache

    def _word(self, word: str) -> tuple[str, bool, str | None, int]:
        """What the scan needs of one folded word, worked out once per word: its bare form,
        whether a mention can start at it, the id it names on its own (or None) and the most
        words of a form that starts with it (bare or as written)."""
        table = self._tables[0]
        firsts, _, longest = _prefilter(self.path, self.section, self.literal)
        token = _bare(word)
        starts = (token in firsts or word in firsts or _bare(token) in firsts or _unsuffixed(token) in firsts
                  or (self.by_stem and stem(word) in _stems(self.path, self.section)))
        key = None
        if starts:
            key = table.get((token,)) or table.get((word,))
            if key is None:
                # A proclitic before the article or a name that starts like one (لبغداد, وبالعراق),
                # or a pronoun or plural ending (التزامهما), or (predicates) another inflection
                # with the same stem (ستسحب, committing).
                key = table.get((_bare(token),)) or table.get((_unsuffixed(token),))
                if key is None and self.by_stem:
                    key = _stems(self.path, self.section).get(stem(word))
        out = (token, starts, key, max(longest.get(token, 1), longest.get(word, 1)))
        self._word_info[word] = out
        return out


#: Bounds of the caches below (a long load meets many distinct texts and words).
_MAX_CACHED_WORDS = 500_000


@lru_cache(maxsize=8)
def _words(text: str) -> list[str]:
    """``claims.text.words`` of the last few texts (entity and concept terms of one text fold it once). Read-only."""
    return words(text)


@lru_cache(maxsize=200_000)
def _mentions(gazetteer: Gazetteer, text: str) -> tuple[str, ...]:
    """``Gazetteer.mentions`` per distinct text (archives repeat names, outlets and sentences)."""
    return gazetteer._scan(text)


@lru_cache(maxsize=4)
def _records(path: Path, section: str) -> dict[str, dict]:
    """The entries of one gazetteer file, parsed once (every table below is built from them;
    parsing entities.yaml takes about 60 ms). Read-only."""
    return read_yaml(path)[section]


@lru_cache(maxsize=8)
def _load(path: Path, section: str, literal: bool = False):
    """Folded forms → id (``literal``: the entry's own id, not the one it ``means``)."""
    data = _records(path, section)
    table: dict[tuple[str, ...], str] = {}
    acronyms: list[tuple[re.Pattern[str], str]] = []
    for key, forms in data.items():
        key = key if literal else forms.get("means", key)
        for form in [*forms.get("en", []), *forms.get("ar", [])]:
            if _is_acronym(form):
                acronyms.append((re.compile(rf"\b{re.escape(form)}\b"), key))
                continue
            ws = words(form)
            for k in (tuple(_bare(w) for w in ws), tuple(ws)):
                if k:
                    table.setdefault(k, key)
    return table, acronyms


@lru_cache(maxsize=4)
def _stems(path: Path, section: str) -> dict[str, str]:
    """Stem (``claims.text.stem``, 3+ letters) of every one-word form → its id; a stem two ids
    share names neither."""
    data = _records(path, section)
    out: dict[str, str | None] = {}
    for key, forms in data.items():
        for form in [*forms.get("en", []), *forms.get("ar", [])]:
            ws = words(form)
            if len(ws) != 1:
                continue
            st = stem(light(form))
            if len(st) >= 3:
                out[st] = key if out.get(st, key) == key else None
    return {k: v for k, v in out.items() if v}


@lru_cache(maxsize=8)
def _prefilter(path: Path, section: str, literal: bool = False
               ) -> tuple[frozenset[str], re.Pattern[str] | None, dict[str, int]]:
    """First words of every entry, one pattern any acronym matches, and first word → the most
    words of an entry that starts with it."""
    table, acronyms = _load(path, section, literal)
    either = re.compile("|".join(f"(?:{p.pattern})" for p, _ in acronyms)) if acronyms else None
    longest: dict[str, int] = {}
    for key in table:
        longest[key[0]] = max(longest.get(key[0], 0), len(key))
    return frozenset(longest), either, longest


@lru_cache(maxsize=200_000)
def _bare(word: str) -> str:
    """An Arabic word without proclitics and article (longest first); other words unchanged."""
    if word and "\u0600" <= word[0] <= "\u06ff":
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                return word[len(prefix) :]
    return word


@lru_cache(maxsize=200_000)
def _unsuffixed(word: str) -> str:
    if word and "\u0600" <= word[0] <= "\u06ff":
        for suffix in _AR_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
    return word


ENTITIES = Gazetteer(ENTITY_FILE, "entities")
#: The same entities by their own ids: "Washington" is ``washington``, not the United States it
#: stands for in ``ENTITIES`` (a place named in a question is that place).
PLACES = Gazetteer(ENTITY_FILE, "entities", literal=True)


@lru_cache(maxsize=1)
def metonyms() -> dict[str, str]:
    """Entity id → the id it stands for (``means``: a capital for its country)."""
    data = _records(ENTITY_FILE, "entities")
    return {key: forms["means"] for key, forms in data.items() if forms.get("means")}


@lru_cache(maxsize=1)
def containers() -> dict[str, str]:
    """Place id → the id of the country it lies in (``within``: Port Sudan in Sudan)."""
    data = _records(ENTITY_FILE, "entities")
    return {key: forms["within"] for key, forms in data.items() if forms.get("within")}


@lru_cache(maxsize=1)
def place_terms() -> frozenset[str]:
    """Search terms of the entities marked ``place`` (a city, a field, a sea: where something
    happens, never who does it). A question naming one is checked by
    ``claims.query.support.lacks_place``; it is not a subject the answer must share, and a
    claim that names one has not named a subject of its own."""
    data = _records(ENTITY_FILE, "entities")
    return frozenset(f"@{key}" for key, forms in data.items() if forms.get("place"))


CONCEPTS = Gazetteer(CONCEPT_FILE, "concepts", by_stem=True)


def _gazetteer():
    """The entity table and acronym patterns (extraction checks single words against it)."""
    return _load(ENTITY_FILE, "entities")


def mentions(text: str) -> list[str]:
    """Entity ids mentioned in ``text``, in order of first mention, without repeats."""
    return ENTITIES.mentions(text)


def entity_terms(text: str) -> list[str]:
    return [f"@{e}" for e in ENTITIES.mentions(text)]


def subject_terms(text: str) -> list[str]:
    """Entity terms of ``text`` that can be a subject (not ``place_terms``)."""
    places = place_terms()
    return [t for t in entity_terms(text) if t not in places]


def concept_terms(text: str) -> list[str]:
    return [f"~{c}" for c in CONCEPTS.mentions(text)]


__all__ = ["CONCEPTS", "ENTITIES", "PLACES", "Gazetteer", "concept_terms", "entity_terms", "fold", "mentions", "metonyms"]
