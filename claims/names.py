"""Matching names across scripts: "Salami" ↔ "حسين سلامي", "Kotrashev" ↔ "كوتراشيف".

Raw transliteration plus a fuzzy ratio is unreliable, so both sides are transliterated to
ASCII (``anyascii``) and folded phonetically (kh→k, sh→s, th→t, p→b, v→f, z→s, q/c→k, g→j;
vowels, y, w and h dropped; doubled letters collapsed; a leading al-/el- article dropped),
then compared with rapidfuzz ``token_sort_ratio``; a shorter name that is a subset of a longer
one ("Salami" in "Hossein Salami") is compared with ``token_set_ratio``. The alias table stays
the first resort (``SourceService.resolve``); this is the fallback for spellings it lacks.
"""

from __future__ import annotations

import re
import uuid

from anyascii import anyascii
from rapidfuzz import fuzz

THRESHOLD = 85.0
_PAIRS = (("kh", "k"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("gh", "j"), ("ph", "f"), ("ou", "u"))
_SINGLE = str.maketrans({"p": "b", "v": "f", "z": "s", "q": "k", "c": "k", "g": "j", "x": "ks", "e": "", "a": "",
                         "i": "", "o": "", "u": "", "y": "", "w": "", "h": ""})
_PARTICLES = frozenset({"al", "el", "ul", "the", "bin", "ibn"})
_ARTICLE = re.compile(r"^(?:al|el|ul)(?=[a-z]{3,})")


def phonetic_token(token: str) -> str:
    t = _ARTICLE.sub("", token)
    for a, b in _PAIRS:
        t = t.replace(a, b)
    t = t.translate(_SINGLE)
    return re.sub(r"(.)\1+", r"\1", t)


def phonetic_key(name: str) -> str:
    """ASCII, lower case, article-free, phonetically folded tokens of a name, space separated."""
    name = re.sub(r"(?:(?<=\s)|^)ال(?=\w{3,})", "", name)  # the Arabic article
    ascii_name = anyascii(name).lower().replace("'", "").replace("`", "")
    tokens = [phonetic_token(t) for t in re.findall(r"[a-z]+", ascii_name) if t not in _PARTICLES]
    return " ".join(t for t in tokens if t)


def similarity(a: str, b: str) -> float:
    """Similarity (0–100) of two phonetic keys; a strict subset of tokens counts as a match."""
    if not a or not b:
        return 0.0
    score = fuzz.token_sort_ratio(a, b)
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) and min(len(t) for t in (ta if len(ta) < len(tb) else tb)) >= 2:
        score = max(score, fuzz.token_set_ratio(a, b))
    return float(score)


def best_match(name: str, aliases: list[tuple[str, uuid.UUID]], *, threshold: float = THRESHOLD) -> uuid.UUID | None:
    """The source whose alias best matches ``name`` across scripts, if one clearly does."""
    key = phonetic_key(name)
    if len(key.replace(" ", "")) < 2:
        return None
    scored: dict[uuid.UUID, float] = {}
    for text, source_id in aliases:
        s = similarity(key, phonetic_key(text))
        if s >= threshold and s > scored.get(source_id, 0.0):
            scored[source_id] = s
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None  # ambiguous: never guess between two sources
    return ranked[0][0]
