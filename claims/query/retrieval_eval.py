"""Retrieval evaluation on public data (CLEF CheckThat! 2021 Task 2A layout).

``collection``: JSON lines ``{id, claim, title?, lang?}`` (verified claims). ``queries``: JSON lines
``{id, claim, split?, relevant_vclaim_ids}`` (tweets). Every verified claim is stored as a claim
in a throw-away database through the same indexing as ``claims seed`` / ingest (BM25 terms,
entities and, when installed, sentence vectors); every query is then ranked with the same
retrieval ``ask`` uses (``claims.query.retrieve.hybrid`` + ``fused_ranking``). Reported: MAP@5, MRR and
success@1 (the task's official measure is MAP@5).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select

from claims import migrate
from claims.db import make_engine, session_factory
from claims.indexing import index_claims
from claims.models import Claim, Document, RelayHop, Source
from claims.query.retrieve import fused_ranking, hybrid


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _uuid7() -> uuid.UUID:
    from advanced_alchemy.mixins.uuid import uuid7

    return uuid7()


def load_collection(session, records: Iterable[dict], *, batch: int = 1000, embed: bool = True) -> dict[uuid.UUID, str]:
    """Store each record as a document holding one claim by one 'fact-check' source; returns
    claim id → record id. Bulk inserts (no audit trail: this database is thrown away)."""
    import datetime

    now = datetime.datetime.now(datetime.UTC)
    source_id = _uuid7()
    session.execute(insert(Source), [{"id": source_id, "key": "eval-collection", "name": "Evaluation collection",
                                      "name_normalized": "evaluation collection", "kind": "outlet",
                                      "created_at": now, "updated_at": now}])
    mapping: dict[uuid.UUID, str] = {}
    docs, claims, hops = [], [], []
    for rec in records:
        text = rec["claim"].strip() or rec.get("title") or rec["id"]
        doc_id, claim_id = _uuid7(), _uuid7()
        mapping[claim_id] = rec["id"]
        docs.append({"id": doc_id, "lang": rec.get("lang", "en"), "title": rec.get("title"), "text": text,
                     "content_hash": hashlib.sha256(f"{rec['id']}\n{text}".encode()).hexdigest(),
                     "created_at": now, "updated_at": now})
        claims.append({"id": claim_id, "key": rec["id"][:120], "document_id": doc_id, "speaker_id": source_id,
                       "text": text, "start_offset": 0, "end_offset": len(text), "lang": rec.get("lang", "en"),
                       "modality": "asserted", "stance": "affirm", "term_count": 0, "review_status": "unreviewed",
                       "created_at": now, "updated_at": now})
        hops.append({"id": _uuid7(), "claim_id": claim_id, "position": 0, "source_id": source_id,
                     "relation": "published", "review_status": "unreviewed", "created_at": now, "updated_at": now})
    for table, rows in ((Document, docs), (Claim, claims), (RelayHop, hops)):
        for i in range(0, len(rows), batch):
            session.execute(insert(table), rows[i : i + batch])
    ids = list(mapping)
    for i in range(0, len(ids), batch):
        chunk = list(session.scalars(select(Claim).where(Claim.id.in_(ids[i : i + batch]))))
        index_claims(session, chunk, embed=embed)
        session.flush()
        session.expunge_all()
    return mapping


@dataclass
class RetrievalScores:
    n_queries: int
    map5: float
    mrr: float
    success1: float

    def as_dict(self) -> dict:
        return {"n_queries": self.n_queries, "map@5": round(self.map5, 4), "mrr": round(self.mrr, 4),
                "success@1": round(self.success1, 4)}


def score_rankings(rankings: list[tuple[list[str], set[str]]]) -> RetrievalScores:
    """MAP@5 (precision averaged at each relevant hit in the top 5, over min(|rel|, 5)), MRR, success@1."""
    ap_sum = rr_sum = s1 = 0.0
    for ranked, relevant in rankings:
        hits, precisions = 0, []
        for i, rid in enumerate(ranked[:5], 1):
            if rid in relevant:
                hits += 1
                precisions.append(hits / i)
        ap_sum += sum(precisions) / min(len(relevant), 5) if relevant else 0.0
        rank = next((i for i, rid in enumerate(ranked, 1) if rid in relevant), None)
        rr_sum += 1 / rank if rank else 0.0
        s1 += 1.0 if ranked[:1] and ranked[0] in relevant else 0.0
    n = len(rankings) or 1
    return RetrievalScores(len(rankings), ap_sum / n, rr_sum / n, s1 / n)


def evaluate_retrieval(collection: Path, queries: Path, *, split: str | None = "dev", database_url: str | None = None,
                       depth: int = 20) -> RetrievalScores:
    records = _read_jsonl(collection)
    qs = [q for q in _read_jsonl(queries) if split in (None, "all") or q.get("split") == split]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(database_url or f"sqlite:///{tmp}/eval.db")
        migrate.upgrade(engine)
        with session_factory(engine)() as session:
            session.info["audit_disabled"] = True
            mapping = load_collection(session, records)
            session.commit()
            rankings = []
            for q in qs:
                result = hybrid(session, q["claim"], limit=100, k_vectors=100)
                ranked = [mapping[c.claim_id] for c in fused_ranking(result)[:depth]]
                rankings.append((ranked, set(q["relevant_vclaim_ids"])))
        engine.dispose()
    return score_rankings(rankings)
