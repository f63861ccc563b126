"""Parse: a question's language, intent, proposition, named speaker and how firmly it asks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.entities import PLACES
from claims.query import languages, registry
from claims.query.vocabulary import Intent
from claims.text import detect_lang, fold, fold_with_offsets, is_stopword
from claims.vocabulary import Modality


@dataclass(frozen=True)
class Place:
    """A place the question names ("in Washington", "في واشنطن", "حقل الشرارة"): the claim must
    name it too (``claims.query.support.holds_place``)."""

    #: As written in the question.
    name: str
    #: Its gazetteer id (``claims.entities.PLACES``: the place itself, not the country a capital
    #: stands for), or None for a name the gazetteer does not list (matched by sound).
    entity: str | None = None


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
    #: Places the proposition names (``question_places``).
    places: tuple[Place, ...] = ()

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


_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_POSSESSIVE_END = re.compile(r"['’]s$")
#: How many words a place's name may span.
_PLACE_WORDS = 4


def _gazetteer_place(words: list[str]) -> Place | None:
    """The gazetteer entity that starts at the first word ("United States", "واشنطن"; not the
    "Iraq" of "to developing Iraq's security")."""
    for k in range(1, min(_PLACE_WORDS, len(words)) + 1):
        found = PLACES.mentions(" ".join(words[:k]))
        if found and not PLACES.mentions(" ".join(words[1:k])):
            return Place(_POSSESSIVE_END.sub("", " ".join(words[:k])), found[0])
    return None


def question_places(proposition: str, lang: str) -> tuple[Place, ...]:
    """Places the proposition names, by its language's data (``languages/<code>.yaml``): after a
    locative ("in", "to", "في", "إلى"; an article skipped), a gazetteer entity or, in a cased
    script, a run of capitalised words that is not a time ("in El Fasher", not "in March"); and
    the name after a place noun anywhere ("حقل الشرارة")."""
    language = languages.get(lang)
    tokens = _TOKEN.findall(proposition)
    folded = [fold(t) for t in tokens]
    out: list[Place] = []
    for i, word in enumerate(folded):
        if word in language.place_nouns and i + 1 < len(tokens) and not is_stopword(folded[i + 1]):
            name = tokens[i + 1]
            found = PLACES.mentions(name)
            out.append(Place(name, found[0] if found else None))
            continue
        if word not in language.locatives:
            continue
        j = i + 1
        while j < len(tokens) and folded[j] in language.articles:
            j += 1
        following = tokens[j : j + _PLACE_WORDS]
        place = _gazetteer_place(following)
        if place is None and language.cased:
            run = []
            for t in following:
                if not t[:1].isupper():
                    break
                run.append(_POSSESSIVE_END.sub("", t))
                if _POSSESSIVE_END.search(t):
                    break
            if run and fold(run[0]) not in language.not_places:
                place = Place(" ".join(run))
        if place is not None and place not in out:
            out.append(place)
    return tuple(out)


def _nested_speaker(proposition: str, language) -> tuple[str | None, str]:
    """(speaker, proposition) of a proposition that opens by naming who said it ("Kaabi said
    Qatar would not go to Europe" → Kaabi, "Qatar would not go to Europe"; the language's
    ``nested_speaker``), else (None, the proposition)."""
    if language.nested_speaker is None:
        return None, proposition
    if language.fold_question:
        subject, offsets = fold_with_offsets(proposition)
    else:
        subject, offsets = proposition, list(range(len(proposition) + 1))
    match = language.nested_speaker.search(subject)
    if not match:
        return None, proposition
    speaker = _first(match, proposition, offsets, *_SPEAKER_GROUPS)
    rest = _first(match, proposition, offsets, *_PROPOSITION_GROUPS)
    return (speaker, rest.strip()) if speaker and rest else (None, proposition)


def parse_question(question: str) -> ParsedQuestion:
    """Intent, language, speaker and proposition of a question; unknown forms fall back to 'who said'."""
    q = question.strip()
    lang = detect_lang(q)
    language = languages.get(lang)
    original = q.rstrip("?؟.! ").strip()
    if language.fold_question:
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
    if not speaker and proposition:
        speaker, proposition = _nested_speaker(proposition, language)
    speaker = speaker.strip().strip("?؟.!").strip() if speaker else None
    hedged = language.hedges.search(fold(proposition) if language.fold_question else proposition)
    return ParsedQuestion(
        text=q,
        lang=lang,
        intent=intent,
        proposition=proposition if (proposition or speaker) else original,
        modality=Modality.HINTED if language.hint_verb.search(subject) else Modality.HEDGED if hedged else Modality.ASSERTED,
        speaker=speaker or None,
        yes_no=bool(language.yes_no.search(subject)) and intent in YES_NO_INTENTS,
        asks_denial=bool(language.denial.search(subject)),
        places=question_places(proposition, lang),
    )


__all__ = ["Intent", "ParsedQuestion", "Place", "parse_question", "question_places"]
