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
            proposition = _first(match, original, offsets, "prop", "prop2", "prop3", "prop4") or original
            speaker = _first(match, original, offsets, "speaker", "speaker2")
            break
    proposition = proposition.strip().strip("?؟.!").strip()
    hedged = language.HEDGES.search(fold(proposition) if language.FOLD_QUESTION else proposition)
    return ParsedQuestion(
        text=q,
        lang=lang,
        intent=intent,
        proposition=proposition or original,
        modality=Modality.HINTED if language.HINT_VERB.search(subject) else Modality.HEDGED if hedged else Modality.ASSERTED,
        speaker=speaker.strip() if speaker else None,
    )


__all__ = ["Intent", "ParsedQuestion", "parse_question"]
