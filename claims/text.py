"""Text normalisation for matching, in Arabic and English.

Stored text is never changed: offsets always point into the original. These functions make
the *copies* used for search and name matching (diacritics, tatweel, alef/hamza/ya/ta-marbuta
forms, Persian letter variants, invisible marks, case).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from claims.languages import LANGUAGES, for_word

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0640\u00ad]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER = re.compile("[A-Za-z]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ء": "ا",
        "ى": "ي",
        "ی": "ي",  # Persian ya
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ک": "ك",  # Persian kaf
        "ھ": "ه",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "’": "'",
        "‘": "'",
        "،": ",",
        "؛": ";",
        "؟": "?",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)

#: Function words of each analysed language, as written (``claims/languages/``).
STOPWORDS_EN = LANGUAGES["en"].stopwords
STOPWORDS_AR = LANGUAGES["ar"].stopwords


_LIGHT = str.maketrans({"ی": "ي", "ک": "ك", "ھ": "ه"})


def light(text: str) -> str:
    """Invisible marks, diacritics and tatweel removed; letters otherwise as written (for stemming)."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return _TASHKEEL.sub("", text).translate(_LIGHT)


def fold(text: str) -> str:
    """The comparison form of a text: NFKC, no invisible marks or diacritics, unified letters, lower case."""
    if text.isascii():  # NFKC, the marks and the letter table leave ASCII as it is; casefold is lower
        return text.lower()
    if len(text) <= _FOLD_MEMO_CHARS:  # names, cues and words are folded over and over
        folded = _FOLD_MEMO.get(text)
        if folded is None:
            if len(_FOLD_MEMO) >= _FOLD_MEMO_LIMIT:
                _FOLD_MEMO.clear()
            folded = _FOLD_MEMO[text] = _fold(text)
        return folded
    return _fold(text)


_FOLD_MEMO: dict[str, str] = {}
_FOLD_MEMO_CHARS = 200
_FOLD_MEMO_LIMIT = 200_000


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _TASHKEEL.sub("", text)
    return text.translate(_ARABIC_FOLD).casefold()


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``fold`` character by character, with each folded character's offset in ``text``
    (so a span found in the folded copy can be cut from the original)."""
    folded, offsets, _ = fold_with_offsets_identity(text)
    return folded, offsets


def fold_with_offsets_identity(text: str) -> tuple[str, list[int], bool]:
    """``fold_with_offsets`` and whether the offsets are the identity (every character folds
    to exactly one)."""
    cache = _CHAR_FOLD
    chars = set(text)
    for ch in chars.difference(cache):
        f = fold(ch)
        if len(f) != 1:
            _MULTI.add(ch)
        _ORD_FOLD[ord(ch)] = f  # (before the cache: a character the cache has is in both)
        cache[ch] = f
    if _MULTI.isdisjoint(chars):  # every character folds to one: offsets are the identity
        return text.translate(_ORD_FOLD), list(range(len(text) + 1)), True
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        f = cache[ch]  # (every character of the text is in the cache by now)
        if len(f) == 1:
            out.append(f)
            offsets.append(i)
        else:
            for c in f:
                out.append(c)
                offsets.append(i)
    offsets.append(len(text))
    return "".join(out), offsets, False


#: fold() of single characters (the alphabet is small; folding char by char is the hot loop).
_CHAR_FOLD: dict[str, str] = {}
_ORD_FOLD: dict[int, str] = {}  # the same by code point, as a str.translate table
_MULTI: set[str] = set()  # characters that fold to zero or several characters


def detect_lang(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en'. Good enough to route analysis."""
    # (counted per distinct character: the letters of _ARABIC_LETTER and _LATIN_LETTER)
    arabic = latin = 0
    count = text.count
    for ch in set(text):
        if "\u0621" <= ch <= "\u064a" or "\u0671" <= ch <= "\u06d3":
            arabic += count(ch)
        elif "A" <= ch <= "Z" or "a" <= ch <= "z":
            latin += count(ch)
    return "ar" if arabic > latin else "en"


def words(text: str) -> list[str]:
    """Folded word tokens (letters and digits), in order."""
    return _WORD.findall(fold(text))


def is_arabic_word(word: str) -> bool:
    return LANGUAGES["ar"].is_word(word)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem of one lightly normalised word, returned folded, by the stemmer of its script's
    language (``claims/languages/``: Snowball Arabic plus prefix folding, Snowball English)."""
    return for_word(word).stem(word)


def is_stopword(word: str) -> bool:
    """A folded function word of any analysed language."""
    return any(language.is_stopword(word) for language in LANGUAGES.values())


#: Longer "words" (hashes, URLs run together, junk) are cut before stemming: the Arabic
#: stemmer's time grows fast with length, and a term is capped at 64 characters anyway.
MAX_WORD_CHARS = 100


@lru_cache(maxsize=500_000)
def _term(word: str) -> str | None:
    """The search term of one lightly normalised word, or None for a stop word or a lone letter
    (cached: vocabularies are Zipfian, so bulk indexing mostly hits the cache)."""
    folded = fold(word)
    if is_stopword(folded) or (len(folded) < 2 and not folded.isdigit()):
        return None
    return stem(word[:MAX_WORD_CHARS])[:64]


def terms(text: str) -> list[str]:
    """Search terms of a text: stop words dropped, stemmed, folded, capped at 64 characters."""
    out = []
    for word in _WORD.findall(light(text)):
        term = _term(word)
        if term is not None:
            out.append(term)
    return out


def fold_name(name: str) -> str:
    """Folded name for alias matching: ``fold`` plus punctuation and article-free spacing."""
    folded = " ".join(words(name))
    return re.sub(r"^(the|al) ", "", folded)

