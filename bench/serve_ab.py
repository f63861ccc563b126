"""Provenance requests/s of ``claims serve`` from two or more code trees against the minimal
endpoint (``bench/minimal_app.py``), on one database (SQLite or PostgreSQL), same wrk client and concurrency,
interleaved rounds; prints each round and the medians of the ratios (req/s, and the server's CPU
per request, which a loaded machine distorts less). Not a test.

    bench/serve_ab.py sqlite:////tmp/x.db ROUNDS NAME=ROOT[:ENV~VALUE...] NAME=ROOT ...
    bench/serve_ab.py postgresql+psycopg://postgres@127.0.0.1:5432/DB ROUNDS ...

ROOT is a checkout (e.g. ``git archive COMMIT | tar -x -C DIR``); the minimal endpoint runs
from the first one.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wrk(base: str, paths: list[str], seconds: int, pid: int | None = None) -> tuple[float, float]:
    script = Path(tempfile.gettempdir()) / "serve_ab_paths.lua"
    listed = ",".join(f'"{p}"' for p in paths)
    script.write_text(f"local paths = {{{listed}}}\nlocal n = 0\nrequest = function()\n  n = n + 1\n"
                      "  return wrk.format('GET', paths[(n % #paths) + 1])\nend\n")
    before = _cpu_s(pid) if pid else 0.0
    out = subprocess.run(["wrk", "-t1", "-c16", f"-d{seconds}s", "-s", str(script), base],
                         capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(out)
    done = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, ((_cpu_s(pid) - before) * 1000 / done if pid else 0.0)


def _serve(url: str, name: str, root: str, extra: dict[str, str], ids: list[uuid.UUID]):
    port = _port()
    env = {**os.environ, **extra, "CLAIMS_DATABASE_URL": url, "BENCH_DATABASE_URL": url, "PYTHONPATH": root,
           "CLAIMS_EMBEDDINGS": "off", "CLAIMS_RATE_LIMIT_PER_MINUTE": "0", "CLAIMS_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "0"}
    if name == "minimal":
        app, fmt, factory = "bench.minimal_app:app", "/claims/{}/provenance", []
    else:
        app, fmt, factory = "api.app:create_app", "/api/v1/claims/{}/provenance", ["--factory"]
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", app, *factory, "--port", str(port), "--no-access-log",
                             "--log-level", "warning"], env=env, cwd=root, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    paths = [fmt.format(i) for i in ids]
    for _ in range(600):
        try:
            if httpx.get(base + paths[0], timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return proc, base, paths


def _sample_ids(url: str) -> list[uuid.UUID]:
    """200 claim ids in an order unrelated to insertion (the same ones for every variant)."""
    sample = "SELECT id FROM claim ORDER BY substr(text, 4), id LIMIT 200"
    if url.startswith("sqlite"):
        with sqlite3.connect(url.split("///", 1)[1]) as conn:
            return [uuid.UUID(bytes=r[0]) for r in conn.execute(sample)]
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return [r[0] for r in conn.execute(sample)]


def main(argv: list[str]) -> int:
    url, rounds = argv[0], int(argv[1])
    variants: dict[str, tuple[str, dict[str, str]]] = {}
    for spec in argv[2:]:
        name, rest = spec.split("=", 1)
        root, *envs = rest.split(":")
        variants[name] = (root, dict(e.split("~", 1) for e in envs))
    variants["minimal"] = (next(iter(variants.values()))[0], {})
    ids = _sample_ids(url)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for r in range(rounds):
        for name, (root, extra) in variants.items():
            proc, base, paths = _serve(url, name, root, extra, ids)
            try:
                _wrk(base, paths, 3)  # warm-up
                results[name].append(_wrk(base, paths, 5, proc.pid))
            finally:
                proc.terminate()
                proc.wait()
        m_rps, m_cpu = results["minimal"][-1]
        print(f"round {r + 1} (load {os.getloadavg()[0]:.1f}): " + "; ".join(
            f"{k} {v[-1][0]:.0f} req/s {v[-1][1]:.2f} ms CPU (ratio req/s {v[-1][0] / m_rps:.2f}, CPU {m_cpu / v[-1][1]:.2f})"
            for k, v in results.items()), flush=True)
    minimal = results["minimal"]
    print("median: " + "; ".join(
        f"{k} ratio req/s {statistics.median(a[0] / b[0] for a, b in zip(v, minimal, strict=True)):.2f}"
        f" CPU {statistics.median(b[1] / a[1] for a, b in zip(v, minimal, strict=True)):.2f}"
        for k, v in results.items() if k != "minimal"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
