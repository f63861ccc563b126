"""The README's report section cannot drift from the code: CSV columns, formats, commands and routes."""

from __future__ import annotations

import re

from claims.cli import report
from claims.reports import FORMATS
from claims.reports.data import CSV_COLUMNS
from claims.settings import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
DOC = README[README.index("## Auditor reports") : README.index("## Seeds")]


def test_csv_columns_are_documented_in_order():
    documented = re.findall(r"^\| \d+ \| `([a-z0-9_]+)` \|", DOC, flags=re.M)
    assert tuple(documented) == CSV_COLUMNS


def test_every_format_is_documented():
    documented = re.findall(r"^\| `([a-z-]+)` \| [a-z]+/", DOC, flags=re.M)
    assert tuple(documented) == FORMATS


def test_every_report_command_is_documented():
    for name in report.commands:
        assert f"claims report {name} " in DOC, name


def test_every_report_route_is_documented():
    from api.app import create_app

    app = create_app()
    routes = {r.path for r in app.routes if "/report" in r.path or "/review" in r.path or "/history" in r.path}
    assert routes
    for path in routes:
        documented = re.sub(r"\{(\w+):\w+\}", r"{\1}", path).replace("{claim_id}", "{id}").replace("{subject_id}", "{id}")
        assert documented in DOC, path
