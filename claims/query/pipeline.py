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

from sqlalchemy.orm import Session

from claims.models import Claim
from claims.query.answer import build_answer, representative, statements
from claims.query.parse import parse_question
from claims.query.retrieve import hybrid, resolve_speaker
from claims.query.support import supported
from claims.schemas import Answer, AskOut
from claims.vocabulary import Verdict


def ask(session: Session, question: str, *, limit: int = 3) -> AskOut:
    parsed = parse_question(question)
    speaker = resolve_speaker(session, parsed.speaker) if parsed.speaker else None
    if parsed.about_anything:
        answers = [build_answer(session, parsed, claim, score, speaker) for score, claim in statements(session, speaker, limit=limit)] if speaker else []
        return _out(parsed, answers)
    proposition = parsed.proposition
    if parsed.speaker and speaker is None:
        # An unknown name stays part of what must be matched.
        proposition = f"{parsed.speaker} {proposition}"
    result = hybrid(session, proposition, limit=200)
    by_group: dict[uuid.UUID, list[tuple[float, Claim]]] = {}
    for score, claim in supported(session, parsed, result, speaker):
        by_group.setdefault(claim.group_id or claim.id, []).append((score, claim))
    answers: list[Answer] = []
    for members in by_group.values():
        score, claim = representative(parsed, members)
        answers.append(build_answer(session, parsed, claim, score, speaker))
        if len(answers) >= limit:
            break
    return _out(parsed, answers)


def _out(parsed, answers: list[Answer]) -> AskOut:
    verdict = None
    if parsed.yes_no:
        verdict = answers[0].verdict if answers else Verdict.UNSUPPORTED
    return AskOut(question=parsed.text, found=bool(answers), intent=parsed.intent, lang=parsed.lang, verdict=verdict, answers=answers)
