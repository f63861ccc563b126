"""Answer provenance questions ("who originally said X", "من قال إن X") from the record.

1. Understand the question: its intent (origin or any speaker), language, the proposition
   asked about, and how firmly the question states it.
2. Retrieve claims by BM25 over normalised, stemmed text in both languages.
3. Keep only claims that cover the proposition (share of its IDF mass and at least two of its
   terms): a claim that shares one word ("vacuum") is not an answer, and a question about
   something the store never mentions finds nothing.
4. Collapse claim groups (one answer per proposition, carrying its other-language members),
   build the chain and drift, and phrase a short answer in the question's language.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.models import Claim, Source
from claims.names import best_match
from claims.provenance import group_members, origin_of, provenance
from claims.schemas import Answer, AskOut, Drift, Provenance
from claims.search import Candidate, hybrid
from claims.text import detect_lang, fold, fold_with_offsets
from claims.vocabulary import MODALITY_STRENGTH, Modality, Relation, SourceKind

MIN_COVERAGE = 0.6
#: With a resolved speaker constraint the speaker carries part of the meaning.
MIN_COVERAGE_WITH_SPEAKER = 0.5

_EN_VERBS = (
    r"(?:said|says|say|claimed|claims|claim|stated|states|state|asserted|asserts|reported|reports|"
    r"wrote|writes|announced|told|tell|suggested|hinted|argued|argue|argues|alleged|declared|mentioned|"
    r"noted|denied|warned|pledged|described|revealed|think|thinks|believe|believes)"
)
_EN_RELAY_VERBS = r"(?:translated|relayed|reported|quoted|carried|published|cited|spread|circulated|ran)"
_EN_THAT = r"(?:saying|that|claiming|which\s+said|who\s+said|about|on)\s+"
_EN_WHO = r"(?:who|(?:which|what)\s+(?:[\w-]+\s+){1,3}?)"
_EN_CHANGE_TAIL = r"(?:\s+(?:as|when|while|through|in|during|between|from|across|along)\b.*)?"
_EN_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("first_reported", re.compile(
        r"^(?:when|where)\s+(?:was|were)\s+it\s+(?:first|originally)\s+(?:reported|published|said|claimed|stated)\s+(?:that\s+)?(?P<prop>.+)$"
        r"|^(?:when|where)\s+(?:was|were|did)\s+(?:the\s+)?(?:claim|report|news|story|statement|idea)?\s*(?:that\s+|about\s+)?(?P<prop2>.+?)\s+"
        r"(?:first|originally)\s+(?:reported|published|appear(?:ed)?|surface(?:d)?|emerge(?:d)?|made|said|come\s+out)$"
        r"|^(?:what\s+is\s+the\s+)?(?:earliest|first)\s+(?:report|mention|appearance)\s+(?:of\s+)?(?:the\s+claim\s+)?(?:that\s+)?(?P<prop3>.+)$", re.I)),
    ("change", re.compile(
        r"^how\s+(?:did|has|have|was)\s+(?:the\s+)?(?:claim|report|statement|story|wording|framing|news)?\s*(?:of\s+|that\s+|about\s+)?(?P<prop>.+?)\s+"
        r"(?:change[ds]?|shift(?:ed)?|evolve[ds]?|alter(?:ed)?)" + _EN_CHANGE_TAIL + "$"
        r"|^(?:did|has|was)\s+(?:the\s+)?(?:wording|framing|meaning|strength)\s+of\s+(?:the\s+)?(?:claim|report|statement)?\s*(?:that\s+)?(?P<prop2>.+?)\s+"
        r"(?:change[ds]?|shift(?:ed)?|soften(?:ed)?|harden(?:ed)?)" + _EN_CHANGE_TAIL + "$", re.I)),
    ("origin", re.compile(
        rf"^{_EN_WHO}\s*(?:was\s+the\s+)?(?:originally|first|initially)\s+{_EN_VERBS}\s+(?:that\s+)?(?P<prop>.+)$"
        r"|^(?:what|who)\s+(?:is|was)\s+the\s+(?:original\s+|first\s+|primary\s+)?(?:source|origin)\s+(?:of|for|behind)\s+"
        r"(?:the\s+)?(?:claim|report|statement|story|news)?\s*(?:that\s+)?(?P<prop2>.+)$"
        r"|^where\s+did\s+(?:the\s+(?:claim|report|idea)\s+)?(?:that\s+)?(?P<prop3>.+?)\s+(?:come\s+from|originate)$"
        r"|^(?:what|which|whose)\s+(?:source|report|outlet)\s+did\s+(?P<speaker>.+?)\s+(?:rely\s+on|cite|use|quote|draw\s+on)\s+(?:for|in)\s+"
        r"(?:the\s+|its\s+|his\s+|her\s+)?(?:report|claim|story|news|statement)?\s*(?:that\s+|about\s+|on\s+)?(?P<prop4>.+)$", re.I)),
    ("relayer", re.compile(
        rf"^(?:who|which|what)\s+(?:[\w-]+\s+){{0,2}}?{_EN_RELAY_VERBS}\s+(?:the\s+)?"
        rf"(?:(?:report|statement|claim|account|story|news|remarks?|comments?)\s+)?(?:(?:of|by|from)\s+)?"
        rf"(?:(?P<speaker>[^,]+?)\s+)?{_EN_THAT}(?P<prop>.+)$", re.I)),
    ("speaker", re.compile(
        rf"^what\s+(?:did|does|do|has|have)\s+(?P<speaker>.+?)\s+{_EN_VERBS}(?:\s+[\w' -]+?)?\s+"
        r"(?:about|on|regarding|concerning|of)\s+(?P<prop>.+)$"
        r"|^(?:did|does|has)\s+(?P<speaker2>.+?)\s+" + _EN_VERBS + r"\s+(?:that\s+)?(?P<prop2>.+)$", re.I)),
    ("who_said", re.compile(rf"^{_EN_WHO}\s*(?:has\s+|had\s+|did\s+)?{_EN_VERBS}\s+(?:that\s+)?(?P<prop>.+)$", re.I)),
    ("verify", re.compile(r"^(?:is\s+it\s+true\s+that\s+|does|do|did|is|are|was|were|has|have|had|will|would|can)\s+(?P<prop>.+)$", re.I)),
]

# Arabic rules run on the folded question (no diacritics, one alef, ى→ي, ة→ه).
_AR_VERBS = (
    r"(?:(?:قال|يقول|ادعي|ادع|يدعي|زعم|صرح|ذكر|اكد|افاد|اعلن|كشف|المح|اعتبر|اشار|اورد|حذر|رات|راي|يري|وصف|"
    r"تعهد|التزم|وعد|نفي|توقع|رجح|لفت)(?:ت)?)(?:\s+الي)?"
)
_AR_RELAY = r"(?:نقل|نقلت|ترجم|ترجمت|اورد|اوردت|نشر|نشرت|روي|روت|تناقل|تداول)"
_AR_FIRST = r"(?:اولا|لاول\s+مره|في\s+الاصل|بدايه|اصلا)"
_AR_THAT = r"(?:ب?ان\s+)"
_AR_WHO = r"(?:من|(?:اي|ما)\s+(?:\S+\s+){1,3}?(?:التي\s+|الذي\s+)?)"
_AR_ITEM = r"(?:خبر|ادعاء|تصريح|تصريحات|تقرير|قول|روايه|صياغه|معلومه)"
_AR_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("first_reported", re.compile(
        rf"^متي\s+(?:نشر|نشرت|ظهر|ظهرت|ذكر|ذكرت|قيل|ورد|وردت|برز|بث)\s+(?:لاول\s+مره\s+)?(?:ال)?{_AR_ITEM}?\s*{_AR_THAT}?(?P<prop>.+?)(?:\s+لاول\s+مره|\s+اول\s+مره)?$"
        rf"|^(?:ما\s+)?(?:هو\s+)?(?:اول|اقدم)\s+(?:ظهور|نشر|ذكر)\s+(?:ل|لل)?{_AR_ITEM}?\s*{_AR_THAT}?(?P<prop2>.+)$")),
    ("change", re.compile(
        rf"^(?:هل|كيف)\s+(?:تغيرت|تغير|اختلفت|اختلف|تبدلت|تبدل|تحولت|تحول)\s+(?:صياغه|لهجه|حده|معني|نبره)?\s*(?:ال)?{_AR_ITEM}?\s*{_AR_THAT}?(?P<prop>.+?)"
        r"(?:\s+(?:عند|اثناء|خلال|مع|بعد|في)\s+(?:نقله|نقلها|النقل|ترجمته|ترجمتها|الترجمه|تناقله|تداوله).*)?$")),
    ("origin", re.compile(
        rf"^من\s+اول\s+من\s+{_AR_VERBS}\s+{_AR_THAT}?(?P<prop>.+)$"
        rf"|^{_AR_WHO}\s*{_AR_VERBS}\s+{_AR_FIRST}\s+{_AR_THAT}?(?P<prop2>.+)$"
        rf"|^(?:ما\s+)?(?:هو\s+|هي\s+)?(?:المصدر|مصدر)\s+(?:الاصلي\s+|الاول\s+)?(?:ل|لل)?(?:قول|ادعاء|خبر|تصريح|تقرير)?\s*{_AR_THAT}?(?P<prop3>(?!الذي|التي).+)$"
        rf"|^(?:ما|من)\s+(?:هو\s+)?(?:المصدر|الجهه)\s+(?:الذي|التي)\s+(?:اعتمد|اعتمدت|استند|استندت|نقل|نقلت)\s+(?:عليه|عليها|اليه|اليها|عنه|عنها)\s+"
        rf"(?P<speaker>.+?)\s+(?:في|ل)\s*(?:ال)?{_AR_ITEM}?\s*{_AR_THAT}?(?P<prop4>.+)$")),
    ("relayer", re.compile(
        rf"^(?:(?:ما|اي)\s+(?:\S+\s+){{1,2}}?(?:التي|الذي)\s+|من\s+){_AR_RELAY}\s+(?:قول\s+|تصريح\s+|تصريحات\s+|خبر\s+|تقرير\s+|تعهد\s+)?"
        rf"(?:(?P<speaker>.+?)\s+)?{_AR_THAT}(?P<prop>.+)$")),
    ("speaker", re.compile(
        rf"^(?:ماذا|ما\s+الذي|بماذا)\s+{_AR_VERBS}\s+(?P<speaker>.+?)\s+(?:عن|بشان|حول|حيال|ازاء)\s+(?P<prop>.+)$"
        rf"|^هل\s+{_AR_VERBS}\s+(?P<speaker2>.+?)\s+{_AR_THAT}(?P<prop2>.+)$")),
    ("who_said", re.compile(rf"^{_AR_WHO}\s*{_AR_VERBS}\s+(?:{_AR_FIRST}\s+)?{_AR_THAT}?(?P<prop>.+)$")),
    ("verify", re.compile(r"^(?:هل\s+صحيح\s+ان\s+|هل\s+)(?P<prop>.+)$")),
]

#: The question's own verb can carry the modality it asks about ("who hinted that …").
_HINT_VERB = re.compile(r"^(?:who|which\s+(?:[\w-]+\s+){0,3}?)\s*(?:hinted|implied|insinuated)\b|^(?:من|(?:اي|ما)\s+(?:\S+\s+){1,3}?)\s*(?:المح|لمح)", re.I)
_HEDGES_EN = re.compile(r"\b(?:may|might|could|possibly|perhaps|probably|likely|plans?\s+to|considering)\b", re.I)
_HEDGES_AR = re.compile(r"(?:^|\s)(?:ربما|وربما|قد|يمكن|من\s+المحتمل|محتمل|يخطط|تخطط|يفكر)(?:\s|$)")


@dataclass
class ParsedQuestion:
    text: str
    lang: str
    intent: str  # origin | who_said | relayer | speaker | verify | first_reported | change
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
    original = q.rstrip("?؟.! ").strip()
    if lang == "ar":
        subject, offsets = fold_with_offsets(original)
    else:
        subject, offsets = original, list(range(len(original) + 1))
    intent, proposition, speaker = "who_said", original, None
    for name, pattern in _AR_RULES if lang == "ar" else _EN_RULES:
        match = pattern.search(subject)
        if match:
            intent = name
            proposition = _first(match, original, offsets, "prop", "prop2", "prop3", "prop4") or original
            speaker = _first(match, original, offsets, "speaker", "speaker2")
            break
    proposition = proposition.strip().strip("?؟.!").strip()
    hedged = (_HEDGES_AR if lang == "ar" else _HEDGES_EN).search(fold(proposition) if lang == "ar" else proposition)
    return ParsedQuestion(
        text=q,
        lang=lang,
        intent=intent,
        proposition=proposition or original,
        modality=Modality.HINTED if _HINT_VERB.search(subject) else Modality.HEDGED if hedged else Modality.ASSERTED,
        speaker=speaker.strip() if speaker else None,
    )


def resolve_speaker(session: Session, name: str) -> Source | None:
    """The longest leading run of words in ``name`` that names a known source ("Kotrashev tell
    Russian media" → Kotrashev; "وزير الدفاع العراقي" → the minister, through his role alias).

    Each run is tried against the alias table (exact folded alias, then fuzzy), then across
    scripts (transliteration + phonetic fold + token_sort_ratio, ``claims.names``)."""
    from claims.models import SourceAlias
    from claims.services import SourceService

    service = SourceService(session)
    tokens = name.split()
    for n in range(len(tokens), 0, -1):
        source = service.resolve(" ".join(tokens[:n]))
        if source is not None:
            return source
    aliases = [(text, sid) for text, sid in session.execute(select(SourceAlias.text, SourceAlias.source_id))]
    aliases += [(nm, sid) for nm, sid in session.execute(select(Source.name, Source.id))]
    for n in range(len(tokens), 0, -1):
        source_id = best_match(" ".join(tokens[:n]), aliases)
        if source_id is not None:
            return session.get(Source, source_id)
    return None


def _question_drift(parsed: ParsedQuestion, found: Provenance) -> list[Drift]:
    """The question states the proposition more (or less) firmly than the evidence does."""
    evidence = Modality(found.claim.modality)
    if MODALITY_STRENGTH[parsed.modality] == MODALITY_STRENGTH[evidence]:
        return []
    return [
        Drift(
            from_position=None,
            to_position=found.chain[-1].position if found.chain else None,
            field="modality",
            before=parsed.modality.value,
            after=evidence.value,
            scope="question",
        )
    ]


def _display_name(source, lang: str) -> str:
    if lang == "ar":
        for alias in source.aliases if hasattr(source, "aliases") else []:
            if alias.lang == "ar" and not (alias.note or "").startswith(("typo", "role")):
                return alias.text
    return source.name


_MODALITY_AR = {
    "asserted": "مؤكدة",
    "hedged": "متحفظة (احتمال لا تأكيد)",
    "hinted": "تلميح",
    "denied": "نفي",
    "opinion": "رأي",
    "question": "تساؤل",
    "reported": "منقولة",
}


def answer_text(session: Session, parsed: ParsedQuestion, found: Provenance) -> str:
    """One or two plain sentences in the question's language."""
    sources = {s.id: s for s in session.scalars(select(Source).where(Source.id.in_([h.source.id for h in found.chain] + [found.origin.id])))}
    name = lambda sid: _display_name(sources[sid], parsed.lang)  # noqa: E731
    relays = [h for h in found.chain[1:] if h.relation != Relation.PUBLISHED and h.source.id != found.origin.id]
    publisher = found.chain[-1].source.id if found.chain else None
    hedge_cue = next((h.cue for h in found.chain if h.modality == "hedged" and h.cue), None)
    if parsed.lang == "ar":
        parts = [f"المصدر الأصلي: {name(found.origin.id)}"]
        if relays:
            parts.append("ونقلها " + "، ثم ".join(name(h.source.id) + (" (ترجمة)" if h.relation == "translated" else "") for h in relays))
        if publisher and publisher != found.origin.id:
            parts.append(f"ونشرها {name(publisher)}")
        text = "، ".join(parts) + f". الصيغة {_MODALITY_AR.get(found.claim.modality, found.claim.modality)}"
        if found.claim.modality == "hedged" and parsed.modality == Modality.ASSERTED:
            text += "؛ لا يؤكدها أي مصدر بشكل قاطع"
        elif _weaker_question(parsed, found):
            text += "؛ والسؤال أقل جزماً مما تقوله المصادر"
        return text + "."
    parts = [f"Originally {name(found.origin.id)}"]
    if relays:
        parts.append("relayed through " + ", then ".join(
            name(h.source.id) + ("'s translation" if h.relation == "translated" else "") for h in relays))
    if publisher and publisher != found.origin.id:
        parts.append(f"published by {name(publisher)}")
    text = ", ".join(parts) + "."
    if found.claim.modality == "hedged":
        text += " No source asserts it outright: it is hedged" + (f" ('{hedge_cue}')." if hedge_cue else ".")
    elif found.claim.modality != "asserted":
        text += f" It is stated as {found.claim.modality}."
    if _weaker_question(parsed, found):
        text += f" The question is more tentative than the evidence, which states it as {found.claim.modality}."
    return text


def _weaker_question(parsed: ParsedQuestion, found: Provenance) -> bool:
    return MODALITY_STRENGTH[parsed.modality] < MODALITY_STRENGTH[Modality(found.claim.modality)]


def _mentions_source(claim: Claim, source_id: uuid.UUID) -> bool:
    return claim.speaker_id == source_id or any(h.source_id == source_id for h in claim.hops)


# --- support and confidence ---------------------------------------------------------------

#: Cosine of two sentence vectors below which they are treated as unrelated, and the span over
#: which similarity rises from "unrelated" to "same proposition" (USE v3 multilingual: a
#: sentence and its translation score ~0.9, a paraphrased question ~0.6–0.75, a different
#: proposition about the same topic ~0.5–0.65; NLP.md and the seed probes).
COS_FLOOR = 0.45
COS_SPAN = 0.40
#: Combined support needed to answer; below it ``found`` is false.
MIN_SUPPORT = 0.6
#: A claim stored only in the other language (no curated label in the question's language)
#: shares no words with the question but its names and numbers: lexical coverage says little,
#: so the cosine decides, and this cosine counts as just enough support (0.55 when the question
#: names a speaker the claim is attributed to, as the speaker carries part of the meaning).
CROSS_LINGUAL_COS = 0.60


def support(c: Candidate, *, speaker_bonus: float = 0.0, cross_lingual: bool = False) -> float:
    """How well a stored claim supports the question, 0..1.

    Lexical coverage (share of the question's IDF mass the claim holds) is the rule-path
    measure; when sentence vectors exist it is blended with the cosine, rescaled so that 0.45
    means nothing and 0.85 means a translation-level match. Either signal alone can carry a
    match it is sure of (full coverage, or a near-translation); a middling value of both is what
    a paraphrase looks like. Subject agreement (entities) is checked separately and is absolute.
    """
    lexical = min(1.0, c.coverage + speaker_bonus)
    if c.cosine is None:
        return lexical
    semantic = max(0.0, min(1.0, (c.cosine - COS_FLOOR) / COS_SPAN))
    blended = 0.5 * lexical + 0.5 * semantic
    if cross_lingual:
        return max(lexical, blended, MIN_SUPPORT + (c.cosine - CROSS_LINGUAL_COS) + speaker_bonus / 2)
    return max(lexical, blended)


def calibrated(score: float) -> float:
    """Confidence reported to clients (0..0.99), monotone in the support score."""
    return round(max(0.0, min(0.99, score)), 3)


# --- origin, first appearance, change ------------------------------------------------------

_PRIMARY = {Relation.SAID.value, Relation.QUOTED.value, Relation.PARAPHRASED.value}


def _doc_time(claim: Claim):
    published = claim.document.published_at
    return (published is None, published.timestamp() if published else 0.0, claim.created_at.timestamp())


def group_origin(claim: Claim, members: list[Claim]) -> Source:
    """The earliest hop-0 source across the group: a primary speaker (said/quoted) over an
    outlet that reported it, a relayer over a bare publisher; an unnamed source stays unnamed."""
    own = claim.hops[0].source if claim.hops else claim.speaker
    if own.kind == SourceKind.ANONYMOUS:
        return own

    def tier(member: Claim) -> int:
        hop0 = member.hops[0]
        if hop0.relation == Relation.PUBLISHED.value:
            return 2
        return 0 if hop0.relation in _PRIMARY and len(member.hops) > 1 else 1

    if not claim.hops:
        return own
    best, best_tier = claim, tier(claim)
    for member in members:
        if not member.hops:
            continue
        t = tier(member)
        earlier = (
            member.document.published_at is not None
            and best.document.published_at is not None
            and member.document.published_at < best.document.published_at
        )
        # Only a better kind of origin, or a dated earlier one of the same kind, displaces it:
        # undated tellings keep their own origin rather than an arbitrary order.
        if t < best_tier or (t == best_tier and earlier):
            best, best_tier = member, t
    return best.hops[0].source


def _first_reported(claim: Claim, members: list[Claim]) -> Claim:
    return min([claim, *members], key=_doc_time)


def _first_reported_text(parsed: ParsedQuestion, first: Claim, name) -> str:
    doc = first.document
    outlet = name(doc.outlet) if doc.outlet is not None else (name(first.hops[-1].source) if first.hops else "")
    date = doc.published_at.date().isoformat() if doc.published_at else None
    if parsed.lang == "ar":
        when = f"بتاريخ {date}" if date else "(تاريخ النشر غير مسجل)"
        return f"أقدم ظهور مسجل لهذا الادعاء في {outlet} {when}" + (f": «{doc.title}»." if doc.title else ".")
    when = f"on {date}" if date else "(no publication date is recorded)"
    return f"The earliest stored report is by {outlet} {when}" + (f": \"{doc.title}\"." if doc.title else ".")


def _change_text(parsed: ParsedQuestion, found: Provenance, name) -> str:
    hop_changes = [d for d in found.drift if d.scope == "hop" and d.field == "modality"]
    lang_changes = [d for d in found.drift if d.scope == "hop" and d.field == "lang"]
    group_changes = [d for d in found.drift if d.scope == "group"]
    by_pos = {h.position: h for h in found.chain}
    if parsed.lang == "ar":
        parts = []
        for d in hop_changes:
            parts.append(f"تحولت الصيغة من {_MODALITY_AR.get(d.before, d.before)} إلى {_MODALITY_AR.get(d.after, d.after)} عند {name(by_pos[d.to_position].source.id)}")
        for d in lang_changes:
            parts.append(f"تُرجمت من {d.before} إلى {d.after} عند {name(by_pos[d.to_position].source.id)}")
        if group_changes:
            parts.append("وتختلف صيغتها بين المصادر: " + "، ".join(sorted({_MODALITY_AR.get(d.after, d.after or "") for d in group_changes})))
        return ("؛ ".join(parts) + ".") if parts else "لم تتغير صياغة الادعاء بين مراحل النقل المسجلة."
    parts = []
    for d in hop_changes:
        parts.append(f"it went from {d.before} to {d.after} at {name(by_pos[d.to_position].source.id)}")
    for d in lang_changes:
        parts.append(f"it was translated from {d.before} to {d.after} by {name(by_pos[d.to_position].source.id)}")
    if group_changes:
        parts.append("other tellings state it as " + ", ".join(sorted({d.after or "" for d in group_changes})))
    return ("As relayed, " + "; ".join(parts) + ".") if parts else "The wording did not change across the recorded hops."


def _other_language_only(claim: Claim, lang: str) -> bool:
    """The claim is in the other language and has no curated label in the question's language."""
    if claim.lang == lang:
        return False
    group = claim.group
    return group is None or not (group.label if lang == "en" else group.label_ar)


def ask(session: Session, question: str, *, limit: int = 3) -> AskOut:
    parsed = parse_question(question)
    speaker = resolve_speaker(session, parsed.speaker) if parsed.speaker else None
    proposition = parsed.proposition
    if parsed.speaker and speaker is None:
        # An unknown name stays part of what must be matched.
        proposition = f"{parsed.speaker} {proposition}"
    result = hybrid(session, proposition, limit=200)
    needed = min(2, len(set(result.lexical.query_terms)))
    bonus = (MIN_COVERAGE - MIN_COVERAGE_WITH_SPEAKER) if speaker else 0.0
    scored: list[tuple[float, Candidate]] = []
    claims: dict[uuid.UUID, Claim] = {}
    for cand in result.candidates:
        if not cand.entities_ok:
            continue  # the subject must agree: a claim about Russia never answers a question about Iran
        if len(cand.matched) < needed and (cand.cosine is None or cand.cosine < COS_FLOOR + COS_SPAN / 2):
            continue
        score = support(cand, speaker_bonus=bonus)
        cross_possible = cand.cosine is not None and cand.cosine >= CROSS_LINGUAL_COS - bonus / 2
        if score < MIN_SUPPORT and not cross_possible:
            continue  # cheap rejection: most candidates never need their row loaded
        claim = claims[cand.claim_id] = session.get(Claim, cand.claim_id)
        if score < MIN_SUPPORT:
            score = support(cand, speaker_bonus=bonus, cross_lingual=_other_language_only(claim, parsed.lang))
        if score >= MIN_SUPPORT:
            scored.append((score, cand))
    scored.sort(key=lambda sc: (-sc[0], -sc[1].bm25))
    if speaker is not None:
        scored = [(sc, c) for sc, c in scored if _mentions_source(claims[c.claim_id], speaker.id)]
    # One answer per group; its representative is the best-supported member, preferring (among
    # near-equals) the one whose modality, then language, matches the question.
    by_group: dict[uuid.UUID, list[tuple[float, Claim]]] = {}
    for score, cand in scored:
        claim = claims[cand.claim_id]
        by_group.setdefault(claim.group_id or claim.id, []).append((score, claim))
    answers: list[Answer] = []
    for members in by_group.values():
        best = members[0][0]
        near = [(sc, cl) for sc, cl in members if sc >= best - 0.1]
        score, claim = min(
            near,
            key=lambda m: (m[1].modality != parsed.modality.value, m[1].lang != parsed.lang, -m[0]),
        )
        found = provenance(session, claim)
        others = group_members(session, claim)
        origin = group_origin(claim, others)
        drift = found.drift + _question_drift(parsed, found)
        ans = Answer(
            **found.model_dump(exclude={"drift", "origin"}),
            origin=origin_of(origin),
            drift=drift,
            confidence=calibrated(best),
        )
        sources = _sources_for(session, ans)
        name = lambda src, _s=sources: _display_name(_s.get(getattr(src, "id", src)) or src, parsed.lang)  # noqa: E731
        if parsed.intent == "first_reported":
            ans.answer_text = _first_reported_text(parsed, _first_reported(claim, others), name)
        elif parsed.intent == "change":
            ans.answer_text = _change_text(parsed, ans, name)
        else:
            ans.answer_text = answer_text(session, parsed, ans)
        answers.append(ans)
        if len(answers) >= limit:
            break
    return AskOut(question=parsed.text, found=bool(answers), intent=parsed.intent, lang=parsed.lang, answers=answers)


def _sources_for(session: Session, found: Provenance) -> dict[uuid.UUID, Source]:
    ids = [h.source.id for h in found.chain] + [found.origin.id]
    return {s.id: s for s in session.scalars(select(Source).where(Source.id.in_(ids)))}
