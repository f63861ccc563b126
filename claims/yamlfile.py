"""Reading the project's YAML data (lexicons, vocabularies, seeds, messages).

libyaml's C parser when PyYAML was built with it: the same safe constructors and the same data,
about eight times faster than the pure-Python parser, which was over half of the first
question's CPU after a start (nine files under ``claims/``: 0.158 s → 0.019 s). Without libyaml,
the pure-Python safe loader.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(source: str | bytes | IO[str]) -> Any:
    """``yaml.safe_load``, with the C parser when there is one."""
    return yaml.load(source, Loader=_LOADER)  # noqa: S506 - a safe loader (SafeLoader or CSafeLoader)


def read_yaml(path: Path) -> Any:
    return parse_yaml(path.read_text(encoding="utf-8"))
