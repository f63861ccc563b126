"""Arabic: Snowball Arabic plus prefix folding, function words (folded), clitic-aware stop words."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

CODE = "ar"

_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")

#: As written; matched folded (``is_stopword``).
STOPWORDS = frozenset(
    """في من على الى إلى عن ان أن إن ما لا لم لن هو هي هم هذا هذه ذلك تلك التي الذي الذين
    كان كانت قد مع او أو ثم كما بين عند لقد منذ حتى اذا إذا الا إلا وهو وهي فان فإن بان بأن لان لأن
    انه أنه انها أنها به بها له لها فيه فيها عليه عليها اليه اليها ايضا أيضا كل بعض غير اي أي قبل بعد
    وفي ومن وعلى والى وان وأن ولا وقد ثم وكان وكانت هل ماذا متى اين أين كيف لماذا ربما""".split()
)


def _fold(text: str) -> str:
    from claims.text import fold

    return fold(text)


@lru_cache(maxsize=1)
def _folded_stopwords() -> frozenset[str]:
    return frozenset(_fold(w) for w in STOPWORDS)


def is_word(word: str) -> bool:
    return bool(_ARABIC_LETTER.match(word)) or word[:1] in "أإآ"


def is_stopword(word: str) -> bool:
    """A folded word; a function word keeps its status behind و/ف (and, so)."""
    stop = _folded_stopwords()
    return word in stop or (len(word) > 2 and word[0] in "وف" and word[1:] in stop)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("arabic")


def _core(stemmed: str) -> str:
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


def stem(word: str) -> str:
    """Snowball Arabic run on the letters as written (it needs ة and hamza), then folded."""
    stemmed = _stemmer().stemWord(word)
    return _core(_fold(stemmed if len(stemmed) >= 2 else word))


#: Generic references a claim can make to entities its document named earlier (matched on the
#: lightly normalised text, where ة and ه differ): two of them (الجانبان) or one (الوزير،
#: التقرير، البيان, or an imperfect verb with an object pronoun: تعتبره).
REFERENCES_PAIR = r"(?:^|\s)[وفبل]?(?:ال)?(?:جانبان|جانبين|بلدان|بلدين|طرفان|طرفين|وفدان|وفدين|حكومتان|حكومتين|دولتان|دولتين)(?:\s|$|[،,.])"
REFERENCES_ONE = (
    r"(?:^|\s)[وفبل]?(?:ال)(?:وزير|وزارة|تقرير|بيان|حكومة|بلد|وكالة|مسؤول|متحدث|جيش|جماعة|حركة|مجلس|شركة)(?:\s|$|[،,.])"
    r"|(?:^|\s)[وف]?[تين][^\sة]{2,}(?:ه|ها|هم|هما)(?:\s|$|[،,.])"
)

#: A bare back-reference or role noun ("التقرير", "المصدر", "الوزير"), matched on the whole
#: lightly normalised alias: never a source's display name, even when it was stored as an alias.
ANAPHOR = (
    r"(?:[وفب]?(?:ال|لل)|[وفبل])?(?:مصدر|مصادر|تقرير|بيان|وزير|وزارة|مسؤول|متحدث|متحدثة|حكومة|وكالة|صحيفة|جريدة|قناة|موقع|"
    r"كاتب|رئيس|سفير|قائد|مبعوث|جانب|جانبان|جانبين|طرف|طرفان|طرفين|بلد|جيش|جماعة|حركة|مجلس|شركة)"
    r"(?:\s+(?:المذكور|المذكورة|نفسه|نفسها|ذاته|ذاتها))?"
    r"|هو|هي|هم|هما"
)
#: How a publisher the text does not name is named (``claims.names.display_name``).
UNIDENTIFIED_PUBLISHER = "ناشر لم يُذكر اسمه"

#: Words that negate what follows (folded), for telling "no fire" from "a fire".
NEGATORS = frozenset({"لا", "لم", "لن", "ليس", "ليست", "دون", "بدون", "عدم", "غير", "ولا", "ولم", "ولن", "فلا", "فلم", "فلن", "بلا"})
