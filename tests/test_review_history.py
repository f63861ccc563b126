"""Review workflow through the API, claim history from the audit trail, and the audit events
they leave (one 'review' event with the note as reason; corrections keep the old version)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from claims.audit import verify_chain
from claims.db import session_factory
from claims.models import AuditEvent, Claim, RelayHop

VACUUM = "000-iran-vacuum"


@pytest.fixture
def client(admin_client):
    """These tests write and review through the API, so every request carries an admin key
    (access control itself is tested in test_api_auth.py)."""
    return admin_client


@pytest.fixture
def vacuum(seeded) -> Claim:
    with session_factory(seeded)() as s:
        return s.scalar(select(Claim).where(Claim.key == VACUUM))


def _events(db, entity_id) -> list[AuditEvent]:
    with session_factory(db)() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(entity_id)).order_by(AuditEvent.id)))


def test_new_hops_are_audited_with_their_claim_and_defaults(vacuum, seeded):
    with session_factory(seeded)() as s:
        hop = s.scalar(select(RelayHop).where(RelayHop.claim_id == vacuum.id, RelayHop.position == 1))
    (create,) = _events(seeded, hop.id)
    assert create.action == "create"
    assert create.after["claim_id"] == str(vacuum.id)
    assert create.after["review_status"] == "unreviewed"
    assert create.after["relation"] == "translated"


def test_review_claim_writes_one_review_event_with_the_note(client, vacuum, seeded):
    before = len(_events(seeded, vacuum.id))
    r = client.post(f"/api/v1/claims/{vacuum.id}/review", json={"status": "confirmed", "note": "checked against JPost"})
    assert r.status_code == 200, r.text
    assert r.json() == {"claim_id": str(vacuum.id), "position": None, "review_status": "confirmed",
                        "review_note": "checked against JPost"}
    events = _events(seeded, vacuum.id)
    assert len(events) == before + 1
    review = events[-1]
    assert (review.action, review.reason, review.actor) == ("review", "checked against JPost", "api:test-admin")
    assert review.before["review_status"] == "unreviewed" and review.after["review_status"] == "confirmed"
    got = client.get(f"/api/v1/claims/{vacuum.id}").json()
    assert (got["review_status"], got["review_note"]) == ("confirmed", "checked against JPost")
    with session_factory(seeded)() as s:
        assert verify_chain(s).ok


def test_correction_keeps_the_previous_version_in_history(client, vacuum):
    r = client.post(
        f"/api/v1/claims/{vacuum.id}/review",
        json={"status": "corrected", "note": "only one hedge in the source", "corrections": {"modality": "asserted"}},
    )
    assert r.status_code == 200, r.text
    assert client.get(f"/api/v1/claims/{vacuum.id}").json()["modality"] == "asserted"
    versions = client.get(f"/api/v1/claims/{vacuum.id}/history").json()["versions"]
    assert [v["version"] for v in versions] == list(range(1, len(versions) + 1))
    first, last = versions[0], versions[-1]
    assert first["action"] == "create" and {e["entity_type"] for e in first["events"]} == {"claim", "relay_hop"}
    assert len(first["state"]["hops"]) == 3 and first["state"]["claim"]["modality"] == "hedged"
    assert last["action"] == "review" and last["reason"] == "only one hedge in the source"
    assert last["events"][0]["changes"]["modality"] == {"before": "hedged", "after": "asserted"}
    assert versions[-2]["state"]["claim"]["modality"] == "hedged"
    assert last["state"]["claim"]["modality"] == "asserted"
    assert last["state"]["claim"]["review_status"] == "corrected"


def test_hop_review_and_correction(client, vacuum, seeded):
    r = client.post(
        f"/api/v1/claims/{vacuum.id}/hops/1/review",
        json={"status": "corrected", "note": "Al Arabiya paraphrased", "corrections": {"relation": "paraphrased"}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["position"] == 1
    hop = client.get(f"/api/v1/claims/{vacuum.id}").json()["hops"][1]
    assert (hop["relation"], hop["review_status"], hop["review_note"]) == (
        "paraphrased", "corrected", "Al Arabiya paraphrased")
    last = client.get(f"/api/v1/claims/{vacuum.id}/history").json()["versions"][-1]
    assert last["action"] == "review"
    assert last["events"][0]["entity_type"] == "relay_hop" and last["events"][0]["position"] == 1
    assert last["events"][0]["changes"]["relation"] == {"before": "translated", "after": "paraphrased"}


@pytest.mark.parametrize(
    "body",
    [
        {"status": "corrected"},
        {"status": "rejected", "note": "  "},
        {"status": "confirmed", "note": "ok", "corrections": {"modality": "asserted"}},
        {"status": "corrected", "note": "x", "corrections": {}},
        {"status": "corrected", "note": "x", "corrections": {"modality": None}},
        {"status": "maybe", "note": "x"},
        {"status": "confirmed", "note": "x" * 2001},
    ],
)
def test_invalid_reviews_are_422_and_write_nothing(client, vacuum, seeded, body):
    before = len(_events(seeded, vacuum.id))
    r = client.post(f"/api/v1/claims/{vacuum.id}/review", json=body)
    assert r.status_code in (400, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert len(_events(seeded, vacuum.id)) == before


def test_hop_correction_to_an_unknown_source_is_409_and_nothing_changes(client, vacuum, seeded):
    r = client.post(
        f"/api/v1/claims/{vacuum.id}/hops/0/review",
        json={"status": "corrected", "note": "x", "corrections": {"source_id": str(uuid.uuid4())}},
    )
    assert r.status_code == 409, r.text  # valid request, but no such source is stored
    hop = client.get(f"/api/v1/claims/{vacuum.id}").json()["hops"][0]
    assert hop["review_status"] == "unreviewed"
    with session_factory(seeded)() as s:
        assert not s.scalars(select(AuditEvent).where(AuditEvent.action == "review")).all()


def test_review_of_missing_claim_or_hop_is_404(client, vacuum):
    assert client.post(f"/api/v1/claims/{uuid.uuid4()}/review", json={"status": "confirmed"}).status_code == 404
    r = client.post(f"/api/v1/claims/{vacuum.id}/hops/7/review", json={"status": "confirmed"})
    assert r.status_code == 404
    assert r.json()["status"] == 404


def test_one_change_set_shares_one_timestamp_across_a_second_boundary(client, vacuum, monkeypatch):
    """A delete writes one event for the claim and one per hop; with a clock that ticks a second
    at every reading, they must still be one version (one timestamp per flush)."""
    import datetime

    from claims import audit

    ticks = iter(range(10_000))
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    monkeypatch.setattr(audit, "_now", lambda: start + datetime.timedelta(seconds=next(ticks)))
    assert client.delete(f"/api/v1/claims/{vacuum.id}").status_code == 204
    versions = client.get(f"/api/v1/claims/{vacuum.id}/history").json()["history"]["versions"]
    last = versions[-1]
    assert last["action"] == "delete" and last["state"] == {"claim": None, "hops": []}
    assert {e["entity_type"] for e in last["events"]} == {"claim", "relay_hop"}
    assert versions[-2]["state"]["claim"]["key"] == VACUUM


def test_history_outlives_the_claim(client, vacuum):
    assert client.get(f"/api/v1/claims/{vacuum.id}/history").json()["deleted"] is False
    assert client.delete(f"/api/v1/claims/{vacuum.id}").status_code == 204
    gone = client.get(f"/api/v1/claims/{vacuum.id}/history")
    assert gone.status_code == 404 and gone.headers["content-type"].startswith("application/problem+json")
    assert gone.json()["history"]["deleted"] is True  # the claim is gone, its history stays
    versions = gone.json()["history"]["versions"]
    assert versions[-1]["action"] == "delete"
    assert versions[-1]["state"] == {"claim": None, "hops": []}
    assert versions[-2]["state"]["claim"]["key"] == VACUUM
    assert client.get(f"/api/v1/claims/{uuid.uuid4()}/history").status_code == 404
