"""Reading an extraction's claims in the rule-class tests: the claim holding a fragment, its
first hop's speaker text, its chain of display names."""

from __future__ import annotations


def claim_with(claims, fragment: str):
    found = [c for c in claims if fragment in c.text]
    assert found, f"no claim contains {fragment!r}: {[c.text for c in claims]}"
    return found[0]


def speaker_of(text: str, claim) -> str | None:
    span = claim.hops[0].speaker_span
    return text[span[0] : span[1]] if span else None


def chain(claim) -> list[str]:
    return [h.mention.display for h in claim.hops]
