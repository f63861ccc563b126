"""``claims serve --workers N`` smoke test: N processes on one port answer from one database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import select

from claims.db import session_factory
from claims.models import Claim
from claims.settings import PROJECT_ROOT
from tests.test_bulk import TEXT_EN, _line, _write


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(x) for x in (task / "children").read_text().split()]
    return out


def test_serve_with_two_workers_answers_provenance(db, tmp_path):
    from claims.bulk import bulk_load

    bulk_load(db, _write(tmp_path / "a.jsonl", [_line(TEXT_EN, "Iran will fill the vacuum in Syria", "Hossein Salami")]))
    with session_factory(db)() as s:
        claim_id = s.scalars(select(Claim.id)).one()
    port = _free_port()
    env = {**os.environ, "CLAIMS_DATABASE_URL": db.url.render_as_string(hide_password=False), "CLAIMS_EMBEDDINGS": "off",
           "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "claims.cli", "serve", "--port", str(port), "--workers", "2"],
                            env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for _ in range(20):
                body = client.get(f"/api/v1/claims/{claim_id}/provenance").json()
                assert [h["relation"] for h in body["chain"]] == ["said", "published"]
                assert body["origin"]["name"] == "Hossein Salami"
        workers = [c for c in _children(proc.pid) if Path(f"/proc/{c}/cmdline").read_bytes().find(b"spawn_main") >= 0]
        assert len(workers) == 2, _children(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
