"""Named-entity mentions from a small bilingual gazetteer (``claims/data/entities.yaml``).

A mention becomes the search term ``@<id>``: subjects must agree between a question and its
answer (a question about Russia is not answered by a claim about Iran), and English and Arabic
mentions of the same entity meet on one term.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from claims.text import fold, words

ENTITY_FILE = Path(__file__).parent / "data" / "entities.yaml"
_MAX_WORDS = 4
_AR_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def _is_acronym(form: str) -> bool:
    """Short all-capital forms (IS, US, UN) collide with common words: match them case-sensitively."""
    return form.isascii() and form.isupper() and len(form) <= 3


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[tuple[str, ...], str], list[tuple[re.Pattern[str], str]]]:
    data = yaml.safe_load(ENTITY_FILE.read_text(encoding="utf-8"))["entities"]
    table: dict[tuple[str, ...], str] = {}
    acronyms: list[tuple[re.Pattern[str], str]] = []
    for entity_id, forms in data.items():
        entity_id = forms.get("means", entity_id)
        for form in [*forms.get("en", []), *forms.get("ar", [])]:
            if _is_acronym(form):
                acronyms.append((re.compile(rf"\b{re.escape(form)}\b"), entity_id))
                continue
            ws = words(form)
            for key in (tuple(_bare(w) for w in ws), tuple(ws)):
                if key:
                    table.setdefault(key, entity_id)
    return table, acronyms


@lru_cache(maxsize=200_000)
def _bare(word: str) -> str:
    """An Arabic word without proclitics and article (longest first); other words unchanged."""
    if word and "\u0600" <= word[0] <= "\u06ff":
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                return word[len(prefix) :]
    return word


@lru_cache(maxsize=1)
def _prefilter() -> tuple[frozenset[str], re.Pattern[str] | None]:
    """First words of every gazetteer entry, and one pattern any acronym matches: positions and
    texts that cannot start a mention are skipped without the n-gram look-ups."""
    table, acronyms = _gazetteer()
    either = re.compile("|".join(f"(?:{p.pattern})" for p, _ in acronyms)) if acronyms else None
    return frozenset(key[0] for key in table), either


def mentions(text: str) -> list[str]:
    """Entity ids mentioned in ``text``, in order of first mention, without repeats."""
    table, acronyms = _gazetteer()
    firsts, any_acronym = _prefilter()
    raw = words(text)
    tokens = [_bare(w) for w in raw]
    found: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in firsts and raw[i] not in firsts and _bare(tokens[i]) not in firsts:
            i += 1
            continue
        for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
            entity = table.get(tuple(tokens[i : i + n])) or table.get(tuple(raw[i : i + n]))
            if entity is None and n == 1:
                # A proclitic before the article or a name that starts like one (لبغداد, وبالعراق).
                entity = table.get((_bare(tokens[i]),))
            if entity is not None:
                if entity not in found:
                    found.append(entity)
                i += n
                break
        else:
            i += 1
    if any_acronym is None or not any_acronym.search(text):
        return found
    for pattern, entity in acronyms:
        if entity not in found and pattern.search(text):
            found.append(entity)
    return found


def entity_terms(text: str) -> list[str]:
    return [f"@{e}" for e in mentions(text)]


__all__ = ["entity_terms", "fold", "mentions"]
