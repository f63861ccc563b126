"""Hostile and odd input: size limits, NUL, lone surrogates, RTL marks, mixed scripts, very
long tokens, SQL and HTML. Always a 4xx problem or a faithful store, never a 5xx."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from claims.db import session_factory
from claims.models import Document, Source

RLM, LRM, RLO, PDF, ZWJ = "\u200f", "\u200e", "\u202e", "\u202c", "\u200d"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


def _count(db, model) -> int:
    with session_factory(db)() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_body_over_the_limit_is_413(admin_client, db):
    huge = "x" * (2 * 200_000 * 4 + 10)
    response = admin_client.post("/api/v1/documents", json={"text": huge, "lang": "en"})
    _problem(response, 413)
    assert _count(db, Document) == 0


def test_fields_over_their_limits_are_422(admin_client, db):
    _problem(admin_client.post("/api/v1/sources", json={"name": "n" * 301, "kind": "person"}), 422)
    _problem(admin_client.post("/api/v1/documents", json={"text": "t" * 200_001, "lang": "en"}), 422)
    _problem(admin_client.post("/api/v1/sources", json={"name": "A", "kind": "person", "aliases": [{"text": "a"}] * 101}), 422)
    _problem(admin_client.post("/api/v1/ask", json={"question": "q" * 501}), 422)
    _problem(admin_client.get("/api/v1/sources", params={"q": "q" * 301}), 422)
    _problem(admin_client.get("/api/v1/claims", params={"limit": 10_000}), 422)
    assert _count(db, Source) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"name": "bad\x00name", "kind": "person"},
        {"name": "ok", "kind": "person", "description": "nul \x00 inside"},
        {"name": "ok", "kind": "person", "aliases": [{"text": "al\x00ias"}]},
    ],
)
def test_nul_bytes_are_rejected_not_stored(admin_client, db, body):
    body_problem = _problem(admin_client.post("/api/v1/sources", json=body), 422)
    assert "NUL" in json.dumps(body_problem)
    assert _count(db, Source) == 0


def test_nul_in_query_parameters_never_reaches_the_database_as_an_error(client):
    """Search terms are folded to letters and digits, so NUL is dropped before any SQL."""
    for path, params in [
        ("/api/v1/sources", {"q": "a\x00b"}),
        ("/api/v1/claims", {"speaker": "x\x00"}),
        ("/api/v1/claims", {"group": "g\x00"}),
    ]:
        response = client.get(path, params=params)
        assert response.status_code == 200 or 400 <= response.status_code < 500, response.text


def test_lone_surrogates_are_a_client_error(admin_client, db):
    raw = '{"name": "bad \\ud800 half", "kind": "person"}'
    response = admin_client.post("/api/v1/sources", content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    assert _count(db, Source) == 0


def test_naive_timestamps_are_taken_as_utc(admin_client, client):
    response = admin_client.post(
        "/api/v1/documents", json={"text": "Dated text.", "lang": "en", "published_at": "2024-03-01T10:00:00"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["published_at"].startswith("2024-03-01T10:00:00")
    listed = client.get("/api/v1/documents", params={"published_after": "2024-03-01T09:00:00"})
    assert listed.status_code == 200 and listed.json()["total"] == 1
    assert client.get("/api/v1/claims", params={"published_before": "2024-03-01T09:00:00"}).status_code == 200


def test_rtl_marks_mixed_scripts_and_long_tokens_round_trip(admin_client, client):
    name = f"{RLM}وزارة الصحة{LRM} Ministry {RLO}of{PDF} Health{ZWJ}"
    created = admin_client.post("/api/v1/sources", json={"name": name, "kind": "government"})
    assert created.status_code == 201, created.text
    assert created.json()["name"] == name  # stored as sent (the marks included)
    # the marks do not stop name matching
    found = client.get("/api/v1/sources", params={"q": "وزارة الصحة"}).json()
    assert found["total"] == 1
    token = "ب" * 50_000 + "x" * 50_000
    text = f"قال المتحدث {RLM}إن{LRM} the minister said {token} والجسر سيفتح."
    doc = admin_client.post("/api/v1/documents", json={"text": text, "lang": "ar"})
    assert doc.status_code == 201, doc.text
    body = doc.json()
    assert client.get(f"/api/v1/documents/{body['id']}").json()["text"] == text
    start = text.index("the minister")
    end = text.index("والجسر") - 1
    claim = admin_client.post(
        "/api/v1/claims",
        json={
            "document_id": body["id"],
            "start": start,
            "end": end,
            "hops": [{"source_id": created.json()["id"], "relation": "said", "evidence_start": 0, "evidence_end": 11}],
        },
    )
    assert claim.status_code == 201, claim.text
    out = claim.json()
    assert out["text"] == text[start:end]
    assert out["hops"][0]["evidence"]["text"] == text[0:11]


def test_sql_and_html_are_stored_literally(admin_client, client, db):
    nasty = "Robert'); DROP TABLE source;-- <script>alert('x')</script> &amp; \"quoted\""
    created = admin_client.post(
        "/api/v1/sources", json={"name": nasty[:300], "kind": "person", "description": nasty, "aliases": [{"text": "<b>x</b>"}]}
    )
    assert created.status_code == 201, created.text
    fetched = client.get(f"/api/v1/sources/{created.json()['id']}").json()
    assert fetched["name"] == nasty[:300]
    assert fetched["description"] == nasty
    assert {a["text"] for a in fetched["aliases"]} >= {"<b>x</b>"}
    assert client.get("/api/v1/sources", params={"q": "'; DROP TABLE source;--"}).status_code == 200
    assert _count(db, Source) == 1  # the table is still there, with the literal row in it
    asked = client.post("/api/v1/ask", json={"question": "' OR 1=1 -- <img src=x onerror=alert(1)>"})
    assert asked.status_code == 200


@pytest.mark.parametrize(
    "raw",
    ["{", "[]", '{"name": 5, "kind": "person"}', '"just a string"', "null", '{"name": "a", "kind": "wizard"}'],
)
def test_malformed_bodies_are_problems(admin_client, raw):
    response = admin_client.post("/api/v1/sources", content=raw, headers={"content-type": "application/json"})
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_offsets_beyond_the_document_are_422(admin_client):
    doc = admin_client.post("/api/v1/documents", json={"text": "Short text here.", "lang": "en"}).json()
    source = admin_client.post("/api/v1/sources", json={"name": "S", "kind": "person"}).json()
    hop = {"source_id": source["id"], "relation": "said"}
    for start, end in [(0, 10**12), (2**31, 2**31 + 5), (5, 4)]:
        response = admin_client.post(
            "/api/v1/claims", json={"document_id": doc["id"], "start": start, "end": end, "hops": [hop]}
        )
        _problem(response, 422)
    bad_evidence = {**hop, "evidence_start": 0, "evidence_end": 2**40}
    response = admin_client.post(
        "/api/v1/claims", json={"document_id": doc["id"], "start": 0, "end": 5, "hops": [bad_evidence]}
    )
    _problem(response, 422)


def test_html_in_records_is_escaped_in_html_reports(admin_client, client):
    payload = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    speaker = admin_client.post("/api/v1/sources", json={"name": f"Mr {payload}"[:300], "kind": "person"}).json()
    text = f"Mr X said that {payload} will happen tomorrow."
    doc = admin_client.post("/api/v1/documents", json={"text": text, "lang": "en", "title": payload}).json()
    start = text.index(payload)
    claim = admin_client.post(
        "/api/v1/claims",
        json={"document_id": doc["id"], "start": start, "end": start + len(payload) + 18,
              "hops": [{"source_id": speaker["id"], "relation": "said", "evidence_start": 0, "evidence_end": 9}]},
    )
    assert claim.status_code == 201, claim.text
    stored = client.get(f"/api/v1/claims/{claim.json()['id']}").json()
    assert payload in stored["text"]  # stored literally
    report = client.get(f"/api/v1/claims/{claim.json()['id']}/report", params={"format": "html"})
    assert report.status_code == 200, report.text
    assert "<script>alert" not in report.text and "<img src=x" not in report.text
    assert "&lt;script&gt;" in report.text
