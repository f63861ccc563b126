"""The languages questions can be asked in, one module each (``en``, ``ar``).

A language module provides, under these names:

- ``CODE``, ``FOLD_QUESTION`` (run the patterns on the folded question);
- ``PATTERNS``: ``Intent`` → compiled pattern with named groups ``prop``/``prop2``…
  (the proposition) and ``speaker``/``speaker2``; intents are tried in registry order;
- ``HINT_VERB`` and ``HEDGES``: how the question itself hedges or hints;
- ``display_name(source)``: how a source is named in an answer;
- ``chain_answer``, ``first_reported_answer``, ``change_answer``: the phrasing the intent
  registry (``claims.query.registry``) names.

Text analysis of the same language (stop words, stemmer) is ``claims/languages/``. A third
language is one module here, one there, and a line in each ``LANGUAGES``.
"""

from __future__ import annotations

from types import ModuleType

from claims.query.languages import ar, en

LANGUAGES: dict[str, ModuleType] = {m.CODE: m for m in (en, ar)}
DEFAULT = "en"


def get(code: str) -> ModuleType:
    return LANGUAGES.get(code) or LANGUAGES[DEFAULT]
