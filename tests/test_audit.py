"""Every change leaves a hash-chained audit event; tampering breaks the chain."""

from __future__ import annotations

from sqlalchemy import func, select, text

from claims.audit import verify_chain
from claims.db import session_factory
from claims.models import AuditEvent, Claim, Source
from claims.schemas import SourceIn, SourcePatch
from claims.services import SourceService


def test_create_update_delete_are_recorded_with_actor_and_before_after(session):
    session.info["actor"] = "cli:alice"
    service = SourceService(session)
    src = service.create(SourceIn(name="Hossein Salami", kind="person"))
    service.update(src.id, SourcePatch(description="IRGC commander"))
    service.delete(src.id)
    session.commit()
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "source", AuditEvent.entity_id == str(src.id)).order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert {e.actor for e in events} == {"cli:alice"}
    assert events[0].before is None and events[0].after["name"] == "Hossein Salami"
    assert events[1].before["description"] is None and events[1].after["description"] == "IRGC commander"
    assert events[2].after is None
    assert all(e.occurred_at.tzinfo is not None for e in events)
    assert verify_chain(session).ok


def test_seed_and_api_writes_are_audited(seeded, admin_client):
    with session_factory(seeded)() as s:
        seeded_events = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.actor == "seed"))
        assert seeded_events >= s.scalar(select(func.count()).select_from(Claim))
    r = admin_client.post("/api/v1/sources", json={"name": "Api Person", "kind": "person"})
    assert r.status_code == 201
    with session_factory(seeded)() as s:
        ev = s.scalar(select(AuditEvent).where(AuditEvent.entity_id == r.json()["id"]))
        assert ev.actor.startswith("api:") and ev.action == "create"
        assert ev.actor == "api:test-admin"  # the key's name
        report = verify_chain(s)
        assert report.ok and report.events > seeded_events


def test_tampering_behind_the_systems_back_is_detected(seeded):
    with session_factory(seeded)() as s:
        assert verify_chain(s).ok
        victim = s.scalar(select(AuditEvent.id).order_by(AuditEvent.id).offset(5).limit(1))
    with seeded.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE id = :id"), {"id": victim})
    with session_factory(seeded)() as s:
        report = verify_chain(s)
        assert not report.ok and report.broken_at == victim


def test_deleting_an_event_is_detected(seeded):
    with session_factory(seeded)() as s:
        victim = s.scalar(select(AuditEvent.id).order_by(AuditEvent.id).offset(3).limit(1))
    with seeded.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": victim})
    with session_factory(seeded)() as s:
        report = verify_chain(s)
        assert not report.ok and report.broken_at > victim


def test_failed_transaction_leaves_no_events(session):
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    SourceService(session).create(SourceIn(name="Ghost", kind="person"))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert session.scalar(select(func.count()).select_from(Source)) == 0
