"""Jobs on SQLite and PostgreSQL (queue in the same database), and on Redis: the lease protocol,
retries with back-off, the API and CLI, workers killed with SIGKILL, two workers on one queue."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from claims.audit import verify_chain
from claims.cli import main
from claims.db import get_engine, session_factory
from claims.jobs import kinds, queue, runner, store
from claims.models import Claim, Document, Job
from claims.settings import PROJECT_ROOT, get_settings

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def jobs_env(db, monkeypatch, tmp_path):
    """Settings for one test: this database, a queue name of its own, a short lease."""
    name = f"t{uuid.uuid4().hex[:12]}"
    env = {
        "CLAIMS_DATABASE_URL": db.url.render_as_string(hide_password=False),
        "CLAIMS_JOBS_QUEUE": name,
        "CLAIMS_JOBS_BROKER": "auto",
        "CLAIMS_JOBS_URL": "",
        "CLAIMS_JOBS_LEASE_SECONDS": "2",
        "CLAIMS_JOBS_RETRY_DELAY": "0.5",
        "CLAIMS_FEEDS_POLL_MINUTES": "0",
        "CLAIMS_FETCH_ALLOW_PRIVATE": "true",
    }

    def apply(**more) -> dict[str, str]:
        env.update({f"CLAIMS_{k.upper()}": str(v) for k, v in more.items()})
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        get_settings.cache_clear()
        get_engine.cache_clear()
        return dict(env)

    apply()
    yield apply
    with contextlib.suppress(Exception):  # the broker may be what the test broke
        queue.current().huey.flush()
    get_settings.cache_clear()
    get_engine.cache_clear()


def _broker_env(jobs_env, broker: str) -> dict[str, str]:
    """The queue in the database (SQLite file or PostgreSQL), or on the real Redis."""
    if broker != "redis":
        return jobs_env()
    if not _redis_up():
        pytest.fail("Redis is not running at 127.0.0.1:6379 (the scale-mode test needs it)")
    return jobs_env(jobs_broker="redis", jobs_url=REDIS_URL)


def _submit(db, kind, params=None, **kw) -> uuid.UUID:
    with session_factory(db, write=True)() as s:
        job, _ = store.submit(s, kind, params or {}, **kw)
        s.commit()
        return job.id


def _job(db, job_id) -> Job:
    with session_factory(db)() as s:
        return s.get(Job, job_id)


# ------------------------------------------------------------------------------ the protocol


def test_submit_enqueues_after_commit_only(db, jobs_env):
    q = queue.current()
    with session_factory(db, write=True)() as s:
        store.submit(s, "ping", {})
        s.rollback()
    assert q.huey.pending_count() == 0
    job_id = _submit(db, "ping")
    assert q.huey.pending_count() == 1
    assert _job(db, job_id).status == "queued"


def test_run_once_then_skip(db, jobs_env):
    job_id = _submit(db, "ping")
    assert runner.run(job_id, db) == "succeeded"
    assert runner.run(job_id, db) == "skipped"  # a duplicate message does nothing
    job = _job(db, job_id)
    assert job.status == "succeeded" and job.attempts == 1 and job.result["attempt"] == 1
    assert job.finished_at is not None and job.lease_until is None


def test_only_one_claim_wins(db, jobs_env):
    job_id = _submit(db, "ping")
    sessions = session_factory(db, write=True)
    with sessions() as a:
        assert store.claim(a, job_id, "worker-a") is not None
        a.commit()
    with sessions() as b:
        assert store.claim(b, job_id, "worker-b") is None  # lease held
    time.sleep(2.2)  # the lease (2 s) lapses: worker-a is presumed dead
    with sessions() as b:
        taken = store.claim(b, job_id, "worker-b")
        b.commit()
    assert taken is not None and taken.attempts == 2 and taken.worker == "worker-b"
    with sessions() as a:  # the old owner can no longer write its outcome
        assert not store.finish(a, job_id, "worker-a", {})


def test_retry_with_backoff_then_fail(db, jobs_env, monkeypatch):
    calls = []

    def flaky(ctx):
        calls.append(ctx.attempt)
        raise RuntimeError(f"broken on attempt {ctx.attempt}")

    monkeypatch.setitem(kinds.KINDS, "ping", kinds.JobKind("ping", "test", flaky))
    job_id = _submit(db, "ping", max_attempts=3)
    delays = []
    for attempt in (1, 2, 3):
        outcome = runner.run(job_id, db)
        job = _job(db, job_id)
        assert f"broken on attempt {attempt}" in job.error
        if attempt < 3:
            assert outcome == "retrying" and job.status == "queued"
            due = job.lease_until.replace(tzinfo=datetime.UTC) if job.lease_until.tzinfo is None else job.lease_until
            delays.append((due - datetime.datetime.now(datetime.UTC)).total_seconds())
            assert runner.run(job_id, db) == "skipped"  # not due yet
            time.sleep(max(delays[-1], 0) + 0.05)
        else:
            assert outcome == "failed" and job.status == "failed" and job.finished_at is not None
    assert calls == [1, 2, 3]
    assert 0.2 < delays[0] < 0.6 and 0.7 < delays[1] < 1.1  # 0.5 s, then doubled


def test_domain_errors_are_not_retried(db, jobs_env):
    job_id = _submit(db, "bulk_load", {"path": "/does/not/exist.jsonl"})
    assert runner.run(job_id, db) == "failed"
    job = _job(db, job_id)
    assert job.attempts == 1 and "not a readable file" in job.error


def test_idempotency_key_is_one_job(db, jobs_env):
    a = _submit(db, "ping", idempotency_key="nightly-2026-12-01")
    b = _submit(db, "ping", idempotency_key="nightly-2026-12-01")
    assert a == b
    with session_factory(db)() as s:
        assert s.scalar(select(func.count()).select_from(Job)) == 1


def test_scheduled_feed_poll_is_one_job_per_slot(db, jobs_env):
    jobs_env(feeds_poll_minutes=15)
    q = queue.current()
    at = datetime.datetime(2026, 12, 1, 10, 0)
    assert q.poll_feeds.task_class().validate_datetime(at.replace(minute=15))  # fired by huey every 15 min
    assert not q.poll_feeds.task_class().validate_datetime(at.replace(minute=7))
    queue._schedule_feed_poll()
    queue._schedule_feed_poll()  # a second worker's scheduler fires too
    with session_factory(db)() as s:
        rows = list(s.scalars(select(Job)))
    assert len(rows) == 1 and rows[0].kind == "feeds.poll" and rows[0].idempotency_key.startswith("feeds.poll@")


def test_unknown_kind(db, jobs_env):
    from claims.errors import Invalid

    with pytest.raises(Invalid), session_factory(db, write=True)() as s:
        store.submit(s, "rm -rf", {})


# ------------------------------------------------------------------------------ API and CLI


def test_api_jobs(db, admin_client, jobs_env, make_key):
    r = admin_client.post("/api/v1/jobs", json={"kind": "ping", "params": {"seconds": "0"}})
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == job["url"] == f"/api/v1/jobs/{job['id']}"
    assert job["status"] == "queued" and job["progress"] == {"done": 0, "total": None}
    runner.run(uuid.UUID(job["id"]), db)
    got = admin_client.get(job["url"]).json()
    assert got["status"] == "succeeded" and got["result"]["attempt"] == 1 and got["result_url"] is None
    listed = admin_client.get("/api/v1/jobs", params={"status": "succeeded"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == job["id"]
    assert admin_client.get(f"/api/v1/jobs/{uuid.uuid4()}").status_code == 404
    bad = admin_client.post("/api/v1/jobs", json={"kind": "nope"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    writer = make_key("writer", "write")
    assert admin_client.post("/api/v1/jobs", json={"kind": "ping"}, headers=writer).status_code == 403


def test_large_report_is_a_job(seeded, admin_client, jobs_env):
    db = seeded
    jobs_env(report_job_threshold=3)
    with session_factory(db)() as s:
        per_doc = select(Document.id).join(Claim, Claim.document_id == Document.id).group_by(Document.id)
        doc_id = s.scalars(per_doc.having(func.count(Claim.id) > 3)).first()
        small_id = s.scalars(per_doc.having(func.count(Claim.id) <= 3)).first()
    r = admin_client.get(f"/api/v1/documents/{doc_id}/report", params={"format": "html"})
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == job["url"] and job["kind"] == "report"
    again = admin_client.get(f"/api/v1/documents/{doc_id}/report", params={"format": "html"})
    assert again.status_code == 202 and again.json()["id"] == job["id"]  # same data: same job
    assert admin_client.get(f"{job['url']}/result").status_code == 409  # not made yet (the job exists)
    assert runner.run(uuid.UUID(job["id"]), db) == "succeeded"
    done = admin_client.get(job["url"]).json()
    assert done["result_url"] == f"{job['url']}/result" and done["result"]["claims"] > 3
    file = admin_client.get(done["result_url"])
    assert file.status_code == 200 and file.headers["content-type"].startswith("text/html")
    assert file.headers["x-report-sha256"] == done["result"]["sha256"]
    from claims.reports import verify

    assert verify(file.content).ok
    # small reports and other formats are still made in the request
    assert admin_client.get(f"/api/v1/documents/{doc_id}/report", params={"format": "json"}).status_code == 200
    if small_id is not None:
        assert admin_client.get(f"/api/v1/documents/{small_id}/report", params={"format": "html"}).status_code == 200


def test_cli_jobs(db, jobs_env):
    runner_ = CliRunner()
    out = runner_.invoke(main, ["jobs", "submit", "ping", "--param", "seconds=0"])
    assert out.exit_code == 0, out.output
    job_id = out.output.strip()
    assert runner.run(uuid.UUID(job_id), db) == "succeeded"
    shown = json.loads(runner_.invoke(main, ["jobs", "show", job_id]).output)
    assert shown["status"] == "succeeded" and shown["url"] == f"/api/v1/jobs/{job_id}"
    listed = json.loads(runner_.invoke(main, ["jobs", "list", "--json"]).output)
    assert listed["total"] == 1
    assert runner_.invoke(main, ["jobs", "show", str(uuid.uuid4())]).exit_code == 1
    assert runner_.invoke(main, ["jobs", "submit", "nope"]).exit_code == 1


# ------------------------------------------------------------------------------ real workers


def _worker(env: dict[str, str], log: Path, workers: int = 2) -> subprocess.Popen:
    full = {**os.environ, **env, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "claims.cli", "worker", "--workers", str(workers)],
        env=full, cwd=PROJECT_ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("broker", ["database", "redis"])
def test_sigkill_mid_job_loses_nothing(db, jobs_env, tmp_path, broker):
    """A worker killed with SIGKILL in the middle of a bulk load: its lease lapses, a second
    worker takes the job over, and the load completes — every document once, audit chain intact.
    Huey drops a message when it hands it out, so this is the job table's lease at work."""
    import tests.test_crash_safety as crash

    env = _broker_env(jobs_env, broker)
    env["CLAIMS_EMBEDDINGS"] = "off"  # vectors are the embedding backfill's job, not the load's
    load_file = tmp_path / "load.jsonl"
    DOCUMENTS = 60
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(crash, "DOCUMENTS", DOCUMENTS)
        mp.setattr(crash, "CLAIMS_PER_DOCUMENT", 4)
        expected = crash._write_load_file(load_file)
    job_id = _submit(db, "load", {"path": str(load_file)})
    first = _worker(env, tmp_path / "w1.log", workers=1)
    try:
        _wait(lambda: _job(db, job_id).progress_done >= 10, 240, "the load to get going")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    killed = _job(db, job_id)
    assert killed.status == "running" and killed.progress_done < DOCUMENTS, "the job finished before the kill"
    second = _worker(env, tmp_path / "w2.log", workers=1)
    try:
        done = _wait(lambda: (j := _job(db, job_id)).status in ("succeeded", "failed") and j, 300, "the take-over")
    finally:
        _stop(second)
    assert done.status == "succeeded", done.error
    assert done.attempts == 2
    assert done.result["documents_created"] + done.result["documents_skipped"] == DOCUMENTS
    assert done.result["documents_skipped"] >= 1  # what the killed attempt committed is kept
    with session_factory(db)() as s:
        stored = {h: n for h, n in s.execute(
            select(Document.content_hash, func.count(Claim.id)).join(Claim, Claim.document_id == Document.id)
            .group_by(Document.content_hash))}
        assert stored == expected
        assert verify_chain(s).ok


@pytest.mark.parametrize("broker", ["database", "redis"])
def test_two_workers_drain_one_queue_without_duplicates(db, jobs_env, tmp_path, broker):
    """Two `claims worker` processes on one queue (the database's own: SQLite file or PostgreSQL
    SKIP LOCKED; or Redis): every job runs exactly once, and both workers take part.

    The lease is long here: with the fixture's 2 s, a loaded machine can hold a worker's claim or
    finish behind SQLite's write lock past its lease, and another worker then rightly takes the
    job over (attempts 2) — the lease protocol at work, not a duplicate message."""
    env = {**_broker_env(jobs_env, broker), "CLAIMS_JOBS_LEASE_SECONDS": "30"}
    count = 40
    ids = [_submit(db, "ping", {"seconds": "0.05"}) for _ in range(count)]
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = [_worker(env, log) for log in logs]
    try:
        _wait(lambda: all(_job(db, i).status == "succeeded" for i in ids), 180, "the queue to drain")
    finally:
        for p in procs:
            _stop(p)
    with session_factory(db)() as s:
        jobs = [s.get(Job, i) for i in ids]
    assert all(j.attempts == 1 for j in jobs)  # claimed once each
    pids = {j.worker.split(":")[1] for j in jobs}
    assert pids == {str(p.pid) for p in procs}, "both workers should have run jobs"
    executed = [m for log in logs for m in re.findall(r"Executing claims\.jobs\.queue\.claims\.run_job: (\S+)", log.read_text())]
    # every message delivered once; a job can get a second message (the recovery sweep re-sends
    # a queued job untouched for two leases, as happens on a loaded machine), which then finds
    # the job taken and runs nothing: attempts == 1 above is what proves each job ran once
    assert len(executed) == len(set(executed)) >= count
    assert queue.current().huey.pending_count() == 0


def test_bulk_load_embed_and_index_as_jobs(db, jobs_env, tmp_path, monkeypatch):
    """The scale helpers' domain functions run as jobs: bulk load (batches), embedding backfill,
    vector-index rebuild; a second run of each changes nothing."""
    from claims import embeddings
    from claims.models import ClaimEmbedding
    from tests.test_bulk import _archive, _write

    path = _write(tmp_path / "archive.jsonl", _archive(12))
    job_id = _submit(db, "bulk_load", {"path": str(path), "batch": "5"})
    assert runner.run(job_id, db) == "succeeded"
    job = _job(db, job_id)
    created = job.result["documents_created"]
    assert created >= 3 and job.result["errors"] == [] and job.progress_done == job.result["lines"], job.result
    again = _submit(db, "bulk_load", {"path": str(path)})
    assert runner.run(again, db) == "succeeded"
    assert _job(db, again).result["documents_created"] == 0
    with session_factory(db)() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == created
    if not embeddings.enabled():
        pytest.skip("the embeddings extra is not installed")
    embed = _submit(db, "embed_backfill")
    assert runner.run(embed, db) == "succeeded"
    with session_factory(db)() as s:
        claims = s.scalar(select(func.count()).select_from(Claim))
        assert s.scalar(select(func.count()).select_from(ClaimEmbedding)) == claims == _job(db, embed).result["claims"]
    second = _submit(db, "embed_backfill")
    assert runner.run(second, db) == "succeeded" and _job(db, second).result["claims"] == 0
    monkeypatch.setattr("claims.vector_store.PROJECT_ROOT", tmp_path, raising=False)
    rebuild = _submit(db, "index_rebuild")
    assert runner.run(rebuild, db) == "succeeded", _job(db, rebuild).error
    assert _job(db, rebuild).result["count"] == claims
