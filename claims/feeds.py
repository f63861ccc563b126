"""RSS/Atom feeds: register them, poll them, ingest each new entry's article once.

Polling is a conditional GET (the feed's last ETag and Last-Modified): an unchanged feed
answers 304 and costs nothing. feedparser reads the body (given as bytes, so it never fetches
anything itself). An entry is ingested once: it is known by (feed, guid); before fetching its
page the link is looked up among stored canonical URLs and URLs; after extraction, the same text
(content hash) is the stored document. Each entry is its own transaction; one that fails is
recorded with its error and tried again on the next poll.
"""

from __future__ import annotations

import calendar
import datetime
import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import feedparser
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from claims.db import session_factory, stored
from claims.errors import DomainError, Invalid
from claims.fetch import FEED_TYPES, check_url, fetch
from claims.models import Feed, FeedEntry
from claims.services import DocumentService
from claims.vocabulary import FeedEntryStatus

log = logging.getLogger("claims.feeds")


def add_feed(session: Session, url: str, *, outlet: str | None = None) -> tuple[Feed, bool]:
    """Register a feed (its URL must be fetchable); the same URL again returns the stored feed."""
    check_url(url)
    existing = session.scalar(select(Feed).where(Feed.url == url))
    if existing is not None:
        return existing, False
    outlet_id = None
    if outlet:
        from claims.ingest import IngestService

        outlet_id = IngestService(session).outlet_source(outlet)
    feed = Feed(url=url, outlet_id=outlet_id)
    session.add(feed)
    session.flush()
    return feed, True


def list_feeds(session: Session, *, limit: int = 50, offset: int = 0) -> tuple[list[Feed], int]:
    from sqlalchemy import func

    total = session.scalar(select(func.count()).select_from(Feed))
    return list(session.scalars(select(Feed).order_by(Feed.created_at, Feed.id).limit(limit).offset(offset))), total


def get_feed(session: Session, feed_id: uuid.UUID) -> Feed:
    return stored(session, Feed, feed_id, "feed")


def delete_feed(session: Session, feed_id: uuid.UUID) -> None:
    session.delete(get_feed(session, feed_id))
    session.flush()


@dataclass
class FeedPoll:
    feed_id: str
    url: str
    status: int | None = None
    not_modified: bool = False
    entries: int = 0
    ingested: int = 0
    duplicates: int = 0
    known: int = 0
    failed: int = 0
    documents: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class PollReport:
    feeds: list[FeedPoll] = field(default_factory=list)

    def as_dict(self) -> dict:
        totals = {k: sum(getattr(p, k) for p in self.feeds) for k in ("entries", "ingested", "duplicates", "known", "failed")}
        return {**totals, "feeds": [asdict(p) for p in self.feeds]}


def _entry_time(entry) -> datetime.datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.datetime.fromtimestamp(calendar.timegm(parsed), datetime.UTC)
    return None


def _record(engine: Engine, feed_id, guid: str, url: str | None, status: FeedEntryStatus, *, document_id=None,
            error: str | None = None) -> None:
    with session_factory(engine, write=True)() as s:
        s.info["actor"] = "feeds"
        row = s.scalar(select(FeedEntry).where(FeedEntry.feed_id == feed_id, FeedEntry.guid == guid))
        if row is None:
            row = FeedEntry(feed_id=feed_id, guid=guid)
            s.add(row)
        row.url, row.status, row.document_id, row.error = url, status.value, document_id, error
        s.commit()


def poll_feed(engine: Engine, feed_id: uuid.UUID) -> FeedPoll:
    """Poll one feed and ingest its new entries."""
    from claims.ingest import IngestService

    with session_factory(engine)() as s:
        feed = get_feed(s, feed_id)
        url, etag, modified = feed.url, feed.etag, feed.last_modified
        outlet_id = feed.outlet_id
        seen = {
            guid: status
            for guid, status in s.execute(select(FeedEntry.guid, FeedEntry.status).where(FeedEntry.feed_id == feed_id))
        }
    report = FeedPoll(str(feed_id), url)
    try:
        fetched = fetch(url, accept=FEED_TYPES, etag=etag, last_modified=modified)
    except DomainError as exc:
        report.error = exc.detail
        _feed_state(engine, feed_id, status=None, error=exc.detail)
        return report
    report.status = fetched.status
    if fetched.not_modified:
        report.not_modified = True
        _feed_state(engine, feed_id, status=304)
        return report
    parsed = feedparser.parse(fetched.body, response_headers={"content-location": fetched.url})
    title = (parsed.feed.get("title") or "")[:500] or None
    for entry in parsed.entries:
        report.entries += 1
        link = entry.get("link")
        guid = (entry.get("id") or link or "")[:2000]
        if not guid:
            report.failed += 1
            continue
        if seen.get(guid) in (FeedEntryStatus.INGESTED.value, FeedEntryStatus.DUPLICATE.value):
            report.known += 1
            continue
        if not link:
            _record(engine, feed_id, guid, None, FeedEntryStatus.FAILED, error="the entry has no link")
            report.failed += 1
            continue
        with session_factory(engine)() as s:
            stored = DocumentService(s).by_url(link)
            stored_id = stored.id if stored else None
        if stored_id is not None:
            _record(engine, feed_id, guid, link, FeedEntryStatus.DUPLICATE, document_id=stored_id)
            report.duplicates += 1
            continue
        try:
            with session_factory(engine, write=True)() as s:
                s.info["actor"] = "feeds"
                # the page is fetched before this session touches the database
                result = IngestService(s).ingest_url(link, outlet_id=outlet_id, published_at=None,
                                                     fallback_published_at=_entry_time(entry))
                document_id = result.document.id
                row = s.scalar(select(FeedEntry).where(FeedEntry.feed_id == feed_id, FeedEntry.guid == guid))
                if row is None:
                    row = FeedEntry(feed_id=feed_id, guid=guid)
                    s.add(row)
                status = FeedEntryStatus.INGESTED if result.created else FeedEntryStatus.DUPLICATE
                row.url, row.status, row.document_id, row.error = link, status.value, document_id, None
                s.commit()
        except (DomainError, ValueError) as exc:
            detail = getattr(exc, "detail", None) or str(exc)
            _record(engine, feed_id, guid, link, FeedEntryStatus.FAILED, error=detail[:2000])
            report.failed += 1
            continue
        if result.created:
            report.ingested += 1
            report.documents.append(str(document_id))
        else:
            report.duplicates += 1
    _feed_state(engine, feed_id, status=fetched.status, etag=fetched.etag, modified=fetched.last_modified, title=title)
    return report


def _feed_state(engine: Engine, feed_id, *, status: int | None, error: str | None = None, etag: str | None = None,
                modified: str | None = None, title: str | None = None) -> None:
    with session_factory(engine, write=True)() as s:
        s.info["actor"] = "feeds"
        feed = s.get(Feed, feed_id)
        if feed is None:
            return
        feed.last_polled_at = datetime.datetime.now(datetime.UTC)
        feed.last_status = status
        feed.last_error = error[:2000] if error else None
        if status == 200:
            feed.etag = etag[:500] if etag else None
            feed.last_modified = modified[:100] if modified else None
            if title and not feed.title:
                feed.title = title
        s.commit()


def poll_all(engine: Engine, *, feed_id: str | None = None,
             progress: Callable[[int, int | None], None] | None = None) -> PollReport:
    """Poll every registered feed (or one), in order of registration."""
    with session_factory(engine)() as s:
        if feed_id is not None:
            try:
                ids = [get_feed(s, uuid.UUID(str(feed_id))).id]
            except ValueError as exc:
                raise Invalid(f"not a feed id: {feed_id}", field="feed_id") from exc
        else:
            ids = list(s.scalars(select(Feed.id).order_by(Feed.created_at, Feed.id)))
    report = PollReport()
    for n, fid in enumerate(ids, 1):
        report.feeds.append(poll_feed(engine, fid))
        if progress is not None:
            progress(n, len(ids))
    return report


__all__ = ["add_feed", "delete_feed", "get_feed", "list_feeds", "poll_all", "poll_feed"]
