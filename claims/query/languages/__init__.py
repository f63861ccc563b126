"""The languages questions can be asked in, one module each (``en``, ``ar``).

A language module provides, under these names:

- ``CODE``, ``FOLD_QUESTION`` (run the patterns on the folded question);
- ``PATTERNS``: ``Intent`` → compiled pattern with named groups ``prop``/``prop2``…
  (the proposition) and ``speaker``/``speaker2``; intents are tried in registry order;
- ``HINT_VERB`` and ``HEDGES``: how the question itself hedges or hints;
- ``YES_NO``: a yes/no question (its answer carries a verdict);
- ``chain_answer``, ``first_reported_answer``, ``change_answer``, ``verdict_answer``,
  ``statements_answer``: the phrasing the intent registry (``claims.query.registry``) names.

Sources are named by the one display-name rule, ``claims.names.display_name`` (its
per-language pieces, the unidentified publisher and the back-references that are never
names, are in ``claims/languages/``).

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
