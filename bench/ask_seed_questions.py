"""How many seed questions `ask` answers from automatically ingested text, next to the curated
seed annotations.

    .venv/bin/python bench/ask_seed_questions.py [--verbose]

Two throw-away SQLite databases: (1) the curated seeds (`claims seed`), (2) the five raw seed
texts through `IngestService` (no curated annotation, no publisher names given). Each question
of seeds/questions.yaml counts as answered when:

- found: false → ask answers "not found";
- found: true → ask finds an answer whose claim overlaps (same document text, overlapping
  span) a claim of the expected group (or the expected claim), and whose origin is the
  expected source (by key in the curated database; by name/alias, with the resolution rules,
  in the ingested one).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CLAIMS_EMBEDDINGS", "off")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    from sqlalchemy import select

    from claims import migrate
    from claims.db import make_engine, session_factory
    from claims.extraction.resolution import same_name
    from claims.ingest import IngestService
    from claims.models import Claim, ClaimGroup, Document, Source
    from claims.query import ask
    from claims.seeding import seed
    from claims.settings import SEEDS_DIR

    questions = yaml.safe_load((SEEDS_DIR / "questions.yaml").read_text(encoding="utf-8"))["questions"]
    sources = {s["key"]: s for s in yaml.safe_load((SEEDS_DIR / "sources.yaml").read_text(encoding="utf-8"))["sources"]}

    with tempfile.TemporaryDirectory() as tmp:
        curated = make_engine(f"sqlite:///{tmp}/curated.db")
        migrate.upgrade(curated)
        with session_factory(curated)() as s:
            s.info["actor"] = "bench"
            seed(s, SEEDS_DIR)
            s.commit()
        ingested = make_engine(f"sqlite:///{tmp}/ingested.db")
        migrate.upgrade(ingested)
        for path in sorted(SEEDS_DIR.glob("*.txt")):
            with session_factory(ingested)() as s:
                s.info["actor"] = "bench"
                IngestService(s).ingest(path.read_text(encoding="utf-8"))
                s.commit()

        # expected answer spans, from the curated database: (content hash, start, end)
        with session_factory(curated)() as s:
            expected: dict[int, list[tuple[str, int, int]]] = {}
            for n, q in enumerate(questions):
                if not q.get("found"):
                    continue
                stmt = select(Claim)
                if q.get("group"):
                    stmt = stmt.where(Claim.group_id.in_(select(ClaimGroup.id).where(ClaimGroup.key == q["group"])))
                elif q.get("claim"):
                    stmt = stmt.where(Claim.key == q["claim"])
                expected[n] = [(c.document.content_hash, c.start_offset, c.end_offset) for c in s.scalars(stmt)]

        def judge(engine, by_key: bool) -> tuple[int, list[str]]:
            ok, notes = 0, []
            with session_factory(engine)() as s:
                for n, q in enumerate(questions):
                    result = ask(s, q["q"])
                    if not q.get("found"):
                        good = not result.found
                        why = "" if good else f"answered {result.answers[0].claim.text[:50]!r}"
                    else:
                        good, why = False, "not found"
                        for answer in result.answers[:1]:
                            claim = s.get(Claim, answer.claim.id)
                            doc_hash = s.get(Document, claim.document_id).content_hash
                            span_ok = any(
                                h == doc_hash and claim.start_offset < e and st < claim.end_offset for h, st, e in expected.get(n, [])
                            )
                            origin = s.get(Source, answer.origin.id)
                            if by_key:
                                origin_ok = origin.key == q.get("origin")
                            else:
                                forms = [sources[q["origin"]]["name"], *[a["text"] for a in sources[q["origin"]].get("aliases") or []]]
                                own = [origin.name, *[a.text for a in origin.aliases]]
                                origin_ok = any(same_name(a, b) for a in own for b in forms)
                            good = span_ok and origin_ok
                            why = f"claim {'ok' if span_ok else 'WRONG'} ({claim.text[:40]!r}), origin {'ok' if origin_ok else 'WRONG'} ({origin.name})"
                    ok += good
                    if not good:
                        notes.append(f"  [{q['lang']}] {q['q']}  -> {why}")
            return ok, notes

        cur_ok, cur_notes = judge(curated, by_key=True)
        ing_ok, ing_notes = judge(ingested, by_key=False)
        total = len(questions)
        found_true = sum(1 for q in questions if q.get("found"))
        print(f"seed questions: {total} ({found_true} answerable, {total - found_true} must be 'not found')")
        print(f"answered correctly with the curated annotations: {cur_ok}/{total}")
        print(f"answered correctly from automatically ingested raw text: {ing_ok}/{total}")
        if args.verbose:
            print("curated misses:")
            print("\n".join(cur_notes) or "  none")
            print("ingested misses:")
            print("\n".join(ing_notes) or "  none")


if __name__ == "__main__":
    main()
