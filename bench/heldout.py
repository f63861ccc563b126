"""Score `ask` on the team-written held-out corpus (bench/heldout), per split, on two paths.

    .venv/bin/python bench/heldout.py [--split dev|test|both] [--json] [--verbose]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--no-embeddings]
    .venv/bin/python bench/heldout.py --export-attribution OUT_DIR

- curated: the corpus annotations loaded with `claims seed`'s loader into a fresh SQLite
  database (and, with --database-url, into a throw-away PostgreSQL database on that server);
- ingested: the raw article texts through the extraction pipeline (`IngestService`, told only
  the language and the outlet's name) into a fresh database of the same kind.

Every article of the corpus is loaded (the other split's articles are distractors); each split
is scored on its own questions. Printed per split and path: top-1 origin+chain accuracy on the
answerable questions, false answers on the unanswerable ones, cross-lingual questions right, and
a confidence table (bucket -> share of top answers that were right). See claims/qa_eval.py for
the judging rules. Tune on dev only; test is for reporting.

--export-attribution writes OUT_DIR/dev.jsonl and OUT_DIR/test.jsonl in the `claims eval
attribution` format (the corpus annotations through `claims.evaluation.export_seeds`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "bench" / "heldout"
SPLITS = ("dev", "test")


def export_attribution(out_dir: Path) -> dict[str, int]:
    from claims.evaluation import export_seeds
    from claims.qa_eval import load_corpus

    corpus = load_corpus(CORPUS)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for split in SPLITS:
        files = {corpus.annotations[stem]["file"] for stem in corpus.articles(split)}
        records = export_seeds(CORPUS, files=files, split=split)
        with (out_dir / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        written[split] = len(records)
    return written


def run(splits: list[str], database_url: str | None, verbose: bool) -> dict:
    from claims import embeddings
    from claims.qa_eval import fresh_database, judge, load_corpus, load_curated, load_ingested

    corpus = load_corpus(CORPUS)
    backends = [("sqlite", None)] + ([("postgresql", database_url)] if database_url else [])
    out: dict = {"embeddings": embeddings.enabled(), "articles": {s: len(corpus.articles(s)) for s in SPLITS}, "results": {}}
    for backend, url in backends:
        for path in ("curated", "ingested"):
            with fresh_database(url, path) as engine:
                if path == "curated":
                    load_curated(engine, CORPUS)
                else:
                    load_ingested(engine, corpus)
                for split in splits:
                    questions = corpus.split_questions(split)
                    score = judge(engine, corpus, questions, by_key=path == "curated")
                    summary = score.summary(corpus)
                    if verbose:
                        summary["misses"] = [
                            f"[{j.question['id']} {j.question['lang']}] {j.question['q']} -> {j.why or 'found nothing'}"
                            for j in score.judgements
                            if not j.correct
                        ]
                    out["results"][f"{split}/{path}/{backend}"] = summary
    return out


def print_text(out: dict) -> None:
    print(f"held-out corpus: {out['articles']} articles; sentence embeddings {'on' if out['embeddings'] else 'off'}")
    for name, r in out["results"].items():
        acc = f"{r['top1_accuracy']:.1%}" if r["top1_accuracy"] is not None else "n/a"
        cross = r.get("cross_lingual", {})
        print(
            f"{name:28s} top-1 origin+chain {r['top1_origin_chain']}/{r['answerable']} ({acc}); "
            f"false answers {r['false_answers']}/{r['unanswerable']}; all questions {r['correct']}/{r['questions']}; "
            f"cross-lingual {cross.get('correct')}/{cross.get('questions')}"
        )
        print("    confidence: " + "  ".join(f"{row['bucket']}: {row['share_correct'] if row['share_correct'] is not None else '-'} (n={row['answers']})" for row in r["confidence_table"]))
        for miss in r.get("misses", []):
            print("      " + miss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["dev", "test", "both"], default="both")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="list every question answered wrongly")
    parser.add_argument("--database-url", help="also run both paths on a throw-away database on this PostgreSQL server")
    parser.add_argument("--no-embeddings", action="store_true", help="CLAIMS_EMBEDDINGS=off (BM25 and rules only)")
    parser.add_argument("--export-attribution", metavar="OUT_DIR", type=Path)
    args = parser.parse_args()
    if args.no_embeddings:
        os.environ["CLAIMS_EMBEDDINGS"] = "off"
    if args.export_attribution:
        written = export_attribution(args.export_attribution)
        print(json.dumps({"out_dir": str(args.export_attribution), "records": written}))
        return
    splits = list(SPLITS) if args.split == "both" else [args.split]
    out = run(splits, args.database_url, args.verbose)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_text(out)


if __name__ == "__main__":
    main()
