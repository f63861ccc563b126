"""Bulk-load rate along one load: does it stay flat as the store grows?

``python bench/bulk_rate.py --claims 200000 [--backend sqlite|postgresql] [--window 20000]``
writes a synthetic archive (``bench/synth.py``), bulk-loads it into a fresh database (no
embeddings) and prints claims/s per window of ``--window`` claims, then the first and last
windows' rates and their ratio (last / first; 1.0 is flat), by wall clock and by this process's
CPU time (on a shared machine the CPU rate is the one comparable across runs; PostgreSQL's own
work is not in it, nor is the reader process's: ``--workers 1`` keeps all of the load's own work
in this process). Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import synth  # noqa: E402
from bench.scale import PG_DEFAULT, Database, raw_copy  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/bulk_rate.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--window", type=int, default=20_000, help="claims per reported window")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT))
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--workers", type=int, choices=[1, 2], default=None,
                        help="claims.bulk.bulk_load's workers (default: its own choice)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="write a cProfile text profile (by own time and cumulative) of the whole load here")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--raw", action="store_true",
                        help="also copy the loaded rows into a fresh database with bench/scale.py's raw executemany "
                             "load and print the ratio (bulk / raw, wall and this process's CPU)")
    args = parser.parse_args(argv)

    os.environ.setdefault("CLAIMS_EMBEDDINGS", "off")
    from claims.bulk import DEFAULT_BATCH, bulk_load

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bulk-rate-"))
    workdir.mkdir(parents=True, exist_ok=True)
    archive = workdir / f"archive-{args.claims}.jsonl"
    if not archive.exists():
        synth.write(archive, args.claims)
    db = Database(args.backend, workdir, args.database_url, f"rate_{args.claims}_{int(time.time())}")
    windows: list[tuple[int, float, float]] = []  # (claims so far, claims/s wall, claims/s of this process's CPU)
    state = {"t": time.perf_counter(), "cpu": time.process_time(), "n": 0, "profiler": None}

    def progress(report) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        if report.claims_created - state["n"] >= args.window:
            n = report.claims_created - state["n"]
            windows.append((report.claims_created, n / (now - state["t"]), n / max(cpu - state["cpu"], 1e-9)))
            print(f"{report.claims_created:>9} claims  {windows[-1][1]:8.0f} claims/s  {windows[-1][2]:8.0f} claims/CPU-s",
                  flush=True)
            state["t"], state["cpu"], state["n"] = now, cpu, report.claims_created

    if args.profile:
        import cProfile

        state["profiler"] = cProfile.Profile()
        state["profiler"].enable()
    started, started_cpu = time.perf_counter(), time.process_time()
    raw_db = None
    try:
        report = bulk_load(db.engine, archive, batch=args.batch or DEFAULT_BATCH, actor="bench", progress=progress,
                           workers=args.workers)
        total, total_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        if state["profiler"] is not None:
            import io
            import pstats

            state["profiler"].disable()
            out = io.StringIO()
            stats = pstats.Stats(state["profiler"], stream=out)
            stats.sort_stats("tottime").print_stats(40)
            stats.sort_stats("cumulative").print_stats(60)
            args.profile.write_text(out.getvalue())
        assert not report.errors, report.errors[:3]
        (_, first, first_cpu), (_, last, last_cpu) = windows[0], windows[-1]
        print(f"{args.backend}: {report.claims_created} claims in {total:.1f} s ({report.claims_created / total:.0f}/s); "
              f"first window {first:.0f}/s ({first_cpu:.0f}/CPU-s), last {last:.0f}/s ({last_cpu:.0f}/CPU-s), "
              f"last/first {last / first:.2f} wall, {last_cpu / first_cpu:.2f} CPU; "
              f"{report.claims_created / total_cpu:.0f} claims/CPU-s overall", flush=True)
        if args.raw:
            # Through the FTS5 insert trigger row by row, and (SQLite) with the index filled once
            # per table as the bulk load does per batch: the second is the stricter comparator.
            for fts_once in (False, True) if args.backend == "sqlite" else (False,):
                raw_db = Database(args.backend, workdir, args.database_url, f"raw_{args.claims}_{int(time.time())}")
                cpu = time.process_time()
                raw_s, raw_claims = raw_copy(db, raw_db, fts_once=fts_once)  # rows read first, untimed
                raw_cpu = time.process_time() - cpu
                how = "FTS5 filled once" if fts_once else "FTS5 per-row trigger" if args.backend == "sqlite" else "psycopg"
                print(f"raw executemany of the same rows ({how}): {raw_claims} claims in {raw_s:.1f} s; "
                      f"bulk / raw = {total / raw_s:.2f} wall (CPU: bulk {total_cpu:.1f} s, raw incl. reading "
                      f"{raw_cpu:.1f} s)", flush=True)
                if fts_once is False and args.backend == "sqlite":
                    raw_db.drop()
                    for suffix in ("", "-wal", "-shm"):
                        Path(raw_db.url.split("///", 1)[1] + suffix).unlink(missing_ok=True)
                    raw_db = None
    finally:
        for each in (db, raw_db):
            if each is None:
                continue
            each.drop()
            if args.backend == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(each.url.split("///", 1)[1] + suffix).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
