"""How many seed questions `ask` answers from automatically ingested text, next to the curated
seed annotations.

    .venv/bin/python bench/ask_seed_questions.py [--verbose] [--json] [--no-embeddings]

Two throw-away SQLite databases: (1) the curated seeds (`claims seed`), (2) the five raw seed
texts through `IngestService` (no curated annotation, no publisher names given). Every question
of seeds/questions.yaml is scored (claims/qa_eval.py has the rules):

- found: false → right when ask answers "not found" (so answering nothing scores these);
- found: true → right when the top answer's claim overlaps a claim of the expected group (or the
  expected claim) and its origin is the expected source (by key in the curated database; by
  name/alias, with the resolution rules, in the ingested one; there, told no outlet names, the
  publisher of the answer's document, unnamed, counts as the outlet annotated for it, and the
  count says how many were right only that way). The few answerable questions
  without an expected origin are judged on the claim alone, and counted separately.

Also printed: the stricter origin+chain count (the chain shown must be an expected claim's
chain; on the ingested path the publisher is unnamed, so this is mostly a curated figure).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-embeddings", action="store_true", help="CLAIMS_EMBEDDINGS=off (BM25 and rules only)")
    args = parser.parse_args()
    if args.no_embeddings:
        os.environ["CLAIMS_EMBEDDINGS"] = "off"

    from claims import embeddings
    from claims.qa_eval import fresh_database, judge, load_corpus, load_curated, load_ingested
    from claims.settings import SEEDS_DIR

    corpus = load_corpus(SEEDS_DIR)
    questions = corpus.questions
    results = {}
    for path in ("curated", "ingested"):
        with fresh_database(None, path) as engine:
            if path == "curated":
                load_curated(engine, SEEDS_DIR)
            else:
                load_ingested(engine, corpus, outlet_names=False)
            results[path] = judge(engine, corpus, questions, by_key=path == "curated", role=path == "ingested")

    total = len(questions)
    unanswerable = sum(1 for q in questions if not q.get("found"))
    out = {
        "embeddings": embeddings.enabled(),
        "questions": total,
        "answerable": total - unanswerable,
        "scored_by_answering_nothing": unanswerable,
        "answerable_without_origin": sum(1 for q in questions if q.get("found") and not q.get("origin")),
    }
    for path, score in results.items():
        out[path] = {
            "correct": sum(j.correct_origin for j in score.judgements),
            "correct_with_chain": sum(j.correct for j in score.judgements),
            "false_answers": sum(j.found for j in score.unanswerable),
            "origin_by_role": sum(j.by_role and j.correct_origin for j in score.judgements),
            "by_tier": {
                tier: f"{sum(j.correct_origin for j in score.judgements if j.question.get('tier') == tier)}/"
                f"{sum(1 for q in questions if q.get('tier') == tier)}"
                for tier in sorted({q.get("tier") for q in questions if q.get("tier")})
            },
        }
        if args.verbose:
            out[path]["misses"] = [f"[{j.question['lang']}] {j.question['q']} -> {j.why or 'found nothing'}" for j in score.judgements if not j.correct_origin]
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print(
        f"seed questions: {total} ({total - unanswerable} answerable, {unanswerable} must be 'not found', so "
        f"{unanswerable}/{total} are scored by answering nothing; {out['answerable_without_origin']} answerable ones have no "
        f"expected origin and are judged on the claim); sentence embeddings {'on' if out['embeddings'] else 'off'}"
    )
    for path, label in (("curated", "with the curated annotations"), ("ingested", "from automatically ingested raw text")):
        r = out[path]
        print(
            f"answered correctly {label}: {r['correct']}/{total} (tiers {r['by_tier']}; false answers "
            f"{r['false_answers']}/{unanswerable}; origin+chain {r['correct_with_chain']}/{total}"
            + (f"; {r['origin_by_role']} of them by role: the origin is the unnamed publisher of the right document)" if r["origin_by_role"] else ")")
        )
    if args.verbose:
        for path in results:
            print(f"{path} misses:")
            print("\n".join("  " + m for m in out[path]["misses"]) or "  none")


if __name__ == "__main__":
    main()
