"""``claims bulk-load``: batched writes, line errors, strict all-or-nothing, idempotent re-runs,
the audit chain and name resolution, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from claims.audit import verify_chain
from claims.bulk import BulkLoadAborted, bulk_load, embed_missing
from claims.db import session_factory
from claims.models import (
    AuditEvent,
    Claim,
    ClaimEmbedding,
    ClaimGroup,
    Document,
    RelayHop,
    SearchDocument,
    Source,
)
from claims.schemas import AliasIn, SourceIn
from claims.services import SourceService

TEXT_EN = "Report\n\nThe minister Hossein Salami said that Iran will fill the vacuum in Syria. No details.\n"
TEXT_AR = "تقرير\n\nقال حسين سلامي إن إيران ستملأ الفراغ في سوريا.\n"


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _line(text: str, prop: str, speaker: str, *, outlet: str = "The Daily Courier", lang: str = "en",
          group: str | None = "vacuum", extra_hops: list[dict] | None = None) -> dict:
    start, end = _span(text, prop)
    cue = text.index("said") if "said" in text else text.index("قال")
    chain = [{"source": speaker, "relation": "said", "lang": lang, "modality": "asserted", "cue": "said",
              "evidence": [cue, cue + 4]}]
    chain += extra_hops or []
    chain.append({"source": outlet, "relation": "published", "lang": lang})
    return {"document": {"title": "Report", "lang": lang, "outlet": outlet, "url": "https://news.example/1",
                         "published_at": "2024-05-01T10:00:00Z", "text": text},
            "claims": [{"start": start, "end": end, "speaker": speaker, "modality": "asserted", "stance": None,
                        "group": group, "chain": chain}]}


def _write(path: Path, lines: list) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n")
    return path


def _count(db, model) -> int:
    with session_factory(db)() as s:
        return s.scalar(select(func.count()).select_from(model))


def _archive(n: int) -> list[dict]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.synth import Archive

    return list(Archive(seed=3).lines(n))


@pytest.mark.parametrize("workers", [1, 2])
def test_bulk_load_writes_rows_index_and_audit_and_rerun_creates_nothing(db, tmp_path, workers):
    lines = _archive(60)
    path = _write(tmp_path / "a.jsonl", lines)
    report = bulk_load(db, path, batch=4, actor="bulk-test", workers=workers)
    assert report.errors == []
    assert report.documents_created == len(lines) and report.claims_created == 60
    assert report.hops_created == sum(len(c["chain"]) for li in lines for c in li["claims"])
    with session_factory(db)() as s:
        claims = s.scalars(select(Claim)).all()
        assert len(claims) == 60
        for claim in claims:  # claim text is text[start:end]; speaker is hop 0; hops in order
            assert claim.text == claim.document.text[claim.start_offset : claim.end_offset]
            assert claim.speaker_id == claim.hops[0].source_id
            assert [h.position for h in claim.hops] == list(range(len(claim.hops)))
            assert claim.term_count > 0
        assert s.scalar(select(func.count()).select_from(SearchDocument)) == 60  # one search document per claim
        grouped = [c for li in lines for c in li["claims"] if c["group"]]
        assert s.scalar(select(func.count()).select_from(ClaimGroup)) == len({c["group"] for c in grouped})
        assert s.scalar(select(func.count()).where(Claim.group_id.is_not(None))) == len(grouped)
        chain = verify_chain(s)
        assert chain.ok and chain.events == s.scalar(select(func.count()).select_from(AuditEvent))
        doc_events = s.scalar(select(func.count()).where(AuditEvent.entity_type == "document"))
        assert doc_events == len(lines)  # one event per document, its claims and hops inside
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity_type == "document").limit(1)).one()
        assert event.actor == "bulk-test" and event.after["claims"][0]["hops"][0]["relation"]
    events = _count(db, AuditEvent)
    again = bulk_load(db, path, batch=7, workers=workers)
    assert again.documents_created == 0 and again.documents_existing == len(lines) and again.claims_created == 0
    assert _count(db, Claim) == 60 and _count(db, AuditEvent) == events and _count(db, Source) == report.sources_created


def test_found_by_ask_after_bulk_load(db, tmp_path):
    from claims.query import ask

    path = _write(tmp_path / "a.jsonl", [_line(TEXT_EN, "Iran will fill the vacuum in Syria", "Hossein Salami")])
    bulk_load(db, path)
    with session_factory(db)() as s:
        out = ask(s, "Who said Iran will fill the vacuum in Syria?")
    assert out.found and out.answers[0].claim.text == "Iran will fill the vacuum in Syria"


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_lines_are_reported_with_numbers_and_skipped(db, tmp_path, workers):
    good = _line(TEXT_EN, "Iran will fill the vacuum in Syria", "Hossein Salami")
    past_end = json.loads(json.dumps(good))
    past_end["document"]["text"] = TEXT_EN + " other"
    past_end["claims"][0]["end"] = 10_000
    wrong_speaker = json.loads(json.dumps(_line(TEXT_AR, "إيران ستملأ الفراغ في سوريا", "حسين سلامي", lang="ar")))
    wrong_speaker["claims"][0]["speaker"] = "Someone Else"
    bad_relation = json.loads(json.dumps(good))
    bad_relation["document"]["text"] = TEXT_EN + " third"
    bad_relation["claims"][0]["chain"][0]["relation"] = "whispered"
    path = _write(tmp_path / "bad.jsonl", [good, "{not json", past_end, "", wrong_speaker, bad_relation])
    report = bulk_load(db, path, workers=workers)
    assert [e.line for e in report.errors] == [2, 3, 5, 6]
    assert "not JSON" in report.errors[0].message and "past the end" in report.errors[1].message
    assert "chain[0]" in report.errors[2].message and "relation" in report.errors[3].message
    assert report.documents_created == 1 and _count(db, Document) == 1 and _count(db, Claim) == 1
    with session_factory(db)() as s:
        assert verify_chain(s).ok


@pytest.mark.parametrize("workers", [1, 2])
def test_strict_aborts_and_writes_nothing(db, tmp_path, workers):
    lines = [*_archive(30)]
    broken = json.loads(json.dumps(lines[-1]))
    broken["document"]["text"] = broken["document"]["text"] + " changed"
    broken["claims"][0]["end"] = 10**6
    path = _write(tmp_path / "strict.jsonl", [*lines, broken])
    with pytest.raises(BulkLoadAborted) as info:
        bulk_load(db, path, batch=2, strict=True, workers=workers)
    assert info.value.error.line == len(lines) + 1 and info.value.report.lines == len(lines) + 1
    for model in (Document, Claim, RelayHop, Source, AuditEvent, SearchDocument):
        assert _count(db, model) == 0, model
    assert bulk_load(db, _write(tmp_path / "ok.jsonl", lines), strict=True, workers=workers).claims_created == 30


def test_names_resolve_through_the_alias_table(db, tmp_path):
    with session_factory(db, write=True)() as s:
        s.info["actor"] = "test"
        stored = SourceService(s).create(SourceIn(name="Hossein Salami", kind="person",
                                                  aliases=[AliasIn(text="حسين سلامي", lang="ar")]))
        s.commit()
    text2 = TEXT_EN.replace("Hossein Salami", "Hosein Salami") + "again\n"
    path = _write(tmp_path / "names.jsonl", [
        _line(TEXT_EN, "Iran will fill the vacuum in Syria", "Hossein Salami"),
        _line(TEXT_AR, "إيران ستملأ الفراغ في سوريا", "حسين سلامي", lang="ar", outlet="صحيفة الشرق"),
        _line(text2, "Iran will fill the vacuum in Syria", "Hosein Salami"),  # a spelling the fuzzy matcher folds
    ])
    report = bulk_load(db, path)
    assert report.errors == [] and report.aliases_created == 1
    with session_factory(db)() as s:
        speakers = set(s.scalars(select(Claim.speaker_id)))
        assert speakers == {stored.id}
        source = s.get(Source, stored.id)
        assert "Hosein Salami" in [a.text for a in source.aliases]
        outlets = s.scalars(select(Source).where(Source.kind == "outlet")).all()
        assert sorted(o.name for o in outlets) == ["The Daily Courier", "صحيفة الشرق"]
        assert verify_chain(s).ok


def test_cli_bulk_load_reports_lines_and_exit_codes(db, tmp_path, monkeypatch):
    from claims.cli import main
    from claims.db import get_engine
    from claims.settings import get_settings

    monkeypatch.setenv("CLAIMS_DATABASE_URL", db.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        path = _write(tmp_path / "cli.jsonl", [_line(TEXT_EN, "Iran will fill the vacuum in Syria", "Hossein Salami"), "[]"])
        result = CliRunner().invoke(main, ["bulk-load", str(path), "--no-embeddings", "--json"])
        assert result.exit_code == 2, result.output
        body = json.loads(result.output.strip().splitlines()[-1])
        assert body["claims_created"] == 1 and body["errors"][0]["line"] == 2
        strict = CliRunner().invoke(main, ["bulk-load", str(path), "--no-embeddings", "--strict"])
        assert strict.exit_code == 1 and "line 2" in strict.output
        again = CliRunner().invoke(main, ["bulk-load", str(path), "--no-embeddings", "--json"])
        assert json.loads(again.output.strip().splitlines()[-1])["documents_existing"] == 1
    finally:
        get_settings.cache_clear()
        get_engine.cache_clear()


def test_embed_missing_is_resumable_and_matches_the_indexing_path(db, tmp_path):
    from claims import embeddings

    if not embeddings.enabled():
        pytest.skip("the sentence encoder is not installed")
    path = _write(tmp_path / "e.jsonl", _archive(12))
    bulk_load(db, path)
    assert _count(db, ClaimEmbedding) == 0
    first = embed_missing(db, chunk=5, limit=7)
    assert first.claims == 7 and _count(db, ClaimEmbedding) == 7
    rest = embed_missing(db, chunk=5)
    assert rest.claims == 5 and _count(db, ClaimEmbedding) == 12
    assert embed_missing(db).claims == 0
    import numpy as np

    with session_factory(db)() as s:
        claim = s.scalars(select(Claim).where(Claim.group_id.is_(None)).limit(1)).one()
        stored = embeddings.from_bytes(s.get(ClaimEmbedding, claim.id).vector)
    assert float(np.dot(stored, embeddings.encode_one(claim.text))) > 0.999


def test_create_many_writes_the_orm_paths_audit_snapshots_in_one_batch(session, claim_factory, source_factory):
    """``ClaimService.create_many`` writes with the bulk path; its audit events carry the same
    snapshots (keys and defaults) as the ORM flush hook's, history shows one version per claim,
    and the chain verifies."""
    from claims.history import history
    from claims.schemas import ClaimIn, HopIn
    from claims.services import ClaimService

    orm = claim_factory()  # written through the ORM unit of work and its audit hook
    document = orm.document
    speaker = source_factory()
    [stored] = ClaimService(session).create_many(document, [ClaimIn(
        document_id=document.id, start=0, end=9, modality="hedged",
        hops=[HopIn(source_id=speaker.id, relation="said"), HopIn(source_id=document.outlet_id, relation="published")],
    )])
    session.flush()

    def after(entity_type, entity_id):
        return session.scalars(select(AuditEvent.after).where(AuditEvent.entity_type == entity_type,
                                                              AuditEvent.entity_id == str(entity_id))).one()

    orm_claim, new_claim = after("claim", orm.id), after("claim", stored.id)
    assert set(new_claim) == set(orm_claim)
    assert new_claim["review_status"] == orm_claim["review_status"] == "unreviewed"
    assert new_claim["modality"] == "hedged" and new_claim["text"] == document.text[0:9]
    orm_hop, new_hop = after("relay_hop", orm.hops[0].id), after("relay_hop", stored.hops[0].id)
    assert set(new_hop) == set(orm_hop) and new_hop["claim_id"] == str(stored.id)
    assert [h.position for h in stored.hops] == [0, 1] and stored.speaker_id == speaker.id
    versions = history(session, stored.id).versions
    assert len(versions) == 1 and len(versions[0].state.hops) == 2
    assert verify_chain(session).ok
    assert session.scalar(select(func.count()).select_from(SearchDocument).where(SearchDocument.claim_id == stored.id)) == 1


def test_statements_per_batch_do_not_grow_with_the_store(db, tmp_path):
    """A batch's work must not depend on how much is stored already (a 1M load has to run at
    the rate of its first batches): the statements each batch sends are the same few whether
    the store is empty or holds earlier loads, every batch lookup (a SELECT with a WHERE) is an
    indexed search on SQLite, and no batch reads a whole table or counts rows. Counted with a
    SQLAlchemy event, never timed."""
    import re
    import sys

    from sqlalchemy import event

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.synth import Archive

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def per_batch(path: Path) -> list[list[str]]:
        batches: list[list[str]] = []
        mark = [len(statements)]

        def progress(report) -> None:
            batches.append(statements[mark[0]:])
            mark[0] = len(statements)

        report = bulk_load(db, path, batch=6, progress=progress)
        assert report.errors == [] and report.documents_created > 0
        # The first holds the load's start too (the alias table is read once per load); the
        # last call reports the end of the load, not a batch.
        return batches[1:-1]

    event.listen(db, "before_cursor_execute", count)
    try:
        archive = Archive(seed=11)  # one archive, three files: each load meets what the earlier ones stored
        files = [_write(tmp_path / f"{n}.jsonl", list(archive.lines(120))) for n in range(3)]
        loads = [per_batch(path) for path in files]
    finally:
        event.remove(db, "before_cursor_execute", count)
    sizes = [[len(b) for b in batches] for batches in loads]
    assert all(sizes), sizes
    # A handful per batch (12 now, 16 on SQLite): lookups, one executemany per table, and on
    # SQLite the four statements that fill the FTS5 index once per batch (write_search_documents).
    assert max(max(s) for s in sizes) <= 18, sizes
    assert max(sizes[-1]) <= max(sizes[0]), sizes  # a fuller store costs no more statements
    batch_sql = [sql for batches in loads for batch in batches for sql in batch]
    assert not [sql for sql in batch_sql if "count(" in sql.lower()]
    selects = {sql for sql in batch_sql if sql.lstrip().upper().startswith("SELECT") and re.search(r"\bFROM\b", sql, re.I)}
    assert not [sql for sql in selects if not re.search(r"\b(WHERE|LIMIT)\b", sql, re.I)], selects
    if db.dialect.name == "sqlite":
        with db.connect() as conn:
            for sql in selects:
                if not re.search(r"\bWHERE\b", sql, re.I):
                    continue
                n = sql.count("?")
                steps = [r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", (None,) * n)]
                scans = [s for s in steps if s.startswith("SCAN") and s != "SCAN CONSTANT ROW"]  # a SELECT of subqueries
                assert any("SEARCH" in s for s in steps) and not scans, (sql, steps)


def test_the_msgspec_reader_gives_what_pydantic_gives_or_leaves_the_line_to_it():
    """``_fast_line`` takes a line only when ``BulkLine`` takes it with the same values; a line
    it is unsure of (or that is bad) is left to pydantic, whose message is the one reported."""
    from claims.bulk import BulkLine, _fast_line

    def plain(line):
        doc, claims = line.document, line.claims
        when = doc.published_at and (doc.published_at.isoformat(), doc.published_at.utcoffset())
        return ({k: getattr(doc, k) for k in ("title", "lang", "outlet", "url", "text")}, when,
                [({k: getattr(c, k) for k in ("start", "end", "speaker", "modality", "stance", "group", "confidence")},
                  [{k: getattr(h, k) for k in ("source", "relation", "lang", "modality", "cue", "evidence", "kind",
                                                "confidence")} for h in c.chain]) for c in claims])

    base = _line(TEXT_EN, "Iran will fill the vacuum in Syria", "Hossein Salami")
    variants = [json.loads(json.dumps(base)) for _ in range(14)]
    variants[1]["document"]["published_at"] = "2024-05-01T10:00:00.123456+02:00"
    variants[2]["document"]["published_at"] = "2024-05-01T10:00:00"
    variants[6]["document"]["published_at"] = "2016-12-31t23:59:60.123456789-05:30"
    variants[3]["claims"][0]["confidence"] = 1
    variants[4]["claims"][0]["chain"][0]["confidence"] = 0.00001
    del variants[5]["claims"][0]["modality"], variants[5]["claims"][0]["chain"]
    variants[6]["claims"] = []
    # Left to pydantic (lax or stripped values, or bad): the fast path must not take these.
    variants[7]["claims"][0]["speaker"] = " Hossein Salami "
    variants[8]["claims"][0]["start"] = str(variants[8]["claims"][0]["start"])
    variants[9]["document"]["url"] = "https://news.example/1\n"
    variants[10]["document"]["lang"] = "EN"
    variants[11]["document"]["published_at"] = "yesterday"
    variants[12]["claims"][0]["chain"][0]["evidence"] = [5, 5]
    variants[13]["document"]["extra"] = 1
    archive = _archive(40)
    lines = [*archive, *variants]
    for n, value in enumerate(lines):
        raw = json.dumps(value, ensure_ascii=n % 2 == 0).encode()
        fast = _fast_line(raw)
        try:
            slow = BulkLine.model_validate_json(raw)
        except Exception:
            assert fast is None, value
            continue
        if n - len(archive) in (7, 8):
            assert fast is None, value
        if n - len(archive) in range(7):
            assert fast is not None, value
        if fast is not None:
            assert plain(fast) == plain(slow), value
    assert _fast_line(json.dumps(base).encode()) is not None


def test_the_fast_audit_encoding_is_the_canonical_one():
    import datetime
    import uuid

    from claims.bulk import _canonical, _canonical_fast, _fast_safe
    from claims.vocabulary import Modality

    values = {"id": uuid.uuid4(), "s": "".join(chr(c) for c in range(0, 0x3000, 7)) + "\u2028\U0001f600\"\\",
              "m": Modality.ASSERTED, "n": None, "i": -3, "b": True, "nested": [{"z": 1, "a": [uuid.uuid4()]}]}
    assert _canonical_fast(values) == _canonical(values)
    for odd in (0.0, 1.0, 0.5, 1e-5, 7.62e-7, 1e16, 123.456, datetime.datetime(2024, 5, 1, 10, tzinfo=datetime.UTC),
                datetime.datetime(2024, 5, 1, 10, 0, 0, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))):
        assert _canonical_fast({"v": _fast_safe(odd)}) == _canonical({"v": odd}), odd


def test_sqlite_fulltext_index_is_whole_after_bulk_load_and_its_trigger_is_back(db, tmp_path, monkeypatch):
    """On SQLite the FTS5 index of a batch is filled by one statement with the insert trigger
    paused inside the batch's transaction: afterwards the index holds every document, the
    trigger is as the migration made it and the pause is gone, and a batch failing while paused
    leaves all three as they were."""
    if db.dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 index")
    from claims import bulk

    def trigger() -> str | None:
        with db.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'search_document_ai'").scalar()

    def check_index() -> int:
        with db.begin() as conn:
            conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")  # raises if not whole
            term = conn.exec_driver_sql("SELECT terms FROM search_document ORDER BY id DESC LIMIT 1").scalar().split()[0]
            hits = conn.exec_driver_sql("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (f'"{term}"',)).scalar()
            assert hits >= 1
            return conn.exec_driver_sql("SELECT count(*) FROM search_document").scalar()

    before = trigger()
    assert before
    lines = _archive(60)
    first, rest = lines[: len(lines) // 2], lines[len(lines) // 2 :]
    loaded = bulk_load(db, _write(tmp_path / "a.jsonl", first), batch=3).claims_created
    assert trigger() == before and check_index() == loaded == _count(db, Claim)

    real = bulk._fast_insert

    class Failing:  # the rows are prepared; writing them fails (while the trigger is paused)
        def params(self, rows, *, portable=False):
            return real(bulk._SEARCH_DOCUMENT_TABLE, db.dialect).params(rows, portable=portable)

        def write(self, connection, params):
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(bulk, "_fast_insert", lambda t, d: Failing() if t is bulk._SEARCH_DOCUMENT_TABLE else real(t, d))
    with pytest.raises(RuntimeError):
        bulk_load(db, _write(tmp_path / "b.jsonl", rest), batch=50)
    monkeypatch.undo()
    assert trigger() == before and _count(db, Claim) == loaded and check_index() == loaded
    report = bulk_load(db, _write(tmp_path / "b.jsonl", rest), batch=7)
    assert report.errors == [] and loaded + report.claims_created == 60
    assert trigger() == before and check_index() == 60 == _count(db, Claim)
    with db.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM search_fts_pause").scalar() == 0


def test_bulk_load_changes_no_schema_so_pooled_connections_keep_their_statements(db, tmp_path):
    """The SQLite bulk writer pauses the FTS trigger with a row, not DDL: the schema version is
    the same after a committed and after an aborted load. (With the trigger dropped and
    re-created per batch, an aborted strict load left another pooled connection whose cached
    ``DELETE FROM search_document`` failed with "no such table".)"""
    if db.dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 trigger")

    def schema_version() -> int:
        with db.connect() as conn:
            return conn.exec_driver_sql("PRAGMA schema_version").scalar()

    lines = _archive(40)
    half = len(lines) // 2
    before = schema_version()
    first = bulk_load(db, _write(tmp_path / "a.jsonl", lines[:half]), batch=2).claims_created
    broken = json.loads(json.dumps(lines[-1]))
    broken["claims"][0]["end"] = 10**6
    with pytest.raises(BulkLoadAborted):
        bulk_load(db, _write(tmp_path / "b.jsonl", [*lines[half:-1], broken]), batch=2, strict=True)
    second = bulk_load(db, _write(tmp_path / "c.jsonl", lines[half:]), strict=True).claims_created
    assert schema_version() == before
    assert _count(db, Claim) == first + second == 40
    with db.begin() as conn:
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
        assert conn.exec_driver_sql("SELECT count(*) FROM search_fts_pause").scalar() == 0


_KILLED_LOADER = """
import multiprocessing, sys, time
from pathlib import Path
from claims.bulk import bulk_load
from claims.db import make_engine

def stuck(report):  # after the first batch: say who reads, then hang so the reader's channel fills
    print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    time.sleep(600)

bulk_load(make_engine(sys.argv[1]), Path(sys.argv[2]), batch=2, workers=2, progress=stuck)
"""


def test_the_reader_process_exits_when_the_loader_is_killed(db, tmp_path):
    import contextlib
    import os
    import signal
    import subprocess
    import sys
    import time

    from claims.settings import PROJECT_ROOT

    path = _write(tmp_path / "big.jsonl", _archive(300))
    env = {**os.environ, "CLAIMS_EMBEDDINGS": "off", "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_LOADER, db.url.render_as_string(hide_password=False), str(path)],
                            env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    readers: list[int] = []
    try:
        readers = [int(p) for p in proc.stdout.readline().split()]
        assert len(readers) == 1, proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)

        def alive(pid: int) -> bool:
            try:
                return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"  # a zombie has exited
            except (FileNotFoundError, ProcessLookupError):
                return False

        deadline = time.monotonic() + 20
        while alive(readers[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(readers[0]), "the reader process outlived the loader"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in readers:  # when the test fails
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert _count(db, Document) == 2  # the first batch only (committed before the kill)


def test_a_failure_in_the_reader_process_is_raised_and_nothing_half_written(db, tmp_path, monkeypatch):
    import os

    from claims import bulk

    loader = os.getpid()
    real_add = bulk.BulkWriter.add

    def add(self, number, line, digest):
        if os.getpid() != loader and number == 5:
            raise ValueError("reader broke at line 5")
        return real_add(self, number, line, digest)

    monkeypatch.setattr(bulk.BulkWriter, "add", add)
    path = _write(tmp_path / "f.jsonl", _archive(40))
    with pytest.raises(RuntimeError, match="reader broke at line 5"):
        bulk_load(db, path, batch=2, strict=True, workers=2)
    for model in (Document, Claim, Source, AuditEvent):
        assert _count(db, model) == 0, model
    with pytest.raises(RuntimeError, match="reader broke at line 5"):
        bulk_load(db, path, batch=2, workers=2)
    assert _count(db, Document) == 4  # two whole batches before the failing one
    with session_factory(db)() as s:
        assert verify_chain(s).ok


@pytest.mark.parametrize("strict", [False, True])
def test_sqlite_check_constraints_hold_when_verified_per_batch(db, tmp_path, monkeypatch, strict):
    """On SQLite a batch's CHECK constraints are verified by one query per table, not per row:
    a row breaking one still fails its batch with the constraint's error, nothing of that batch
    (strict: of the load) is written, and the connection checks row by row again afterwards."""
    if db.dialect.name != "sqlite":
        pytest.skip("SQLite's per-batch CHECK verification")
    from sqlalchemy.exc import IntegrityError

    from claims import bulk

    with session_factory(db)() as s:
        checks = bulk._batch_checks(s)
        for table in ("claim", "relay_hop", "source", "document", "audit_event"):
            create = s.connection().exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).scalar()
            assert [n for n, _ in bulk._check_clauses(create)] == [
                w.split()[0] for w in create.split("CONSTRAINT ")[1:] if w.split()[1] == "CHECK"], table
            assert table in checks
    real_add = bulk.BulkWriter.add

    def add(self, number, line, digest):
        out = real_add(self, number, line, digest)
        if number == 3:  # past the reader's checks: only the database's constraint can refuse it
            self.pending.hops[-1]["relation"] = "whispered"
        return out

    monkeypatch.setattr(bulk.BulkWriter, "add", add)
    path = _write(tmp_path / "c.jsonl", _archive(30))
    with pytest.raises(BulkLoadAborted if strict else IntegrityError) as info:
        bulk_load(db, path, batch=2, strict=strict, workers=1)
    assert "CHECK constraint failed: ck_relay_hop_relation" in str(info.value)
    assert _count(db, Document) == (0 if strict else 2)
    with session_factory(db)() as s:
        assert verify_chain(s).ok
        assert s.scalar(select(func.count()).where(AuditEvent.entity_type == "document")) == _count(db, Document)
        assert s.scalar(select(func.count()).where(RelayHop.relation == "whispered")) == 0
    with db.connect() as conn:  # the pooled connection checks row by row again
        assert conn.exec_driver_sql("PRAGMA ignore_check_constraints").scalar() == 0
        with pytest.raises(IntegrityError, match="ck_source_kind"):
            conn.exec_driver_sql("INSERT INTO source (id, key, name, name_normalized, kind, created_at, updated_at) "
                                 "VALUES (x'00', 'k', 'n', 'n', 'martian', '2024-01-01', '2024-01-01')")
        conn.rollback()
