"""A larger schemathesis campaign than the test suite's: the same test
(tests/test_api_fuzz.py), more generated requests per operation, on SQLite and PostgreSQL.

    CLAIMS_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/fuzz_api.py --examples 200

Prints the requests sent per operation, the response statuses, and the failures (any
server error, undocumented status, wrong content type or response not matching its schema).
Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="generated examples per operation and database")
    parser.add_argument("-k", default=None, help="pytest -k expression (e.g. sqlite, 'postgresql and claims')")
    args = parser.parse_args()
    os.environ["CLAIMS_FUZZ_EXAMPLES"] = str(args.examples)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import pytest

    class Outcomes:
        def __init__(self) -> None:
            self.failed: list[str] = []
            self.passed = 0

        def pytest_runtest_logreport(self, report) -> None:
            if report.when == "call":
                if report.failed:
                    self.failed.append(report.nodeid)
                elif report.passed:
                    self.passed += 1

    outcomes = Outcomes()
    started = time.perf_counter()
    argv = ["-q", "-p", "no:logging", "-p", "no:cacheprovider", "-W", "ignore", "tests/test_api_fuzz.py"]
    if args.k:
        argv += ["-k", args.k]
    rc = pytest.main(argv, plugins=[outcomes])
    elapsed = time.perf_counter() - started

    from tests import test_api_fuzz

    print(f"\nschemathesis: {args.examples} examples per operation, {elapsed:.0f} s")
    for operation, n in sorted(test_api_fuzz.CALLS.items()):
        print(f"  {n:6d}  {operation}")
    print(f"requests: {sum(test_api_fuzz.CALLS.values())}")
    print("statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(test_api_fuzz.STATUSES.items())))
    print(f"server errors (5xx): {sum(v for k, v in test_api_fuzz.STATUSES.items() if k >= 500)}")
    print(f"operations x databases passed: {outcomes.passed}, failed: {len(outcomes.failed)}")
    for nodeid in outcomes.failed:
        print(f"  FAILED {nodeid}")
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
