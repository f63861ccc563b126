"""The ``claims`` command: database, seeds, questions, audit, and serving the API."""

from __future__ import annotations

import json
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claims.db import get_engine, session_scope
from claims.settings import get_settings


@contextmanager
def refusals_as_click_errors():
    """A rule the domain refuses (DomainError) ends the command with its message and status 1,
    not a traceback."""
    from claims.errors import DomainError

    try:
        yield
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc


def _print_secret(secret: str) -> None:
    click.echo("store this secret now; it cannot be shown again:", err=True)
    click.echo(secret)

console = Console()


@click.group()
def main() -> None:
    """Claim tracking and source attribution. Database: $CLAIMS_DATABASE_URL (default sqlite:///claims.db)."""


@main.group()
def db() -> None:
    """Schema migrations."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from claims import migrate

    migrate.upgrade(get_engine(), revision)
    console.print(f"database at revision [bold]{migrate.current(get_engine())}[/bold]")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (e.g. base)."""
    from claims import migrate

    migrate.downgrade(get_engine(), revision)
    console.print(f"database at revision [bold]{migrate.current(get_engine())}[/bold]")


@db.command("current")
def db_current() -> None:
    """Print the database's revision."""
    from claims import migrate

    click.echo(migrate.current(get_engine()) or "(empty)")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def seed(as_json: bool) -> None:
    """Load the curated seed texts and annotations (idempotent)."""
    from claims.seeding import seed as run_seed

    with session_scope(actor="seed") as session:
        report = run_seed(session, get_settings().seeds_dir)
    if as_json:
        click.echo(json.dumps(report.__dict__, ensure_ascii=False))
    else:
        console.print(
            f"seeded {report.documents} documents, {report.sources} sources, {report.groups} groups; "
            f"claims: {report.claims_created} created, {report.claims_updated} updated, "
            f"{report.claims_unchanged} unchanged"
        )


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the full JSON answer (the API's contract).")
@click.option("--limit", default=3, show_default=True, type=click.IntRange(1, 20))
def ask(question: str, as_json: bool, limit: int) -> None:
    """Answer a provenance QUESTION in English or Arabic."""
    from pydantic import ValidationError

    from claims.query import ask as run_ask
    from claims.schemas import AskIn

    try:
        data = AskIn(question=question, limit=limit)
    except ValidationError as exc:
        raise click.BadParameter(exc.errors()[0]["msg"], param_hint="QUESTION") from exc
    with session_scope(write=False) as session:
        result = run_ask(session, data.question, limit=data.limit)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    if result.verdict:
        console.print(f"[bold]verdict: {str(result.verdict).replace('_', ' ')}[/bold]")
    if not result.found:
        console.print("[yellow]Not found:[/yellow] nothing stored supports this question.")
        sys.exit(1)
    for n, answer in enumerate(result.answers, 1):
        verdict = f" [verdict: {str(answer.verdict).replace('_', ' ')}]" if answer.verdict else ""
        console.print(f"[bold]{n}. {escape(answer.answer_text or '')}[/bold]  (confidence {answer.confidence:.2f}){escape(verdict)}")
        console.print(escape(f"   claim [{answer.claim.lang}, {answer.claim.modality}]: {answer.claim.text}"))
        table = Table(show_header=True, header_style="bold")
        for col in ("#", "source", "relation", "lang", "modality", "evidence"):
            table.add_column(col)
        for hop in answer.chain:
            ev = hop.evidence.text if hop.evidence else ""
            table.add_row(
                str(hop.position), escape(hop.source.display_name or hop.source.name), hop.relation, hop.lang or "", hop.modality or "",
                escape(ev if len(ev) < 90 else ev[:87] + "..."),
            )
        console.print(table)
        for member in answer.group:
            console.print(escape(f"   same claim in [{member.lang}]: {member.text}"))
        for d in answer.drift:
            console.print(f"   drift ({d.scope}) {d.field}: {d.before} → {d.after}")


def _parse_datetime(value: str | None):
    if value is None:
        return None
    import datetime

    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date or date-time: {value!r}", param_hint="--published-at") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--outlet", default=None, help="Publisher name (matched to a stored source or created).")
@click.option("--lang", type=click.Choice(["ar", "en"]), default=None, help="Language (detected when omitted).")
@click.option("--url", default=None, help="URL of the article.")
@click.option("--published-at", "published_at", default=None, help="Publication date (ISO 8601).")
@click.option("--no-grouping", is_flag=True, help="Do not group claims with other documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest(paths, outlet, lang, url, published_at, no_grouping, as_json) -> None:
    """Extract claims, speakers and relay chains from raw text or HTML files, or from web pages
    (http(s) URLs: fetched, main text and metadata extracted), and store them.

    Each file or URL is one transaction: one that fails leaves nothing behind and the others go
    on. Re-ingesting the same text (content hash) or the same URL changes nothing.
    """
    from pydantic import ValidationError
    from rich.progress import Progress

    from claims.errors import DomainError
    from claims.extraction.grouping import Grouper
    from claims.ingest import IngestService

    when = _parse_datetime(published_at)
    if url is not None and not re.match(r"^https?://\S+$", url):
        raise click.BadParameter("must be an http(s) URL", param_hint="--url")
    totals = {"documents": 0, "documents_created": 0, "documents_existing": 0, "claims": 0, "sources_created": 0, "sources_matched": 0, "grouped": 0}
    files, errors = [], []
    grouper = Grouper()
    err_console = Console(stderr=True)
    with Progress(console=err_console, disable=len(paths) < 2 or as_json, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(paths))
        for path in paths:
            try:
                web = re.match(r"^https?://", path) is not None
                if not web and not Path(path).is_file():
                    raise click.BadParameter(f"{path} is neither a file nor an http(s) URL", param_hint="PATHS")
                raw = None if web else Path(path).read_text(encoding="utf-8")
                with session_scope(actor="ingest") as session:
                    service = IngestService(session, grouping=not no_grouping, grouper=grouper)
                    if web:
                        result = service.ingest_url(path, lang=lang, outlet=outlet, published_at=when)
                    else:
                        result = service.ingest(raw, lang=lang, outlet=outlet, url=url, published_at=when)
                    summary = result.summary()
            except (DomainError, ValidationError, UnicodeDecodeError) as exc:
                errors.append({"path": str(path), "error": str(exc).splitlines()[0][:300]})
                progress.advance(task)
                continue
            totals["documents"] += 1
            totals["documents_created" if summary["created"] else "documents_existing"] += 1
            for k in ("claims", "sources_created", "sources_matched", "grouped"):
                totals[k] += summary[k]
            files.append({"path": str(path), **summary})
            progress.advance(task)
    if totals["claims"]:  # the vector graph on disk, if there is one, takes the new vectors
        from claims import vector_store

        added = vector_store.update_if_built(get_engine())
        if added is not None:
            totals["vectors_indexed"] = added
    if as_json:
        click.echo(json.dumps({**totals, "files": files, "errors": errors}, ensure_ascii=False))
    else:
        console.print(
            f"ingested {totals['documents']} documents ({totals['documents_created']} new, "
            f"{totals['documents_existing']} already stored): {totals['claims']} claims, "
            f"sources {totals['sources_created']} created / {totals['sources_matched']} matched, "
            f"{totals['grouped']} claims grouped with other documents"
        )
        for e in errors:
            console.print(f"[red]failed[/red] {e['path']}: {e['error']}")
    if errors:
        sys.exit(1)


@main.group("eval")
def eval_group() -> None:
    """Evaluate extraction against annotated sets."""


@eval_group.command("attribution")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Score only the first N primary records.")
def eval_attribution(path: Path, as_json: bool, limit: int | None) -> None:
    """Score speaker, cue and content spans (P/R/F1, exact and overlap) and chain exact match on
    a PolNeAR-format JSONL file (or one written by `claims eval export-seeds`)."""
    from claims.evaluation import evaluate

    result = evaluate(path, limit=limit)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    table = Table(show_header=True, header_style="bold")
    for col in ("lang", "docs", "span", "P", "R", "F1", "F1 overlap"):
        table.add_column(col)
    rows = [("all", result), *result["by_lang"].items()]
    for lang, res in rows:
        for span in ("speaker", "cue", "content"):
            sc = res[span]
            table.add_row(lang, str(res["n_docs"]), span, f"{sc['p']:.3f}", f"{sc['r']:.3f}", f"{sc['f1']:.3f}", f"{sc['f1_overlap']:.3f}")
    console.print(table)
    model = result["model"]["en"]
    console.print(f"English attribution model: {model['name']} {model.get('version') or ''}".rstrip() + (f" ({model['path']})" if model.get("path") else f" ({model.get('reason')})"))
    for lang, res in rows:
        chain = res["chain_exact"]
        console.print(f"chain exact match ({lang}): " + ("n/a (no chains in this set)" if chain is None else f"{chain:.3f} of {res['chain_claims']} claims"))


@eval_group.command("export-seeds")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def eval_export_seeds(out: Path) -> None:
    """Write the curated seed annotations as PolNeAR-format JSONL (with relay chains)."""
    from claims.evaluation import export_seeds

    records = export_seeds(get_settings().seeds_dir)
    with out.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    console.print(f"wrote {len(records)} records to {out}")


@eval_group.command("retrieval")
@click.option("--collection", required=True, type=click.Path(exists=True, dir_okay=False), help="JSON lines {id, claim, title}")
@click.option("--queries", required=True, type=click.Path(exists=True, dir_okay=False), help="JSON lines {id, claim, split, relevant_vclaim_ids}")
@click.option("--split", default="dev", show_default=True, help="Query split to score (train, dev or all).")
@click.option("--weight", type=float, default=None, help="Vector weight in the fused ranking (default: the tuned one).")
@click.option("--json", "as_json", is_flag=True, help='Print {"n_queries", "map@5", "mrr", "success@1"}.')
def eval_retrieval(collection: str, queries: str, split: str, weight: float | None, as_json: bool) -> None:
    """Store COLLECTION as claims in a throw-away database, rank it for each query, score the ranking."""
    from claims.query import retrieve
    from claims.query.retrieval_eval import evaluate_retrieval

    if weight is not None:
        retrieve.VECTOR_WEIGHT = weight
    scores = evaluate_retrieval(Path(collection), Path(queries), split=split)
    if as_json:
        click.echo(json.dumps(scores.as_dict()))
    else:
        d = scores.as_dict()
        console.print(f"{d['n_queries']} queries: MAP@5 {d['map@5']:.4f}  MRR {d['mrr']:.4f}  success@1 {d['success@1']:.4f}")


@main.group()
def audit() -> None:
    """The tamper-evident audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; exit 1 at the first broken link."""
    from claims.audit import verify_chain

    with session_scope(write=False) as session:
        report = verify_chain(session)
    if report.ok:
        console.print(f"audit chain intact: {report.events} events")
    else:
        console.print(f"[red]audit chain broken[/red] at event {report.broken_at}: {report.problem}")
        sys.exit(1)


@main.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_cmd(file: Path) -> None:
    """Write a full, versioned dump of the database (records, history, audit chain, key hashes) to FILE."""
    from claims.backup import export_file

    report = export_file(get_engine(), file)
    click.echo(f"exported {report.rows} rows at revision {report.revision} to {file} (sha256 {report.sha256})")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_cmd(file: Path) -> None:
    """Restore a dump from FILE into an empty database (SQLite or PostgreSQL), all or nothing.

    A dump written at an older schema revision is loaded at that revision, then migrated to head."""
    from claims.backup import import_file

    with refusals_as_click_errors():
        report = import_file(get_engine(), file)
    migrated = f" (dump at {report.migrated_from}, migrated)" if report.migrated_from else ""
    click.echo(
        f"imported {report.rows} rows at revision {report.revision}{migrated}; "
        f"audit chain intact ({report.chain_events} events)"
    )


@main.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--progress", is_flag=True, help="Print a line after each document.")
def load_cmd(file: Path, progress: bool) -> None:
    """Load annotated documents from a JSON Lines FILE, one transaction per document (re-runnable)."""
    from claims.loading import load

    def show(report) -> None:
        click.echo(f"{report.lines} lines: {report.documents_created} new, {report.documents_skipped} skipped", err=True)

    with refusals_as_click_errors():
        report = load(get_engine(), file, actor=get_settings().actor or "load", progress=show if progress else None)
    click.echo(
        f"loaded {report.documents_created} documents ({report.claims_created} claims); "
        f"{report.documents_skipped} already stored"
    )


@main.command("bulk-load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--no-embeddings", is_flag=True, help="Do not compute sentence vectors now (`claims embed --missing` later).")
@click.option("--batch", default=500, show_default=True, type=click.IntRange(1, 100_000), help="Documents per transaction.")
@click.option("--strict", is_flag=True, help="Abort at the first bad line; the whole file is one transaction.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--workers", type=click.IntRange(1, 2), default=None,
              help="2: a second process reads and prepares rows while this one writes; 1: one process "
                   "[default: 2 on two or more cores, for files of 1 MB or more].")
def bulk_load_cmd(path: Path, no_embeddings: bool, batch: int, strict: bool, as_json: bool, workers: int | None) -> None:
    """Load an archive of annotated documents from a JSON Lines PATH in batches (re-runnable).

    One object per line: {"document": {title, lang, outlet, url, published_at, text}, "claims":
    [{start, end, speaker, modality, stance, group, chain: [{source, relation, lang, modality, cue,
    evidence}]}]}. Bad lines are reported with their number and skipped (or abort with --strict).
    """
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from claims.bulk import BulkLoadAborted, bulk_load

    err = Console(stderr=True)
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(), TextColumn("{task.fields[stats]}"),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, disable=as_json, transient=False) as bar:
        task = bar.add_task("loading", total=path.stat().st_size, stats="")
        import time as _time

        started = _time.perf_counter()

        def show(rep) -> None:
            rate = rep.claims_created / max(_time.perf_counter() - started, 1e-9)
            bar.update(task, completed=rep.bytes_read,
                       stats=f"{rep.lines} lines, {rep.documents_created} docs, {rep.claims_created} claims ({rate:,.0f}/s), {len(rep.errors)} bad")

        try:
            rep = bulk_load(get_engine(), path, batch=batch, strict=strict, actor=get_settings().actor or "bulk-load",
                            progress=show, workers=workers)
        except BulkLoadAborted as exc:
            err.print(f"[red]aborted[/red] {escape(str(exc.error))}; nothing was written")
            sys.exit(1)
    elapsed = _time.perf_counter() - started
    embedded = 0
    if not no_embeddings and rep.claims_created:
        embedded = _embed_missing(as_json)
    if as_json:
        click.echo(json.dumps({**rep.as_dict(), "seconds": round(elapsed, 3), "embedded": embedded}, ensure_ascii=False))
    else:
        console.print(
            f"loaded {rep.documents_created} documents ({rep.documents_existing} already stored), "
            f"{rep.claims_created} claims, {rep.hops_created} hops, {rep.sources_created} new sources, "
            f"{rep.groups_created} new groups in {elapsed:.1f} s ({rep.claims_created / max(elapsed, 1e-9):,.0f} claims/s)"
            + (f"; {embedded} claims embedded" if embedded else "")
        )
        for e in rep.errors[:50]:
            console.print(f"[red]skipped[/red] line {e.line}: {escape(e.message)}")
        if len(rep.errors) > 50:
            console.print(f"... and {len(rep.errors) - 50} more bad lines")
    if rep.errors:
        sys.exit(2)


def _embed_missing(quiet: bool, limit: int | None = None) -> int:
    from rich.progress import Progress

    from claims import embeddings
    from claims.bulk import embed_missing

    if not embeddings.enabled():
        Console(stderr=True).print("embeddings are not installed or switched off: nothing to embed")
        return 0
    with Progress(console=Console(stderr=True), disable=quiet) as bar:
        task = bar.add_task("embedding", total=None)

        def show(rep, total) -> None:
            bar.update(task, completed=rep.claims, total=total)

        done = embed_missing(get_engine(), limit=limit, progress=show).claims
    _refresh_vector_index(done)
    return done


def _refresh_vector_index(added: int) -> None:
    """Fold new vectors into the on-disk index, building it once the store is large enough."""
    from sqlalchemy import func, select

    from claims.models import ClaimEmbedding
    from claims.vector_store import ANN_MIN, index_dir, read_manifest, update

    engine = get_engine()
    if not added:
        return
    exists = read_manifest(index_dir(engine.url.render_as_string(hide_password=False))) is not None
    if not exists:
        with engine.connect() as conn:
            if (conn.scalar(select(func.count()).select_from(ClaimEmbedding)) or 0) < ANN_MIN:
                return
    Console(stderr=True).print(f"vector index: {update(engine)} vectors added")


@main.group("index")
def index_group() -> None:
    """The on-disk approximate vector index (usearch HNSW, int8), shared by server workers."""


@index_group.command("rebuild")
def index_rebuild() -> None:
    """Build the vector index from every stored vector (replaces the files atomically)."""
    from claims import embeddings
    from claims.vector_store import index_dir, rebuild

    if not embeddings.enabled():
        raise click.ClickException("embeddings are not installed or switched off")
    manifest = rebuild(get_engine())
    console.print(f"vector index: {manifest.count} vectors in {index_dir(get_engine().url.render_as_string(hide_password=False))}")


@index_group.command("update")
def index_update() -> None:
    """Add the vectors stored since the last build to the index (builds it when there is none)."""
    from claims.vector_store import update

    console.print(f"vector index: {update(get_engine())} vectors added")


@main.command("embed")
@click.option("--missing", is_flag=True, required=True, help="Embed every claim that has no vector yet (resumable).")
@click.option("--limit", type=click.IntRange(1), default=None, help="Embed at most N claims.")
def embed_cmd(missing: bool, limit: int | None) -> None:
    """Compute sentence vectors in batches for claims stored without them."""
    n = _embed_missing(False, limit)
    console.print(f"embedded {n} claims")


@main.group()
def report() -> None:
    """Auditor reports: claims report KIND ID --format F [-o FILE]; claims report verify FILE."""


def _report_command(kind: str, help_text: str):
    from claims.reports import FORMATS

    @report.command(kind, help=help_text)
    @click.argument("subject")
    @click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
    @click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
                  help="Write to FILE instead of standard output.")
    def command(subject: str, fmt: str, output: str | None) -> None:
        from claims.reports import build_report, render
        from claims.reports.lookup import resolve_subject

        with refusals_as_click_errors(), session_scope() as session:
            subject_id = resolve_subject(session, kind, subject)
            rendered = render(build_report(session, kind, subject_id), fmt)
        if output:
            with open(output, "wb") as fh:
                fh.write(rendered.body)
            click.echo(f"wrote {output} ({len(rendered.body)} bytes, sha256:{rendered.digest})", err=True)
        else:
            sys.stdout.buffer.write(rendered.body)
            sys.stdout.buffer.flush()

    return command


_report_command("claim", "Report on one claim. SUBJECT: its id or key.")
_report_command("claim-group", "Report on a claim group. SUBJECT: its id or key.")
_report_command("document", "Report on a document's claims. SUBJECT: its id or content hash.")
_report_command("source", "Report on a source's claims. SUBJECT: its id or key.")


@report.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def report_verify(file: str) -> None:
    """Check a report FILE against its seal; exit 1 if it was changed."""
    from claims.reports import verify

    with open(file, "rb") as fh:
        result = verify(fh.read())
    if result.ok:
        click.echo(f"report intact: sha256:{result.digest}")
    else:
        click.echo(f"report fails verification: {result.problem}", err=True)
        sys.exit(1)


@main.group()
def keys() -> None:
    """API keys (stored hashed; the secret is printed once, at creation)."""


@keys.command("create")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    help="read, write, review or admin; repeat or separate with commas (admin grants all).",
)
@click.option("--expires", default=None, help="Refuse the key from this UTC date-time on (e.g. 2027-06-30T00:00:00Z).")
@click.option("--expires-in-days", type=click.IntRange(1, 36500), default=None, help="Refuse the key after N days.")
def keys_create(name: str, scopes: tuple[str, ...], expires: str | None, expires_in_days: int | None) -> None:
    """Create key NAME and print its secret (only now: it is not stored). A revoked name can be reused."""
    import datetime

    from claims.keys import create_key

    if expires and expires_in_days:
        raise click.UsageError("give --expires or --expires-in-days, not both")
    expires_at = _parse_datetime(expires)
    if expires_in_days:
        expires_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=expires_in_days)
    with refusals_as_click_errors(), session_scope() as session:
        row, secret = create_key(session, name, list(scopes), expires_at=expires_at)
    until = f", expires {row.expires_at.isoformat(timespec='seconds')}" if row.expires_at else ""
    click.echo(f"created key {row.name!r} with scopes: {row.scopes}{until}", err=True)
    _print_secret(secret)


@keys.command("rotate")
@click.argument("name")
def keys_rotate(name: str) -> None:
    """Give live key NAME a new secret and print it; the old secret stops working at once."""
    from claims.keys import rotate_key

    with refusals_as_click_errors(), session_scope() as session:
        row, secret = rotate_key(session, name)
    click.echo(f"rotated key {row.name!r} (scopes: {row.scopes}); the old secret no longer works", err=True)
    _print_secret(secret)


@keys.command("revoke")
@click.argument("name")
def keys_revoke(name: str) -> None:
    """Revoke key NAME (requests with it get 401 from now on)."""
    from claims.keys import revoke_key

    with refusals_as_click_errors(), session_scope() as session:
        row = revoke_key(session, name)
    click.echo(f"revoked key {row.name!r} at {row.revoked_at.isoformat()}")


@keys.command("list")
def keys_list() -> None:
    """List keys: name, prefix, scopes, last use, revocation (never secrets)."""
    from claims.keys import list_keys

    with session_scope(write=False) as session:
        rows = list_keys(session)
    table = Table(show_header=True, header_style="bold")
    for col in ("name", "prefix", "scopes", "created", "last used", "expires", "revoked"):
        table.add_column(col)
    for row in rows:
        table.add_row(
            row.name,
            row.prefix,
            row.scopes,
            row.created_at.isoformat(timespec="seconds"),
            row.last_used_at.isoformat(timespec="seconds") if row.last_used_at else "",
            row.expires_at.isoformat(timespec="seconds") if row.expires_at else "",
            row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else "",
        )
    console.print(table)


@main.group()
def config() -> None:
    """The service's settings (environment variables CLAIMS_*)."""


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as a JSON object.")
def config_show(as_json: bool) -> None:
    """Print the effective configuration (passwords in URLs masked)."""
    from claims.settings import effective

    rows = effective(get_settings())
    if as_json:
        click.echo(json.dumps({env: value for env, value, _default, _doc in rows}, indent=2))
        return
    table = Table(show_header=True, header_style="bold")
    table.add_column("variable", no_wrap=True)
    for col in ("value", "default", "meaning"):
        table.add_column(col, overflow="fold")
    for env, value, default, doc in rows:
        table.add_row(env, escape(value), escape(default), escape(doc))
    console.print(table)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="Reload on code changes (development).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (uvicorn); they share the database and the on-disk vector index.")
def serve(host: str, port: int, reload: bool, workers: int) -> None:
    """Run the HTTP API (OpenAPI at /schema), with a job worker in-process unless
    CLAIMS_JOBS_EMBEDDED_WORKER=false (then run `claims worker` processes)."""
    import uvicorn

    if reload and workers > 1:
        raise click.BadParameter("--reload runs one process", param_hint="--workers")
    if get_settings().jobs_embedded_worker and not reload:
        from claims.jobs.queue import start_embedded_worker

        start_embedded_worker()
    if workers > 1:
        _share_metrics_between_workers()
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, reload=reload,
                workers=workers if workers > 1 else None, timeout_worker_healthcheck=60)


def _share_metrics_between_workers() -> None:
    """Prometheus multiprocess mode for the worker processes: each writes its metric values to
    files in one directory (``PROMETHEUS_MULTIPROC_DIR``, a fresh temporary one unless set), and
    /metrics on any worker sums them. The workers are new interpreters, so they see the variable
    before prometheus-client is first imported."""
    import atexit
    import shutil
    import tempfile

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    directory = tempfile.mkdtemp(prefix="claims-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    atexit.register(shutil.rmtree, directory, ignore_errors=True)


from claims.cli_jobs import COMMANDS as _JOB_COMMANDS  # noqa: E402  (feeds, jobs, worker)

for _command in _JOB_COMMANDS:
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
