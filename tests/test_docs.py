"""The README documents every CLI command and every HTTP route (so the docs cannot drift)."""

from __future__ import annotations

import re

import click

from api.app import create_app
from claims.cli import main
from claims.db import make_engine
from claims.settings import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "claims"):
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield path


def test_readme_opens_with_exactly_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    commands = [line for line in first_block.splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make serve", "make test"]
    assert README.index("```sh") < README.index("\n## ")


def test_every_cli_command_is_documented():
    missing = [c for c in _commands(main) if f"`{c}" not in README]
    assert missing == []


def test_every_route_is_documented():
    app = create_app(Settings(database_url="sqlite://"), engine=make_engine("sqlite://"))
    documented = re.sub(r"\{\w+\}", "{id}", README)
    missing = []
    for route in app.routes:
        path = re.sub(r"\{\w+(?::\w+)?\}", "{id}", route.path)
        if path.startswith("/schema"):
            continue
        if path not in documented:
            missing.append(path)
    assert missing == []


def test_ci_runs_the_readme_test_command():
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "CLAIMS_TEST_POSTGRES_URL" in ci
