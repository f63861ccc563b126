"""The ``claims`` command: database, seeds, questions, audit, and serving the API."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claims.db import get_engine, session_scope
from claims.settings import get_settings

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

    from claims.ask import ask as run_ask
    from claims.schemas import AskIn

    try:
        data = AskIn(question=question, limit=limit)
    except ValidationError as exc:
        raise click.BadParameter(exc.errors()[0]["msg"], param_hint="QUESTION") from exc
    with session_scope() as session:
        result = run_ask(session, data.question, limit=data.limit)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    if not result.found:
        console.print("[yellow]Not found:[/yellow] nothing stored supports this question.")
        sys.exit(1)
    for n, answer in enumerate(result.answers, 1):
        console.print(f"[bold]{n}. {escape(answer.answer_text or '')}[/bold]  (confidence {answer.confidence:.2f})")
        console.print(escape(f"   claim [{answer.claim.lang}, {answer.claim.modality}]: {answer.claim.text}"))
        table = Table(show_header=True, header_style="bold")
        for col in ("#", "source", "relation", "lang", "modality", "evidence"):
            table.add_column(col)
        for hop in answer.chain:
            ev = hop.evidence.text if hop.evidence else ""
            table.add_row(
                str(hop.position), escape(hop.source.name), hop.relation, hop.lang or "", hop.modality or "",
                escape(ev if len(ev) < 90 else ev[:87] + "..."),
            )
        console.print(table)
        for member in answer.group:
            console.print(escape(f"   same claim in [{member.lang}]: {member.text}"))
        for d in answer.drift:
            console.print(f"   drift ({d.scope}) {d.field}: {d.before} → {d.after}")


@main.group()
def audit() -> None:
    """The tamper-evident audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; exit 1 at the first broken link."""
    from claims.audit import verify_chain

    with session_scope() as session:
        report = verify_chain(session)
    if report.ok:
        console.print(f"audit chain intact: {report.events} events")
    else:
        console.print(f"[red]audit chain broken[/red] at event {report.broken_at}: {report.problem}")
        sys.exit(1)


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
        from claims.errors import DomainError
        from claims.reports import build_report, render
        from claims.reports.lookup import resolve_subject

        try:
            with session_scope() as session:
                subject_id = resolve_subject(session, kind, subject)
                rendered = render(build_report(session, kind, subject_id), fmt)
        except DomainError as exc:
            raise click.ClickException(exc.detail) from exc
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


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="Reload on code changes (development).")
def serve(host: str, port: int, reload: bool) -> None:
    """Run the HTTP API (OpenAPI at /schema)."""
    import uvicorn

    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, reload=reload)


if __name__ == "__main__":  # pragma: no cover
    main()
