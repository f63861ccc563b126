"""The on-disk approximate vector index (``claims.vector_store`` / ``claims.query.vectors``):
recall against the exact product on real encoded sentences, the exact tail of vectors stored
after a build, incremental update, rebuild, deleted claims — on both databases."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import delete, func, select

from claims import embeddings
from claims.bulk import bulk_load, embed_missing
from claims.db import session_factory
from claims.models import Claim, ClaimEmbedding
from claims.query import vectors
from claims.vector_store import index_dir, read_manifest, rebuild, update
from tests.test_bulk import _archive, _write

pytestmark = pytest.mark.skipif(not embeddings.enabled(), reason="the sentence encoder is not installed")


@pytest.fixture
def vector_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMS_VECTOR_INDEX_DIR", str(tmp_path / "vectors"))
    vectors._ann.clear()
    yield tmp_path / "vectors"
    vectors._ann.clear()


def _exact(session, q, k):
    rows = session.execute(select(ClaimEmbedding.claim_id, ClaimEmbedding.vector)).all()
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(len(rows), embeddings.DIM)
    order = np.argsort(-(matrix @ q))[:k]
    return [rows[i][0] for i in order]


def test_ann_recall_incremental_update_and_deletes(db, tmp_path, vector_dir):
    lines = _archive(400)
    bulk_load(db, _write(tmp_path / "a.jsonl", lines[: len(lines) * 3 // 4]))
    embed_missing(db)
    sessions = session_factory(db)
    assert vectors.open_ann(sessions()) is None  # no index yet: the exact product answers
    manifest = rebuild(db)
    with sessions() as s:
        stored = s.scalar(select(func.count()).select_from(ClaimEmbedding))
        assert manifest.count == stored and read_manifest(index_dir(db.url.render_as_string(hide_password=False)))
        assert vectors.open_ann(s) is not None
        queries = [embeddings.encode_one(t) for t in (
            "Iran will fill the vacuum left in the region", "روسيا ستوسع صادرات النفط",
            "the central bank has frozen interest rates", "China is negotiating the trade deal",
            "تركيا ستعلق محادثات السلام", "the army will withdraw from border crossings")]
        hits = total = 0
        for q in queries:
            got = [cid for cid, _ in vectors.nearest(s, q, 10)]
            want = _exact(s, q, 10)
            hits += len(set(got) & set(want))
            total += len(want)
        assert hits / total >= 0.95
        cos = vectors.cosines(s, queries[0], want[:3])
        assert set(cos) == set(want[:3])

    # vectors stored after the build are searched exactly until update folds them in
    bulk_load(db, _write(tmp_path / "b.jsonl", lines[len(lines) * 3 // 4 :]))
    embed_missing(db)
    with sessions() as s:
        newest = s.scalars(select(Claim).order_by(Claim.id.desc()).limit(1)).one()
        q = embeddings.encode_one(newest.text)
        top = vectors.nearest(s, q, 5)[0][0]
        assert top == newest.id or s.get(Claim, top).text == newest.text  # the archive repeats some sentences
    added = update(db)
    assert added > 0 and read_manifest(index_dir(db.url.render_as_string(hide_password=False))).count == manifest.count + added
    with sessions() as s:
        top = vectors.nearest(s, q, 5)[0][0]
        assert top == newest.id or s.get(Claim, top).text == newest.text  # the archive repeats some sentences
    # a deleted claim's vector is gone from the table: the index never returns it
    with session_factory(db, write=True)() as s:
        s.execute(delete(ClaimEmbedding).where(ClaimEmbedding.claim_id == newest.id))
        s.commit()
    with sessions() as s:
        assert newest.id not in [cid for cid, _ in vectors.nearest(s, q, 5)]


def test_ingest_folds_new_vectors_into_a_built_index(db, tmp_path, vector_dir):
    """``update_if_built`` (run after ``claims ingest``): nothing without a graph; with one, the
    vectors stored since go into it."""
    from claims.vector_store import update_if_built

    lines = _archive(120)
    bulk_load(db, _write(tmp_path / "a.jsonl", lines[: len(lines) * 2 // 3]))
    embed_missing(db)
    assert update_if_built(db) is None
    built = rebuild(db)
    bulk_load(db, _write(tmp_path / "b.jsonl", lines[len(lines) * 2 // 3 :]))
    embed_missing(db)
    added = update_if_built(db)
    assert added and read_manifest(index_dir(db.url.render_as_string(hide_password=False))).count == built.count + added
    assert update_if_built(db) == 0
