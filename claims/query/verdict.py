"""Verdict: the answer to a yes/no question, judged on every stored telling of the proposition.

A telling (a claim of the group) counts by its *weakest* wording along its chain: a relay that
hardens "may" into "will" does not make the speaker firm, and a relay that softens it makes the
telling tentative. A telling is firm when that wording is at least ``reported``, denying when
its stance is ``deny`` or its wording ``denied``, tentative otherwise (hedged, hinted, an
opinion, a question). The verdict describes the evidence: "Did X say losses *could* exceed …"
is ``only_hedged`` when X only hedged it, whatever the question's own modal.

- every telling denies → ``no``; some affirm and some deny → ``disputed``;
- every affirming telling is firm → ``yes``; none is → ``only_hedged``; some are and some are
  not → ``disputed`` (the sources disagree on how firmly: never "firm" when one only hedges).

A question about a denial ("Did the army deny …", "هل نفى …") is the mirror image: the denying
tellings say yes, an affirming one says no.
"""

from __future__ import annotations

from dataclasses import dataclass

from claims.models import Claim
from claims.vocabulary import MODALITY_STRENGTH, Modality, Stance, Verdict

#: The weakest wording that states a proposition firmly.
FIRM = MODALITY_STRENGTH[Modality.REPORTED]


@dataclass(frozen=True)
class Telling:
    """One telling as the verdict reads it."""

    claim: Claim
    #: Its weakest wording along the chain (claim and hops).
    wording: Modality
    denies: bool
    firm: bool
    #: The hedge cue of the hop where it is weakest, if the record has one.
    cue: str | None = None

    @property
    def source(self):
        """Who says it: the telling's hop 0 (its speaker when it has no hops)."""
        return self.claim.hops[0].source if self.claim.hops else self.claim.speaker


def weakest_wording(claim: Claim) -> tuple[Modality, str | None]:
    """The weakest modality of a telling (the claim's and every hop's) and that hop's cue."""
    wording, cue = Modality(claim.modality), None
    for hop in claim.hops:
        if hop.modality and MODALITY_STRENGTH[Modality(hop.modality)] < MODALITY_STRENGTH[wording]:
            wording, cue = Modality(hop.modality), hop.cue
    if cue is None:
        cue = next((h.cue for h in claim.hops if h.modality == wording.value and h.cue), None)
    return wording, cue


def telling(claim: Claim) -> Telling:
    wording, cue = weakest_wording(claim)
    denies = claim.stance == Stance.DENY or wording == Modality.DENIED
    # a denial is firm as a denial; an affirmation by its wording
    firm = wording == Modality.DENIED or MODALITY_STRENGTH[wording] >= FIRM
    return Telling(claim, wording, denies, firm, cue)


def judge(claims: list[Claim], *, denial: bool = False) -> tuple[Verdict, list[Telling]]:
    """The verdict on these tellings (the answer's own first), with each telling as read. For a
    question about a denial ("Did X deny …") the denying tellings are the ones that say yes."""
    tellings = [telling(c) for c in claims]
    if not tellings:
        return Verdict.UNSUPPORTED, []
    saying = [t for t in tellings if t.denies == denial]
    if not saying:
        return Verdict.NO, tellings
    if len(saying) < len(tellings):
        return Verdict.DISPUTED, tellings
    firm = sum(t.firm for t in saying)
    if firm == len(saying):
        return Verdict.YES, tellings
    return (Verdict.ONLY_HEDGED if firm == 0 else Verdict.DISPUTED), tellings
