"""The project's YAML data reads the same through libyaml's parser as through PyYAML's
pure-Python safe loader (claims.yamlfile uses the C one when it is there)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claims.yamlfile import _LOADER, read_yaml

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for folder in ("claims", "api", "web", "seeds", "bench") for p in (ROOT / folder).rglob("*.yaml"))


def test_the_c_parser_is_used_when_pyyaml_has_it():
    assert _LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_data_file_reads_as_the_pure_python_safe_loader_reads_it(path):
    assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))
