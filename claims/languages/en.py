"""English: Latin script, Snowball English stemmer, a short list of function words."""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

CODE = "en"

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into about over after before than
    that this these those it its is are was were be been being has have had do does did not no nor
    so too very can will would shall should may might must could i you he she we they them his her
    their our your my me him us who whom whose which what when where why how also just only even
    there here then such any all both each other some more most own same s t""".split()
)


def is_word(word: str) -> bool:
    return word[:1].isascii()


def is_stopword(word: str) -> bool:
    return word in STOPWORDS


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


def stem(word: str) -> str:
    return _stemmer().stemWord(word.casefold())


#: Generic references a claim can make to entities its document named earlier: two of them
#: ("the two sides") or one ("the ministry", "the report", "he").
REFERENCES_PAIR = r"\b(?:the\s+two\s+(?:sides|countries|parties|governments|delegations|nations|leaders)|both\s+(?:sides|countries|parties|governments|delegations))\b"
REFERENCES_ONE = r"\b(?:he|she|it|they|its|his|her|their|the\s+(?:ministry|minister|report|statement|government|country|agency|official|spokesman|spokeswoman|army|group|movement|council|company))\b"

#: A bare back-reference or role noun ("the report", "the source", "the minister"): never a
#: source's display name, even when it was stored as an alias (matched on the whole alias).
ANAPHOR = (
    r"(?:the\s+)?(?:(?:said|same|above|former|latter)\s+)?(?:source|sources|report|statement|ministry|minister|official|"
    r"spokesman|spokeswoman|spokesperson|government|agency|newspaper|paper|outlet|channel|site|website|author|writer|"
    r"president|prime\s+minister|ambassador|commander|envoy|sides?|parties|party|country|army|group|council|company)"
    r"|he|she|it|they|him|her|them"
)
#: How a publisher the text does not name is named (``claims.names.display_name``).
UNIDENTIFIED_PUBLISHER = "an unidentified publisher"

#: Words that negate what follows (folded), for telling "no fire" from "a fire".
NEGATORS = frozenset({"no", "not", "never", "without", "nor", "neither", "none", "nothing", "cannot"})
