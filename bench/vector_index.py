"""Benchmark vector search options for 512-d sentence embeddings (exact numpy float32, int8
quantised brute force, usearch HNSW, faiss flat/HNSW) on N random unit vectors.

    .venv/bin/python bench/vector_index.py [N]

Prints build time, per-query p50/p95 and recall@10 against exact search.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
D, Q, K = 512, 200, 10
rng = np.random.default_rng(0)
base = rng.standard_normal((N, D)).astype(np.float32)
# Clustered data is closer to real embeddings than isotropic noise.
centers = rng.standard_normal((200, D)).astype(np.float32)
base = centers[rng.integers(0, 200, N)] + 0.6 * base
base /= np.linalg.norm(base, axis=1, keepdims=True)
queries = base[rng.integers(0, N, Q)] + 0.3 * rng.standard_normal((Q, D)).astype(np.float32)
queries /= np.linalg.norm(queries, axis=1, keepdims=True)
truth = [set(np.argpartition(-(base @ q), K)[:K].tolist()) for q in queries]


def run(name, build, search):
    t0 = time.perf_counter()
    index = build()
    built = time.perf_counter() - t0
    times, recall = [], []
    for q, t in zip(queries, truth, strict=True):
        t0 = time.perf_counter()
        ids = search(index, q)
        times.append((time.perf_counter() - t0) * 1000)
        recall.append(len(set(ids) & t) / K)
    times.sort()
    print(f"{name:28s} build {built:7.2f}s  p50 {statistics.median(times):7.2f} ms  "
          f"p95 {times[int(0.95 * len(times))]:7.2f} ms  recall@10 {np.mean(recall):.3f}")


def exact(index, q):
    s = index @ q
    return np.argpartition(-s, K)[:K].tolist()


run("numpy float32 exact", lambda: base, exact)


def build_int8():
    scale = np.abs(base).max(axis=1, keepdims=True) / 127
    return (np.round(base / scale).astype(np.int8), scale.ravel())


def search_int8(index, q):
    codes, scale = index
    s = (codes @ q) * scale  # int8 * float32 promotes to float32
    top = np.argpartition(-s, 50)[:50]
    return top[np.argsort(-(base[top] @ q))][:K].tolist()  # exact re-rank of the shortlist


run("int8 brute + re-rank", build_int8, search_int8)

try:
    from usearch.index import Index

    def build_usearch():
        idx = Index(ndim=D, metric="cos", dtype="f16")
        idx.add(np.arange(N), base)
        return idx

    run("usearch HNSW f16", build_usearch, lambda idx, q: idx.search(q, K).keys.tolist())
except ImportError:
    print("usearch not installed")

try:
    import faiss

    faiss.omp_set_num_threads(2)

    def build_flat():
        idx = faiss.IndexFlatIP(D)
        idx.add(base)
        return idx

    run("faiss flat IP", build_flat, lambda idx, q: idx.search(q[None, :], K)[1][0].tolist())

    def build_hnsw():
        idx = faiss.IndexHNSWFlat(D, 32, faiss.METRIC_INNER_PRODUCT)
        idx.add(base)
        return idx

    run("faiss HNSW32", build_hnsw, lambda idx, q: idx.search(q[None, :], K)[1][0].tolist())
except ImportError:
    print("faiss-cpu not installed")
