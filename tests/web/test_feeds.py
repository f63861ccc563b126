"""Feeds against the local server, on SQLite and PostgreSQL: RSS and Atom, conditional GET, each
entry ingested once (guid, canonical URL, content hash), failures retried, CLI and API."""

from __future__ import annotations

import json
import uuid

from click.testing import CliRunner
from sqlalchemy import func, select

from claims.cli import main
from claims.db import session_factory
from claims.feeds import add_feed, poll_all
from claims.models import Document, Feed, FeedEntry
from tests.web.server import PAGES

MODIFIED = "Tue, 03 Nov 2026 09:00:00 GMT"


def _serve_site(web) -> tuple[str, str]:
    web.page("/world/iran-vacuum", "wire_original.html")
    web.page("/world/baghdad-no-deal", "other_story.html")
    web.page("/world/wire-copy", "undated.html")
    web.page("/ar/iran-vacuum", "ar_article.html")
    port = str(web.port)
    rss = (PAGES / "feed.rss").read_text(encoding="utf-8").replace("PORT", port)
    atom = (PAGES / "feed.atom").read_text(encoding="utf-8").replace("PORT", port)
    web.add("/feeds/world.rss", rss, content_type="application/rss+xml; charset=utf-8", etag='"v1"')
    web.add("/feeds/politics.atom", atom, content_type="application/atom+xml", last_modified=MODIFIED)
    return web.url("/feeds/world.rss"), web.url("/feeds/politics.atom")


def _counts(db) -> tuple[int, dict[str, int]]:
    with session_factory(db)() as s:
        docs = s.scalar(select(func.count()).select_from(Document))
        statuses = dict(list(s.execute(select(FeedEntry.status, func.count()).group_by(FeedEntry.status))))
    return docs, statuses


def test_poll_ingests_each_entry_once(db, web, fetch_env):
    rss, atom = _serve_site(web)
    with session_factory(db, write=True)() as s:
        add_feed(s, rss, outlet="Gulf Daily Wire")
        add_feed(s, atom)
        s.commit()
    first = poll_all(db).as_dict()
    assert first["entries"] == 6
    assert first["ingested"] == 4  # three RSS pages and the Arabic one
    assert first["duplicates"] == 1  # the Atom link to the RSS story (another URL, same canonical URL)
    assert first["failed"] == 1  # the page that is gone
    docs, statuses = _counts(db)
    assert docs == 4 and statuses == {"ingested": 4, "duplicate": 1, "failed": 1}
    with session_factory(db)() as s:
        by_url = {d.url: d for d in s.scalars(select(Document))}
        iran = by_url[web.url("/world/iran-vacuum")]
        assert iran.outlet.name == "Gulf Daily Wire" and iran.author == "Sara Haddad"
        undated_page = by_url[web.url("/world/wire-copy")]
        # the page has no date: the feed entry's date is used (12:30 +03:00 = 09:30 UTC)
        assert undated_page.published_at.isoformat().startswith("2026-11-06T09:30:00")
        assert undated_page.story_id is not None and undated_page.story_id == iran.story_id
        feed = s.scalar(select(Feed).where(Feed.url == rss))
        assert feed.etag == '"v1"' and feed.last_status == 200 and feed.title == "Gulf Daily Wire — World"
        assert s.scalar(select(Feed).where(Feed.url == atom)).last_modified == MODIFIED
    # second poll: both feeds answer 304 to the conditional GET; nothing fetched or stored again
    page_hits = web.hits["/world/iran-vacuum"]
    second = poll_all(db).as_dict()
    assert [f["status"] for f in second["feeds"]] == [304, 304] and second["entries"] == 0, second
    sent = [h for path, h in web.requests if path.startswith("/feeds/")][-2:]
    assert sent[0].get("If-None-Match") == '"v1"' and sent[1].get("If-Modified-Since") == MODIFIED
    assert web.hits["/world/iran-vacuum"] == page_hits
    # the feed changes (new ETag): known entries are skipped, the failed one is tried again
    web.page("/world/gone", "ar_article.html")  # now it answers (same text as a stored page)
    web.routes["/feeds/world.rss"].etag = '"v2"'
    third = poll_all(db).as_dict()
    assert third["feeds"][0]["known"] == 3 and third["feeds"][0]["duplicates"] == 1
    assert _counts(db) == (4, {"ingested": 4, "duplicate": 2})


def test_unreachable_feed_is_recorded(db, web, fetch_env):
    with session_factory(db, write=True)() as s:
        feed, _ = add_feed(s, web.url("/feeds/missing.rss"))
        s.commit()
    report = poll_all(db).as_dict()
    assert report["feeds"][0]["error"]
    with session_factory(db)() as s:
        assert "404" in s.get(Feed, feed.id).last_error


def test_feed_is_not_html(db, web, fetch_env):
    web.add("/feeds/page.html", "<html><body>not a feed</body></html>")
    with session_factory(db, write=True)() as s:
        add_feed(s, web.url("/feeds/page.html"))
        s.commit()
    assert "text/html" in poll_all(db).as_dict()["feeds"][0]["error"]


def test_cli_feeds(db, web, fetch_env):
    fetch_env(database_url=db.url.render_as_string(hide_password=False))
    rss, _ = _serve_site(web)
    runner = CliRunner()
    added = runner.invoke(main, ["feeds", "add", rss, "--outlet", "Gulf Daily Wire"])
    assert added.exit_code == 0 and "added" in added.output
    assert "already registered" in runner.invoke(main, ["feeds", "add", rss]).output
    listed = json.loads(runner.invoke(main, ["feeds", "list", "--json"]).output)
    assert [f["url"] for f in listed] == [rss] and listed[0]["outlet"] == "Gulf Daily Wire"
    polled = runner.invoke(main, ["feeds", "poll", "--json"])
    assert polled.exit_code == 0, polled.output
    assert json.loads(polled.output)["ingested"] == 3
    refused = runner.invoke(main, ["feeds", "add", "file:///etc/passwd"])
    assert refused.exit_code == 1 and "only http and https" in refused.output


def test_api_feeds(db, admin_client, web, fetch_env):
    fetch_env(database_url=db.url.render_as_string(hide_password=False), jobs_queue=f"t{uuid.uuid4().hex[:12]}")
    rss, atom = _serve_site(web)
    r = admin_client.post("/api/v1/feeds", json={"url": rss, "outlet": "Gulf Daily Wire"})
    assert r.status_code == 201, r.text
    feed = r.json()
    assert admin_client.post("/api/v1/feeds", json={"url": rss}).status_code == 200
    assert admin_client.get("/api/v1/feeds").json()["total"] == 1
    assert admin_client.get(f"/api/v1/feeds/{feed['id']}").json()["outlet"]["name"] == "Gulf Daily Wire"
    job = admin_client.post(f"/api/v1/feeds/{feed['id']}/poll")
    assert job.status_code == 202 and job.headers["location"] == job.json()["url"]
    assert job.json()["kind"] == "feeds.poll" and job.json()["params"] == {"feed_id": feed["id"]}
    from claims.jobs import runner

    assert runner.run(uuid.UUID(job.json()["id"]), db) == "succeeded"
    done = admin_client.get(job.json()["url"]).json()
    assert done["status"] == "succeeded" and done["result"]["ingested"] == 3
    assert admin_client.post("/api/v1/feeds/poll").status_code == 202
    assert admin_client.post(f"/api/v1/feeds/{uuid.uuid4()}/poll").status_code == 404
    fetch_env(fetch_allow_private="false")
    refused = admin_client.post("/api/v1/feeds", json={"url": "http://10.0.0.1/feed.xml"})
    assert refused.status_code == 422 and refused.json()["reason"] == "private_address"
    assert admin_client.delete(f"/api/v1/feeds/{feed['id']}").status_code == 204
