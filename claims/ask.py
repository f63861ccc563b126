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
from claims.text import detect_lang, fold
from claims.vocabulary import MODALITY_STRENGTH, Modality, Relation

MIN_COVERAGE = 0.6

_EN_VERBS = (
    r"(?:said|says|say|claimed|claims|claim|stated|states|state|asserted|asserts|reported|reports|"
    r"wrote|writes|announced|told|suggested|hinted|argued|alleged|declared|mentioned|noted|denied)"
)
_EN_ORIGIN = re.compile(
    rf"^\s*(?:who|which\s+\w+)\s+(?:was\s+the\s+)?(?:originally|first|initially)\s+{_EN_VERBS}\s*(?:that\s+)?"
    r"|^\s*(?:what|who)\s+(?:is|was)\s+the\s+(?:original\s+|first\s+|primary\s+)?(?:source|origin)\s+(?:of|for)\s+(?:the\s+claim\s+)?(?:that\s+)?"
    r"|^\s*where\s+did\s+(?:the\s+claim\s+)?(?:that\s+)?(?P<prop>.+?)\s+(?:come\s+from|originate)\s*\??\s*$",
    re.I,
)
_EN_WHO = re.compile(rf"^\s*(?:who|which\s+\w+)\s+(?:has\s+|had\s+|did\s+)?{_EN_VERBS}\s*(?:that\s+)?", re.I)

# Arabic patterns run on the folded question (no diacritics, one alef, ى→ي, ة→ه).
_AR_VERBS = r"(?:قال|يقول|ادعي|يدعي|صرح|ذكر|اكد|افاد|زعم|اعلن|كشف|المح|اعتبر|اشار|نقل|اورد|روج)"
_AR_FIRST = r"(?:اولا|لاول\s+مره|في\s+الاصل|بدايه|اصلا)"
_AR_THAT = r"(?:ب?ان\s+)?"
_AR_ORIGIN = re.compile(
    rf"^\s*من\s+اول\s+من\s+{_AR_VERBS}\s+{_AR_THAT}"
    rf"|^\s*من\s+{_AR_VERBS}\s+{_AR_FIRST}\s+{_AR_THAT}"
    rf"|^\s*(?:ما\s+)?(?:هو\s+|هي\s+)?(?:المصدر|مصدر)\s+(?:الاصلي\s+|الاول\s+)?(?:ل|لل)?(?:قول|ادعاء|خبر|تصريح)?\s*{_AR_THAT}"
)
_AR_WHO = re.compile(rf"^\s*من\s+{_AR_VERBS}\s+(?:{_AR_FIRST}\s+)?{_AR_THAT}")

_HEDGES_EN = re.compile(r"\b(?:may|might|could|possibly|perhaps|probably|likely|plans?\s+to|considering)\b", re.I)
_HEDGES_AR = re.compile(r"(?:^|\s)(?:ربما|وربما|قد|يمكن|من\s+المحتمل|محتمل|يخطط|تخطط|يفكر)(?:\s|$)")


@dataclass
class ParsedQuestion:
    text: str
    lang: str
    intent: str  # "origin" | "who_said"
    proposition: str
    modality: Modality


def parse_question(question: str) -> ParsedQuestion:
    """Intent, language and proposition of a question; unknown forms fall back to 'who said'."""
    q = question.strip()
    lang = detect_lang(q)
    subject = fold(q) if lang == "ar" else q
    intent, proposition = "who_said", subject
    patterns = ((_AR_ORIGIN, "origin"), (_AR_WHO, "who_said")) if lang == "ar" else (
        (_EN_ORIGIN, "origin"),
        (_EN_WHO, "who_said"),
    )
    for pattern, name in patterns:
        match = pattern.search(subject)
        if match:
            intent = name
            proposition = match.groupdict().get("prop") or subject[match.end() :]
            break
    proposition = proposition.strip().strip("?؟.!").strip()
    hedged = (_HEDGES_AR if lang == "ar" else _HEDGES_EN).search(proposition)
    return ParsedQuestion(
        text=q,
        lang=lang,
        intent=intent,
        proposition=proposition or q,
        modality=Modality.HEDGED if hedged else Modality.ASSERTED,
    )


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


def ask(session: Session, question: str, *, limit: int = 3) -> AskOut:
    parsed = parse_question(question)
    result = search(session, parsed.proposition, limit=100)
    needed = min(2, len(set(result.query_terms)))
    scored = [
        (result.coverage(hit), hit.score, hit.claim_id)
        for hit in result.hits
        if len(hit.matched) >= needed and result.coverage(hit) >= MIN_COVERAGE
    ]
    scored.sort(reverse=True)
    answers: list[Answer] = []
    seen_groups: set[uuid.UUID] = set()
    for coverage, _score, claim_id in scored:
        claim = session.get(Claim, claim_id)
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
