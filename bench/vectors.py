"""Vector figures on real encoded sentences (``bench/run --vectors N`` prints them too):

- ``claims embed --missing`` throughput against the encoder's own batched throughput on the
  same texts (target ≥ 0.9×);
- the on-disk HNSW index (``claims.vector_store``) against the exact product: recall@10 over
  held-out query sentences (target ≥ 0.95), query p50/p95 of each, build time, file size.

    python bench/vectors.py --claims 10000 [--database-url sqlite:////tmp/v.db]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def measure(n_claims: int, workdir: Path, queries: int = 200) -> dict:
    import json

    import numpy as np
    from sqlalchemy import select

    from bench import synth
    from claims import embeddings, migrate
    from claims.bulk import bulk_load, embed_missing
    from claims.db import make_engine, session_factory
    from claims.models import ClaimEmbedding
    from claims.query import vectors
    from claims.vector_store import index_dir, rebuild

    os.environ["CLAIMS_VECTOR_INDEX_DIR"] = str(workdir / "vectors")
    archive = workdir / "vectors.jsonl"
    arch = synth.Archive(seed=99)
    with archive.open("w", encoding="utf-8") as fh:
        for line in arch.lines(n_claims + queries):
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    lines = [json.loads(x) for x in archive.read_text(encoding="utf-8").splitlines()]
    texts = [li["document"]["text"][c["start"] : c["end"]] for li in lines for c in li["claims"]]
    held_out, stored_lines = texts[-queries:], lines
    # the last documents' claims are the held-out queries: store only the others
    keep, count = [], 0
    for li in stored_lines:
        if count + len(li["claims"]) > n_claims:
            break
        keep.append(li)
        count += len(li["claims"])
    with archive.open("w", encoding="utf-8") as fh:
        for li in keep:
            fh.write(json.dumps(li, ensure_ascii=False) + "\n")
    engine = make_engine(f"sqlite:///{workdir / 'vectors.db'}")
    migrate.upgrade(engine)
    bulk_load(engine, archive, actor="bench")
    stored_texts = [li["document"]["text"][c["start"] : c["end"]] for li in keep for c in li["claims"]]

    model = embeddings._encoder()
    model.encode(stored_texts[:64])
    t = time.perf_counter()
    for i in range(0, len(stored_texts), embeddings.BATCH):
        model.encode(stored_texts[i : i + embeddings.BATCH])
    raw_s = time.perf_counter() - t
    t = time.perf_counter()
    done = embed_missing(engine).claims
    embed_s = time.perf_counter() - t

    t = time.perf_counter()
    manifest = rebuild(engine)
    build_s = time.perf_counter() - t
    directory = index_dir(engine.url.render_as_string(hide_password=False))
    size_mb = sum(f.stat().st_size for f in directory.iterdir()) / 1e6

    qvecs = embeddings.encode(held_out)
    with session_factory(engine)() as s:
        rows = s.execute(select(ClaimEmbedding.claim_id, ClaimEmbedding.vector)).all()
        ids = [r[0] for r in rows]
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), embeddings.DIM)
        exact_t, ann_t, hits = [], [], 0
        vectors.open_ann(s)
        for q in qvecs:
            t = time.perf_counter()
            scores = matrix @ q
            top = np.argpartition(-scores, 10)[:10]
            want = {ids[i] for i in top[np.argsort(-scores[top])]}
            exact_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            got = {cid for cid, _ in vectors.nearest(s, q, 10)}
            ann_t.append(time.perf_counter() - t)
            hits += len(want & got)
    return {
        "claims": done, "encoder_per_s": len(stored_texts) / raw_s, "embed_missing_per_s": done / embed_s,
        "embed_ratio": (done / embed_s) / (len(stored_texts) / raw_s), "build_s": build_s, "index_mb": size_mb,
        "recall_at_10": hits / (10 * len(qvecs)), "ann_p50_ms": pct(ann_t, .5) * 1e3, "ann_p95_ms": pct(ann_t, .95) * 1e3,
        "exact_p50_ms": pct(exact_t, .5) * 1e3, "exact_p95_ms": pct(exact_t, .95) * 1e3, "vectors": manifest.count,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    import logging

    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="claims-vectors-") as tmp:
        r = measure(args.claims, Path(tmp), args.queries)
    print(f"| vectors (real encoded sentences) | {r['claims']:,} claims |\n|---|---|")
    print(f"| encoder batched / embed --missing | {r['encoder_per_s']:.0f} / {r['embed_missing_per_s']:.0f} sentences/s ({r['embed_ratio']:.2f}×, target ≥ 0.9) |")
    print(f"| HNSW int8 build / files | {r['build_s']:.1f} s / {r['index_mb']:.1f} MB |")
    print(f"| recall@10 vs exact ({args.queries} held-out sentences) | {r['recall_at_10']:.3f} (target ≥ 0.95) |")
    print(f"| query p50 / p95: index (with exact re-score) vs exact numpy | {r['ann_p50_ms']:.2f} / {r['ann_p95_ms']:.2f} ms vs {r['exact_p50_ms']:.2f} / {r['exact_p95_ms']:.2f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
