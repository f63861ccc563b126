"""Latency of ``ask`` with N claims stored (default 100,000).

    .venv/bin/python bench/ask_latency.py [--claims 100000] [--database-url URL] [--no-embeddings]

Loads the curated seeds, then fills the store up to N claims with distinct real sentences: each
filler joins a verified claim and another claim's title from the CheckThat! 2021 2A collection
in ../shared/evaldata (read in place, never copied). Fillers go through the same indexing as
ingest (BM25 terms, entities); their sentence vectors are random unit vectors unless
``--encode-fillers`` (the seeds keep their real vectors; the cost of a question is one matrix
product over all stored vectors whatever their values). Then every seed question is asked twice and the
per-question wall time is reported as p50/p95 (the first ask, which builds the in-memory vector
index from the database, is reported separately).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument("--claims", type=int, default=100_000)
ap.add_argument("--database-url")
ap.add_argument("--no-embeddings", action="store_true")
ap.add_argument("--encode-fillers", action="store_true",
                help="Encode every filler with the real model (about 4 min per 100k on 2 idle cores); by default "
                     "fillers get random unit vectors: ask's cost does not depend on the vector values")
ap.add_argument("--evaldata", default=str(Path(__file__).resolve().parents[2] / "shared" / "evaldata"))
args = ap.parse_args()
if args.no_embeddings:
    os.environ["CLAIMS_EMBEDDINGS"] = "off"

import yaml  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from claims import embeddings, migrate  # noqa: E402
from claims.db import make_engine, session_factory  # noqa: E402
from claims.models import Claim  # noqa: E402
from claims.query import ask  # noqa: E402
from claims.query.retrieval_eval import load_collection  # noqa: E402
from claims.seeding import seed  # noqa: E402
from claims.settings import SEEDS_DIR  # noqa: E402


def fillers(n: int):
    path = Path(args.evaldata) / "checkthat2021_2a_en" / "vclaims.jsonl"
    if not path.exists():
        sys.exit(f"{path} not found (pass --evaldata)")
    recs = [json.loads(line) for line in path.open(encoding="utf-8")]
    step = 7919  # a prime: pairs claim i with a far-away title
    for k in range(n):
        a, b = recs[k % len(recs)], recs[(k * step + k // len(recs) + 1) % len(recs)]
        yield {"id": f"bench-{k}", "lang": "en", "claim": f"{a['claim']} {b['title']}", "title": None}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(args.database_url or f"sqlite:///{tmp}/bench.db")
        migrate.upgrade(engine)
        t0 = time.perf_counter()
        with session_factory(engine)() as s:
            s.info["actor"] = "seed"
            seed(s, SEEDS_DIR)
            s.commit()
            have = s.scalar(select(func.count(Claim.id)))
            s.info["audit_disabled"] = True
            mapping = load_collection(s, fillers(max(0, args.claims - have)), embed=args.encode_fillers)
            s.commit()
            if not args.encode_fillers and embeddings.enabled():
                import numpy as np

                rng = np.random.default_rng(0)
                ids = list(mapping)
                for i in range(0, len(ids), 5000):
                    chunk = ids[i : i + 5000]
                    v = rng.standard_normal((len(chunk), embeddings.DIM)).astype(np.float32)
                    v /= np.linalg.norm(v, axis=1, keepdims=True)
                    embeddings.store(s, dict(zip(chunk, v, strict=True)))
                s.commit()
            total = s.scalar(select(func.count(Claim.id)))
        print(f"stored {total} claims in {time.perf_counter() - t0:.0f}s ({engine.dialect.name})", flush=True)
        questions = [q["q"] for q in yaml.safe_load((SEEDS_DIR / "questions.yaml").read_text(encoding="utf-8"))["questions"]]
        with session_factory(engine)() as s:
            t = time.perf_counter()
            ask(s, questions[0])
            print(f"first ask (builds the vector index): {(time.perf_counter() - t) * 1000:.0f} ms")
            times = []
            for _ in range(2):
                for q in questions:
                    t = time.perf_counter()
                    ask(s, q)
                    times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(f"ask latency over {len(times)} asks: p50 {statistics.median(times):.0f} ms, "
              f"p95 {times[int(0.95 * (len(times) - 1))]:.0f} ms, max {times[-1]:.0f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
