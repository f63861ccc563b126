"""Operations: shared rate limits (database and the real Redis), RateLimit-* headers, health,
readiness, metrics, request ids, JSON logs, settings, key rotation / expiry / reuse."""

from __future__ import annotations

import datetime
import json
import os
import uuid

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from claims.db import session_factory
from claims.keys import create_key, revoke_key, rotate_key, verify_key
from claims.ratelimit import DatabaseBuckets, MemoryBuckets, RedisBuckets

REDIS_URL = os.environ.get("CLAIMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _bucket_arithmetic(buckets) -> None:
    first = buckets.take("key:k", 2, 60, now=1000.0)
    assert first.allowed and first.remaining == 1 and first.limit == 2
    assert buckets.take("key:k", 2, 60, now=1000.0).allowed
    refused = buckets.take("key:k", 2, 60, now=1000.0)
    assert not refused.allowed and refused.retry_after == 1 and refused.remaining == 0
    assert buckets.take("ip:10.0.0.1", 2, 60, now=1000.0).allowed  # buckets are per caller
    assert buckets.take("key:k", 2, 60, now=1001.01).allowed  # one token a second comes back


def test_memory_buckets_refill_over_time():
    _bucket_arithmetic(MemoryBuckets())


def test_database_buckets_refill_over_time(db):
    _bucket_arithmetic(DatabaseBuckets(db))


def test_redis_buckets_refill_over_time():
    redis = pytest.importorskip("redis")
    prefix = f"claims-test:{uuid.uuid4().hex}:"
    try:
        buckets = RedisBuckets(REDIS_URL, prefix)
        buckets.client.ping()
    except redis.RedisError as exc:  # pragma: no cover - the machine runs Redis; say so if it does not
        pytest.fail(f"Redis at {REDIS_URL} is not reachable: {exc}")
    try:
        _bucket_arithmetic(buckets)
        assert all(k.startswith(prefix.encode()) for k in buckets.client.keys(prefix + "*"))
    finally:
        for k in buckets.client.keys(prefix + "*"):
            buckets.client.delete(k)


@pytest.mark.parametrize("store", ["database", "redis"])
def test_two_server_processes_share_one_budget(app_factory, make_key, store):
    """Two apps over one database (or one Redis) are two workers: the key's budget is one."""
    extra = {}
    if store == "redis":
        extra = {"redis_url": REDIS_URL, "redis_prefix": f"claims-test:{uuid.uuid4().hex}:"}
    headers = make_key("shared", "read")
    first, second = app_factory(rate_limit_per_minute=4, rate_limit_store=store, **extra), app_factory(
        rate_limit_per_minute=4, rate_limit_store=store, **extra
    )
    with TestClient(app=first) as a, TestClient(app=second) as b:
        statuses = [c.get("/api/v1/sources", headers=headers).status_code for c in (a, b, a, b, a, b)]
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_anonymous_requests_are_limited_per_client_address(app_factory, make_key):
    with TestClient(app=app_factory(rate_limit_anonymous_per_minute=2)) as c:
        ok = c.get("/api/v1/sources")
        assert ok.headers["ratelimit-limit"] == "2" and ok.headers["ratelimit-remaining"] == "1"
        assert int(ok.headers["ratelimit-reset"]) >= 1
        assert ok.headers["ratelimit-policy"] == '"burst";q=2;w=60'
        assert ok.headers["ratelimit"] == f'"burst";r=1;t={ok.headers["ratelimit-reset"]}'
        assert c.get("/api/v1/sources").status_code == 200
        refused = c.get("/api/v1/sources")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert c.get("/api/v1/sources", headers=make_key("desk", "read")).status_code == 200  # a key has its own
        assert c.get("/health").status_code == 200 and c.get("/ready").status_code == 200  # operations: never limited


def test_health_ready_metrics(admin_client):
    assert admin_client.get("/health").json()["status"] == "ok"
    ready = admin_client.get("/ready").json()
    assert ready["status"] == "ready" and set(ready["checks"]) == {"database", "migrations", "index"}
    admin_client.post("/api/v1/ask", json={"question": "who said the moon is made of cheese?"})
    admin_client.post("/api/v1/documents", json={"text": "The minister said the bridge will reopen.", "lang": "en"})
    admin_client.get("/api/v1/claims/0190e3c4-0000-7000-8000-00000000dead")
    text = admin_client.get("/metrics").text
    assert 'claims_http_requests_total{method="GET",route="/api/v1/claims/{claim_id}",status="404"} 1.0' in text
    assert 'claims_ask_total{outcome="not_found"} 1.0' in text
    assert 'claims_ingest_total{what="documents_created"} 1.0' in text
    assert "claims_http_request_duration_seconds_bucket" in text


def test_warm_up_runs_at_start_and_ready_waits_for_it(seeded, app_factory, monkeypatch):
    """With CLAIMS_WARM_UP the app asks its two warm-up questions in a background thread at
    start; /ready is 503 ("warm-up: running") until they are done, then 200, and the warm-up
    wrote nothing (the questions only read)."""
    import threading

    from sqlalchemy import func, select

    from claims.models import AuditEvent
    from claims.query import warmup

    release = threading.Event()
    asked: list[str] = []
    real_ask = warmup.ask

    def slow_ask(session, question):
        release.wait(30)  # held until the test has seen /ready say "running"
        asked.append(question)
        return real_ask(session, question)

    monkeypatch.setattr(warmup, "ask", slow_ask)
    with session_factory(seeded)() as s:
        events = s.scalar(select(func.count()).select_from(AuditEvent))
    with TestClient(app=app_factory(warm_up=True)) as c:
        running = c.get("/ready")
        assert running.status_code == 503 and running.json()["checks"]["warm-up"] == "running"
        release.set()
        assert c.app.state.warm_up.wait(60).startswith("ok (")
        done = c.get("/ready")
        assert done.status_code == 200 and done.json()["checks"]["warm-up"].startswith("ok (")
    assert asked == list(warmup.QUESTIONS)
    with session_factory(seeded)() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_a_failed_warm_up_is_reported_not_raised(db, app_factory, monkeypatch):
    from claims.query import warmup

    def broken(session, question):
        raise RuntimeError("no lexicon")

    monkeypatch.setattr(warmup, "ask", broken)
    with TestClient(app=app_factory(warm_up=True)) as c:
        assert c.app.state.warm_up.wait(30) == "failed: RuntimeError"
        r = c.get("/ready")
        assert r.status_code == 503 and "warm-up: failed: RuntimeError" in r.json()["detail"]
        assert c.get("/health").status_code == 200


def test_queue_depth_hook(client):
    metrics = client.app.state.metrics
    metrics.track_queue("ingest", lambda: 7)
    metrics.set_queue_depth("feeds", 2)
    text = client.get("/metrics").text
    assert 'claims_job_queue_depth{queue="ingest"} 7.0' in text and 'claims_job_queue_depth{queue="feeds"} 2.0' in text


def test_ready_reports_migrations_behind_head(client, db):
    from sqlalchemy import text

    with db.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        r = client.get("/ready")
        assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
        assert "migrations" in r.json()["detail"] and r.json()["checks"]["database"] == "ok"
    finally:
        from claims import migrate

        with db.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :h"), {"h": migrate.head()})


def test_request_id_is_echoed_in_headers_problems_and_logs(client, capsys):
    mine = client.get("/api/v1/claims", headers={"X-Request-ID": "desk-42.a"})
    assert mine.headers["x-request-id"] == "desk-42.a"
    problem = client.get("/api/v1/claims", params={"limit": 0})
    assert problem.json()["request_id"] == problem.headers["x-request-id"] and len(problem.headers["x-request-id"]) == 32
    assert client.get("/api/v1/claims", headers={"X-Request-ID": "bad id\\n"}).headers["x-request-id"] != "bad id\\n"
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    mine_logged = [line for line in lines if line.get("request_id") == "desk-42.a"]
    assert mine_logged and mine_logged[0]["event"] == "request" and mine_logged[0]["status"] == 200
    assert mine_logged[0]["route"] == "/api/v1/claims"


def test_config_show_prints_effective_settings_without_secrets(monkeypatch):
    from claims.cli import main
    from claims.settings import get_settings

    monkeypatch.setenv("CLAIMS_REDIS_URL", "redis://:hunter2@127.0.0.1:6379/0")
    monkeypatch.setenv("CLAIMS_RATE_LIMIT_PER_MINUTE", "77")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["config", "show", "--json"])
        assert result.exit_code == 0, result.output
        shown = json.loads(result.output)
        assert shown["CLAIMS_RATE_LIMIT_PER_MINUTE"] == "77" and "hunter2" not in result.output
        assert shown["CLAIMS_REDIS_URL"] == "redis://:***@127.0.0.1:6379/0"
        table = CliRunner().invoke(main, ["config", "show"], terminal_width=300)
        assert "CLAIMS_DATABASE_URL" in table.output and "hunter2" not in table.output
    finally:
        get_settings.cache_clear()


def test_settings_table_in_readme_lists_every_setting():
    from claims.settings import PROJECT_ROOT, Settings

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f"CLAIMS_{name.upper()}" for name in Settings.model_fields if f"`CLAIMS_{name.upper()}`" not in readme]
    assert missing == []


def test_keys_rotate_expire_and_reuse_revoked_names(db):
    with session_factory(db, write=True)() as s:
        _, old = create_key(s, "wire", "read")
        _, new = rotate_key(s, "wire")
        assert verify_key(s, old) is None and verify_key(s, new).name == "wire"
        revoke_key(s, "wire")
        assert verify_key(s, new) is None
        _, again = create_key(s, "wire", "write")  # a revoked name is free again
        assert verify_key(s, again).allows("write")
        soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
        row, temp = create_key(s, "temp", "read", expires_at=soon)
        assert verify_key(s, temp) is not None
        row.expires_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
        s.flush()
        assert verify_key(s, temp) is None  # expired
        s.commit()


def test_keys_cli_rotate_and_expiry(db, use_database, client):
    from claims.cli import main

    use_database(db)
    runner = CliRunner()
    created = runner.invoke(main, ["keys", "create", "desk", "--scope", "write", "--expires-in-days", "30"])
    assert created.exit_code == 0, created.output
    first = created.stdout.strip().splitlines()[-1]
    rotated = runner.invoke(main, ["keys", "rotate", "desk"])
    assert rotated.exit_code == 0, rotated.output
    second = rotated.stdout.strip().splitlines()[-1]
    assert first != second
    assert client.get("/api/v1/sources", headers={"X-API-Key": first}).status_code == 401
    assert client.get("/api/v1/sources", headers={"X-API-Key": second}).status_code == 200
    listing = runner.invoke(main, ["keys", "list"], terminal_width=300)
    assert "desk" in listing.output and "expires" in listing.output
    assert runner.invoke(main, ["keys", "rotate", "nobody"]).exit_code == 1


def test_metrics_report_the_jobs_waiting_in_the_database(client, db):
    from sqlalchemy.orm import Session

    from claims.models import Job
    from claims.vocabulary import JobStatus

    with Session(db) as session:
        session.add_all([Job(kind="ping", params={}, status=JobStatus.QUEUED.value, max_attempts=1) for _ in range(3)])
        session.add(Job(kind="ping", params={}, status=JobStatus.SUCCEEDED.value, max_attempts=1))
        session.commit()
    assert 'claims_job_queue_depth{queue="jobs"} 3.0' in client.get("/metrics").text
