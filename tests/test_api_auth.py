"""API keys: hashed storage, scopes, 401/403/429, the audit actor, OpenAPI, logs, the CLI."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import select

from claims.db import session_factory
from claims.errors import Conflict, Invalid
from claims.keys import create_key, grants, hash_key, parse_scopes, revoke_key, verify_key
from claims.models import ApiKey, AuditEvent, Source
from claims.vocabulary import Scope

SOURCE = {"name": "Ministry of Health", "kind": "government"}


# --- the domain --------------------------------------------------------------------------


def test_key_is_stored_hashed_and_verifies(session):
    row, secret = create_key(session, "newsroom-bot", ["write"])
    session.commit()
    stored = session.scalar(select(ApiKey).where(ApiKey.name == "newsroom-bot"))
    assert secret not in (stored.key_hash, stored.prefix, stored.scopes)
    assert stored.key_hash == hash_key(secret)
    assert secret.startswith(f"ck_{stored.prefix}_")
    info = verify_key(session, secret)
    assert info is not None and info.name == "newsroom-bot" and info.actor == "api:newsroom-bot"
    assert info.allows("write") and info.allows("read") and not info.allows("review")


def test_wrong_malformed_and_revoked_keys_do_not_verify(session):
    _, secret = create_key(session, "bot", "read")
    assert verify_key(session, secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert verify_key(session, "not-a-key") is None
    assert verify_key(session, "") is None
    revoke_key(session, "bot")
    assert verify_key(session, secret) is None


def test_scopes_parse_and_imply():
    assert parse_scopes("read, write") == {Scope.READ, Scope.WRITE}
    assert parse_scopes(["admin"]) == {Scope.ADMIN}
    with pytest.raises(Invalid):
        parse_scopes(["root"])
    with pytest.raises(Invalid):
        parse_scopes([])
    assert grants({Scope.ADMIN}, Scope.REVIEW)
    assert grants({Scope.REVIEW}, Scope.READ)
    assert not grants({Scope.WRITE}, Scope.REVIEW)
    assert not grants({Scope.READ}, Scope.WRITE)


def test_key_names_are_unique_and_checked(session):
    create_key(session, "bot", "read")
    with pytest.raises(Conflict):
        create_key(session, "bot", "write")
    with pytest.raises(Invalid):
        create_key(session, "Bad Name!", "read")


# --- over HTTP ---------------------------------------------------------------------------


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    return body


def test_reads_are_open_and_writes_need_a_key(client, db):
    assert client.get("/api/v1/sources").status_code == 200
    response = client.post("/api/v1/sources", json=SOURCE)
    body = _is_problem(response, 401)
    assert "X-API-Key" in body["detail"]
    assert "X-API-Key" in response.headers["www-authenticate"]
    with session_factory(db)() as s:
        assert s.scalar(select(Source)) is None  # nothing written


def test_a_read_key_cannot_write(client, make_key):
    response = client.post("/api/v1/sources", json=SOURCE, headers=make_key("reader", "read"))
    assert "'write'" in _is_problem(response, 403)["detail"]


def test_a_write_key_writes_and_is_the_audit_actor(client, make_key, db):
    response = client.post("/api/v1/sources", json=SOURCE, headers=make_key("desk-bot", "write"))
    assert response.status_code == 201, response.text
    with session_factory(db)() as s:
        actors = set(s.scalars(select(AuditEvent.actor)))
        assert actors == {"api:desk-bot"}
        assert s.scalar(select(ApiKey.last_used_at).where(ApiKey.name == "desk-bot")) is not None


def test_every_write_method_is_guarded(client, make_key, admin_client):
    created = admin_client.post("/api/v1/sources", json=SOURCE)
    assert created.status_code == 201
    source_id = created.json()["id"]
    reader = make_key("reader", "read")
    for method, path, body in [
        ("PATCH", f"/api/v1/sources/{source_id}", {"name": "MoH"}),
        ("DELETE", f"/api/v1/sources/{source_id}", None),
        ("POST", "/api/v1/documents", {"text": "Hello there.", "lang": "en"}),
    ]:
        assert client.request(method, path, json=body).status_code == 401, (method, path)
        assert client.request(method, path, json=body, headers=reader).status_code == 403, (method, path)
    # /ask is a read even though it is a POST
    assert client.post("/api/v1/ask", json={"question": "who said it?"}).status_code == 200


def test_bad_or_revoked_key_gets_401_even_on_reads(client, make_key, db):
    headers = make_key("temp", "admin")
    assert client.get("/api/v1/sources", headers=headers).status_code == 200
    _is_problem(client.get("/api/v1/sources", headers={"X-API-Key": "ck_nothing_here"}), 401)
    with session_factory(db, write=True)() as s:
        revoke_key(s, "temp")
        s.commit()
    _is_problem(client.post("/api/v1/sources", json=SOURCE, headers=headers), 401)
    _is_problem(client.get("/api/v1/sources", headers=headers), 401)


def test_reads_can_require_a_key(app_factory, make_key):
    with TestClient(app=app_factory(require_key_for_reads=True)) as c:
        _is_problem(c.get("/api/v1/sources"), 401)
        _is_problem(c.post("/api/v1/ask", json={"question": "who?"}), 401)
        assert c.get("/api/v1/sources", headers=make_key("reader", "read")).status_code == 200
        assert c.get("/health").status_code == 200  # liveness stays public
        assert c.get("/schema/openapi.json").status_code == 200


def test_rate_limit_answers_429_with_retry_after(app_factory, make_key):
    headers = make_key("busy", "read")
    other = make_key("calm", "read")
    with TestClient(app=app_factory(rate_limit_per_minute=3)) as c:
        statuses = [c.get("/api/v1/sources", headers=headers).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = c.get("/api/v1/sources", headers=headers)
        body = _is_problem(response, 429)
        assert "rate limit of 3 requests" in body["detail"] and body["request_id"] == response.headers["x-request-id"]
        assert response.headers["ratelimit-remaining"] == "0" and response.headers["ratelimit-limit"] == "3"
        assert 1 <= int(response.headers["retry-after"]) <= 20
        assert c.get("/api/v1/sources", headers=other).status_code == 200  # another key is unaffected


def test_openapi_documents_the_key(client):
    spec = client.get("/schema/openapi.json").json()
    scheme = spec["components"]["securitySchemes"]["ApiKey"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "X-API-Key"}
    create = spec["paths"]["/api/v1/sources"]["post"]
    assert create["security"] == [{"ApiKey": []}]
    assert {"401", "403", "422"} <= set(create["responses"])
    listing = spec["paths"]["/api/v1/sources"]["get"]
    assert {} in listing["security"]  # optional: reads are open by default
    assert "security" not in spec["paths"]["/health"]["get"]


def test_keys_never_reach_logs_or_responses(client, make_key, caplog):
    headers = make_key("secretive", "read")
    secret = headers["X-API-Key"]
    caplog.set_level(logging.DEBUG)
    responses = [
        client.get("/api/v1/sources", headers=headers),
        client.post("/api/v1/sources", json=SOURCE, headers=headers),
        client.get("/api/v1/sources", headers={"X-API-Key": secret + "x"}),
        client.get("/api/v1/claims/not-a-uuid", headers=headers),
    ]
    assert [r.status_code for r in responses][:3] == [200, 403, 401]
    assert all(secret not in r.text for r in responses)
    assert secret not in caplog.text
    assert secret[-20:] not in caplog.text


# --- the CLI -----------------------------------------------------------------------------


@pytest.fixture
def cli_env(db, use_database):
    use_database(db)


def test_cli_creates_prints_once_and_revokes(cli_env, client):
    from claims.cli import main

    runner = CliRunner()
    created = runner.invoke(main, ["keys", "create", "wire-desk", "--scope", "write", "--scope", "review"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("ck_")
    assert client.post("/api/v1/sources", json=SOURCE, headers={"X-API-Key": secret}).status_code == 201
    listed = runner.invoke(main, ["keys", "list"])
    assert "wire-desk" in listed.output and secret not in listed.output
    twice = runner.invoke(main, ["keys", "create", "wire-desk", "--scope", "read"])
    assert twice.exit_code != 0 and "already exists" in twice.output  # while it is live
    revoked = runner.invoke(main, ["keys", "revoke", "wire-desk"])
    assert revoked.exit_code == 0, revoked.output
    assert client.post("/api/v1/sources", json=SOURCE, headers={"X-API-Key": secret}).status_code == 401
    again = runner.invoke(main, ["keys", "create", "wire-desk", "--scope", "read"])
    assert again.exit_code == 0, again.output  # a revoked name can be given to a new key
    bad = runner.invoke(main, ["keys", "create", "x", "--scope", "root"])
    assert bad.exit_code != 0 and "unknown scope" in bad.output


def test_review_needs_the_review_scope(client, make_key, admin_client):
    source = admin_client.post("/api/v1/sources", json=SOURCE).json()
    doc = admin_client.post("/api/v1/documents", json={"text": "The ministry said the bridge is safe.", "lang": "en"}).json()
    claim = admin_client.post(
        "/api/v1/claims",
        json={"document_id": doc["id"], "start": 4, "end": 36, "hops": [{"source_id": source["id"], "relation": "said"}]},
    ).json()
    path = f"/api/v1/claims/{claim['id']}/review"
    body = {"status": "confirmed", "note": "checked"}
    _is_problem(client.post(path, json=body), 401)
    _is_problem(client.post(path, json=body, headers=make_key("writer", "write")), 403)
    reviewer = make_key("reviewer", "review")
    assert client.post(path, json=body, headers=reviewer).status_code == 200
    hop_path = f"/api/v1/claims/{claim['id']}/hops/0/review"
    _is_problem(client.post(hop_path, json=body, headers=make_key("writer2", "write")), 403)
    assert client.post(hop_path, json=body, headers=reviewer).status_code == 200
    # a review key cannot edit records
    _is_problem(client.patch(f"/api/v1/claims/{claim['id']}", json={"modality": "hedged"}, headers=reviewer), 403)
