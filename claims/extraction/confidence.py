"""How sure the rules are of a hop and of a claim, from the evidence they used (0-1).

A hop's confidence is the product of three factors:

- cue strength: how the hop was found. A speech verb with its subject in the sentence
  ("X said that", "قال X إن") is strongest; a postposed or "according to" cue next; a
  participle ("saying"), an expressive verb ("X welcomed"), a headline colon, a pronoun or
  pro-drop verb ("وأضاف", "he added") weaker; a hop inherited from context (an earlier
  speaker, the report the paragraph continues, a relay named elsewhere in the paragraph)
  weakest, since nothing in the sentence itself names it;
- speaker resolution: a name beats a title alone, which beats an unnamed source; a speaker
  found only by back-reference (no span of its own in the sentence) is discounted;
- distance: a speaker named far from the content (more than 200 characters) is discounted.

The publisher hop is 1.0 when the caller named the outlet, 0.9 when the page signs itself, and
0.6 when the text does not say who published it. A claim's confidence is the product of its
hops' confidences: each hop is a separate guess, and a chain is right only if all of them are.

Curated records (seeds, claims posted through the API) carry no confidence (NULL): they are
a person's reading, not an estimate.
"""

from __future__ import annotations

from claims.extraction.model import ExtractedClaim, Hop, Mention, Span
from claims.text import fold
from claims.vocabulary import SourceKind

#: Cue strength by the kind of frame that found the hop (see ``attribution.Frame.kind``).
CUE_STRENGTH = {
    "verb": 0.95,
    "post": 0.9,
    "according": 0.9,
    "reportedly": 0.75,
    "participle": 0.8,
    "expressive": 0.75,
    "colon": 0.75,
    "verb-prodrop": 0.75,
    "participant": 0.7,
}
#: A hop no cue in the sentence names: continued from an earlier sentence or paragraph.
INHERITED = 0.7
#: A relay the speaker told ("told Reuters", "لوكالة رويترز") inside the same cue.
TOLD_RELAY = 0.9
#: A relay named in the same paragraph, or a source line / translator for the whole page.
PARAGRAPH_RELAY = 0.8
PAGE_RELAY = 0.85
#: The publisher's own statement (no attribution found): the rules may have missed a cue.
UNATTRIBUTED = 0.85
FAR = 200


def speaker_quality(mention: Mention) -> float:
    if mention.kind == SourceKind.ANONYMOUS:
        return 0.85
    if mention.names:
        return 1.0
    return 0.9 if mention.roles else 0.75


def origin(mention: Mention, kind: str | None, speaker: Span | None, content: Span | None, surface: str | None = None) -> float:
    """Confidence of a claim's first hop (``surface``: the speaker phrase as written)."""
    if mention.publisher:
        return UNATTRIBUTED * publisher(mention)
    cue = CUE_STRENGTH.get(kind or "", INHERITED)
    quality = speaker_quality(mention)
    if speaker is None or (surface is not None and not _names_itself(surface, mention)):
        quality *= 0.85  # found by back-reference ("she", "the minister", a surname, pro-drop)
    distance = 1.0
    if speaker is not None and content is not None:
        gap = max(0, content[0] - speaker[1], speaker[0] - content[1])
        if gap > FAR:
            distance = 0.9
    return round(cue * quality * distance, 3)


def _names_itself(surface: str, mention: Mention) -> bool:
    folded = fold(surface)
    return any(fold(f) in folded for f in mention.all_forms() if f)


def publisher(mention: Mention) -> float:
    name = mention.display
    if name.startswith("Unidentified publisher"):
        return 0.6
    return 0.9 if mention.spans else 1.0


def claim(hops: list[Hop]) -> float:
    value = 1.0
    for hop in hops:
        value *= hop.confidence if hop.confidence is not None else 1.0
    return round(value, 3)


def fill(claims: list[ExtractedClaim], text: str) -> None:
    """Give a confidence to claims and hops made without one (the learned English model's
    output): origin by its cue and speaker, relays as paragraph relays, the publisher by name."""
    for c in claims:
        for n, hop in enumerate(c.hops):
            if hop.confidence is not None:
                continue
            if hop.mention.publisher:
                hop.confidence = publisher(hop.mention) * (UNATTRIBUTED if n == 0 else 1.0)
            elif n == 0:
                surface = text[hop.speaker_span[0] : hop.speaker_span[1]] if hop.speaker_span else None
                hop.confidence = origin(hop.mention, "verb" if hop.cue_span else None, hop.speaker_span, (c.start, c.end), surface)
            else:
                hop.confidence = PARAGRAPH_RELAY
            hop.confidence = round(hop.confidence, 3)
        if c.confidence is None:
            c.confidence = claim(c.hops)
