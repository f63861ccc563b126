"""The closed vocabulary of the query side: what a question asks for."""

from __future__ import annotations

from enum import StrEnum


class Intent(StrEnum):
    """What a provenance question asks (``AskOut.intent``)."""

    #: Who first said it ("who originally said …", "من قال أولاً …").
    ORIGIN = "origin"
    #: Any speaker ("who said …"); also the fallback for forms no pattern knows.
    WHO_SAID = "who_said"
    #: Who relayed, translated or published it.
    RELAYER = "relayer"
    #: What a named speaker said (about a topic, or at all).
    SPEAKER = "speaker"
    #: Is it true / does X hold (yes / no / only hedged / disputed).
    VERIFY = "verify"
    #: When and where it first appeared.
    FIRST_REPORTED = "first_reported"
    #: How its wording changed between hops or documents.
    CHANGE = "change"
