"""Nearest claims by sentence vector: the one seam between ``ask`` and the vector index.

Seam (kept stable for whoever replaces the internals, e.g. an on-disk ANN index):

    available(session) -> bool
        True when the encoder is usable and the database holds at least one claim vector.
    nearest(session, vector, k) -> list[tuple[uuid.UUID, float]]
        The ``k`` stored claims whose vectors have the highest cosine with ``vector`` (a unit
        float32 array of ``claims.embeddings.DIM``), best first, as (claim id, cosine).
    cosines(session, vector, claim_ids) -> dict[uuid.UUID, float]
        The cosine of ``vector`` with each listed claim that has a stored vector.

Vectors are written by ``claims.indexing`` / ``claims.embeddings.store`` into
``claim_embedding``; this module only reads them. Today the index is exact: the stored vectors
of one database as one float32 matrix in memory (cosine = dot product on unit rows), rebuilt
when ``claim_embedding`` changes (row count, newest key, or a write in this process).
``bench/vector_index.py`` at 100k × 512 on this 2-core machine (loaded): numpy exact p50 63 ms /
p95 94 ms, recall 1.0; faiss flat 111 ms; int8 brute force with re-rank 368 ms; usearch HNSW
1 ms but recall@10 0.38 and a 262 s build; faiss HNSW32 0.2 ms, recall@10 0.22, 40 s build
(default search breadth, clustered vectors). A missed claim is a wrong "not found", so the
exact product stays until an approximate index reaches the same recall behind this seam.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims import embeddings
from claims.models import ClaimEmbedding

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


def available(session: Session) -> bool:
    if not embeddings.enabled():
        return False
    if open_ann(session) is not None:
        return True
    return len(load_index(session)) > 0


def nearest(session: Session, vector: np.ndarray, k: int) -> list[tuple[uuid.UUID, float]]:
    ann = open_ann(session)
    if ann is not None:
        return ann.nearest(session, vector, k)
    return load_index(session).search(vector, k)


def cosines(session: Session, vector: np.ndarray, claim_ids: list[uuid.UUID]) -> dict[uuid.UUID, float]:
    if open_ann(session) is not None:
        return _stored_cosines(session, vector, claim_ids)
    return load_index(session).scores(vector, claim_ids)


# --- internals: the approximate index on disk ------------------------------------------------------


def _stored_cosines(session: Session, vector: np.ndarray, claim_ids) -> dict[uuid.UUID, float]:
    """Exact cosines against the stored float32 vectors of these claims (an IN query per 500)."""
    import numpy as np

    claim_ids = list(claim_ids)
    out: dict[uuid.UUID, float] = {}
    q = np.asarray(vector, dtype=np.float32)
    for i in range(0, len(claim_ids), 500):
        rows = session.execute(
            select(ClaimEmbedding.claim_id, ClaimEmbedding.vector).where(
                ClaimEmbedding.claim_id.in_(claim_ids[i : i + 500]), ClaimEmbedding.model == embeddings.MODEL
            )
        ).all()
        if rows:
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), embeddings.DIM)
            out.update(zip((r[0] for r in rows), (matrix @ q).tolist(), strict=True))
    return out


@dataclass
class AnnIndex:
    """The memory-mapped HNSW index of ``claims.vector_store`` plus the exact search of the
    vectors stored since it was built (new claims have newer UUIDv7 ids than its newest)."""

    index: object
    ids: np.ndarray  # (n, 16) uint8, memory-mapped
    newest: uuid.UUID | None
    stamp: tuple

    def _delta(self, session: Session):
        import numpy as np

        query = select(ClaimEmbedding.claim_id, ClaimEmbedding.vector).where(ClaimEmbedding.model == embeddings.MODEL)
        if self.newest is not None:
            query = query.where(ClaimEmbedding.claim_id > self.newest)
        rows = session.execute(query.limit(ANN_DELTA_MAX)).all()
        if not rows:
            return [], None
        return [r[0] for r in rows], np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), embeddings.DIM)

    def nearest(self, session: Session, vector: np.ndarray, k: int) -> list[tuple[uuid.UUID, float]]:
        import numpy as np

        q = np.asarray(vector, dtype=np.float32)
        found = self.index.search(q, min(2 * k, len(self.index)) or 1)
        candidates = {uuid.UUID(bytes=self.ids[int(key)].tobytes()) for key in found.keys}
        delta_ids, delta = self._delta(session)
        if delta is not None:
            scores = delta @ q
            top = np.argsort(-scores)[:k]
            candidates.update(delta_ids[i] for i in top)
        exact = _stored_cosines(session, q, candidates)  # re-scored; a deleted claim drops out
        return sorted(exact.items(), key=lambda kv: (-kv[1], str(kv[0])))[:k]


#: The exact tail searched beside the graph; past it, ``claims index update`` must fold it in.
ANN_DELTA_MAX = 50_000
_ann: dict[str, AnnIndex | None] = {}


def open_ann(session: Session) -> AnnIndex | None:
    """The database's on-disk index, memory-mapped once per process and reopened when its
    manifest changes (one ``stat`` per call: nothing that grows with the store)."""
    import os

    import numpy as np

    from claims import vector_store

    url = session.get_bind().url.render_as_string(hide_password=False)
    directory = vector_store.index_dir(url)
    try:
        st = os.stat(directory / "manifest.json")
        stamp = (st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        _ann.pop(url, None)
        return None
    cached = _ann.get(url)
    if cached is not None and cached.stamp == stamp:
        return cached
    from usearch.index import Index

    manifest = vector_store.read_manifest(directory)
    if manifest is None or manifest.model != embeddings.MODEL:
        return None
    index = Index.restore(str(directory / "index.usearch"), view=True)
    index.expansion_search = vector_store.PARAMS["expansion_search"]
    ann = AnnIndex(index=index, ids=np.load(directory / "ids.npy", mmap_mode="r"),
                   newest=uuid.UUID(hex=manifest.newest) if manifest.newest else None, stamp=stamp)
    _ann[url] = ann
    return ann


# --- internals: the exact in-memory index -------------------------------------------------------


@dataclass
class VectorIndex:
    """All stored vectors of one database as a matrix; rebuilt from ``claim_embedding``."""

    ids: list[uuid.UUID]
    matrix: np.ndarray  # (n, DIM) float32, unit rows
    stamp: tuple
    _pos: dict[uuid.UUID, int] | None = field(default=None, repr=False)

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

        if self._pos is None:
            self._pos = {cid: i for i, cid in enumerate(self.ids)}
        rows = [(cid, self._pos[cid]) for cid in claim_ids if cid in self._pos]
        if not rows:
            return {}
        sims = self.matrix[[r for _, r in rows]] @ np.asarray(query, dtype=np.float32)
        return {cid: float(s) for (cid, _), s in zip(rows, sims, strict=True)}


_indexes: dict[str, VectorIndex] = {}


def invalidate() -> None:
    """Forget every cached index."""
    _indexes.clear()


def _stamp(session: Session) -> tuple:
    """Changes when vectors are added or removed by any process (UUIDv7 keys grow with time)."""
    count = session.scalar(select(func.count()).select_from(ClaimEmbedding))
    last = session.scalar(select(ClaimEmbedding.claim_id).order_by(ClaimEmbedding.claim_id.desc()).limit(1))
    return (embeddings.generation, int(count or 0), str(last))


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
        .where(ClaimEmbedding.model == embeddings.MODEL)
        .order_by(ClaimEmbedding.claim_id)
        .execution_options(yield_per=5000)
    ):
        ids.append(claim_id)
        chunks.append(blob)
    dim = embeddings.DIM
    matrix = np.frombuffer(b"".join(chunks), dtype="<f4").reshape(len(ids), dim) if ids else np.zeros((0, dim), np.float32)
    index = VectorIndex(ids=ids, matrix=np.ascontiguousarray(matrix, dtype=np.float32), stamp=stamp)
    _indexes[key] = index
    return index
