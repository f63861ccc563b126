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


def _scraped_total(text: str, route: str) -> float:
    """The sum of claims_http_requests_total over the samples of one route."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith("claims_http_requests_total{") and f'route="{route}"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_serve_with_two_workers_answers_provenance(db, tmp_path):
    from claims.bulk import bulk_load

    bulk_load(db, _write(tmp_path / "a.jsonl", [_line(TEXT_EN, "Iran will fill the vacuum in Syria", "Hossein Salami")]))
    with session_factory(db)() as s:
        claim_id = s.scalars(select(Claim.id)).one()
    port = _free_port()
    env = {**os.environ, "CLAIMS_DATABASE_URL": db.url.render_as_string(hide_password=False), "CLAIMS_EMBEDDINGS": "off",
           "PYTHONPATH": str(PROJECT_ROOT), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    (tmp_path / "metrics").mkdir()
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
        for _ in range(30):  # a new connection each time, so both workers take requests
            body = httpx.get(f"http://127.0.0.1:{port}/api/v1/claims/{claim_id}/provenance", timeout=10).json()
            assert [h["relation"] for h in body["chain"]] == ["said", "published"]
            assert body["origin"]["name"] == "Hossein Salami"
        # every scrape, whichever worker answers it, counts the requests of both
        route = "/api/v1/claims/{claim_id}/provenance"
        for _ in range(4):
            assert _scraped_total(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text, route) == 30
        counting = {p.name.rsplit("_", 1)[1] for p in (tmp_path / "metrics").glob("counter_*.db")}
        assert len(counting) >= 2, f"only {counting} wrote counters: one worker took every request"
        workers = [c for c in _children(proc.pid) if Path(f"/proc/{c}/cmdline").read_bytes().find(b"spawn_main") >= 0]
        assert len(workers) == 2, _children(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
