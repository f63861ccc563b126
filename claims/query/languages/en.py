"""English: question patterns, hedge cues, display names and answer phrasing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from claims.query.vocabulary import Intent
from claims.syndication import describe

if TYPE_CHECKING:  # pragma: no cover
    from claims.query.answer import AnswerContext

CODE = "en"
#: Patterns run on the question as typed (case-insensitive).
FOLD_QUESTION = False

_VERBS = (
    r"(?:said|says|say|claimed|claims|claim|stated|states|state|asserted|asserts|reported|reports|"
    r"wrote|writes|announced|told|tell|suggested|hinted|argued|argue|argues|alleged|declared|mentioned|"
    r"noted|denied|warned|pledged|described|revealed|think|thinks|believe|believes|"
    # base forms, after "did/does X …" ("Did the army deny …", "What did the agency report …")
    r"deny|denies|warn|warns|pledge|pledges|describe|reveal|note|mention|declare|allege|report|announce|"
    r"confirm|confirms|confirmed|insist|insists|insisted|admit|admits|admitted|promise|promises|promised|"
    r"predict|predicts|predicted|suggest|suggests|hint|hints|write)"
)
_RELAY_VERBS = r"(?:translated|relayed|reported|quoted|carried|published|cited|spread|circulated|ran)"
_THAT = r"(?:saying|that|claiming|which\s+said|who\s+said|about|on)\s+"
_WHO = r"(?:who|(?:which|what)\s+(?:[\w-]+\s+){1,3}?)"
_CHANGE_TAIL = r"(?:\s+(?:as|when|while|through|in|during|between|from|across|along)\b.*)?"
PATTERNS: dict[Intent, re.Pattern[str]] = {
    Intent.FIRST_REPORTED: re.compile(
        r"^(?:when|where)\s+(?:was|were)\s+it\s+(?:first|originally)\s+(?:reported|published|said|claimed|stated)\s+(?:that\s+)?(?P<prop>.+)$"
        r"|^(?:when|where)\s+(?:was|were|did)\s+(?:the\s+)?(?:claim|report|news|story|statement|idea)?\s*(?:that\s+|about\s+)?(?P<prop2>.+?)\s+"
        r"(?:first|originally)\s+(?:reported|published|appear(?:ed)?|surface(?:d)?|emerge(?:d)?|made|said|come\s+out)$"
        r"|^(?:what\s+is\s+the\s+)?(?:earliest|first)\s+(?:report|mention|appearance)\s+(?:of\s+)?(?:the\s+claim\s+)?(?:that\s+)?(?P<prop3>.+)$", re.I),
    Intent.CHANGE: re.compile(
        r"^how\s+(?:did|has|have|was)\s+(?:the\s+)?(?:claim|report|statement|story|wording|framing|news)?\s*(?:of\s+|that\s+|about\s+)?(?P<prop>.+?)\s+"
        r"(?:change[ds]?|shift(?:ed)?|evolve[ds]?|alter(?:ed)?)" + _CHANGE_TAIL + "$"
        r"|^(?:did|has|was)\s+(?:the\s+)?(?:wording|framing|meaning|strength)\s+of\s+(?:the\s+)?(?:claim|report|statement)?\s*(?:that\s+)?(?P<prop2>.+?)\s+"
        r"(?:change[ds]?|shift(?:ed)?|soften(?:ed)?|harden(?:ed)?)" + _CHANGE_TAIL + "$", re.I),
    Intent.ORIGIN: re.compile(
        rf"^{_WHO}\s*(?:was\s+the\s+)?(?:originally|first|initially)\s+{_VERBS}\s+(?:that\s+)?(?P<prop>.+)$"
        r"|^(?:what|who)\s+(?:is|was)\s+the\s+(?:original\s+|first\s+|primary\s+)?(?:source|origin)\s+(?:of|for|behind)\s+"
        r"(?:the\s+)?(?:claim|report|statement|story|news)?\s*(?:that\s+)?(?P<prop2>.+)$"
        r"|^where\s+did\s+(?:the\s+(?:claim|report|idea)\s+)?(?:that\s+)?(?P<prop3>.+?)\s+(?:come\s+from|originate)$"
        r"|^(?:what|which|whose)\s+(?:source|report|outlet)\s+did\s+(?P<speaker>.+?)\s+(?:rely\s+on|cite|use|quote|draw\s+on)\s+(?:for|in)\s+"
        r"(?:the\s+|its\s+|his\s+|her\s+)?(?:report|claim|story|news|statement)?\s*(?:that\s+|about\s+|on\s+)?(?P<prop4>.+)$", re.I),
    Intent.RELAYER: re.compile(
        rf"^(?:who|which|what)\s+(?:[\w-]+\s+){{0,2}}?{_RELAY_VERBS}\s+(?:the\s+)?"
        rf"(?:(?:report|statement|claim|account|story|news|remarks?|comments?)\s+)?(?:(?:of|by|from)\s+)?"
        rf"(?:(?P<speaker>[^,]+?)\s+)?{_THAT}(?P<prop>.+)$", re.I),
    Intent.SPEAKER: re.compile(
        rf"^what\s+(?:did|does|do|has|have)\s+(?P<speaker>.+?)\s+{_VERBS}(?:\s+[\w' -]+?)?\s+"
        r"(?:about|on|regarding|concerning|of)\s+(?P<prop>.+)$"
        r"|^(?:did|does|has)\s+(?P<speaker2>.+?)\s+" + _VERBS + r"\s+(?:that\s+)?(?P<prop2>.+)$"
        # without a topic: everything the speaker said
        r"|^what\s+(?:did|does|do|has|have|had|else\s+did)\s+(?P<speaker3>.+?)\s+(?:say|said|claim|claimed|state|stated|"
        r"tell|told|announce|announced|report|reported|write|wrote|declare|declared|assert|asserted)"
        r"(?:\s+(?:to\s+)?(?:reporters|journalists|the\s+press|the\s+media|so\s+far|recently|lately|publicly))*$"
        r"|^what\s+(?:are|were)\s+(?P<speaker4>.+?)(?:'s|’s)\s+(?:statements|claims|remarks|comments)$", re.I),
    Intent.WHO_SAID: re.compile(rf"^{_WHO}\s*(?:has\s+|had\s+|did\s+)?{_VERBS}\s+(?:that\s+)?(?P<prop>.+)$", re.I),
    Intent.VERIFY: re.compile(
        r"^(?:is\s+it\s+(?:true|correct|the\s+case)\s+that|does|do|did|is|are|was|were|has|have|had|will|would|can)\s+(?P<prop>.+)$", re.I),
}

#: The question's own verb can carry the modality it asks about ("who hinted that …").
HINT_VERB = re.compile(r"^(?:who|which\s+(?:[\w-]+\s+){0,3}?)\s*(?:hinted|implied|insinuated)\b", re.I)
HEDGES = re.compile(r"\b(?:may|might|could|possibly|perhaps|probably|likely|plans?\s+to|considering)\b", re.I)
#: A yes/no question about a denial ("Did the army deny …"): denying tellings answer it yes.
DENIAL = re.compile(r"\b(?:deny|denies|denied|denying|reject|rejects|rejected|refute|refutes|refuted|dismiss|dismissed)\b", re.I)
#: Places a question names (``claims.query.parse.question_places``; compared folded): after one
#: of these words, an article skipped, a gazetteer entity or a run of capitalised words.
LOCATIVES = frozenset({"in", "at", "to", "into", "from", "near", "inside", "outside", "towards", "toward", "across"})
ARTICLES = frozenset({"the"})
#: Names are capitalised in this script.
CASED = True
#: Capitalised words after a locative that are times, not places ("in March").
NOT_PLACES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "spring", "summer",
    "autumn", "winter",
})
#: Nouns that introduce a place's name wherever they stand ("the Sharara field" needs none in English).
PLACE_NOUNS: frozenset[str] = frozenset()
#: A yes/no question: answered with a verdict (``claims.query.verdict``).
YES_NO = re.compile(r"^(?:is\s+it\s+(?:true|correct|the\s+case)|does|do|did|is|are|was|were|has|have|had|will|would|can|could)\b", re.I)


def chain_answer(ctx: AnswerContext) -> str:
    """Origin, relays and publisher, then how firmly it is stated (the weakest wording along the
    chain: a relay that hardens a hedge does not make it firm)."""
    wording = ctx.wording.value
    text = _chain(ctx)
    if wording == "hedged":
        text += " No source asserts it outright: it is hedged" + (f" ('{ctx.hedge_cue}')." if ctx.hedge_cue else ".")
    elif wording != "asserted":
        text += f" It is stated as {wording}."
    if ctx.weaker_question:
        text += f" The question is more tentative than the evidence, which states it as {ctx.found.claim.modality}."
    return text


def first_reported_answer(ctx: AnswerContext) -> str:
    if ctx.syndicated:
        return describe(ctx.appearances, "en", ctx.name)
    doc = ctx.first.document
    outlet = ctx.first_outlet
    date = doc.published_at.date().isoformat() if doc.published_at else None
    when = f"on {date}" if date else "(no publication date is recorded)"
    return f"The earliest stored report is by {outlet} {when}" + (f": \"{doc.title}\"." if doc.title else ".")


def change_answer(ctx: AnswerContext) -> str:
    parts = _hop_changes(ctx)
    if ctx.group_changes:
        parts.append("other tellings state it as " + ", ".join(sorted({d.after or "" for d in ctx.group_changes})))
    return ("As relayed, " + "; ".join(parts) + ".") if parts else "The wording did not change across the recorded hops."


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _chain(ctx: AnswerContext) -> str:
    """Origin, relays and publisher of the shown telling."""
    found, name = ctx.found, ctx.name
    parts = [f"Originally {name(found.origin.id)}"]
    if ctx.relays:
        parts.append("relayed through " + ", then ".join(
            name(h.source.id) + ("'s translation" if h.relation == "translated" else "") for h in ctx.relays))
    if ctx.publisher and ctx.publisher != found.origin.id:
        parts.append(f"published by {name(ctx.publisher)}")
    return ", ".join(parts) + "."


def _hop_changes(ctx: AnswerContext) -> list[str]:
    name = ctx.name
    out = [f"it went from {d.before} to {d.after} at {name(ctx.hop_source(d.to_position))}" for d in ctx.hop_changes]
    out += [f"it was translated from {d.before} to {d.after} by {name(ctx.hop_source(d.to_position))}" for d in ctx.lang_changes]
    return out


#: What a tentative telling does with the proposition.
_TENTATIVE = {"hinted": "only hint{s} at it", "opinion": "give{s} it only as an opinion", "question": "only ask{s} it"}


def _verb(phrase: str, n: int) -> str:
    """"state{s} it" for one source ("states") or several ("state"); "den{ies}"."""
    return phrase.replace("{s}", "s" if n == 1 else "").replace("{ies}", "ies" if n == 1 else "y")


def _tentative(ctx: AnswerContext) -> str:
    by_wording: dict[str, list] = {}
    for t in ctx.tentative:
        by_wording.setdefault(t.wording.value, []).append(t)
    return ", and ".join(
        f"{_and(ctx.names_of(ts))} {_verb(_TENTATIVE.get(w, 'only hedge{s} it'), len(ctx.names_of(ts)))}" for w, ts in by_wording.items()
    )


_VERDICT = {"yes": "Yes", "no": "No", "only_hedged": "Only hedged", "disputed": "Disputed"}


def verdict_answer(ctx: AnswerContext) -> str:
    """A yes/no question: the verdict, who states, only hedges or denies it, the chain, and how
    the wording changed between hops."""
    firm, denying = ctx.names_of(ctx.firm), ctx.names_of(ctx.denying)
    parts = []
    if firm:
        parts.append(f"{_and(firm)} {_verb('state{s} it', len(firm))}")
    if ctx.tentative:
        parts.append(_tentative(ctx))
    if denying:
        parts.append(f"{_and(denying)} {_verb('den{ies} it', len(denying))}")
    lead = _VERDICT.get(ctx.verdict, str(ctx.verdict))
    if ctx.verdict == "only_hedged" and not firm:
        lead += ": no source states it firmly;"
    else:
        lead += ":"
    text = f"{lead} " + ", but ".join(parts) + "."
    text += " " + _chain(ctx)
    changes = _hop_changes(ctx)
    if changes:
        text += " As relayed, " + "; ".join(changes) + "."
    return text


def statements_answer(ctx: AnswerContext) -> str:
    """What a named speaker said (no topic): who, the words, how firmly, where and when."""
    st = ctx.statement
    text = f"{st.who} said: \u201c{st.text}\u201d ({st.wording})" + (f", published by {st.outlet}" if st.outlet else "")
    text += (f" on {st.date}." if st.date else ".")
    return text + (" " + _chain(ctx) if st.elsewhere else "")
