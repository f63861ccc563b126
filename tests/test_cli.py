"""The `claims` command end to end against a real database file (and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claims.cli import main


@pytest.fixture
def cli_env(db, use_database):
    use_database(db)
    return CliRunner()


def test_upgrade_seed_ask_verify(cli_env):
    runner = cli_env
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    from alembic.script import ScriptDirectory

    from claims.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert runner.invoke(main, ["db", "current"]).output.strip() == head
    first = runner.invoke(main, ["seed", "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["claims_created"] > 100
    second = json.loads(runner.invoke(main, ["seed", "--json"]).output)
    assert second["claims_created"] == 0 and second["claims_unchanged"] > 100

    result = runner.invoke(main, ["ask", "who originally said Iran will fill the vacuum", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["found"] and body["answers"][0]["origin"]["name"] == "The Jerusalem Post"
    assert [h["relation"] for h in body["answers"][0]["chain"]] == ["reported", "translated", "published"]

    human = runner.invoke(main, ["ask", "من قال إن إيران ستملأ الفراغ؟"])
    assert human.exit_code == 0 and "جيروزاليم بوست" in human.output

    missing = runner.invoke(main, ["ask", "Who said Turkey will fill the vacuum in Iraq?"])
    assert missing.exit_code == 1 and "Not found" in missing.output
    assert runner.invoke(main, ["ask", ""]).exit_code == 2

    verify = runner.invoke(main, ["audit", "verify"])
    assert verify.exit_code == 0 and "intact" in verify.output
