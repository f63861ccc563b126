"""``ask``: answer a provenance question ("who originally said X", "من قال إن X") from the record.

The pipeline is parse → retrieve → support → answer, one module each:

1. ``parse``: language, intent (``registry``; patterns per ``languages/<code>.py``), the
   proposition asked about, a named speaker, and how firmly the question states it.
2. ``retrieve``: BM25 (``fulltext``) united with the nearest sentence vectors (``vectors``).
3. ``support``: keep the claims that cover the proposition, agree on its entities and (if
   named) its speaker.
4. ``answer``: one answer per claim group, its chain, origin and drift, phrased in the
   question's language; a yes/no question also gets a verdict (``verdict``).

A question that names a speaker and no topic ("What did X say?", "ماذا قال X؟") skips
retrieval: the answers are what X said (``answer.statements``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from claims.models import Claim, Source
from claims.query.answer import build_answer, representative, statements
from claims.query.params import PARAMS, AskParams
from claims.query.parse import ParsedQuestion, parse_question
from claims.query.retrieve import HybridResult, hybrid, resolve_speaker
from claims.query.support import supported
from claims.schemas import Answer, AskOut
from claims.vocabulary import Verdict


@dataclass
class Retrieved:
    """What ``ask`` knows before it decides: the parsed question, its speaker and candidates
    (none for "what did X say" without a topic, answered from the speaker's statements)."""

    parsed: ParsedQuestion
    speaker: Source | None
    result: HybridResult | None


def retrieve(session: Session, question: str, params: AskParams = PARAMS) -> Retrieved:
    parsed = parse_question(question)
    speaker = resolve_speaker(session, parsed.speaker) if parsed.speaker else None
    if parsed.about_anything:
        return Retrieved(parsed, speaker, None)
    proposition = parsed.proposition
    if parsed.speaker and speaker is None:
        # An unknown name stays part of what must be matched.
        proposition = f"{parsed.speaker} {proposition}"
    return Retrieved(parsed, speaker, hybrid(session, proposition, limit=200, params=params))


def top_groups(session: Session, got: Retrieved, params: AskParams = PARAMS, *, limit: int = 3) -> list[tuple[float, Claim]]:
    """One (score, representative claim) per supported claim group, best group first."""
    if got.result is None:
        return statements(session, got.speaker, limit=limit) if got.speaker else []
    by_group: dict[uuid.UUID, list[tuple[float, Claim]]] = {}
    for score, claim in supported(session, got.parsed, got.result, got.speaker, params):
        by_group.setdefault(claim.group_id or claim.id, []).append((score, claim))
    return [representative(got.parsed, members) for members in list(by_group.values())[:limit]]


def ask(session: Session, question: str, *, limit: int = 3) -> AskOut:
    got = retrieve(session, question)
    answers: list[Answer] = [
        build_answer(session, got.parsed, claim, score, got.speaker) for score, claim in top_groups(session, got, limit=limit)
    ]
    return _out(got.parsed, answers)


def _out(parsed, answers: list[Answer]) -> AskOut:
    verdict = None
    if parsed.yes_no:
        verdict = answers[0].verdict if answers else Verdict.UNSUPPORTED
    return AskOut(question=parsed.text, found=bool(answers), intent=parsed.intent, lang=parsed.lang, verdict=verdict, answers=answers)
