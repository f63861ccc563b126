"""Every question intent, registered in one place (the ``claims/reports/registry.py`` pattern).

An entry names its intent, what it is for, and which function of ``claims.query.phrasing``
phrases its answer (``chain_answer``, ``first_reported_answer``, ``change_answer``,
``verdict_answer``, ``statements_answer``) from the question language's templates: the yes/no
form of a question ("Did X say …", "هل …") is phrased by ``yes_no_phrasing``, a speaker asked
about without a topic ("What did X say?") by ``topicless_phrasing``. Question patterns are data
per language (``claims/query/languages/<code>.yaml`` ``patterns``); ``INTENTS`` is also the
order in which they are tried, most specific first. Adding an intent is an ``Intent`` member,
one entry here, and a pattern (and templates, if new) in each language file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claims.query import phrasing
from claims.query.vocabulary import Intent

if TYPE_CHECKING:  # pragma: no cover
    from claims.query.languages import QueryLanguage


@dataclass(frozen=True)
class IntentSpec:
    intent: Intent
    description: str
    #: Name of the ``claims.query.phrasing`` function that phrases the answer.
    phrasing: str
    #: … of a yes/no question of this intent (the answer carries a verdict).
    yes_no_phrasing: str | None = None
    #: … of a question that names a speaker and no topic.
    topicless_phrasing: str | None = None

    def pattern(self, language: QueryLanguage) -> re.Pattern[str] | None:
        return language.patterns.get(self.intent)

    def phrasing_for(self, parsed) -> str:
        if parsed.yes_no and self.yes_no_phrasing:
            return self.yes_no_phrasing
        if parsed.about_anything and self.topicless_phrasing:
            return self.topicless_phrasing
        return self.phrasing

    def phrase(self, language: QueryLanguage, ctx) -> str:
        return getattr(phrasing, self.phrasing_for(ctx.parsed))(ctx, language)


INTENTS: dict[Intent, IntentSpec] = {
    s.intent: s
    for s in (
        IntentSpec(Intent.FIRST_REPORTED, "when and where it first appeared", "first_reported_answer"),
        IntentSpec(Intent.CHANGE, "how its wording changed along the chain and between tellings", "change_answer"),
        IntentSpec(Intent.ORIGIN, "who first said it", "chain_answer"),
        IntentSpec(Intent.RELAYER, "who relayed, translated or published it", "chain_answer"),
        IntentSpec(Intent.SPEAKER, "what a named speaker said (about a topic, or everything)", "chain_answer",
                   yes_no_phrasing="verdict_answer", topicless_phrasing="statements_answer"),
        IntentSpec(Intent.WHO_SAID, "who said it (the fallback)", "chain_answer"),
        IntentSpec(Intent.VERIFY, "whether it holds: yes, no, only hedged, disputed", "verdict_answer",
                   yes_no_phrasing="verdict_answer"),
    )
}

#: Used when no pattern matches: the whole question is the proposition.
FALLBACK = Intent.WHO_SAID


def get(intent: Intent | str) -> IntentSpec:
    return INTENTS[Intent(intent)]
