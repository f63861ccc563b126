"""The domain package stays independent of the web layer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import claims

FORBIDDEN = ("litestar", "api")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_claims_package_never_imports_litestar_or_api():
    offenders = {
        str(path.relative_to(Path(claims.__file__).parent)): sorted(_imported_modules(path) & set(FORBIDDEN))
        for path in Path(claims.__file__).parent.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_domain_loads_no_api_module():
    """At run time only ``api`` is checked: advanced-alchemy itself imports litestar when it is
    installed, which is the library's business; our own modules never do (checked above)."""
    code = (
        "import sys, importlib, pkgutil, claims\n"
        "for m in pkgutil.walk_packages(claims.__path__, 'claims.'):\n"
        "    if m.name != 'claims.cli': importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'api']\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_writing_side_never_imports_the_query_side():
    """CRUD, ingest, seeding, extraction and index writing sit below ``claims.query``: importing
    them loads no module of the query package (the arrow points one way)."""
    code = (
        "import sys, importlib\n"
        "for m in ('claims.services', 'claims.indexing', 'claims.ingest', 'claims.seeding', 'claims.loading',\n"
        "          'claims.backup', 'claims.provenance', 'claims.reports', 'claims.extraction.pipeline',\n"
        "          'claims.extraction.grouping', 'claims.embeddings', 'claims.names', 'claims.bulk'):\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m == 'claims.query' or m.startswith('claims.query.'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
