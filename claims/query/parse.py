"""Parse: a question's language, intent, proposition, named speaker and how firmly it asks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.query import languages, registry
from claims.query.vocabulary import Intent
from claims.text import detect_lang, fold, fold_with_offsets
from claims.vocabulary import Modality


@dataclass
class ParsedQuestion:
    text: str
    lang: str
    intent: Intent
    proposition: str
    modality: Modality
    speaker: str | None = None
    #: A yes/no question ("Does …", "Did X say …", "هل …"): the answer carries a verdict.
    yes_no: bool = False
    #: The yes/no question asks whether it was denied ("Did X deny …", "هل نفى …").
    asks_denial: bool = False

    @property
    def about_anything(self) -> bool:
        """"What did X say" without a topic: everything the speaker said is the answer."""
        return self.intent == Intent.SPEAKER and self.speaker is not None and not self.proposition


_PROPOSITION_GROUPS = ("prop", "prop2", "prop3", "prop4")
_SPEAKER_GROUPS = ("speaker", "speaker2", "speaker3", "speaker4", "speaker5")
#: Intents whose yes/no form ("Does …", "Did X say …") is answered with a verdict.
YES_NO_INTENTS = frozenset({Intent.VERIFY, Intent.SPEAKER})


def _first(match: re.Match[str], original: str, offsets: list[int], *names: str) -> str | None:
    """The first named group that matched, cut from the original (unfolded) question."""
    for name in names:
        if match.groupdict().get(name):
            start, end = match.span(name)
            return original[offsets[start] : offsets[end]]
    return None


def parse_question(question: str) -> ParsedQuestion:
    """Intent, language, speaker and proposition of a question; unknown forms fall back to 'who said'."""
    q = question.strip()
    lang = detect_lang(q)
    language = languages.get(lang)
    original = q.rstrip("?؟.! ").strip()
    if language.FOLD_QUESTION:
        subject, offsets = fold_with_offsets(original)
    else:
        subject, offsets = original, list(range(len(original) + 1))
    intent, proposition, speaker = registry.FALLBACK, original, None
    for spec in registry.INTENTS.values():
        pattern = spec.pattern(language)
        match = pattern.search(subject) if pattern is not None else None
        if match:
            intent = spec.intent
            speaker = _first(match, original, offsets, *_SPEAKER_GROUPS)
            # a speaker with no proposition ("what did X say"): everything X said
            proposition = _first(match, original, offsets, *_PROPOSITION_GROUPS) or ("" if speaker else original)
            break
    proposition = proposition.strip().strip("?؟.!").strip()
    speaker = speaker.strip().strip("?؟.!").strip() if speaker else None
    hedged = language.HEDGES.search(fold(proposition) if language.FOLD_QUESTION else proposition)
    return ParsedQuestion(
        text=q,
        lang=lang,
        intent=intent,
        proposition=proposition if (proposition or speaker) else original,
        modality=Modality.HINTED if language.HINT_VERB.search(subject) else Modality.HEDGED if hedged else Modality.ASSERTED,
        speaker=speaker or None,
        yes_no=bool(language.YES_NO.search(subject)) and intent in YES_NO_INTENTS,
        asks_denial=bool(language.DENIAL.search(subject)),
    )


__all__ = ["Intent", "ParsedQuestion", "parse_question"]
