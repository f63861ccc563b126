"""Drift in the words a fact-checker uses, in English and Arabic.

A ``Drift`` record says ``modality: asserted → hedged``; a fact-checker reads "softened from
*is* to *may be*". This module is the one place that phrasing lives: the web pages and the
chain graph (``claims.reports.graph``) both call :func:`drift_phrase`.
"""

from __future__ import annotations

from claims.schemas import Drift
from claims.vocabulary import MODALITY_STRENGTH, Modality

#: How each modality sounds in a sentence ("X *is* Y", "X *may be* Y").
MODALITY_GLOSS: dict[str, dict[str, str]] = {
    "en": {
        "asserted": "is",
        "hedged": "may be",
        "hinted": "hints that",
        "denied": "is not",
        "opinion": "believes",
        "question": "asks whether",
        "reported": "reportedly is",
    },
    "ar": {
        "asserted": "يؤكد",
        "hedged": "ربما",
        "hinted": "يلمّح",
        "denied": "ينفي",
        "opinion": "يرى",
        "question": "يتساءل",
        "reported": "يُنقل أن",
    },
}

LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "en": {"en": "English", "ar": "Arabic", "fr": "French", "fa": "Persian", "he": "Hebrew", "tr": "Turkish"},
    "ar": {"en": "الإنجليزية", "ar": "العربية", "fr": "الفرنسية", "fa": "الفارسية", "he": "العبرية", "tr": "التركية"},
}


def _ui(lang: str) -> str:
    return "ar" if lang == "ar" else "en"


def gloss(modality: str | None, lang: str = "en") -> str:
    """The modality as a fact-checker would say it ("may be"); unknown values pass through."""
    return MODALITY_GLOSS[_ui(lang)].get(modality or "", modality or "")


def language_name(code: str | None, lang: str = "en") -> str:
    return LANGUAGE_NAMES[_ui(lang)].get(code or "", code or "")


def _strength(modality: str | None) -> int | None:
    try:
        return MODALITY_STRENGTH[Modality(modality)]
    except ValueError:
        return None


def _modality_change(before: str | None, after: str | None, lang: str) -> str:
    a, b = _strength(before), _strength(after)
    q = ("«", "»") if lang == "ar" else ("“", "”")
    was, now = f"{q[0]}{gloss(before, lang)}{q[1]}", f"{q[0]}{gloss(after, lang)}{q[1]}"
    if lang == "ar":
        if a is not None and b is not None and b < a:
            return f"خُفِّفت من {was} إلى {now}"
        if a is not None and b is not None and b > a:
            return f"شُدِّدت من {was} إلى {now}"
        return f"تغيّرت من {was} إلى {now}"
    if a is not None and b is not None and b < a:
        return f"softened from {was} to {now}"
    if a is not None and b is not None and b > a:
        return f"hardened from {was} to {now}"
    return f"changed from {was} to {now}"


def drift_phrase(drift: Drift, lang: str = "en") -> str:
    """One drift record as a short phrase in ``lang`` (the interface language)."""
    lang = _ui(lang)
    if drift.field == "lang":
        if lang == "ar":
            return f"تُرجمت من {language_name(drift.before, lang)} إلى {language_name(drift.after, lang)}"
        return f"translated from {language_name(drift.before, lang)} to {language_name(drift.after, lang)}"
    if drift.field != "modality":
        return f"{drift.field}: {drift.before} → {drift.after}"
    if drift.scope == "question":
        q = ("«", "»") if lang == "ar" else ("“", "”")
        if lang == "ar":
            return f"سؤالك يقول {q[0]}{gloss(drift.before, lang)}{q[1]}، والمصادر تقول {q[0]}{gloss(drift.after, lang)}{q[1]}"
        return f"your question says {q[0]}{gloss(drift.before, lang)}{q[1]}; the sources say {q[0]}{gloss(drift.after, lang)}{q[1]}"
    change = _modality_change(drift.before, drift.after, lang)
    if drift.scope == "group":
        return f"في رواية أخرى: {change}" if lang == "ar" else f"in another telling: {change}"
    return change


__all__ = ["LANGUAGE_NAMES", "MODALITY_GLOSS", "drift_phrase", "gloss", "language_name"]
