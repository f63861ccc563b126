"""The languages the text pipeline analyses, one module each (``en``, ``ar``).

A language module says how its words are recognised (script), which are function words, and
how a word is stemmed for search. ``claims.text`` dispatches through ``for_word``; question
patterns and answer phrasing for the same language live in ``claims/query/languages/``.
Adding a language is a module here and one there, plus a line in each ``LANGUAGES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from claims.languages import ar, en


@dataclass(frozen=True)
class TextLanguage:
    code: str
    #: True when a (folded or light) word is written in this language's script.
    is_word: Callable[[str], bool]
    #: Function words as written; never indexed.
    stopwords: frozenset[str]
    #: Stem of one lightly normalised word, returned folded.
    stem: Callable[[str], str]
    #: Stop-word test for a folded word (may look behind clitics).
    is_stopword: Callable[[str], bool]
    #: Patterns (on lightly normalised text) of generic references to two entities / one entity named
    #: earlier in the document ("the two sides", "الوزير").
    references_pair: re.Pattern[str]
    references_one: re.Pattern[str]
    #: Whole-alias pattern of a bare back-reference or role noun ("the report", "المصدر"):
    #: never a display name (``claims.names.display_name``).
    anaphor: re.Pattern[str]
    #: How a publisher the text does not name is said in this language.
    unidentified_publisher: str
    #: Words that negate what follows ("no fire", "دون اندلاع"), folded.
    negators: frozenset[str] = frozenset()


LANGUAGES: dict[str, TextLanguage] = {
    m.CODE: TextLanguage(
        m.CODE, m.is_word, m.STOPWORDS, m.stem, m.is_stopword,
        re.compile(m.REFERENCES_PAIR, re.I), re.compile(m.REFERENCES_ONE, re.I),
        re.compile(m.ANAPHOR, re.I), m.UNIDENTIFIED_PUBLISHER, m.NEGATORS,
    )
    for m in (ar, en)
}
#: Words in no registered script (Latin, digits) are treated as this language.
DEFAULT = "en"


def for_word(word: str) -> TextLanguage:
    for language in LANGUAGES.values():
        if language.code != DEFAULT and language.is_word(word):
            return language
    return LANGUAGES[DEFAULT]
