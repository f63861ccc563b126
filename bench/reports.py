"""Time report generation on the seeds: every format for the vacuum claim, then json/html/pdf
for the largest document and the busiest source. Prints measured numbers; asserts nothing.

    .venv/bin/python bench/reports.py [DATABASE_URL]   (default: a fresh temp SQLite file)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from claims import migrate
from claims.db import make_engine, session_factory
from claims.models import Claim, RelayHop, Source
from claims.reports import FORMATS, build_report, render
from claims.seeding import seed
from claims.settings import SEEDS_DIR


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_factory(engine)() as s:
        s.info["actor"] = "bench"
        seed(s, SEEDS_DIR)
        s.commit()
        vacuum = s.scalar(select(Claim).where(Claim.key == "000-iran-vacuum"))
        doc_id = s.execute(
            select(Claim.document_id, func.count()).group_by(Claim.document_id).order_by(func.count().desc())
        ).first()[0]
        source_id = s.execute(
            select(RelayHop.source_id, func.count()).group_by(RelayHop.source_id).order_by(func.count().desc())
        ).first()[0]
        print(f"database: {engine.dialect.name}")
        t, report = timed(lambda: build_report(s, "claim", vacuum.id), 5)
        print(f"build claim report (vacuum): {t * 1000:.1f} ms")
        for fmt in FORMATS:
            t, out = timed(lambda fmt=fmt: render(report, fmt), 3 if fmt == "pdf" else 10)
            print(f"  {fmt:12s} {t * 1000:8.1f} ms  {len(out.body):8d} bytes")
        for kind, subject, label in (("document", doc_id, "largest document"), ("source", source_id, "busiest source")):
            t, big = timed(lambda kind=kind, subject=subject: build_report(s, kind, subject), 1)
            name = s.get(Source, subject).name if kind == "source" else subject
            print(f"build {kind} report ({label}, {name}, {len(big.claims)} claims): {t * 1000:.1f} ms")
            for fmt in ("json", "csv", "html", "pdf"):
                t, out = timed(lambda fmt=fmt, big=big: render(big, fmt), 1)
                print(f"  {fmt:12s} {t * 1000:8.1f} ms  {len(out.body):8d} bytes")
    engine.dispose()


if __name__ == "__main__":
    main()
