"""Text normalisation for matching, in Arabic and English.

Stored text is never changed: offsets always point into the original. These functions make
the *copies* used for search and name matching (diacritics, tatweel, alef/hamza/ya/ta-marbuta
forms, Persian letter variants, invisible marks, case).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

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

STOPWORDS_EN = frozenset(
    """a an the and or but if of to in on at by for with from as into about over after before than
    that this these those it its is are was were be been being has have had do does did not no nor
    so too very can will would shall should may might must could i you he she we they them his her
    their our your my me him us who whom whose which what when where why how also just only even
    there here then such any all both each other some more most own same s t""".split()
)

STOPWORDS_AR = frozenset(
    fold_word
    for fold_word in """في من على الى إلى عن ان أن إن ما لا لم لن هو هي هم هذا هذه ذلك تلك التي الذي الذين
    كان كانت قد مع او أو ثم كما بين عند لقد منذ حتى اذا إذا الا إلا وهو وهي فان فإن بان بأن لان لأن
    انه أنه انها أنها به بها له لها فيه فيها عليه عليها اليه اليها ايضا أيضا كل بعض غير اي أي قبل بعد
    وفي ومن وعلى والى وان وأن ولا وقد ثم وكان وكانت هل ماذا متى اين أين كيف لماذا ربما""".split()
)


_LIGHT = str.maketrans({"ی": "ي", "ک": "ك", "ھ": "ه"})


def light(text: str) -> str:
    """Invisible marks, diacritics and tatweel removed; letters otherwise as written (for stemming)."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return _TASHKEEL.sub("", text).translate(_LIGHT)


def fold(text: str) -> str:
    """The comparison form of a text: NFKC, no invisible marks or diacritics, unified letters, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _TASHKEEL.sub("", text)
    return text.translate(_ARABIC_FOLD).casefold()


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``fold`` character by character, with each folded character's offset in ``text``
    (so a span found in the folded copy can be cut from the original)."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        for f in fold(ch):
            out.append(f)
            offsets.append(i)
    offsets.append(len(text))
    return "".join(out), offsets


def detect_lang(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en'. Good enough to route analysis."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return "ar" if arabic > latin else "en"


def words(text: str) -> list[str]:
    """Folded word tokens (letters and digits), in order."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=4)
def _stemmer(lang: str):
    return snowballstemmer.stemmer("arabic" if lang == "ar" else "english")


_STOP_AR_FOLDED = frozenset(fold(w) for w in STOPWORDS_AR)


def is_arabic_word(word: str) -> bool:
    return bool(_ARABIC_LETTER.match(word)) or word[:1] in "أإآ"


def _arabic_core(stemmed: str) -> str:
    """Strip what Snowball leaves: future sa-, one imperfect prefix (t-, y-, n-) or one proclitic
    (l-, b-, k-, f-, w-).

    Aggressive, but applied identically to questions and stored claims, so ستملأ and لملء
    (will fill / to fill) meet at the same term.
    """
    if len(stemmed) >= 4 and stemmed[0] == "س" and stemmed[1] in "تين":
        stemmed = stemmed[1:]
    if len(stemmed) >= 4 and stemmed[0] in "تين":
        stemmed = stemmed[1:]
    elif len(stemmed) >= 3 and stemmed[0] in "لبكفو":
        stemmed = stemmed[1:]
    return stemmed


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem of one lightly normalised word, returned folded: Snowball Arabic (run on the letters
    as written, which it needs for ة and hamza) plus prefix folding, or Snowball English."""
    if is_arabic_word(word):
        stemmed = _stemmer("ar").stemWord(word)
        return _arabic_core(fold(stemmed if len(stemmed) >= 2 else word))
    return _stemmer("en").stemWord(word.casefold())


def is_stopword(word: str) -> bool:
    """Function words in either language; an Arabic one keeps its status behind و/ف (and, so)."""
    if word in STOPWORDS_EN or word in _STOP_AR_FOLDED:
        return True
    return len(word) > 2 and word[0] in "وف" and word[1:] in _STOP_AR_FOLDED


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

