"""External Schemathesis run against a real, seeded server on 127.0.0.1, per database.

For each database (a fresh SQLite file, and a throw-away PostgreSQL database when a server
URL is given) this script migrates, loads the curated seeds, creates an admin key, starts
``claims serve`` on a free loopback port and runs the ``schemathesis`` command line over the
server's own OpenAPI document, as a newsroom's client generator would read it:

    CLAIMS_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/fuzz_api.py --examples 60

The project's ``schemathesis.toml`` is read (it states the one rule beyond JSON Schema). Every
check is on (``--checks all``: server errors, status codes, content types, headers,
response schemas, negative data rejected, positive data accepted, missing headers,
unsupported methods, ``Allow`` headers, use after free, resource availability, ignored auth).
The rate limit stays on (the run's key has a generous one) so 429s would show. The run is
bounded by ``--examples`` per operation and ``--max-time`` per database, and stops by itself.

Prints, per database, the operations tested, failures and server errors from Schemathesis's
own summary. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims import migrate  # noqa: E402
from claims.db import make_engine, session_factory  # noqa: E402
from claims.keys import create_key  # noqa: E402
from claims.seeding import seed  # noqa: E402
from claims.settings import SEEDS_DIR  # noqa: E402

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(url: str) -> str:
    """Migrate and seed the database; return an admin key's secret."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_factory(engine, write=True)() as s:
        s.info["actor"] = "seed"
        seed(s, SEEDS_DIR)
        _, key = create_key(s, "fuzz-admin", ["admin"])
        s.commit()
    engine.dispose()
    return key


def run_one(label: str, url: str, examples: int, max_time: float, workers: int, report_dir: Path, extra: list[str]) -> dict:
    key = _prepare(url)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CLAIMS_DATABASE_URL": url,
        # generous, but on: the run must not hit it, and a 429 would be documented anyway
        "CLAIMS_RATE_LIMIT_PER_MINUTE": "100000",
        "CLAIMS_LOG_LEVEL": "warning",
        # generated URLs must never make the server connect anywhere (only 127.0.0.1 is a target)
        "CLAIMS_FETCH_ENABLED": "false",
        "CLAIMS_JOBS_EMBEDDED_WORKER": "false",
    }
    log = open(report_dir / f"server-{label}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "claims.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"server did not start; see {log.name}")
        started = time.perf_counter()
        cmd = [
            SCHEMATHESIS, "--config-file", str(ROOT / "schemathesis.toml"), "run", f"{base}/schema/openapi.json",
            "--checks", "all",
            "--max-examples", str(examples),
            "--max-time", str(int(max_time)),
            "--workers", str(workers),
            "--header", f"X-API-Key: {key}",
            "--seed", "12",
            "--suppress-health-check", "all",
            "--request-timeout", "60",
            # a response time limit for a 2-core machine shared with other work (the default is 10 s)
            "--max-response-time", "60",
            "--report", "junit",
            "--report-junit-path", str(report_dir / f"junit-{label}.xml"),
            "--no-color",
            *extra,
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=report_dir, timeout=max_time + 600)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    text = out.stdout + out.stderr
    (report_dir / f"schemathesis-{label}.txt").write_text(text)
    summary = _summary(text)
    print(f"\n== {label}: schemathesis --checks all, {examples} examples per operation, {elapsed:.0f} s, exit {out.returncode}")
    tail = text[text.rfind("SUMMARY"):] if "SUMMARY" in text else text[-3000:]
    print(tail.strip())
    summary.update(label=label, returncode=out.returncode, seconds=round(elapsed))
    return summary


def _summary(text: str) -> dict:
    """Numbers from Schemathesis's closing summary (operations, failures, errors)."""
    found: dict[str, int] = {}
    for name, pattern in {
        "operations_tested": r"API Operations:\s+(\d+) selected / (\d+) total",
        "test_cases": r"Test cases:\s+(\d+) generated",
        "failures": r"(\d+) unique failures",
        "errors": r"(\d+) errors? ",
    }.items():
        m = re.search(pattern, text)
        if m:
            found[name] = int(m.group(1))
    found["server_errors"] = len(re.findall(r"Server error", text))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=60, help="generated examples per operation")
    parser.add_argument("--max-time", type=float, default=900, help="seconds per database at most")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres-url", default=os.environ.get("CLAIMS_TEST_POSTGRES_URL"),
                        help="server URL; a throw-away database is created there (default $CLAIMS_TEST_POSTGRES_URL)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--report-dir", default=None, help="keep reports and server logs here (default: a temp dir)")
    parser.add_argument("extra", nargs="*", help="more schemathesis options, after --")
    args = parser.parse_args()
    report_dir = Path(args.report_dir or tempfile.mkdtemp(prefix="claims-fuzz-"))
    report_dir.mkdir(parents=True, exist_ok=True)
    results = []
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(run_one("sqlite", f"sqlite:///{Path(tmp) / 'fuzz.db'}", args.examples, args.max_time,
                                   args.workers, report_dir, args.extra))
    if args.only in (None, "postgresql"):
        if not args.postgres_url:
            print("\n== postgresql: skipped (no --postgres-url / CLAIMS_TEST_POSTGRES_URL)")
        else:
            os.environ["CLAIMS_TEST_POSTGRES_URL"] = args.postgres_url
            from tests.conftest import create_postgres_database, drop_postgres_database

            url = create_postgres_database("claims_fuzz")
            try:
                results.append(run_one("postgresql", url, args.examples, args.max_time, args.workers, report_dir, args.extra))
            finally:
                drop_postgres_database(url)
    print(f"\nreports and server logs: {report_dir}")
    for r in results:
        print(f"{r['label']}: exit {r['returncode']}, {r.get('failures', 0)} unique failures, "
              f"{r.get('errors', 0)} errors, server errors mentioned {r['server_errors']}, {r['seconds']} s")
    return 0 if all(r["returncode"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
