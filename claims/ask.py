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
from claims.provenance import provenance
from claims.schemas import Answer, AskOut, Drift, Provenance
from claims.search import search
from claims.text import detect_lang, fold, fold_with_offsets
from claims.vocabulary import MODALITY_STRENGTH, Modality, Relation

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
_EN_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("origin", re.compile(
        rf"^(?:who|which\s+\w+)\s+(?:was\s+the\s+)?(?:originally|first|initially)\s+{_EN_VERBS}\s+(?:that\s+)?(?P<prop>.+)$"
        r"|^(?:what|who)\s+(?:is|was)\s+the\s+(?:original\s+|first\s+|primary\s+)?(?:source|origin)\s+(?:of|for|behind)\s+"
        r"(?:the\s+)?(?:claim|report|statement|story|news)?\s*(?:that\s+)?(?P<prop2>.+)$"
        r"|^where\s+did\s+(?:the\s+(?:claim|report|idea)\s+)?(?:that\s+)?(?P<prop3>.+?)\s+(?:come\s+from|originate)$", re.I)),
    ("relayer", re.compile(
        rf"^(?:who|which|what)\s+(?:[\w-]+\s+){{0,2}}?{_EN_RELAY_VERBS}\s+(?:the\s+)?"
        rf"(?:(?:report|statement|claim|account|story|news|remarks?|comments?)\s+)?(?:(?:of|by|from)\s+)?"
        rf"(?:(?P<speaker>[^,]+?)\s+)?{_EN_THAT}(?P<prop>.+)$", re.I)),
    ("speaker", re.compile(
        rf"^what\s+(?:did|does|do|has|have)\s+(?P<speaker>.+?)\s+{_EN_VERBS}(?:\s+[\w' -]+?)?\s+"
        r"(?:about|on|regarding|concerning|of)\s+(?P<prop>.+)$"
        r"|^(?:did|does|has)\s+(?P<speaker2>.+?)\s+" + _EN_VERBS + r"\s+(?:that\s+)?(?P<prop2>.+)$", re.I)),
    ("who_said", re.compile(rf"^(?:who|which\s+\w+)\s+(?:has\s+|had\s+|did\s+)?{_EN_VERBS}\s+(?:that\s+)?(?P<prop>.+)$", re.I)),
    ("verify", re.compile(r"^(?:is\s+it\s+true\s+that\s+|does|do|did|is|are|was|were|has|have|had|will|would|can)\s+(?P<prop>.+)$", re.I)),
]

# Arabic rules run on the folded question (no diacritics, one alef, ى→ي, ة→ه).
_AR_VERBS = r"(?:قال|يقول|ادعي|يدعي|زعم|صرح|ذكر|اكد|افاد|اعلن|كشف|المح|اعتبر|اشار|اورد|حذر|راي|يري|وصف|تعهد)"
_AR_RELAY = r"(?:نقل|نقلت|ترجم|ترجمت|اورد|اوردت|نشر|نشرت|روي|روت|تناقل|تداول)"
_AR_FIRST = r"(?:اولا|لاول\s+مره|في\s+الاصل|بدايه|اصلا)"
_AR_THAT = r"(?:ب?ان\s+)"
_AR_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("origin", re.compile(
        rf"^من\s+اول\s+من\s+{_AR_VERBS}\s+{_AR_THAT}?(?P<prop>.+)$"
        rf"|^من\s+{_AR_VERBS}\s+{_AR_FIRST}\s+{_AR_THAT}?(?P<prop2>.+)$"
        rf"|^(?:ما\s+)?(?:هو\s+|هي\s+)?(?:المصدر|مصدر)\s+(?:الاصلي\s+|الاول\s+)?(?:ل|لل)?(?:قول|ادعاء|خبر|تصريح|تقرير)?\s*{_AR_THAT}?(?P<prop3>.+)$")),
    ("relayer", re.compile(
        rf"^(?:(?:ما|اي)\s+(?:\S+\s+){{1,2}}?(?:التي|الذي)\s+|من\s+){_AR_RELAY}\s+(?:قول\s+|تصريح\s+|تصريحات\s+|خبر\s+|تقرير\s+)?"
        rf"(?:(?P<speaker>.+?)\s+)?{_AR_THAT}(?P<prop>.+)$")),
    ("speaker", re.compile(
        rf"^(?:ماذا|ما\s+الذي|بماذا)\s+{_AR_VERBS}\s+(?P<speaker>.+?)\s+(?:عن|بشان|حول|حيال|ازاء)\s+(?P<prop>.+)$"
        rf"|^هل\s+{_AR_VERBS}\s+(?P<speaker2>.+?)\s+{_AR_THAT}(?P<prop2>.+)$")),
    ("who_said", re.compile(rf"^من\s+{_AR_VERBS}\s+(?:{_AR_FIRST}\s+)?{_AR_THAT}?(?P<prop>.+)$")),
    ("verify", re.compile(r"^(?:هل\s+صحيح\s+ان\s+|هل\s+)(?P<prop>.+)$")),
]

_HEDGES_EN = re.compile(r"\b(?:may|might|could|possibly|perhaps|probably|likely|plans?\s+to|considering)\b", re.I)
_HEDGES_AR = re.compile(r"(?:^|\s)(?:ربما|وربما|قد|يمكن|من\s+المحتمل|محتمل|يخطط|تخطط|يفكر)(?:\s|$)")


@dataclass
class ParsedQuestion:
    text: str
    lang: str
    intent: str  # origin | who_said | relayer | speaker | verify
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
            proposition = _first(match, original, offsets, "prop", "prop2", "prop3") or original
            speaker = _first(match, original, offsets, "speaker", "speaker2")
            break
    proposition = proposition.strip().strip("?؟.!").strip()
    hedged = (_HEDGES_AR if lang == "ar" else _HEDGES_EN).search(fold(proposition) if lang == "ar" else proposition)
    return ParsedQuestion(
        text=q,
        lang=lang,
        intent=intent,
        proposition=proposition or original,
        modality=Modality.HEDGED if hedged else Modality.ASSERTED,
        speaker=speaker.strip() if speaker else None,
    )


def resolve_speaker(session: Session, name: str) -> Source | None:
    """The longest leading run of words in ``name`` that names a known source ("Kotrashev tell
    Russian media" → Kotrashev; "وزير الدفاع العراقي" → the minister, through his role alias)."""
    from claims.services import SourceService

    service = SourceService(session)
    tokens = name.split()
    for n in range(len(tokens), 0, -1):
        source = service.resolve(" ".join(tokens[:n]))
        if source is not None:
            return source
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
    return text


def _mentions_source(claim: Claim, source_id: uuid.UUID) -> bool:
    return claim.speaker_id == source_id or any(h.source_id == source_id for h in claim.hops)


def ask(session: Session, question: str, *, limit: int = 3) -> AskOut:
    parsed = parse_question(question)
    speaker = resolve_speaker(session, parsed.speaker) if parsed.speaker else None
    proposition = parsed.proposition
    if parsed.speaker and speaker is None:
        # An unknown name stays part of what must be matched.
        proposition = f"{parsed.speaker} {proposition}"
    result = search(session, proposition, limit=200)
    needed = min(2, len(set(result.query_terms)))
    threshold = MIN_COVERAGE_WITH_SPEAKER if speaker else MIN_COVERAGE
    scored = []
    for hit in result.hits:
        coverage = result.coverage(hit)
        if len(hit.matched) >= needed and coverage >= threshold and result.satisfies(hit):
            scored.append((coverage, hit.score, hit.claim_id))
    scored.sort(reverse=True)
    answers: list[Answer] = []
    seen_groups: set[uuid.UUID] = set()
    for coverage, _score, claim_id in scored:
        claim = session.get(Claim, claim_id)
        if speaker is not None and not _mentions_source(claim, speaker.id):
            continue
        group_key = claim.group_id or claim.id
        if group_key in seen_groups:
            continue
        seen_groups.add(group_key)
        found = provenance(session, claim)
        drift = found.drift + _question_drift(parsed, found)
        ans = Answer(**found.model_dump(exclude={"drift"}), drift=drift, confidence=round(min(0.99, coverage), 3))
        ans.answer_text = answer_text(session, parsed, ans)
        answers.append(ans)
        if len(answers) >= limit:
            break
    return AskOut(question=parsed.text, found=bool(answers), intent=parsed.intent, lang=parsed.lang, answers=answers)
