"""The one name matcher: "Salami" ↔ "حسين سلامي", "Kotrashev" ↔ "كوتراشيف", "جيروزاليم بوسي"
(a typo) ↔ "Jerusalem Post". Used by ingest (``extraction.resolution``), by the services
(``SourceService.resolve``) and by ``ask`` (a speaker named in a question).

Raw transliteration plus a fuzzy ratio is unreliable, so a name is reduced to a phonetic key:
folded (``claims.text.fold_name``), generic words dropped (وكالة, صحيفة, news agency), the
Arabic article and English "al-" dropped, transliterated with ``anyascii``, then folded
phonetically (kh→k, sh→s, th→t, dh→z (ظ is "dh" or "z": Kadhimi, Hafez), gh→g, p→b, v→f, z→s, q/c→k, g→j, x→k; vowels, y, w, h
dropped; doubled letters collapsed). Keys are compared exactly, then with rapidfuzz
``token_sort_ratio`` (``THRESHOLD``); a name whose every token (3+ letters each) is in the
other counts as the same ("Salami" in "Hossein Salami", "Tasnim" in "وكالة تسنيم الإيرانية").
Titles and roles only match exactly: a title can denote another person elsewhere. Between two
sources that match equally well the matcher names neither.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz, process

from claims.languages import LANGUAGES
from claims.text import detect_lang, fold, fold_name, light
from claims.vocabulary import SourceKind

#: Fuzzy score (0–100) from which two keys name the same source. On the probe set of
#: /work/shared/NLP.md true pairs scored 88–100 and negatives 29–77.
THRESHOLD = 86.0
_DIGRAPHS = (("kh", "k"), ("sh", "s"), ("th", "t"), ("dh", "z"), ("gh", "g"), ("ph", "f"), ("ou", "u"))
_LETTERS = str.maketrans({"p": "b", "v": "f", "z": "s", "q": "k", "c": "k", "g": "j", "x": "k"})
_DROP = re.compile(r"[aeiouyhw'`’\-]")


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    from claims.extraction.lexicon import load

    words = set(load("ar").generic_name_words) | set(load("en").generic_name_words)
    return frozenset(words | {"news", "agency", "the", "al", "el"})


@lru_cache(maxsize=50_000)
def phonetic_key(name: str) -> str:
    """ASCII, article- and generic-word-free, phonetically folded tokens of a name."""
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


#: Latin spellings of the long vowels ي and و ("Jadeed" الجديد, "Arabiya" العربية).
_LONG_VOWELS = (("iy", "y"), ("ee", "y"), ("ii", "y"), ("oo", "w"), ("uw", "w"))
_DROP_SHORT_VOWELS = re.compile(r"[aeiouh'`’\-]")


@lru_cache(maxsize=50_000)
def skeleton(name: str) -> str:
    """A name's consonants with its long vowels (y, w) kept: what two names with the same
    two-letter ``phonetic_key`` must also share to be one name across scripts ("العربية" and
    "Al Arabiya" are "rby"; "Yemen" "ymn" is not "Minnawi" "mnw")."""
    tokens = []
    for word in _literal(name).split():
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        latin = anyascii(word).lower()
        for a, b in (*_DIGRAPHS, *_LONG_VOWELS):
            latin = latin.replace(a, b)
        latin = re.sub(r"[^a-z0-9]", "", _DROP_SHORT_VOWELS.sub("", latin.translate(_LETTERS)))
        if latin:
            tokens.append(re.sub(r"(.)\1+", r"\1", latin))
    return " ".join(tokens)


#: One-letter Arabic proclitics a name can be written behind ("لأوتينو": to Otieno; "بسعيد").
_PROCLITICS = "لبكفو"


def name_forms(word: str) -> list[str]:
    """One word of a name as written and, for an Arabic word behind a one-letter proclitic
    (``_PROCLITICS``; the article is ``phonetic_key``'s), without it: "لأوتينو" → ["لأوتينو",
    "أوتينو"]. The key of either may be the name's."""
    if len(word) >= 4 and word[0] in _PROCLITICS and "\u0621" <= word[1] <= "\u064a":
        return [word, word[1:]]
    return [word]


def _literal(name: str) -> str:
    """A name as written (folded), without its generic words: "قناة العربية" → "العربيه"."""
    return " ".join(w for w in fold_name(name).split() if w not in _generic_words())


def _contained(query: str, stored: str) -> bool:
    """One name inside the other: every token of the query's key is in the stored key ("Hafez"
    in "Ahmed Hafez"), or every token of the stored key, 3+ letters each and 4+ in all, is in
    the query's ("Tasnim" in "وكالة تسنيم الإيرانية"; "Iraq" is never inside "Iraqi source")."""
    tq, ts = query.split(), stored.split()
    if not tq or not ts or len(tq) == len(ts):
        return False
    if len(tq) < len(ts):
        return min(len(t) for t in tq) >= 2 and set(tq) <= set(ts)
    return min(len(t) for t in ts) >= 3 and sum(len(t) for t in ts) >= 4 and set(ts) <= set(tq)


def similarity(query: str, stored: str) -> float:
    """Similarity (0–100) of a name's phonetic key to a stored name's key."""
    if not query or not stored:
        return 0.0
    if _contained(query, stored):
        return 100.0
    return float(fuzz.token_sort_ratio(query, stored))


@lru_cache(maxsize=100_000)
def same_name(a: str, b: str) -> bool:
    """Whether two surface names denote the same source by this rule (cached: a document asks
    about the same pairs for every claim)."""
    if fold(a) == fold(b):
        return True
    ka, kb = phonetic_key(a), phonetic_key(b)
    return bool(ka) and (ka == kb or max(similarity(ka, kb), similarity(kb, ka)) >= THRESHOLD)


def is_role_note(note: str | None) -> bool:
    """An alias noted as a role or anaphor ("the minister", "المصدر") matches only exactly."""
    return bool(note) and note.lower().startswith(("role", "anaphoric"))


@dataclass
class _Entry:
    source_id: uuid.UUID
    kind: str | None
    role: bool


@dataclass
class NameIndex:
    """Names (and roles) of a set of sources, keyed for exact, phonetic and fuzzy look-up."""

    exact: dict[str, list[_Entry]] = field(default_factory=dict)
    phonetic: dict[str, list[_Entry]] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    by_token: dict[str, set[str]] = field(default_factory=dict)
    #: Names with a two-letter key, by ``_literal`` form and by ``skeleton``.
    short: dict[str, list[_Entry]] = field(default_factory=dict)
    short_keys: dict[str, list[_Entry]] = field(default_factory=dict)

    def add(self, source_id: uuid.UUID, kind: str | None, text: str, *, role: bool = False) -> None:
        entry = _Entry(source_id, kind, role)
        folded = fold_name(text)
        if not folded:
            return
        same = self.exact.setdefault(folded, [])
        if entry in same:  # the same name of the same source, added again: nothing new to match
            return
        same.append(entry)
        if role:
            return
        key = phonetic_key(text)
        letters = len(key.replace(" ", ""))
        if letters == 2:
            # a short key ("rb": العربية, "mn": Yemen and Minnawi) says too little; the name is
            # matched only as written, its generic words aside (``_literal``)
            self.short.setdefault(_literal(text), []).append(entry)
            self.short_keys.setdefault(skeleton(text), []).append(entry)
        elif letters >= 3:
            if key not in self.phonetic:
                self.keys.append(key)
                for token in key.split():
                    self.by_token.setdefault(token, set()).add(key)
            self.phonetic.setdefault(key, []).append(entry)

    def match(self, names: list[str], roles: list[str] = (), *, kind: str | None = None,
              exclude: frozenset[uuid.UUID] = frozenset()) -> uuid.UUID | None:
        """The source these names (longest first), or failing names these roles, denote; sources
        in ``exclude`` (found gone by the caller) are passed over."""

        def ok(entry: _Entry) -> bool:
            if entry.source_id in exclude:
                return False
            if kind == SourceKind.ANONYMOUS or entry.kind == SourceKind.ANONYMOUS:
                return kind == entry.kind
            return True

        for name in sorted(names, key=len, reverse=True):
            for entry in self.exact.get(fold_name(name), []):
                if ok(entry) and (not entry.role or not names):
                    return entry.source_id
        for name in sorted(names, key=len, reverse=True):
            key = phonetic_key(name)
            letters = len(key.replace(" ", ""))
            for entry in self.phonetic.get(key, []) if letters >= 3 else []:
                if ok(entry):
                    return entry.source_id
            if letters == 2:
                # "قناة العربية" is the outlet stored as "العربية" (the channel word aside), not a
                # longer name holding a word keyed alike ("مركز دراسات الحرب": "rb")
                short = {e.source_id for e in self.short.get(_literal(name), []) if ok(e)}
                if short:
                    return next(iter(short)) if len(short) == 1 else None
                # ... or, in another script, the one short name with the same consonant skeleton
                # ("قناة العربية" and "Al Arabiya": "rby"), before any longer name holding the key
                keyed = {e.source_id for e in self.short_keys.get(skeleton(name), []) if ok(e)}
                if len(keyed) == 1:
                    return next(iter(keyed))
            found = self._fuzzy(key, ok) if letters >= 2 else None
            if found is not None:
                return found
        if not names:
            for role in roles:
                for entry in self.exact.get(fold_name(role), []):
                    if ok(entry):
                        return entry.source_id
        return None

    def _candidates(self, key: str) -> dict[str, float]:
        """Stored keys similar to ``key`` (``similarity`` ≥ THRESHOLD) with their score."""
        found = {}
        if len(key.replace(" ", "")) >= 3:
            found = {
                k: float(score)
                for k, score, _ in process.extract(key, self.keys, scorer=fuzz.token_sort_ratio, score_cutoff=THRESHOLD, limit=None)
            }
        tokens = key.split()
        sharing = set().union(*(self.by_token.get(t, set()) for t in tokens))
        for other in sharing:
            if other not in found and _contained(key, other):
                found[other] = 100.0
        return found

    def _fuzzy(self, key: str, ok) -> uuid.UUID | None:
        """The one source whose key is closest above the threshold; a tie names nobody."""
        best: dict[uuid.UUID, float] = {}
        for other, score in self._candidates(key).items():
            for entry in self.phonetic[other]:
                if ok(entry) and score > best.get(entry.source_id, 0.0):
                    best[entry.source_id] = score
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None
        return ranked[0][0]


def best_match(name: str, aliases: list[tuple[str, uuid.UUID]]) -> uuid.UUID | None:
    """The source whose alias best matches ``name`` across scripts, if one clearly does."""
    index = NameIndex()
    for text, source_id in aliases:
        index.add(source_id, None, text)
    return index.match([name])


# --- display names ------------------------------------------------------------------------
#
# The one display-name rule: ask answers, the CLI, the web pages (hop lists, facts boxes, chain
# graphs), and reports name a source through ``display_name``.

#: How the extractor and the seeds name a publisher the text does not name ("Unidentified
#: publisher of seed 001", "Unidentified publisher (doc-key)"): a record name, never shown.
UNIDENTIFIED_PUBLISHER = "Unidentified publisher"
#: Alias notes that mark a surface form as something other than a name to show: a role or
#: title, a back-reference, a typo, a metonym, a text's own misspelling.
_NOT_SHOWN_NOTES = ("role", "anaphoric", "typo", "metonym", "spelling", "misspelling")
_PUNCTUATION = re.compile(r"[\"'«»“”()\[\]]")
#: Two phonetic tokens are the same word of a name from this ``fuzz.ratio`` ("lbrs" ~ "brs").
_TOKEN_RATIO = 80


def is_unidentified_publisher(source) -> bool:
    return (getattr(source, "name", None) or "").startswith(UNIDENTIFIED_PUBLISHER)


def is_anaphor(text: str, lang: str | None) -> bool:
    """A bare back-reference or role noun ("the report", "التقرير", "المصدر") in ``lang``."""
    language = LANGUAGES.get(lang or "") or LANGUAGES.get(detect_lang(text))
    return bool(language.anaphor.fullmatch(light(text).strip(" .،,:")))


def is_display_alias(text: str, lang: str | None, note: str | None) -> bool:
    """Whether an alias may be shown as the source's name: not noted as a role, anaphor, typo
    or metonym, not a bare back-reference, and more than generic words ("التقرير")."""
    if note and note.lower().lstrip().startswith(_NOT_SHOWN_NOTES):
        return False
    return bool(phonetic_key(text)) and not is_anaphor(text, lang)


def display_name(source, lang: str) -> str:
    """How a source is named to a reader of ``lang`` (a ``Source``, or anything with ``name``
    and optionally ``aliases``).

    An unidentified publisher is said as such in ``lang``. A canonical name written in
    ``lang``'s script is the name. Otherwise a name alias in ``lang`` (``is_display_alias``):
    the one that spells most words of the canonical name (phonetic tokens, ``_TOKEN_RATIO``)
    with the fewest others ("جو بايدن", not "الرئيس الأمريكي جو بايدن"; then the fullest,
    "وكالة تسنيم" over "تسنيم"), else, for a translated name, the shortest ("الحرس الثوري"
    for the IRGC). With none, the canonical name.
    """
    if is_unidentified_publisher(source):
        language = LANGUAGES.get(lang)
        return language.unidentified_publisher if language else source.name
    name = source.name
    if detect_lang(name) == lang:
        return name
    candidates = [
        a.text for a in getattr(source, "aliases", None) or []
        if a.lang == lang and detect_lang(a.text) == lang and is_display_alias(a.text, a.lang, a.note)
    ]
    if not candidates:
        return name
    canonical = phonetic_key(name).split()

    def fit(text: str) -> tuple:
        tokens = phonetic_key(text).split()
        held = sum(any(fuzz.ratio(t, c) >= _TOKEN_RATIO for c in tokens) for t in canonical)
        extra = sum(not any(fuzz.ratio(c, t) >= _TOKEN_RATIO for t in canonical) for c in tokens)
        return held, extra

    fits = {c: fit(c) for c in candidates}
    if max(held for held, _ in fits.values()) > 0:
        # spells the canonical name: most of its words, fewest others, then the fullest form
        return min(candidates, key=lambda c: (-fits[c][0], fits[c][1], bool(_PUNCTUATION.search(c)), -len(c.split()), len(c), c))
    # a translation ("الحرس الثوري"): the shortest plain form
    return min(candidates, key=lambda c: (bool(_PUNCTUATION.search(c)), len(c.split()), len(c), c))
