"""The languages questions can be asked in: one data file each (``en.yaml``, ``ar.yaml``).

A language file gives, under these keys:

- ``code``, ``fold_question`` (run the patterns on the folded question), ``ignore_case``;
- ``macros`` and ``patterns``: intent → alternatives, with named groups ``prop``/``prop2``…
  (the proposition) and ``speaker``/``speaker2``…; ``{NAME}`` is a macro; intents are tried in
  registry order;
- ``hint_verb`` and ``hedges`` (how the question itself hedges or hints), ``denial``, ``yes_no``;
- ``nested_speaker`` (optional): a proposition that opens by naming who said it ("Kaabi said
  Qatar would ..."), groups ``speaker``/``speaker2`` and ``prop``/``prop2``;
- ``definite`` (optional): a definite noun of a claim, which may refer back to the sentence
  before (``claims.query.support.antecedent_terms``);
- ``ellipsis`` (optional): a claim that stands for the predicate of the clause before it ("as
  the EU does"; ``claims.query.support.elided_terms``);
- ``places``: the words that introduce a place (``claims.query.parse.question_places``);
- ``phrasing``: the templates ``claims.query.phrasing`` fills for every intent's answer.

Sources are named by the one display-name rule, ``claims.names.display_name`` (its
per-language pieces, the unidentified publisher and the back-references that are never
names, are in ``claims/languages/``). Text analysis of the same language (stop words, stemmer)
is ``claims/languages/``. A third language is one file here and one module there: this package
reads every ``*.yaml`` beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claims.query.vocabulary import Intent
from claims.text import fold
from claims.yamlfile import read_yaml

HERE = Path(__file__).parent
_MACRO = re.compile(r"\{([A-Z_]+)\}")


@dataclass(frozen=True)
class QueryLanguage:
    """One language's question patterns, places and answer templates, compiled from its file."""

    code: str
    fold_question: bool
    patterns: dict[Intent, re.Pattern[str]]
    hint_verb: re.Pattern[str]
    hedges: re.Pattern[str]
    denial: re.Pattern[str]
    yes_no: re.Pattern[str]
    #: A proposition that opens by naming who said it (None: the language has no such rule).
    nested_speaker: re.Pattern[str] | None
    #: Folded words: locatives, articles skipped after them, times that are not places, nouns
    #: that introduce a place's name.
    locatives: frozenset[str]
    articles: frozenset[str]
    not_places: frozenset[str]
    place_nouns: frozenset[str]
    #: Names are capitalised in this script.
    cased: bool
    #: A definite noun (group 1) that may refer back to the sentence before (None: no rule).
    definite: re.Pattern[str] | None = None
    #: A claim whose predicate is elided, said by the clause before it (None: no rule).
    ellipsis: re.Pattern[str] | None = None
    phrasing: dict[str, Any] = field(default_factory=dict)

    def modality(self, value: str | None) -> str:
        """A modality value as said in answers."""
        return self.phrasing["modality"].get(value, value or "")


def _expand(text: str, macros: dict[str, str]) -> str:
    return _MACRO.sub(lambda m: macros[m.group(1)], text)


def load(path: Path) -> QueryLanguage:
    data = read_yaml(path)
    flags = re.IGNORECASE if data.get("ignore_case") else 0
    macros: dict[str, str] = {}
    for name, value in (data.get("macros") or {}).items():
        macros[name] = _expand(value, macros)

    def compile_(text: str) -> re.Pattern[str]:
        return re.compile(_expand(text, macros), flags)

    places = data["places"]
    return QueryLanguage(
        code=data["code"],
        fold_question=bool(data["fold_question"]),
        patterns={Intent(k): compile_("|".join(v)) for k, v in data["patterns"].items()},
        hint_verb=compile_(data["hint_verb"]),
        hedges=compile_(data["hedges"]),
        denial=compile_(data["denial"]),
        yes_no=compile_(data["yes_no"]),
        nested_speaker=compile_(data["nested_speaker"]) if data.get("nested_speaker") else None,
        locatives=frozenset(fold(w) for w in places["locatives"]),
        articles=frozenset(fold(w) for w in places["articles"]),
        not_places=frozenset(fold(w) for w in places["not_places"]),
        place_nouns=frozenset(fold(w) for w in places["place_nouns"]),
        cased=bool(places["cased"]),
        phrasing=data["phrasing"],
        definite=compile_(data["definite"]) if data.get("definite") else None,
        ellipsis=compile_(data["ellipsis"]) if data.get("ellipsis") else None,
    )


LANGUAGES: dict[str, QueryLanguage] = {lang.code: lang for lang in map(load, sorted(HERE.glob("*.yaml")))}
DEFAULT = "en"


def get(code: str) -> QueryLanguage:
    return LANGUAGES.get(code) or LANGUAGES[DEFAULT]
