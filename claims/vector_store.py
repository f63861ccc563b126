"""The approximate vector index on disk: usearch HNSW over the stored claim vectors, int8.

Written here (the writing side: ``claims index rebuild`` / ``update``, and ``claims bulk-load``
once a store passes ``ANN_MIN`` vectors), read by ``claims.query.vectors``. Files, in one
directory per database (beside a SQLite file, else under ``var/vectors/``):

- ``index.usearch``: the HNSW graph with int8 vectors (cosine), opened with ``view=True``:
  memory-mapped, so every server worker shares one copy in the page cache and opening costs
  no load time;
- ``ids.npy``: the claim id (16 bytes) of each key, memory-mapped too;
- ``manifest.json``: count, the newest claim id covered, the parameters.

Vectors stored after the build (new claims: UUIDv7 ids above the manifest's newest) are
searched exactly by the reader until ``update`` adds them to the graph incrementally. Every
hit is re-scored against the stored float32 vector, so a vector replaced since the build never
shows a stale cosine and a deleted claim never comes back.

Parameters (``PARAMS``) were chosen on real encoded sentences (``bench/run`` reports recall@10
against the exact product): connectivity 32, expansion 128 at build and 256 at search.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from claims import embeddings
from claims.models import ClaimEmbedding
from claims.settings import PROJECT_ROOT

#: Below this many vectors the exact product is as fast and has no file to keep.
ANN_MIN = 20_000
PARAMS = {"metric": "cos", "dtype": "i8", "connectivity": 32, "expansion_add": 128, "expansion_search": 256}
ENV_DIR = "CLAIMS_VECTOR_INDEX_DIR"


def index_dir(url: str) -> Path:
    """Where a database's index lives: ``$CLAIMS_VECTOR_INDEX_DIR``, beside a SQLite file, or
    under ``var/vectors/`` keyed by the database URL."""
    parsed = make_url(url)
    digest = hashlib.sha256(parsed.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR]) / digest
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database + ".vectors")
    return PROJECT_ROOT / "var" / "vectors" / digest


@dataclass
class Manifest:
    count: int
    newest: str  # hex of the newest claim id covered
    model: str
    params: dict
    built_at: float


def read_manifest(directory: Path) -> Manifest | None:
    try:
        return Manifest(**json.loads((directory / "manifest.json").read_text()))
    except (FileNotFoundError, ValueError, TypeError):
        return None


@contextmanager
def _locked(directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _new_index():
    from usearch.index import Index

    return Index(ndim=embeddings.DIM, **PARAMS)


def _vectors(engine: Engine, after: uuid.UUID | None = None, chunk: int = 20_000):
    """(ids, float32 matrix) chunks of the stored vectors in claim-id order."""
    import numpy as np

    last = after
    while True:
        with engine.connect() as conn:
            query = select(ClaimEmbedding.claim_id, ClaimEmbedding.vector).where(
                ClaimEmbedding.model == embeddings.MODEL
            ).order_by(ClaimEmbedding.claim_id).limit(chunk)
            if last is not None:
                query = query.where(ClaimEmbedding.claim_id > last)
            rows = conn.execute(query).all()
        if not rows:
            return
        ids = [r[0] for r in rows]
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), embeddings.DIM)
        yield ids, matrix
        last = ids[-1]


def _save(directory: Path, index, ids: list[bytes], newest: uuid.UUID | None) -> Manifest:
    import numpy as np

    tmp_index, tmp_ids = directory / "index.usearch.tmp", directory / "ids.npy.tmp"
    index.save(str(tmp_index))
    with open(tmp_ids, "wb") as fh:
        np.save(fh, np.frombuffer(b"".join(ids), dtype=np.uint8).reshape(len(ids), 16) if ids else np.zeros((0, 16), np.uint8))
    manifest = Manifest(count=len(ids), newest=newest.hex if newest else "", model=embeddings.MODEL, params=PARAMS,
                        built_at=time.time())
    (directory / "manifest.json.tmp").write_text(json.dumps(manifest.__dict__))
    os.replace(tmp_index, directory / "index.usearch")
    os.replace(tmp_ids, directory / "ids.npy")
    os.replace(directory / "manifest.json.tmp", directory / "manifest.json")  # last: readers key on it
    return manifest


def rebuild(engine: Engine, *, progress: Callable[[int], None] | None = None) -> Manifest:
    """Build the index from every stored vector and replace the files atomically."""
    import numpy as np

    directory = index_dir(engine.url.render_as_string(hide_password=False))
    with _locked(directory):
        index = _new_index()
        ids: list[bytes] = []
        newest = None
        for chunk_ids, matrix in _vectors(engine):
            keys = np.arange(len(ids), len(ids) + len(chunk_ids), dtype=np.uint64)
            index.add(keys, matrix, threads=2)
            ids.extend(c.bytes for c in chunk_ids)
            newest = chunk_ids[-1]
            if progress:
                progress(len(ids))
        return _save(directory, index, ids, newest)


def update(engine: Engine) -> int:
    """Add the vectors stored since the last build or update to the graph; returns how many.
    Builds the index first when there is none."""
    import numpy as np
    from usearch.index import Index

    directory = index_dir(engine.url.render_as_string(hide_password=False))
    manifest = read_manifest(directory)
    if manifest is None:
        return rebuild(engine).count
    with _locked(directory):
        manifest = read_manifest(directory)
        index = Index.restore(str(directory / "index.usearch"))
        ids = [bytes(row) for row in np.load(directory / "ids.npy")]
        newest = uuid.UUID(hex=manifest.newest) if manifest.newest else None
        added = 0
        for chunk_ids, matrix in _vectors(engine, after=newest):
            keys = np.arange(len(ids), len(ids) + len(chunk_ids), dtype=np.uint64)
            index.add(keys, matrix, threads=2)
            ids.extend(c.bytes for c in chunk_ids)
            newest = chunk_ids[-1]
            added += len(chunk_ids)
        if added:
            _save(directory, index, ids, newest)
        return added


def update_if_built(engine: Engine) -> int | None:
    """After an ingest: add the new vectors to the graph when this database has one (None when
    it has none; below ``ANN_MIN`` the exact product serves and no graph is kept)."""
    if read_manifest(index_dir(engine.url.render_as_string(hide_password=False))) is None:
        return None
    return update(engine)


def remove(engine: Engine) -> None:
    """Delete a database's index files (the reader falls back to the exact product)."""
    directory = index_dir(engine.url.render_as_string(hide_password=False))
    for name in ("manifest.json", "index.usearch", "ids.npy"):
        (directory / name).unlink(missing_ok=True)
