"""The baseline of ``bench/run``'s provenance figure: a minimal Litestar app whose one endpoint
reads the same chain as ``GET /api/v1/claims/{id}/provenance`` with hand-written SQL on the
driver (sqlite3 or psycopg), one connection per worker thread, and returns it as JSON.

    BENCH_DATABASE_URL=sqlite:////tmp/x.db uvicorn bench.minimal_app:app --port 8100
"""

from __future__ import annotations

import os
import threading
import uuid

from litestar import Litestar, get

URL = os.environ.get("BENCH_DATABASE_URL", "sqlite:///claims.db")
_local = threading.local()

CLAIM = ("SELECT c.id, c.text, c.lang, c.modality, c.stance, c.document_id, c.group_id, c.speaker_id, s.name, s.kind "
         "FROM claim c JOIN source s ON s.id = c.speaker_id WHERE c.id = {p}")
HOPS = ("SELECT h.position, h.relation, h.lang, h.modality, h.cue, h.evidence_start, h.evidence_end, s.id, s.name, "
        "s.kind, substr(d.text, h.evidence_start + 1, h.evidence_end - h.evidence_start) "
        "FROM relay_hop h JOIN source s ON s.id = h.source_id JOIN claim c ON c.id = h.claim_id "
        "JOIN document d ON d.id = c.document_id WHERE h.claim_id = {p} ORDER BY h.position")
MEMBERS = ("SELECT c.id, c.document_id, c.lang, c.text, c.modality, s.id, s.name, s.kind FROM claim c "
           "JOIN source s ON s.id = c.speaker_id WHERE c.group_id = {p} AND c.id <> {p} ORDER BY c.created_at, c.id")
ALIASES = "SELECT text FROM source_alias WHERE source_id = {p} ORDER BY text"


def connect():
    if URL.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(URL.split("///", 1)[1], check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn, "?", lambda u: u.bytes
    import psycopg

    conn = psycopg.connect(URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    return conn, "%s", lambda u: u


def read_chain(conn, p: str, key, claim_id: uuid.UUID) -> dict | None:
    """The chain as the raw SQL reads it: claim, hops with sources and evidence, group, aliases."""
    cur = conn.cursor()
    k = key(claim_id)
    cur.execute(CLAIM.format(p=p), (k,))
    row = cur.fetchone()
    if row is None:
        return None
    cur.execute(HOPS.format(p=p), (k,))
    hops = cur.fetchall()
    members = []
    if row[6] is not None:
        cur.execute(MEMBERS.format(p=p), (row[6], k))
        members = cur.fetchall()
    cur.execute(ALIASES.format(p=p), (hops[0][7] if hops else row[7],))
    aliases = [a[0] for a in cur.fetchall()]

    def sid(v):
        return str(uuid.UUID(bytes=v)) if isinstance(v, bytes) else str(v)

    return {
        "claim": {"id": sid(row[0]), "text": row[1], "lang": row[2], "modality": row[3], "stance": row[4]},
        "document_id": sid(row[5]),
        "origin": {"id": sid(hops[0][7]) if hops else sid(row[7]), "aliases": aliases},
        "chain": [{"position": h[0], "source": {"id": sid(h[7]), "name": h[8], "kind": h[9]}, "relation": h[1],
                   "lang": h[2], "modality": h[3], "cue": h[4],
                   "evidence": None if h[5] is None else {"start": h[5], "end": h[6], "text": h[10]}} for h in hops],
        "group": [{"claim_id": sid(m[0]), "document_id": sid(m[1]), "lang": m[2], "text": m[3], "modality": m[4],
                   "speaker": {"id": sid(m[5]), "name": m[6], "kind": m[7]}} for m in members],
    }


def _conn():
    if not hasattr(_local, "conn"):
        _local.conn = connect()
    return _local.conn


@get("/claims/{claim_id:uuid}/provenance", sync_to_thread=True)
def provenance(claim_id: uuid.UUID) -> dict:
    conn, p, key = _conn()
    return read_chain(conn, p, key, claim_id) or {}


app = Litestar([provenance])
