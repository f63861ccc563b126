"""Articles from the web through the API and the CLI, on SQLite and PostgreSQL: metadata stored,
furniture never a claim, offsets into the stored text, refusals as problem+json, syndication."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from claims.cli import main
from claims.db import session_factory
from claims.models import Claim, Document, RelayHop, Source

PROBLEM = "application/problem+json"
FURNITURE = ("Business", "Share on", "Read also", "Oil prices climb", "Related stories", "Cookie", "Accept all",
             "Most read", "Subscribe", "اقرأ أيضاً", "مواضيع ذات صلة", "شارك", "الرئيسية")


def test_post_url_stores_article_with_metadata(db, admin_client, web, fetch_env):
    url = web.page("/world/iran", "wire_original.html")
    r = admin_client.post("/api/v1/documents", json={"url": url})
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["title"] == "Iran could fill the vacuum, analysts say"
    assert doc["outlet"]["name"] == "Gulf Daily Wire"
    assert doc["author"] == "Sara Haddad"
    assert doc["lang"] == "en"
    assert doc["canonical_url"] == "https://gulfwire.example/world/iran-vacuum-analysts"
    assert doc["url"] == url
    assert doc["published_at"].startswith("2026-11-03T08:15:00")
    assert doc["fetched_at"] is not None
    assert doc["claims"], "the article's attributions are extracted"
    with session_factory(db)() as s:
        stored = s.get(Document, doc["id"])
        for f in FURNITURE:
            assert f not in stored.text
        for claim in s.scalars(select(Claim).where(Claim.document_id == stored.id)):
            assert stored.text[claim.start_offset : claim.end_offset] == claim.text
            for f in FURNITURE:
                assert f not in claim.text
        for hop in s.scalars(select(RelayHop).join(Claim).where(Claim.document_id == stored.id)):
            if hop.evidence_start is not None:
                assert 0 <= hop.evidence_start < hop.evidence_end <= len(stored.text)
    # the same URL again: the stored document, nothing fetched twice into the database
    again = admin_client.post("/api/v1/documents", json={"url": url})
    assert again.status_code == 200 and again.json()["id"] == doc["id"]
    with session_factory(db)() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1


def test_post_url_arabic(db, admin_client, web, fetch_env):
    r = admin_client.post("/api/v1/documents", json={"url": web.page("/ar", "ar_article.html")})
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["lang"] == "ar" and doc["outlet"]["name"] == "الخليج اليوم" and doc["author"] == "ليلى منصور"
    assert doc["published_at"].startswith("2026-11-03T03:30:00")
    assert doc["claims"]
    for claim in doc["claims"]:
        assert doc["text"][claim["start"] : claim["end"]] == claim["text"]
        for f in FURNITURE:
            assert f not in claim["text"]


def test_given_fields_win_over_page_metadata(db, admin_client, web, fetch_env):
    r = admin_client.post("/api/v1/documents", json={
        "url": web.page("/w", "wire_original.html"), "outlet": "Desk Copy", "title": "Own title",
        "published_at": "2026-11-01T00:00:00Z"})
    assert r.status_code == 201, r.text
    doc = r.json()
    assert (doc["outlet"]["name"], doc["title"]) == ("Desk Copy", "Own title")
    assert doc["published_at"].startswith("2026-11-01T00:00:00")


@pytest.mark.parametrize(
    ("url", "reason"),
    [("http://127.0.0.1:9/x", "private_address"), ("http://169.254.169.254/latest", "private_address"),
     ("http://10.0.0.7/", "private_address")],
)
def test_refusal_is_problem_json(db, admin_client, fetch_env, url, reason):
    fetch_env(fetch_allow_private="false")
    r = admin_client.post("/api/v1/documents", json={"url": url})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["title"] == "URL refused" and body["reason"] == reason and "CLAIMS_FETCH_ALLOW_PRIVATE" in body["detail"]


def test_scheme_refused_by_schema(db, admin_client, fetch_env):
    r = admin_client.post("/api/v1/documents", json={"url": "file:///etc/passwd"})
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize("kind", ["oversized", "non_html", "slow", "missing"])
def test_fetch_failures_are_problem_json_and_write_nothing(db, admin_client, web, fetch_env, kind):
    if kind == "oversized":
        url = web.add("/big", b"<p>" + b"y" * 10_000 + b"</p>", repeat=40)
    elif kind == "non_html":
        url = web.add("/data.json", b'{"a": 1}', content_type="application/json")
    elif kind == "slow":
        url = web.add("/slow", b"<html><p>late</p></html>", delay=3.0)
    else:
        url = web.url("/gone")
    r = admin_client.post("/api/v1/documents", json={"url": url})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["reason"] in {"too_large", "content_type", "timeout", "http_status"}
    with session_factory(db)() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
        assert s.scalar(select(func.count()).select_from(Source)) == 0


def test_body_needs_text_or_url(db, admin_client):
    r = admin_client.post("/api/v1/documents", json={"lang": "en"})
    assert r.status_code == 422


def test_cli_ingest_urls_and_files(db, web, fetch_env, tmp_path):
    fetch_env(database_url=db.url.render_as_string(hide_password=False))
    plain = tmp_path / "a.txt"
    plain.write_text("The minister said on Monday that the bridge will reopen in spring.", encoding="utf-8")
    urls = [web.page("/1", "wire_original.html"), web.page("/2", "ar_article.html")]
    runner = CliRunner()
    r = runner.invoke(main, ["ingest", *urls, str(plain), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["documents_created"] == 3
    with session_factory(db)() as s:
        docs = {d.url: d for d in s.scalars(select(Document))}
        assert docs[urls[0]].author == "Sara Haddad" and docs[urls[1]].lang == "ar"
    again = json.loads(runner.invoke(main, ["ingest", *urls, "--json"]).output)
    assert again["documents_created"] == 0 and again["documents_existing"] == 2
    bad = runner.invoke(main, ["ingest", web.url("/none"), "--json"])
    assert bad.exit_code == 1 and json.loads(bad.output)["errors"][0]["path"] == web.url("/none")


def test_syndicated_copies_are_one_story(db, admin_client, web, fetch_env):
    original = admin_client.post("/api/v1/documents", json={"url": web.page("/o", "wire_original.html")}).json()
    copy = admin_client.post("/api/v1/documents", json={"url": web.page("/c", "wire_copy.html")}).json()
    undated = admin_client.post("/api/v1/documents", json={"url": web.page("/u", "undated.html"),
                                                              "outlet": "Aggregator Blog"}).json()
    other = admin_client.post("/api/v1/documents", json={"url": web.page("/x", "other_story.html")}).json()
    assert original["id"] != copy["id"]
    story = copy["story_id"]
    assert story is not None and undated["story_id"] == story
    assert admin_client.get(f"/api/v1/documents/{original['id']}").json()["story_id"] == story
    assert other["story_id"] is None


def test_first_appearance_uses_publication_dates(db, admin_client, web, fetch_env):
    """The copy is ingested first, the original later: the answer still names the earlier dated
    publisher first, the later one as re-publishing it, and the undated copy as undated."""
    for path, page, extra in (("/c", "wire_copy.html", {}), ("/u", "undated.html", {"outlet": "Aggregator Blog"}),
                              ("/o", "wire_original.html", {})):
        r = admin_client.post("/api/v1/documents", json={"url": web.page(path, page), **extra})
        assert r.status_code == 201, r.text
    for question, expected in (
        ("When was it first reported that Iran may try to fill the vacuum left by a U.S. withdrawal from Iraq?",
         ["First published by Gulf Daily Wire on 2026-11-03 08:15 UTC",
          "re-published by The Evening Courier (2026-11-04 14:40 UTC)", "Undated: Aggregator Blog"]),
    ):
        r = admin_client.post("/api/v1/ask", json={"question": question})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["found"] and body["intent"] == "first_reported", body
        text = body["answers"][0]["answer_text"]
        for part in expected:
            assert part in text, text
