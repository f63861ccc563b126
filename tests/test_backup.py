"""``claims export`` / ``claims import``: lossless, versioned, all-or-nothing, across backends."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from claims import migrate
from claims.audit import verify_chain
from claims.backup import export, export_file, import_, import_file
from claims.db import make_engine, session_factory
from claims.errors import Conflict, Invalid
from claims.keys import create_key
from claims.models import AuditEvent, Claim, Document, Source, metadata
from claims.schemas import ClaimPatch, SourcePatch
from claims.services import ClaimService, SourceService
from tests.conftest import (
    PG_ENV,
    _postgres_server_url,
    backend_params,
    create_postgres_database,
    drop_postgres_database,
    empty_database,
    load_seeds,
)


def _fill(engine, tmp_path_factory) -> None:
    """Seeds (the suite's snapshot of what the seeder writes) plus history: updates, a delete, a
    revoked key (so every table and path has rows)."""
    load_seeds(engine, tmp_path_factory)
    with session_factory(engine, write=True)() as s:
        s.info["actor"] = "editor"
        claim = s.scalar(select(Claim).order_by(Claim.key).limit(1))
        ClaimService(s).update(claim.id, ClaimPatch(modality="hedged"))
        source = s.scalar(select(Source).order_by(Source.key).limit(1))
        SourceService(s).update(source.id, SourcePatch(description="Edited, with <b>HTML</b> & 'quotes'"))
        ClaimService(s).delete(s.scalar(select(Claim).order_by(Claim.key.desc()).limit(1)).id)
        create_key(s, "newsroom", ["write", "review"])
        s.commit()


def _dump(engine) -> tuple[dict, list[str], dict]:
    buf = io.StringIO()
    export(engine, buf)
    lines = buf.getvalue().splitlines()
    return json.loads(lines[0]), lines[1:-1], json.loads(lines[-1])


def _counts(engine) -> dict[str, int]:
    with engine.connect() as c:
        return {t.name: c.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables}


@pytest.fixture
def sqlite_engine(tmp_path):
    def make(name: str):
        eng = make_engine(f"sqlite:///{tmp_path / name}")
        made.append(eng)
        return eng

    made: list = []
    yield make
    for eng in made:
        eng.dispose()


def test_dump_restores_into_empty_database_of_the_same_kind(db, sqlite_engine, tmp_path, tmp_path_factory):
    _fill(db, tmp_path_factory)
    path = tmp_path / "dump.jsonl"
    report = export_file(db, path)
    assert report.revision == migrate.head()
    assert report.tables["audit_event"] > 0 and report.tables["api_key"] == 1
    before_lines = path.read_text(encoding="utf-8").splitlines()[1:]
    before_counts = _counts(db)
    empty_database(db)
    restored = import_file(db, path)
    assert restored.rows == report.rows and restored.sha256 == report.sha256
    assert restored.chain_events == report.tables["audit_event"]
    assert _counts(db) == before_counts
    assert _dump(db)[1] == before_lines[:-1]
    # the restored database keeps working: new events extend the imported chain
    with session_factory(db, write=True)() as s:
        s.info["actor"] = "after-restore"
        SourceService(s).update(s.scalar(select(Source.id).limit(1)), SourcePatch(description="after"))
        s.commit()
        last = s.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        assert last.actor == "after-restore" and last.id == report.tables["audit_event"] + 1
        assert verify_chain(s).ok


@pytest.mark.skipif(_postgres_server_url() is None, reason=f"{PG_ENV} not set")
def test_round_trip_sqlite_to_postgresql_to_file_compares_equal(sqlite_engine, tmp_path, tmp_path_factory):
    lite = sqlite_engine("source.db")
    migrate.upgrade(lite)
    _fill(lite, tmp_path_factory)
    first = tmp_path / "from-sqlite.jsonl"
    second = tmp_path / "from-postgresql.jsonl"
    third = tmp_path / "back-to-sqlite.jsonl"
    a = export_file(lite, first)
    url = create_postgres_database("claims_roundtrip")
    pg = make_engine(url)
    try:
        import_file(pg, first)  # a blank database: migrated, then loaded
        b = export_file(pg, second)
        lite2 = sqlite_engine("again.db")
        import_file(lite2, second)
        c = export_file(lite2, third)
    finally:
        pg.dispose()
        drop_postgres_database(url)
    rows = [p.read_text(encoding="utf-8").splitlines() for p in (first, second, third)]
    assert json.loads(rows[0][0])["source_dialect"] == "sqlite"
    assert json.loads(rows[1][0])["source_dialect"] == "postgresql"
    assert rows[0][1:] == rows[1][1:] == rows[2][1:]  # every row and the trailer, byte for byte
    assert a.sha256 == b.sha256 == c.sha256 and a.rows == b.rows == c.rows > 1000
    arabic = [line for line in rows[1] if '"table":"document"' in line and '"lang":"ar"' in line]
    assert arabic, "the Arabic seed documents made the trip"


def test_import_refuses_a_database_with_data(db, tmp_path, tmp_path_factory):
    _fill(db, tmp_path_factory)
    path = tmp_path / "dump.jsonl"
    export_file(db, path)
    before = _counts(db)
    with pytest.raises(Conflict, match="already holds data"):
        import_file(db, path)
    assert _counts(db) == before


@pytest.mark.parametrize("damage", ["truncate", "alter", "version", "not-a-dump"])
def test_import_is_all_or_nothing_on_a_damaged_file(db, tmp_path, damage, tmp_path_factory):
    _fill(db, tmp_path_factory)
    _, lines, trailer = _dump(db)
    header = _dump(db)[0]
    empty_database(db)
    if damage == "truncate":
        text = "\n".join([json.dumps(header), *lines[: len(lines) // 2]]) + "\n"
    elif damage == "alter":
        altered = [line.replace("Edited, with", "Forged, with") for line in lines]
        assert altered != lines
        text = "\n".join([json.dumps(header), *altered, json.dumps(trailer)]) + "\n"
    elif damage == "version":
        text = "\n".join([json.dumps({**header, "version": 99}), *lines, json.dumps(trailer)]) + "\n"
    else:
        text = "hello\n"
    with pytest.raises(Invalid):
        import_(db, io.StringIO(text))
    assert set(_counts(db).values()) == {0}


def test_import_refuses_another_schema_revision(db, tmp_path_factory):
    _fill(db, tmp_path_factory)
    header, lines, trailer = _dump(db)
    empty_database(db)
    text = "\n".join([json.dumps({**header, "revision": "0001"}), *lines, json.dumps(trailer)]) + "\n"
    with pytest.raises(Conflict, match="revision"):
        import_(db, io.StringIO(text))
    assert _counts(db)[Document.__tablename__] == 0


@pytest.mark.parametrize("backend", backend_params())
def test_a_dump_from_an_older_revision_imports_after_migrating(backend, tmp_path, tmp_path_factory):
    """A dump written before the last migrations (here at 0006: no key expiry, no rate buckets)
    is loaded at its own revision and migrated to head with its rows."""
    urls = (
        [f"sqlite:///{tmp_path / 'old.db'}", f"sqlite:///{tmp_path / 'new.db'}"]
        if backend == "sqlite"
        else [create_postgres_database("claims_old"), create_postgres_database("claims_new")]
    )
    old, new = (make_engine(u) for u in urls)
    try:
        migrate.upgrade(old)
        _fill(old, tmp_path_factory)
        before = _counts(old)
        migrate.downgrade(old, "0006")
        buf = io.StringIO()
        written = export(old, buf)
        assert written.revision == "0006" and "rate_bucket" not in written.tables
        report = import_(new, io.StringIO(buf.getvalue()))
        assert report.migrated_from == "0006" and report.revision == migrate.head() == migrate.current(new)
        assert report.chain_events == before["audit_event"]
        assert _counts(new) == before
        with session_factory(new)() as s:
            assert verify_chain(s).ok
    finally:
        old.dispose()
        new.dispose()
        if backend == "postgresql":
            for u in urls:
                drop_postgres_database(u)
