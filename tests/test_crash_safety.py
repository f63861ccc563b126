"""SIGKILL in the middle of a large load: no half-loaded document, integrity intact, and a
re-run completes the load without duplicates. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from claims.audit import verify_chain
from claims.db import session_factory
from claims.models import Claim, Document, RelayHop, SearchDocument
from claims.services import content_hash
from claims.settings import PROJECT_ROOT

DOCUMENTS = 60
CLAIMS_PER_DOCUMENT = 10
SPEAKERS = [f"speaker-{n}" for n in range(6)]


def _write_load_file(path: Path) -> dict[str, int]:
    """The load file, and the expected claim count per document content hash."""
    expected = {}
    with path.open("w", encoding="utf-8") as fh:
        for d in range(DOCUMENTS):
            sentences = [
                f"Official {d}-{c} said that bridge {d * 100 + c} will reopen in spring, and that "
                f"the budget of {c + 1} million is final."
                for c in range(CLAIMS_PER_DOCUMENT)
            ]
            body = " ".join(sentences) + ("\n\nوقال المتحدث إن الجسر سيفتح في الربيع." if d % 3 == 0 else "")
            entry = {
                "document": {"text": body, "lang": "en", "title": f"Bulletin {d}", "outlet": "wire"},
                "claims": [
                    {
                        "key": f"load-{d}-{c}",
                        "text": f"bridge {d * 100 + c} will reopen in spring",
                        "modality": "asserted",
                        "hops": [
                            {
                                "source": SPEAKERS[c % len(SPEAKERS)],
                                "relation": "said",
                                "evidence": f"Official {d}-{c} said",
                            },
                            {"source": "wire", "relation": "published"},
                        ],
                    }
                    for c in range(CLAIMS_PER_DOCUMENT)
                ],
            }
            if d == 0:
                entry["sources"] = [{"key": "wire", "name": "Wire Agency", "kind": "agency"}] + [
                    {"key": key, "name": key.replace("-", " ").title(), "kind": "person"} for key in SPEAKERS
                ]
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            expected[content_hash(body)] = CLAIMS_PER_DOCUMENT
    return expected


def _run_load(url: str, path: Path, *, kill_after: int | None = None) -> subprocess.CompletedProcess | int:
    # no sentence vectors: nothing here checks them, and encoding was half the load's time
    env = {**os.environ, "CLAIMS_DATABASE_URL": url, "CLAIMS_ACTOR": "load-test", "CLAIMS_EMBEDDINGS": "off"}
    cmd = [sys.executable, "-m", "claims.cli", "load", str(path), "--progress"]
    if kill_after is None:
        return subprocess.run(cmd, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    proc = subprocess.Popen(cmd, env=env, cwd=PROJECT_ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    created = 0
    for line in proc.stderr:
        created = int(line.split(":")[1].split()[0])  # "N lines: M new, K skipped"
        if created >= kill_after:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the load finished before it could be killed"
    return created


def _check_integrity(db, expected: dict[str, int]) -> int:
    """Every stored document is complete; returns how many are stored."""
    with session_factory(db)() as s:
        if db.dialect.name == "sqlite":
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert s.execute(text("PRAGMA foreign_key_check")).all() == []
        per_document = dict(
            s.execute(
                select(Document.content_hash, func.count(Claim.id))
                .outerjoin(Claim, Claim.document_id == Document.id)
                .group_by(Document.content_hash)
            ).all()
        )
        assert per_document, "nothing was stored before the kill"
        for digest, claims in per_document.items():
            assert claims == expected[digest], "a document is stored without all its claims"
        n_claims = s.scalar(select(func.count()).select_from(Claim))
        assert s.scalar(select(func.count()).select_from(RelayHop)) == 2 * n_claims
        assert s.scalar(select(func.count(func.distinct(SearchDocument.claim_id)))) == n_claims
        assert s.scalar(select(func.count(func.distinct(Claim.key)))) == n_claims
        chain = verify_chain(s)
        assert chain.ok, chain
        return len(per_document)


@pytest.mark.slow
def test_sigkill_mid_load_leaves_no_half_document_and_rerun_completes(db, tmp_path):
    path = tmp_path / "load.jsonl"
    expected = _write_load_file(path)
    url = db.url.render_as_string(hide_password=False)

    reported = _run_load(url, path, kill_after=DOCUMENTS // 5)
    stored = _check_integrity(db, expected)
    assert reported <= stored < DOCUMENTS  # a commit may land after the last progress line

    rerun = _run_load(url, path)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{stored} already stored" in rerun.stdout
    assert _check_integrity(db, expected) == DOCUMENTS
    with session_factory(db)() as s:
        assert s.scalar(select(func.count()).select_from(Claim)) == DOCUMENTS * CLAIMS_PER_DOCUMENT
        assert s.scalar(select(func.count(func.distinct(Document.content_hash)))) == DOCUMENTS
