"""Concurrent writers: none fails, none is lost, and the audit chain never forks, on both databases."""

from __future__ import annotations

import threading
from collections import Counter

from litestar.testing import TestClient
from sqlalchemy import func, select

from claims.audit import verify_chain
from claims.db import session_factory
from claims.models import AuditEvent, Document, Source
from claims.schemas import DocumentIn, SourceIn
from claims.services import DocumentService, SourceService

THREADS = 8
ROUNDS = 6


def _run(threads: list[threading.Thread]) -> None:
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
        assert not t.is_alive(), "a writer hung"


def _assert_one_chain(db) -> int:
    with session_factory(db)() as s:
        report = verify_chain(s)
        assert report.ok, report
        links = Counter(s.scalars(select(AuditEvent.prev_hash)))
        assert max(links.values()) == 1, "two events claim the same predecessor: the chain forked"
        return report.events


def test_concurrent_units_of_work_all_commit_and_keep_one_chain(db):
    errors: list[BaseException] = []
    sessions = session_factory(db, write=True)

    def work(n: int) -> None:
        try:
            for r in range(ROUNDS):
                with sessions() as s:
                    s.info["actor"] = f"worker-{n}"
                    source = SourceService(s).create(SourceIn(name=f"Writer {n} round {r}", kind="person"))
                    DocumentService(s).create(
                        DocumentIn(text=f"Text {n}-{r}: the writer said so.", lang="en", outlet_id=source.id)
                    )
                    s.commit()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    _run([threading.Thread(target=work, args=(n,)) for n in range(THREADS)])
    assert errors == []
    with session_factory(db)() as s:
        assert s.scalar(select(func.count()).select_from(Source)) == THREADS * ROUNDS
        assert s.scalar(select(func.count()).select_from(Document)) == THREADS * ROUNDS
    # each source: create source + its alias; each document: one event
    assert _assert_one_chain(db) == 3 * THREADS * ROUNDS


def test_concurrent_api_writers_are_not_starved(app_factory, admin_headers, db):
    """More concurrent writers than handler threads: the lock holder must still commit
    (its commit never queues behind handlers waiting for SQLite's write lock)."""
    statuses: list[int] = []
    lock = threading.Lock()
    writers = 12
    with TestClient(app=app_factory(rate_limit_per_minute=0)) as client:

        def work(n: int) -> None:
            for r in range(4):
                response = client.post(
                    "/api/v1/sources", json={"name": f"Api writer {n}-{r}", "kind": "person"}, headers=admin_headers
                )
                with lock:
                    statuses.append(response.status_code)

        _run([threading.Thread(target=work, args=(n,)) for n in range(writers)])
    assert Counter(statuses) == {201: writers * 4}
    with session_factory(db)() as s:
        assert s.scalar(select(func.count()).select_from(Source)) == writers * 4
    _assert_one_chain(db)


def test_concurrent_reviews_of_one_claim_leave_a_linear_history(session, claim_factory, db):
    """Every review's 'before' is the previous review's 'after': no two reviewers read the same
    version (the claim row is locked on PostgreSQL; SQLite writers run one at a time)."""
    from claims.review import review_claim
    from claims.schemas import ClaimReviewIn

    claim = claim_factory()
    session.commit()
    sessions = session_factory(db, write=True)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for r in range(3):
                with sessions() as s:
                    s.info["actor"] = f"reviewer-{n}"
                    review_claim(s, claim.id, ClaimReviewIn(status="confirmed", note=f"note {n}-{r}"))
                    s.commit()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    _run([threading.Thread(target=work, args=(n,)) for n in range(6)])
    assert errors == []
    with session_factory(db)() as s:
        reviews = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "review", AuditEvent.entity_id == str(claim.id)).order_by(AuditEvent.id)
        ).all()
    assert len(reviews) == 18
    for previous, current in zip(reviews, reviews[1:], strict=False):
        assert current.before["review_note"] == previous.after["review_note"]
    _assert_one_chain(db)
