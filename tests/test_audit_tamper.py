"""`claims audit verify` passes on an honest trail and fails when a row is edited or removed
behind the system's back (plain SQL, no ORM hooks)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from claims.cli import main
from claims.db import session_factory
from claims.models import AuditEvent


@pytest.fixture
def cli(seeded, use_database):
    """Run the CLI against the test database."""
    use_database(seeded)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args))


def _middle_event(db) -> AuditEvent:
    with session_factory(db)() as s:
        ids = s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
        return s.get(AuditEvent, ids[len(ids) // 2])


def test_verify_passes_on_the_seeded_trail(cli):
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "audit chain intact" in result.output


def test_editing_an_event_breaks_the_chain_at_that_event(cli, seeded):
    victim = _middle_event(seeded)
    with seeded.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE id = :id"), {"id": victim.id})
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert f"at event {victim.id}" in result.output
    assert "content does not match" in result.output


def test_editing_an_event_and_its_hash_breaks_the_next_link(cli, seeded):
    from claims.audit import _payload, event_hash

    victim = _middle_event(seeded)
    victim.reason = "forged"
    forged = event_hash(victim.prev_hash, _payload(victim))
    with seeded.begin() as conn:
        conn.execute(
            text("UPDATE audit_event SET reason = 'forged', hash = :h WHERE id = :id"), {"h": forged, "id": victim.id}
        )
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert f"at event {victim.id + 1}" in result.output
    assert "prev_hash" in result.output


def test_deleting_an_event_breaks_the_chain(cli, seeded):
    victim = _middle_event(seeded)
    with seeded.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": victim.id})
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert f"at event {victim.id + 1}" in result.output
