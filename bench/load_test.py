"""Load test on loopback: concurrent writers and readers against a real server, per database.

For each database (a fresh SQLite file, and a throw-away PostgreSQL database when a server
URL is given), this script migrates, creates a write key, starts ``claims serve`` on
127.0.0.1, and for ``--seconds`` runs ``--writers`` threads that each create a source, a
document and a claim with a two-hop chain (three writes per round), alongside ``--readers``
threads that list, search, ask and fetch provenance. Afterwards it stops the server and
checks the database against what the server acknowledged:

* every acknowledged write is there exactly once (0 lost, 0 duplicated),
* no row exists that was not acknowledged (a failed request wrote nothing),
* the audit hash chain verifies (concurrent writers did not fork it).

    CLAIMS_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/load_test.py --seconds 60 --writers 8 --readers 4

The per-key rate limit is switched off for the run (CLAIMS_RATE_LIMIT_PER_MINUTE=0): this
measures the database path, not the limiter. Exit status 1 on any lost or duplicated write,
server error or broken chain.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims import migrate  # noqa: E402
from claims.audit import verify_chain  # noqa: E402
from claims.db import make_engine, session_factory  # noqa: E402
from claims.keys import create_key  # noqa: E402
from claims.models import Claim, Document, RelayHop, Source  # noqa: E402

TEXT = "Officials in {city} said on day {n} that the bridge {tag} will reopen in spring, according to the wire."


@dataclass
class Tally:
    requests: Counter = field(default_factory=Counter)  # (kind, status) -> count
    exceptions: Counter = field(default_factory=Counter)
    acknowledged: dict[str, set[str]] = field(default_factory=lambda: {"source": set(), "document": set(), "claim": set()})
    latencies: list[float] = field(default_factory=list)
    #: sources the server reports creating on its own while storing a document (ingest)
    sources_by_ingest: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.requests[(kind, status)] += 1
            self.latencies.append(seconds)

    def ack(self, table: str, row_id: str) -> None:
        with self.lock:
            self.acknowledged[table].add(row_id)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(tally: Tally, kind: str, fn, *args, **kwargs):
    start = time.perf_counter()
    try:
        response = fn(*args, **kwargs)
    except httpx.HTTPError as exc:
        with tally.lock:
            tally.exceptions[f"{kind}: {type(exc).__name__}"] += 1
        return None
    tally.record(kind, response.status_code, time.perf_counter() - start)
    return response


def writer(base: str, key: str, number: int, stop: threading.Event, tally: Tally, outlet_id: str) -> None:
    headers = {"X-API-Key": key}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        n = 0
        while not stop.is_set():
            n += 1
            tag = f"w{number}-{n}-{uuid.uuid4().hex[:6]}"
            r = _timed(tally, "create source", client.post, "/api/v1/sources", json={"name": f"Speaker {tag}", "kind": "person"})
            if r is None or r.status_code != 201:
                continue
            speaker = r.json()["id"]
            tally.ack("source", speaker)
            text = TEXT.format(city=f"City {number}", n=n, tag=tag)
            r = _timed(tally, "create document", client.post, "/api/v1/documents", json={"text": text, "lang": "en", "outlet_id": outlet_id, "extract": False})
            if r is None or r.status_code != 201:
                continue
            doc = r.json()["id"]
            tally.ack("document", doc)
            with tally.lock:
                tally.sources_by_ingest += r.json().get("sources_created", 0)
            start = text.index("the bridge")
            body = {
                "document_id": doc,
                "start": start,
                "end": text.index(", according"),
                "hops": [
                    {"source_id": speaker, "relation": "said", "evidence_start": 0, "evidence_end": text.index(" on day")},
                    {"source_id": outlet_id, "relation": "published"},
                ],
            }
            r = _timed(tally, "create claim", client.post, "/api/v1/claims", json=body)
            if r is not None and r.status_code == 201:
                tally.ack("claim", r.json()["id"])


def reader(base: str, number: int, stop: threading.Event, tally: Tally) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        n = 0
        while not stop.is_set():
            n += 1
            r = _timed(tally, "list claims", client.get, "/api/v1/claims", params={"limit": 20, "offset": (n * 7) % 50})
            items = r.json()["items"] if r is not None and r.status_code == 200 else []
            if items:
                claim_id = items[n % len(items)]["id"]
                _timed(tally, "provenance", client.get, f"/api/v1/claims/{claim_id}/provenance")
            _timed(tally, "search sources", client.get, "/api/v1/sources", params={"q": f"speaker w{n % 8}"})
            _timed(tally, "ask", client.post, "/api/v1/ask", json={"question": "Who said the bridge will reopen?"})


def run_one(label: str, url: str, seconds: float, writers: int, readers: int, server_log: str | None = None) -> bool:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_factory(engine, write=True)() as s:
        _, key = create_key(s, f"load-{uuid.uuid4().hex[:8]}", ["write"])
        s.commit()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CLAIMS_DATABASE_URL": url, "CLAIMS_RATE_LIMIT_PER_MINUTE": "0"}
    # the server's log: kept with --server-log, else read back only if the server fails to start
    log = open(server_log, "w+") if server_log else tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "claims.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"server did not start: {log.read()[-2000:]}")
            time.sleep(0.2)
        outlet = httpx.post(f"{base}/api/v1/sources", json={"name": "Load Wire", "kind": "agency"}, headers={"X-API-Key": key}).json()
        tally = Tally()
        tally.ack("source", outlet["id"])
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(base, key, i, stop, tally, outlet["id"])) for i in range(writers)]
        threads += [threading.Thread(target=reader, args=(base, i, stop, tally)) for i in range(readers)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    # --- the checks ---
    with session_factory(engine)() as s:
        stored = {
            "source": {str(i) for i in s.scalars(select(Source.id))},
            "document": {str(i) for i in s.scalars(select(Document.id))},
            "claim": {str(i) for i in s.scalars(select(Claim.id))},
        }
        rows = {
            "source": s.scalar(select(func.count()).select_from(Source)),
            "document": s.scalar(select(func.count()).select_from(Document)),
            "claim": s.scalar(select(func.count()).select_from(Claim)),
        }
        hops = s.scalar(select(func.count()).select_from(RelayHop))
        duplicate_texts = s.scalar(select(func.count()).select_from(Document)) - s.scalar(select(func.count(func.distinct(Document.content_hash))))
        chain = verify_chain(s)
    engine.dispose()
    total = sum(tally.requests.values())
    errors = sum(n for (kind, status), n in tally.requests.items() if status >= 400)
    server_errors = sum(n for (kind, status), n in tally.requests.items() if status >= 500)
    lost = {t: len(tally.acknowledged[t] - stored[t]) for t in stored}
    extra = {t: len(stored[t] - tally.acknowledged[t]) for t in stored}
    extra["source"] -= tally.sources_by_ingest  # acknowledged too: counted in the document responses
    duplicated = {t: rows[t] - len(stored[t]) for t in stored}
    lat = sorted(tally.latencies) or [0.0]
    print(f"\n== {label}: {writers} writers + {readers} readers for {elapsed:.1f} s on 127.0.0.1")
    print(f"requests: {total} ({total / elapsed:.0f}/s), errors (4xx/5xx): {errors}, server errors: {server_errors}, "
          f"client exceptions: {sum(tally.exceptions.values())}")
    print(f"latency p50 {lat[len(lat) // 2] * 1000:.0f} ms, p95 {lat[int(len(lat) * 0.95)] * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms")
    for (kind, status), n in sorted(tally.requests.items()):
        print(f"  {kind:16s} {status}: {n}")
    for what, n in sorted(tally.exceptions.items()):
        print(f"  exception {what}: {n}")
    print("acknowledged writes: " + ", ".join(f"{t} {len(v)}" for t, v in tally.acknowledged.items())
          + f" (hops {hops}; sources created by document ingest {tally.sources_by_ingest})")
    print(f"lost writes: {sum(lost.values())} {lost}; duplicated: {sum(duplicated.values()) + duplicate_texts} {duplicated}; "
          f"unacknowledged rows: {sum(extra.values())} {extra}")
    print(f"audit chain: {'intact' if chain.ok else 'BROKEN'} ({chain.events} events)")
    ok = (
        chain.ok
        and server_errors == 0
        and not any(lost.values())
        and not any(duplicated.values())
        and not duplicate_texts
        and not any(extra.values())
        and hops == 2 * rows["claim"]
    )
    print("result: " + ("OK" if ok else "FAILED"))
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--postgres-url", default=os.environ.get("CLAIMS_TEST_POSTGRES_URL"),
                        help="server URL; a throw-away database is created there (default $CLAIMS_TEST_POSTGRES_URL)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--server-log", default=None, help="keep the server's log in this file (suffixed by database)")
    args = parser.parse_args()
    results = []
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(
                run_one(
                    "sqlite", f"sqlite:///{Path(tmp) / 'load.db'}", args.seconds, args.writers, args.readers,
                    f"{args.server_log}.sqlite" if args.server_log else None,
                )
            )
    if args.only in (None, "postgresql"):
        if not args.postgres_url:
            print("\n== postgresql: skipped (no --postgres-url / CLAIMS_TEST_POSTGRES_URL)")
        else:
            os.environ["CLAIMS_TEST_POSTGRES_URL"] = args.postgres_url
            from tests.conftest import create_postgres_database, drop_postgres_database

            url = create_postgres_database("claims_load")
            try:
                results.append(
                    run_one(
                        "postgresql", url, args.seconds, args.writers, args.readers,
                        f"{args.server_log}.postgresql" if args.server_log else None,
                    )
                )
            finally:
                drop_postgres_database(url)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
