"""``bench/run``: one table of scale figures, each measured beside its baseline in the same run,
for SQLite and PostgreSQL (see ``bench/run --help``).

Per scale and database: a synthetic archive (``bench/synth.py``) is bulk-loaded into a fresh
database (no embeddings), then every stored row is copied with the driver's executemany into a
second fresh database (the raw load of the same rows); chain traces through the service layer
(fresh session each) against the hand-written SQL of ``bench/minimal_app.py`` on one connection;
``ask`` (fresh session per question, distinct questions) against a raw FTS5 / tsvector top-10
query for the question's words; provenance requests/s of ``claims serve`` against the minimal
Litestar endpoint with the same client (wrk) and concurrency; the server's RSS after warm-up;
and the time from starting the server to its first answer. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import minimal_app, synth  # noqa: E402

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TABLES = ["source", "source_alias", "claim_group", "document", "claim", "relay_hop", "search_document", "audit_event"]


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


# --- databases ------------------------------------------------------------------------------


class Database:
    """A fresh, migrated database (a temp SQLite file, or a database created on the server)."""

    def __init__(self, backend: str, workdir: Path, server_url: str, name: str, *, kept: bool = False) -> None:
        """``kept``: a fixed name that ``drop`` leaves in place, so ``--reuse`` finds the loaded store again."""
        from claims import migrate
        from claims.db import make_engine

        self.backend = backend
        self.kept = kept
        self.existed = False
        if backend == "sqlite":
            path = workdir / (name + ".db")
            self.existed = kept and path.exists()
            self.url = f"sqlite:///{path}"
        else:
            server = make_url(server_url)
            self.dbname = f"bench_kept_{name}" if kept else f"bench_{name}_{uuid.uuid4().hex[:8]}"
            admin = create_engine(server, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                self.existed = kept and conn.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": self.dbname}).first() is not None
                if not self.existed:
                    conn.execute(text(f'CREATE DATABASE "{self.dbname}"'))
            admin.dispose()
            self.server = server
            self.url = server.set(database=self.dbname).render_as_string(hide_password=False)
        self.engine = make_engine(self.url)
        migrate.upgrade(self.engine)

    def raw(self):
        if self.backend == "sqlite":
            import sqlite3

            conn = sqlite3.connect(self.url.split("///", 1)[1])
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            return conn
        import psycopg

        return psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"))

    def drop(self) -> None:
        self.engine.dispose()
        if self.kept:
            return
        if self.backend == "postgresql":
            admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)'))
            admin.dispose()


# --- load ---------------------------------------------------------------------------------------


def bulk(db: Database, path: Path) -> float:
    from claims.bulk import bulk_load

    started = time.perf_counter()
    report = bulk_load(db.engine, path, actor="bench")
    seconds = time.perf_counter() - started
    assert not report.errors, report.errors[:3]
    return seconds


def raw_copy(src: Database, dst: Database, *, fts_once: bool = False) -> tuple[float, int]:
    """Copy every row of ``src`` into ``dst`` with the driver's executemany, one table at a time
    (a table's rows read first, not timed; only one table's rows in memory: all of them at once
    were ~12 GB at 1M on PostgreSQL, its jsonb read back as dicts): the raw load of the same
    rows. Returns (seconds, claims).

    ``fts_once`` (SQLite): fill the FTS5 index with one ``INSERT ... SELECT`` after the search
    documents, with the per-row insert trigger paused meanwhile (in the same transaction), as
    ``claims.bulk`` does; without it every search document goes through the trigger."""
    from claims.models import metadata

    conn = dst.raw()
    p = "?" if dst.backend == "sqlite" else "%s"
    cur = conn.cursor()
    pausable = fts_once and dst.backend == "sqlite" and "search_fts_pause" in (
        cur.execute("SELECT sql FROM sqlite_master WHERE name = 'search_document_ai'").fetchone()[0])
    seconds = 0.0
    claims = 0
    for table in TABLES:
        with src.raw() as source:
            read = source.cursor()  # the models' columns (not what the database computes, e.g. tsv)
            read.execute(f"SELECT {', '.join(c.name for c in metadata.tables[table].columns)} FROM {table}")
            names = [d[0] for d in read.description]
            data = read.fetchall()
        if src.backend == "postgresql":  # jsonb comes back as dicts
            from psycopg.types.json import Jsonb

            data = [tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in r) for r in data]
        if table == "claim":
            claims = len(data)
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join([p] * len(names))})"
        started = time.perf_counter()
        if pausable and table == "search_document":
            cur.execute("BEGIN")
            cur.execute("INSERT INTO search_fts_pause (writer) VALUES (1)")
        for i in range(0, len(data), 10_000):
            cur.executemany(sql, data[i : i + 10_000])
        if pausable and table == "search_document":
            cur.execute("INSERT INTO search_fts(rowid, terms) SELECT id, terms FROM search_document ORDER BY id")
            cur.execute("DELETE FROM search_fts_pause")
        conn.commit()
        seconds += time.perf_counter() - started
        del data
    conn.close()
    return seconds, claims


# --- traces and ask -------------------------------------------------------------------------------


def sample_ids(db: Database, n: int, seed: int = 1) -> list[uuid.UUID]:
    from sqlalchemy import func, select

    from claims.models import Claim

    with db.engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(Claim))
        rng = random.Random(seed)
        offsets = sorted(rng.sample(range(total), min(n, total)))
        ids = [conn.scalar(select(Claim.id).order_by(Claim.id).offset(o).limit(1)) for o in offsets]
    rng.shuffle(ids)
    return ids


def chain_traces(db: Database, ids: list[uuid.UUID]) -> dict:
    from claims.db import session_factory
    from claims.provenance import trace

    sessions = session_factory(db.engine)
    conn = db.raw()
    p = "?" if db.backend == "sqlite" else "%s"
    key = (lambda u: u.bytes) if db.backend == "sqlite" else (lambda u: u)
    for cid in ids:  # every sampled chain's pages in the cache first: neither path pays cold reads
        minimal_app.read_chain(conn, p, key, cid)
    for cid in ids[:20]:  # warm both paths
        with sessions() as s:
            trace(s, cid)
    service = []
    for cid in ids:
        t = time.perf_counter()
        with sessions() as s:
            trace(s, cid)
        service.append(time.perf_counter() - t)
    raw = []
    for cid in ids:
        t = time.perf_counter()
        minimal_app.read_chain(conn, p, key, cid)
        raw.append(time.perf_counter() - t)
    conn.close()
    return {"service_p50": pct(service, .5), "service_p95": pct(service, .95),
            "raw_p50": pct(raw, .5), "raw_p95": pct(raw, .95)}


def build_raw_fulltext(db: Database) -> float:
    """The raw full-text baseline's index (not part of the load figures); a kept store has it."""
    conn = db.raw()
    started = time.perf_counter()
    cur = conn.cursor()
    cur.execute("SELECT 1 FROM sqlite_master WHERE name = 'bench_fts'" if db.backend == "sqlite"
                else "SELECT 1 FROM pg_class WHERE relname = 'bench_fts'")
    if cur.fetchone():
        conn.close()
        return 0.0
    if db.backend == "sqlite":
        cur.execute("CREATE VIRTUAL TABLE bench_fts USING fts5(text, content='claim', tokenize='unicode61 remove_diacritics 2')")
        cur.execute("INSERT INTO bench_fts(rowid, text) SELECT rowid, text FROM claim")
    else:
        cur.execute("CREATE TABLE bench_fts AS SELECT id, to_tsvector('simple', text) AS tsv FROM claim")
        cur.execute("CREATE INDEX bench_fts_gin ON bench_fts USING gin (tsv)")
        cur.execute("ANALYZE bench_fts")
    conn.commit()
    conn.close()
    return time.perf_counter() - started


def _raw_words(question: str) -> list[str]:
    from claims.text import is_stopword, words

    return [w for w in dict.fromkeys(words(question)) if not is_stopword(w) and len(w) > 1 and w.isalnum()]


def ask_latency(db: Database, questions: list[str], warmup: list[str]) -> dict:
    """``ask`` over ``questions`` (each once, fresh session) against the raw full-text query;
    both paths first answer the ``warmup`` questions (never the measured ones), so neither pays
    one-time loading (lexicons, the first pages of its index) inside its percentiles. Then, as
    the server does after its warm-up (``api.app``), ``settle`` freezes the heap loaded so far out
    of the collector's reach; without it a full collection (~80 ms at 100k) lands in the p95."""
    from claims.db import session_factory
    from claims.query import ask
    from claims.query.warmup import settle

    sessions = session_factory(db.engine)
    conn = db.raw()
    cur = conn.cursor()
    for q in warmup:
        with sessions() as s:
            ask(s, q)
        _raw_query(db, cur, q)
    settle()
    found = 0
    service, service_cpu = [], []
    for q in questions:
        t, c = time.perf_counter(), time.thread_time()
        with sessions() as s:
            out = ask(s, q)
        service.append(time.perf_counter() - t)
        service_cpu.append(time.thread_time() - c)
        found += bool(out.found)
    raw, raw_cpu = [], []
    for q in questions:
        t, c = time.perf_counter(), time.thread_time()
        _raw_query(db, cur, q)
        raw.append(time.perf_counter() - t)
        raw_cpu.append(time.thread_time() - c)
    conn.close()
    # CPU time of this thread per question (SQLite runs in it; PostgreSQL's server does not): on
    # a loaded machine wall time counts waiting for a core, CPU time does not.
    return {"service_p50": pct(service, .5), "service_p95": pct(service, .95), "raw_p50": pct(raw, .5),
            "raw_p95": pct(raw, .95), "service_cpu_p50": pct(service_cpu, .5), "service_cpu_p95": pct(service_cpu, .95),
            "raw_cpu_p50": pct(raw_cpu, .5), "raw_cpu_p95": pct(raw_cpu, .95), "found": found, "questions": len(questions)}


def _raw_query(db: Database, cur, q: str) -> None:
    """The raw full-text top-10 for the question's words (FTS5 / tsvector over the claim text)."""
    terms = _raw_words(q)
    if db.backend == "sqlite":
        match = " OR ".join(f'"{w}"' for w in terms)
        cur.execute("SELECT c.id, c.text FROM bench_fts JOIN claim c ON c.rowid = bench_fts.rowid "
                    "WHERE bench_fts MATCH ? ORDER BY bench_fts.rank LIMIT 10", (match,))
    else:
        query = " | ".join(re.sub(r"[^\w]", "", w) for w in terms)
        cur.execute("SELECT c.id, c.text FROM (SELECT id, ts_rank(tsv, q) AS r FROM bench_fts, to_tsquery('simple', %s) q "
                    "WHERE tsv @@ q ORDER BY r DESC LIMIT 10) t JOIN claim c ON c.id = t.id", (query,))
    cur.fetchall()


# --- servers ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {_tail(proc)}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer")


def _log(workdir: Path, name: str):
    """The server's log file (a pipe nobody reads fills up and stalls the server mid-run)."""
    return (workdir / f"{name}.log").open("wb")


def _tail(proc: subprocess.Popen) -> str:
    """The end of the log of a server started with ``stderr=_log(...)``."""
    path = _LOGS.get(proc.pid)
    return Path(path).read_text(errors="replace")[-1500:] if path else ""


_LOGS: dict[int, str] = {}


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (wall time under load counts waiting too)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wrk(url_base: str, ids: list[uuid.UUID], path_format: str, seconds: int, connections: int, workdir: Path,
         pid: int | None = None) -> tuple[float, float | None]:
    """Requests/s, and with ``pid`` the server's CPU milliseconds per request over the run (on
    a loaded machine req/s counts time spent waiting for a core; CPU per request does not)."""
    script = workdir / "paths.lua"
    paths = ",".join(f'"{path_format.format(i)}"' for i in ids)
    script.write_text(f"local paths = {{{paths}}}\nlocal n = 0\n"
                      "request = function()\n  n = n + 1\n  return wrk.format('GET', paths[(n % #paths) + 1])\nend\n")
    cpu = _cpu_s(pid) if pid else None
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url_base],
                         capture_output=True, text=True, check=True).stdout
    cpu = _cpu_s(pid) - cpu if pid else None
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    done = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"wrk saw errors: {out}")
    return float(match.group(1)), (cpu * 1000 / done if pid and done else None)


def servers(db: Database, ids: list[uuid.UUID], question: str, workdir: Path, *, seconds: int, connections: int) -> dict:
    import httpx

    env = {**os.environ, "CLAIMS_DATABASE_URL": db.url, "BENCH_DATABASE_URL": db.url, "PYTHONPATH": str(ROOT),
           "CLAIMS_RATE_LIMIT_PER_MINUTE": "0", "CLAIMS_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "0",
           "CLAIMS_EMBEDDINGS": os.environ.get("CLAIMS_EMBEDDINGS", "auto")}
    out: dict = {}
    timer = "import time; t = time.perf_counter(); import api.app; print(time.perf_counter() - t)"
    out["import_s"] = float(subprocess.run([sys.executable, "-c", timer], env=env, cwd=ROOT, capture_output=True,
                                           text=True, check=True).stdout.split()[-1])
    port = _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--port", str(port),
                             "--no-access-log", "--log-level", "warning"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=_log(workdir, "server"))
    _LOGS[proc.pid] = str(workdir / "server.log")
    try:
        while True:  # time to the first answer to a question, from process start
            try:
                r = httpx.post(f"http://127.0.0.1:{port}/api/v1/ask", json={"question": question}, timeout=60)
                if r.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(_tail(proc))
            if time.perf_counter() - started > 300:
                raise RuntimeError("no answer after 300 s")
            time.sleep(0.02)
        out["first_answer_s"] = time.perf_counter() - started
        out["first_answer_cpu_s"] = _cpu_s(proc.pid)  # the server's own CPU time until then
        base = f"http://127.0.0.1:{port}"
        _wrk(base, ids, "/api/v1/claims/{}/provenance", 3, connections, workdir)  # warm-up
        out["provenance_rps"], out["provenance_cpu_ms"] = _wrk(base, ids, "/api/v1/claims/{}/provenance", seconds,
                                                                connections, workdir, proc.pid)
        out["rss_mb"] = _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "bench.minimal_app:app", "--port", str(port),
                             "--no-access-log", "--log-level", "warning"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=_log(workdir, "minimal"))
    _LOGS[proc.pid] = str(workdir / "minimal.log")
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/claims/{ids[0]}/provenance", proc)
        _wrk(base, ids, "/claims/{}/provenance", 3, connections, workdir)
        out["minimal_rps"], out["minimal_cpu_ms"] = _wrk(base, ids, "/claims/{}/provenance", seconds, connections,
                                                          workdir, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


# --- one scale, one database ----------------------------------------------------------------------


def run_one(backend: str, scale: int, archive: Path, questions: list[str], warmup: list[str], args, workdir: Path) -> dict:
    print(f"[{backend} {scale:,}] bulk load", file=sys.stderr, flush=True)
    db = Database(backend, workdir, args.database_url, f"s{scale}", kept=args.keep)
    raw_db = None
    try:
        if db.existed and args.reuse:
            print(f"[{backend} {scale:,}] reusing the loaded store {db.url}: no load figures", file=sys.stderr, flush=True)
            load_s = raw_s = None
            with db.engine.connect() as conn:
                claims = conn.execute(text("SELECT count(*) FROM claim")).scalar_one()
        else:
            load_s = bulk(db, archive)
            print(f"[{backend} {scale:,}] raw executemany of the same rows", file=sys.stderr, flush=True)
            raw_db = Database(backend, workdir, args.database_url, f"raw{scale}")
            raw_s, claims = raw_copy(db, raw_db)
            raw_db.drop()
            raw_db = None
            with db.raw() as conn:
                conn.execute("ANALYZE")
        ids = sample_ids(db, args.traces)
        print(f"[{backend} {scale:,}] chain traces", file=sys.stderr, flush=True)
        traces = chain_traces(db, ids)
        build_raw_fulltext(db)
        print(f"[{backend} {scale:,}] ask", file=sys.stderr, flush=True)
        asks = ask_latency(db, questions, warmup)
        print(f"[{backend} {scale:,}] servers", file=sys.stderr, flush=True)
        served = servers(db, ids[:200], questions[0], workdir, seconds=args.seconds, connections=args.connections)
        return {"backend": backend, "scale": scale, "claims": claims, "load_s": load_s, "raw_load_s": raw_s,
                "trace": traces, "ask": asks, **served}
    finally:
        if raw_db is not None:
            raw_db.drop()
        db.drop()


def table(results: list[dict]) -> str:
    cols = [f"{r['backend']} {r['scale'] // 1000}k" for r in results]

    def ms(x: float) -> str:
        return f"{x * 1000:.2f} ms" if x < 0.1 else f"{x * 1000:.0f} ms"

    rows = [
        ("claims loaded", [f"{r['claims']:,}" for r in results]),
        ("bulk load (no embeddings)", [f"{r['load_s']:.1f} s, {r['claims'] / r['load_s']:,.0f} claims/s"
                                       if r["load_s"] else "- (reused)" for r in results]),
        ("raw executemany, same rows", [f"{r['raw_load_s']:.1f} s, {r['claims'] / r['raw_load_s']:,.0f} claims/s"
                                        if r["raw_load_s"] else "-" for r in results]),
        ("  ratio bulk / raw (target ≤ 4)", [f"{r['load_s'] / r['raw_load_s']:.2f}×" if r["load_s"] else "-" for r in results]),
        ("chain trace p50 / p95, service", [f"{ms(r['trace']['service_p50'])} / {ms(r['trace']['service_p95'])}" for r in results]),
        ("chain trace p50 / p95, raw SQL", [f"{ms(r['trace']['raw_p50'])} / {ms(r['trace']['raw_p95'])}" for r in results]),
        ("  ratio at p95 (target ≤ 10)", [f"{r['trace']['service_p95'] / r['trace']['raw_p95']:.1f}×" for r in results]),
        ("ask p50 / p95 (fresh session)", [f"{ms(r['ask']['service_p50'])} / {ms(r['ask']['service_p95'])}" for r in results]),
        ("raw full-text top-10 p50 / p95", [f"{ms(r['ask']['raw_p50'])} / {ms(r['ask']['raw_p95'])}" for r in results]),
        ("  ratio at p95 (target ≤ 2)", [f"{r['ask']['service_p95'] / r['ask']['raw_p95']:.1f}×" for r in results]),
        ("ask / raw CPU p95, this thread", [f"{ms(r['ask']['service_cpu_p95'])} / {ms(r['ask']['raw_cpu_p95'])}"
                                             if r["backend"] == "sqlite" and "service_cpu_p95" in r["ask"] else "-" for r in results]),
        ("  questions answered", [f"{r['ask']['found']}/{r['ask']['questions']}" for r in results]),
        ("provenance req/s, claims serve", [f"{r['provenance_rps']:,.0f}" for r in results]),
        ("provenance req/s, minimal endpoint", [f"{r['minimal_rps']:,.0f}" for r in results]),
        ("  ratio (target ≥ 0.8)", [f"{r['provenance_rps'] / r['minimal_rps']:.2f}" for r in results]),
        ("server CPU per request, serve / min.", [f"{r['provenance_cpu_ms']:.2f} / {r['minimal_cpu_ms']:.2f} ms"
                                                  if r.get("provenance_cpu_ms") else "-" for r in results]),
        ("  ratio minimal / serve", [f"{r['minimal_cpu_ms'] / r['provenance_cpu_ms']:.2f}"
                                     if r.get("provenance_cpu_ms") else "-" for r in results]),
        ("server RSS after warm-up", [f"{r['rss_mb']:.0f} MB" for r in results]),
        ("first answer after start", [f"{r['first_answer_s']:.2f} s" for r in results]),
        ("  server CPU time until then", [f"{r['first_answer_cpu_s']:.2f} s" if "first_answer_cpu_s" in r else "-" for r in results]),
        ("  import api.app, fresh process", [f"{r['import_s']:.2f} s" if "import_s" in r else "-" for r in results]),
    ]
    width = max(len(name) for name, _ in rows)
    colw = [max(len(c), *(len(v[i]) for _, v in rows)) for i, c in enumerate(cols)]
    lines = ["| " + "figure".ljust(width) + " | " + " | ".join(c.ljust(w) for c, w in zip(cols, colw, strict=True)) + " |",
             "|" + "-" * (width + 2) + "|" + "|".join("-" * (w + 2) for w in colw) + "|"]
    for name, values in rows:
        lines.append("| " + name.ljust(width) + " | " + " | ".join(v.ljust(w) for v, w in zip(values, colw, strict=True)) + " |")
    return "\n".join(lines)


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    load = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores ({cpu}), load average {load:.1f} at start, Python {platform.python_version()}, "
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, action="append", help="claims to generate (repeat for several; default 100000)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT),
                        help="PostgreSQL server URL; a database is created there and dropped (default %(default)s)")
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"], help="default: both")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of the table")
    parser.add_argument("--traces", type=int, default=500, help="chain traces sampled (default %(default)s)")
    parser.add_argument("--questions", type=int, default=40, help="distinct questions (default %(default)s)")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each req/s run (default %(default)s)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default %(default)s)")
    parser.add_argument("--workdir", type=Path, default=None, help="where archives and SQLite files go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the loaded store (SQLite file in --workdir, or PostgreSQL database bench_kept_sN)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: measure a store kept by an earlier run instead of loading it again")
    args = parser.parse_args(argv)
    import logging

    logging.disable(logging.INFO)  # migrations and HTTP client chatter would bury the table
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (scripts/system-deps.sh installs it)")
    scales = args.scale or [100_000]
    backends = args.backend or ["sqlite", "postgresql"]
    os.environ.setdefault("CLAIMS_EMBEDDINGS", "off")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="claims-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    header = machine()
    results = []
    for scale in scales:
        archive = workdir / f"archive-{scale}.jsonl"
        arch = synth.Archive(seed=15)
        if not archive.exists():
            print(f"[{scale:,}] generating {archive}", file=sys.stderr, flush=True)
            with archive.open("w", encoding="utf-8") as fh:
                for line in arch.lines(scale):
                    fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:  # the questions are drawn from the propositions the generator made: make them again
            for _ in arch.lines(scale):
                pass
        asked = arch.questions(args.questions + 3)
        questions, warmup = asked[: args.questions], asked[args.questions :]
        for backend in backends:
            results.append(run_one(backend, scale, archive, questions, warmup, args, workdir))
    if args.json:
        print(json.dumps({"machine": header, "results": results}, indent=2, default=str))
    else:
        print(f"Machine: {header}; vectors {'off' if os.environ['CLAIMS_EMBEDDINGS'] == 'off' else 'on'}")
        print(table(results))
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
