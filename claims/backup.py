"""Full, versioned, lossless dumps: ``claims export FILE`` / ``claims import FILE``.

The dump is JSON Lines, dialect independent, so a SQLite database restores into PostgreSQL
and back:

1. a header: ``{"format": "claims-dump", "version": 1, "revision": <alembic revision>, ...}``
2. one line per row, ``{"table": name, "row": {column: value}}``, tables in foreign-key order,
   rows in primary-key order, every column (ids, timestamps, the audit chain's hashes, API
   key hashes) written as JSON (UUIDs and timestamps as strings);
3. a trailer: ``{"end": true, "rows": N, "sha256": <digest of the row lines>}``.

The row lines are canonical (sorted keys, exact values), so two dumps of the same data are
byte-equal apart from the header, and the trailer's digest proves it. Import refuses a
truncated or altered file, a database that is not empty, or a dump of a revision this build
does not know; it loads everything in one transaction (all or nothing) and then checks the
audit chain. A dump of an older revision is loaded into that revision's schema and then
migrated to head with its rows (the migrations keep data on both databases).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from advanced_alchemy.types import GUID
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    inspect,
    select,
    text,
)

from claims import migrate
from claims.db import writer
from claims.errors import Conflict, Invalid
from claims.models import metadata

FORMAT = "claims-dump"
VERSION = 1
BATCH = 500


@dataclass
class DumpReport:
    revision: str | None
    rows: int
    sha256: str
    tables: dict[str, int] = field(default_factory=dict)
    chain_events: int | None = None
    migrated_from: str | None = None


#: Working state, not part of the record: never dumped.
NOT_DUMPED = frozenset({"rate_bucket"})


#: Tables of older revisions that a later one dropped, as they were (a dump of a database at
#: that revision must keep them: the migration that drops a table reads it first).
_RETIRED = MetaData()
RETIRED_TABLES = [
    Table(  # the portable term index, until 0009 built search_document from it
        "search_term", _RETIRED,
        Column("term", String(64), primary_key=True),
        Column("claim_id", GUID(length=16), primary_key=True),
        Column("tf", Integer, nullable=False),
    ),
]


def tables() -> list[Table]:
    """Every table of the record at head, parents before children."""
    return [t for t in metadata.sorted_tables if t.name not in NOT_DUMPED]


def stored_tables(connection: Connection) -> list[Table]:
    """The record's tables as this database has them: head's tables that exist here (with the
    columns they have), then retired tables still present (an older revision's database)."""
    out = [t for t in (_as_stored(connection, t) for t in tables()) if t is not None]
    inspector = inspect(connection)
    return out + [t for t in RETIRED_TABLES if inspector.has_table(t.name)]


def _as_stored(connection: Connection, table: Table) -> Table | None:
    """``table`` with only the columns the database has (it may be at an older revision);
    None when the table does not exist there yet."""
    inspector = inspect(connection)
    if not inspector.has_table(table.name):
        return None
    present = {c["name"] for c in inspector.get_columns(table.name)}
    if present >= set(table.columns.keys()):
        return table
    return Table(table.name, MetaData(), *[c._copy() for c in table.columns if c.name in present])


def _encode(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")  # binary columns (embeddings) as base64
    return value


def _python_type(column) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def _decoder(table: Table):
    kinds = {c.name: _python_type(c) for c in table.columns}

    def decode(row: dict[str, Any]) -> dict[str, Any]:
        unknown = set(row) - set(kinds)
        if unknown:
            raise Invalid(f"dump has columns {sorted(unknown)} that table {table.name} does not have")
        out = {}
        for name, value in row.items():
            kind = kinds[name]
            if value is not None and kind is uuid.UUID:
                value = uuid.UUID(value)
            elif value is not None and kind is datetime.datetime:
                value = datetime.datetime.fromisoformat(value)
            elif value is not None and kind is bytes:
                value = base64.b64decode(value)
            out[name] = value
        return out

    return decode


def _row_line(table: str, row: dict[str, Any]) -> str:
    return json.dumps({"table": table, "row": row}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns)
    result = connection.execution_options(yield_per=1000).execute(select(table).order_by(*order))
    for row in result.mappings():
        yield {key: _encode(value) for key, value in row.items()}


def export(engine: Engine, out: IO[str]) -> DumpReport:
    """Write the whole database to ``out`` from one consistent snapshot."""
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        revision = migrate.current_on(connection)
        header = {
            "format": FORMAT,
            "version": VERSION,
            "revision": revision,
            "exported_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "source_dialect": engine.dialect.name,
            "tables": [t.name for t in tables()],
        }
        out.write(json.dumps(header, sort_keys=True) + "\n")
        for table in stored_tables(connection):
            counts[table.name] = 0
            for row in _rows(connection, table):
                line = _row_line(table.name, row)
                digest.update(line.encode("utf-8") + b"\n")
                out.write(line + "\n")
                counts[table.name] += 1
    total = sum(counts.values())
    out.write(json.dumps({"end": True, "rows": total, "sha256": digest.hexdigest()}) + "\n")
    return DumpReport(revision=revision, rows=total, sha256=digest.hexdigest(), tables=counts)


def export_file(engine: Engine, path: Path) -> DumpReport:
    tmp = path.with_name(path.name + ".partial")
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        report = export(engine, fh)
    tmp.replace(path)  # a crash mid-export never leaves a file that looks complete
    return report


def read_header(fh: IO[str]) -> dict[str, Any]:
    try:
        header = json.loads(fh.readline())
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise Invalid("not a claims dump (the first line is not a claims-dump header)")
    if header.get("version") != VERSION:
        raise Invalid(f"dump format version {header.get('version')!r} is not supported (this build reads {VERSION})")
    return header


def _is_empty(connection: Connection, stored: list[Table]) -> bool:
    return all(connection.scalar(select(func.count()).select_from(t)) == 0 for t in stored)


def _reset_sequences(connection: Connection, stored: list[Table]) -> None:
    if connection.dialect.name != "postgresql":
        return  # SQLite's INTEGER PRIMARY KEY continues from the largest id by itself
    for table in stored:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and _python_type(column) is int and len(table.primary_key.columns) == 1
            ):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE(MAX({column.name}), 1), MAX({column.name}) IS NOT NULL) FROM {table.name}"
                    )
                )


def import_(engine: Engine, fh: IO[str]) -> DumpReport:
    """Load a dump into an empty database at the same schema revision (a blank one is migrated first)."""
    from claims.audit import verify_chain
    from claims.db import session_factory

    header = read_header(fh)
    revision = header.get("revision")
    head = migrate.head()
    if revision not in migrate.revisions():
        raise Conflict(
            f"the dump is at schema revision {revision}, which this build does not know (its head is {head}): "
            "restore it with a build that has that revision"
        )
    current = migrate.current(engine)
    if current is None:
        # An older dump goes into the schema it was written from, then migrates with its rows.
        migrate.upgrade(engine, revision)
    elif current != revision:
        raise Conflict(
            f"the database is at revision {current} and the dump at {revision}; import restores into a blank database"
        )
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    trailer = None
    with writer(engine).begin() as connection:
        stored = stored_tables(connection)  # reflected once for the emptiness check, the load and the sequences
        if not _is_empty(connection, stored):
            raise Conflict("the database already holds data; import only restores into an empty database")
        by_name = {t.name: t for t in stored}
        pending: list[dict[str, Any]] = []
        pending_table: Table | None = None
        decode = None

        def flush() -> None:
            if pending:
                connection.execute(insert(pending_table), pending)
                pending.clear()

        for number, raw in enumerate(fh, start=2):
            line = raw.rstrip("\n")
            if not line:
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise Invalid(f"line {number} is not JSON: {exc.msg}") from None
            if item.get("end"):
                trailer = item
                break
            table = by_name.get(item.get("table"))
            if table is None:
                raise Invalid(f"line {number} names an unknown table {item.get('table')!r}")
            digest.update(line.encode("utf-8") + b"\n")
            if table is not pending_table:
                flush()
                pending_table, decode = table, _decoder(table)
            pending.append(decode(item["row"]))
            counts[table.name] = counts.get(table.name, 0) + 1
            if len(pending) >= BATCH:
                flush()
        flush()
        total = sum(counts.values())
        if trailer is None:
            raise Invalid("the dump is truncated (no end line); nothing was imported")
        if trailer.get("rows") != total or trailer.get("sha256") != digest.hexdigest():
            raise Invalid("the dump does not match its checksum (altered or damaged); nothing was imported")
        _reset_sequences(connection, stored)
    migrated_from = None
    if revision != head:
        migrate.upgrade(engine, head)  # the migrations carry the imported rows to this build's schema
        migrated_from, revision = revision, head
    report = DumpReport(
        revision=revision, rows=total, sha256=digest.hexdigest(), tables=counts, migrated_from=migrated_from
    )
    with session_factory(engine)() as session:
        chain = verify_chain(session)
    if not chain.ok:
        raise Invalid(f"imported, but the audit chain does not verify at event {chain.broken_at}: {chain.problem}")
    report.chain_events = chain.events
    return report


def import_file(engine: Engine, path: Path) -> DumpReport:
    with path.open(encoding="utf-8") as fh:
        return import_(engine, fh)
