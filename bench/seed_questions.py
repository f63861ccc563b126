"""Accuracy of ``ask`` on seeds/questions.yaml, by tier and language, and the false-"found"
rate on the unanswerable questions.

    .venv/bin/python bench/seed_questions.py [--no-embeddings] [--no-labels] [-v]

``--no-labels`` seeds without indexing the groups' curated labels (the path ingested claims take).

A question counts as right when ``found`` matches and, if found, the top answer has the
expected group/claim and origin and never a ``not_group`` hard negative.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import defaultdict

if "--no-embeddings" in sys.argv:
    os.environ["CLAIMS_EMBEDDINGS"] = "off"
if "--no-labels" in sys.argv:
    os.environ["CLAIMS_GROUP_LABELS"] = "off"

import yaml  # noqa: E402

from claims import migrate  # noqa: E402
from claims.db import make_engine, session_factory  # noqa: E402
from claims.models import Claim, Source  # noqa: E402
from claims.query import ask  # noqa: E402
from claims.seeding import seed  # noqa: E402
from claims.settings import SEEDS_DIR  # noqa: E402


def judge(session, q, result) -> tuple[bool, str]:
    if result.found != q["found"]:
        top = result.answers[0].claim.text[:70] if result.answers else ""
        return False, f"found={result.found} expected {q['found']} {top}"
    if not q["found"]:
        return True, ""
    top = result.answers[0]
    claim = session.get(Claim, top.claim.id)
    group = claim.group.key if claim.group else None
    origin = session.get(Source, top.origin.id).key
    problems = []
    if q.get("group") and group != q["group"]:
        problems.append(f"group {group} != {q['group']}")
    if q.get("claim") and claim.key != q["claim"]:
        problems.append(f"claim {claim.key} != {q['claim']}")
    if q.get("origin") and origin != q["origin"]:
        problems.append(f"origin {origin} != {q['origin']}")
    for banned in q.get("not_group") or []:
        if any((session.get(Claim, a.claim.id).group or claim.group).key == banned for a in result.answers if session.get(Claim, a.claim.id).group):
            problems.append(f"hard negative {banned} returned")
    return not problems, "; ".join(problems)


def main() -> None:
    questions = yaml.safe_load((SEEDS_DIR / "questions.yaml").read_text(encoding="utf-8"))["questions"]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/q.db")
        migrate.upgrade(engine)
        with session_factory(engine)() as s:
            s.info["actor"] = "seed"
            seed(s, SEEDS_DIR)
            s.commit()
        tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        false_found = [0, 0]
        with session_factory(engine)() as s:
            for q in questions:
                result = ask(s, q["q"])
                ok, why = judge(s, q, result)
                for key in ((q["tier"], q["lang"]), ("all", "all")):
                    tally[key][0] += ok
                    tally[key][1] += 1
                if not q["found"]:
                    false_found[0] += result.found
                    false_found[1] += 1
                if not ok or "-v" in sys.argv:
                    conf = result.answers[0].confidence if result.answers else None
                    print(f"{'ok ' if ok else 'BAD'} [{q['tier']}/{q['lang']}] {result.intent} conf={conf} {q['q']}\n      {why}")
        for (tier, lang), (right, n) in sorted(tally.items()):
            print(f"{tier:10s} {lang:3s} {right}/{n} = {right / n:.1%}")
        print(f"false 'found' on unanswerable questions: {false_found[0]}/{false_found[1]}")


if __name__ == "__main__":
    main()
