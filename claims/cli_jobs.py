"""``claims feeds …``, ``claims jobs …`` and ``claims worker`` (added to the main command in cli.py)."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claims.db import get_engine, session_scope

console = Console()


def _fail(exc) -> None:
    raise click.ClickException(getattr(exc, "detail", None) or str(exc))


# ------------------------------------------------------------------------------ feeds


@click.group()
def feeds() -> None:
    """RSS/Atom feeds: add, list, poll."""


@feeds.command("add")
@click.argument("url")
@click.option("--outlet", default=None, help="The feed's outlet (matched to a stored source or created).")
def feeds_add(url: str, outlet: str | None) -> None:
    """Register the feed at URL (re-adding it changes nothing)."""
    from claims.errors import DomainError
    from claims.feeds import add_feed

    try:
        with session_scope(actor="cli:feeds") as session:
            feed, created = add_feed(session, url, outlet=outlet)
            feed_id = feed.id
    except DomainError as exc:
        _fail(exc)
    console.print(f"{'added' if created else 'already registered'}: feed {feed_id} {escape(url)}")


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True)
def feeds_list(as_json: bool) -> None:
    """Registered feeds with their last poll."""
    from claims.feeds import list_feeds

    with session_scope(write=False) as session:
        rows, _ = list_feeds(session, limit=10_000)
        out = [{"id": str(f.id), "url": f.url, "outlet": f.outlet.name if f.outlet else None, "title": f.title,
                "last_polled_at": f.last_polled_at.isoformat() if f.last_polled_at else None,
                "last_status": f.last_status, "last_error": f.last_error} for f in rows]
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    table = Table("id", "url", "outlet", "last poll", "status")
    for f in out:
        table.add_row(f["id"], escape(f["url"]), escape(f["outlet"] or ""), f["last_polled_at"] or "never",
                      str(f["last_status"] or f["last_error"] or ""))
    console.print(table)


@feeds.command("poll")
@click.option("--feed", "feed_id", default=None, help="Poll only this feed id.")
@click.option("--queue", "queued", is_flag=True, help="Submit a feeds.poll job instead of polling here.")
@click.option("--json", "as_json", is_flag=True)
def feeds_poll(feed_id: str | None, queued: bool, as_json: bool) -> None:
    """Poll every feed (conditional GET) and ingest new entries once each."""
    from claims.errors import DomainError
    from claims.feeds import poll_all

    if queued:
        from claims.jobs.store import submit

        with session_scope(actor="cli:feeds") as session:
            job, _ = submit(session, "feeds.poll", {"feed_id": feed_id} if feed_id else {})
            job_id = job.id
        click.echo(str(job_id))
        return
    try:
        report = poll_all(get_engine(), feed_id=feed_id).as_dict()
    except DomainError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
    else:
        console.print(
            f"{len(report['feeds'])} feeds, {report['entries']} entries: {report['ingested']} ingested, "
            f"{report['duplicates']} already stored, {report['known']} seen before, {report['failed']} failed"
        )
        for f in report["feeds"]:
            if f["error"]:
                console.print(f"[red]failed[/red] {escape(f['url'])}: {escape(f['error'])}")
    if any(f["error"] for f in report["feeds"]):
        sys.exit(1)


# ------------------------------------------------------------------------------ jobs


def _job_dict(job) -> dict:
    from claims.serialize import job_out

    return job_out(job).model_dump(mode="json")


@click.group()
def jobs() -> None:
    """Long-running work: list, show and submit jobs (a `claims worker` runs them)."""


@jobs.command("list")
@click.option("--status", type=click.Choice(["queued", "running", "succeeded", "failed"]), default=None)
@click.option("--kind", default=None)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True)
def jobs_list(status, kind, limit, as_json) -> None:
    """Jobs, newest first."""
    from claims.jobs.store import list_jobs

    with session_scope(write=False) as session:
        rows, total = list_jobs(session, status=status, kind=kind, limit=limit)
        out = [_job_dict(j) for j in rows]
    if as_json:
        click.echo(json.dumps({"items": out, "total": total}, ensure_ascii=False))
        return
    table = Table("id", "kind", "status", "progress", "attempts", "created")
    for j in out:
        p = j["progress"]
        table.add_row(j["id"], j["kind"], j["status"], f"{p['done']}/{p['total'] if p['total'] is not None else '?'}",
                      str(j["attempts"]), j["created_at"])
    console.print(table)


@jobs.command("show")
@click.argument("job_id")
def jobs_show(job_id: str) -> None:
    """One job as JSON: status, progress, result (or error), attempts, times."""
    import uuid

    from claims.errors import DomainError
    from claims.jobs.store import get

    try:
        with session_scope(write=False) as session:
            out = _job_dict(get(session, uuid.UUID(job_id)))
    except ValueError as exc:
        raise click.BadParameter("not a job id", param_hint="JOB_ID") from exc
    except DomainError as exc:
        _fail(exc)
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))


@jobs.command("submit")
@click.argument("kind")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A job parameter (repeatable).")
@click.option("--key", "idempotency_key", default=None, help="Idempotency key: the same key is the same job.")
def jobs_submit(kind: str, params: tuple[str, ...], idempotency_key: str | None) -> None:
    """Put a job of KIND on the queue (feeds.poll, bulk_load path=FILE, syndication.backfill, …); prints its id."""
    from claims.errors import DomainError
    from claims.jobs.store import submit

    values = {}
    for p in params:
        if "=" not in p:
            raise click.BadParameter(f"{p!r} is not KEY=VALUE", param_hint="--param")
        k, v = p.split("=", 1)
        values[k] = v
    try:
        with session_scope(actor="cli:jobs") as session:
            job, _ = submit(session, kind, values, idempotency_key=idempotency_key)
            job_id = job.id
    except DomainError as exc:
        _fail(exc)
    click.echo(str(job_id))


# ------------------------------------------------------------------------------ worker


@click.command("worker")
@click.option("--workers", "-w", default=None, type=click.IntRange(1, 64), help="Worker threads (CLAIMS_JOBS_WORKERS).")
@click.option("--no-scheduler", is_flag=True, help="Do not enqueue periodic jobs (feed polling) from this process.")
def worker(workers: int | None, no_scheduler: bool) -> None:
    """Run jobs from the queue until SIGINT/SIGTERM. Start as many as you like, on any machines
    that reach the same database and queue."""
    import logging
    import threading

    from claims.jobs import queue

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    q = queue.current()
    Console(stderr=True).print(f"worker on {q.kind} queue {q.huey.name!r} at {escape(_safe(q.location))}")
    stop = threading.Event()
    queue.Recovery(stop).start()
    try:
        queue.consumer(workers, periodic=not no_scheduler).run()
    finally:
        stop.set()


def _safe(location: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(location).render_as_string(hide_password=True)
    except Exception:
        return location


COMMANDS = [feeds, jobs, worker]
