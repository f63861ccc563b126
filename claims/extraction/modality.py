"""How firmly a statement is made, from its own words and from its cue.

- question: the content ends with ? or ؟;
- hinted / opinion / denied: the cue says so (ألمح, hinted; اعتبر, argued; نفى, denied);
- hedged: a hedge in the content (ربما, يمكن, من المحتمل, يفكر; may, could, not far-fetched,
  is considering), or Arabic قد before an imperfect verb (قد يفعل = may; قد فعل = already);
  a hedge inside an embedded question ("ما الذي قد يقدمه", "what the IRGC would offer") is
  not one;
- the publisher's hop is "reported" when the publisher distances itself (ادعى, claimed,
  reportedly, وبحسب ما ورد).
"""

from __future__ import annotations

import re

from claims.extraction.lexicon import Lexicon
from claims.vocabulary import Modality, Stance

_AR_IMPERFECT = re.compile(r"^[يتنا]\w{2,}")
_EMBEDDED_Q_AR = re.compile(r"(?:ما الذي|ماذا|ما اذا|كيف|متي|هل)\s+(?:\S+\s+){0,1}$")
_EMBEDDED_Q_EN = re.compile(r"\b(?:what|whether|how|why|when|which)\s+(?:\S+\s+){0,3}$", re.I)


def content_modality(folded: str, lex: Lexicon, *, cue: Modality | None = None) -> Modality:
    """Modality of a folded content string given the cue's own modality (if any)."""
    stripped = folded.rstrip(" \"”»'.)")
    if stripped.endswith(("?", "؟")):
        return Modality.QUESTION
    if cue in (Modality.HINTED, Modality.OPINION, Modality.DENIED, Modality.QUESTION):
        return cue
    if _hedged(folded, lex):
        return Modality.HEDGED
    if cue == Modality.HEDGED:
        return Modality.HEDGED
    return Modality.ASSERTED


def _hedged(folded: str, lex: Lexicon) -> bool:
    embedded = _EMBEDDED_Q_AR if lex.lang == "ar" else _EMBEDDED_Q_EN
    for m in lex.hedge_re.finditer(folded):
        if not embedded.search(folded[: m.start()]):
            return True
    if lex.qad:
        words = folded.split()
        for i, w in enumerate(words[:-1]):
            qad_hedge = w in lex.qad and _AR_IMPERFECT.match(words[i + 1]) and not words[i + 1].startswith("ال")
            if qad_hedge and not embedded.search(" ".join(words[:i]) + " "):
                return True
    return False


def stance_for(modality: Modality, cue_folded: str | None, lex: Lexicon) -> Stance:
    if modality == Modality.QUESTION:
        return Stance.NEUTRAL
    if modality == Modality.DENIED:
        return Stance.DENY
    if cue_folded and any(w in lex.denials for w in cue_folded.split()):
        return Stance.DENY
    return Stance.AFFIRM
