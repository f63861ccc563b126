"""Bulk loading of annotated archives: ``claims bulk-load PATH.jsonl``.

One JSON object per line (``BulkLine``): a document with its outlet named, and its claims as
character spans with the speaker and relay chain named. Names are resolved through the alias
table (``SourceNames``: exact folded alias, then the one name matcher ``claims.names`` that
``SourceService.resolve`` and ingest use) and sources are created when new.

Rows are written in batches with statements SQLAlchemy Core compiles (``executemany`` on
SQLite, one ``COPY FROM STDIN`` per table on PostgreSQL: ``_FastInsert``), not through the ORM
unit of work: the ORM path costs ~1 ms per row. Everything the
ORM path leaves behind is still written: the search documents and ``term_count``, and the
audit trail, as one hash-chained ``create`` event per document (its claims and hops inside the
event) and one per new source or alias, so ``claims audit verify`` walks the same chain.

With ``workers=2`` (the default on two cores or more for files of 1 MB or more) a forked
reader process (``_ReaderProcess``) decodes and checks the lines and prepares each batch's rows,
snapshots and index terms while the loader writes the previous batch; it reads the database
only (which documents and groups are stored) and dies with the loader. On SQLite a batch's
CHECK constraints are verified by one query per batch instead of row by row (``_Store.write``).

A batch of lines is one transaction. A bad line (not JSON, not the schema, a span outside the
text, a speaker that is not hop 0) is reported with its line number and skipped before
anything of it is written; ``strict`` makes the whole file one transaction that the first bad
line aborts. Documents are keyed by content hash, so re-running a file creates nothing new
and a load killed half-way completes on the next run.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import json
import multiprocessing
import os
import queue as queue_module
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any, Literal

import msgspec
from advanced_alchemy.types import GUID, DateTimeUTC
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from sqlalchemy import Engine, MetaData, Table, bindparam, delete, func, insert, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from claims.audit import _SKIPPED_COLUMNS, _jsonable, _last_hash, default_actor
from claims.db import session_factory
from claims.db import writer as write_engine
from claims.models import (
    AuditEvent,
    Claim,
    ClaimGroup,
    Document,
    RelayHop,
    SearchDocument,
    Source,
    SourceAlias,
)
from claims.names import NameIndex
from claims.schemas import MAX_OFFSET, NOT_BLANK, ArticleText, HttpUrl, LangCode, Timestamp
from claims.services import content_hash, free_key, slugify
from claims.text import fold_name as _fold_name
from claims.vocabulary import AuditAction, Modality, Relation, SourceKind, Stance

DEFAULT_BATCH = 500
#: Distinct claim texts whose index terms a load keeps (``BulkWriter.indexed``).
_MAX_CACHED_TEXTS = 200_000


@lru_cache(maxsize=100_000)
def fold_name(name: str) -> str:
    """``claims.text.fold_name``, cached: an archive names the same sources over and over."""
    return _fold_name(name)

Name = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class BulkHop(_Line):
    source: Name
    relation: Relation
    lang: LangCode | None = None
    modality: Modality | None = None
    cue: Annotated[str, StringConstraints(max_length=500)] | None = None
    evidence: tuple[int, int] | None = None
    kind: SourceKind | None = Field(default=None, description="Kind of a source created for this name")
    confidence: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _span(self) -> BulkHop:
        if self.evidence is not None and not (0 <= self.evidence[0] < self.evidence[1]):
            raise ValueError("evidence must be [start, end) with 0 <= start < end")
        return self


class BulkClaim(_Line):
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    speaker: Name
    modality: Modality = Modality.ASSERTED
    stance: Stance | None = None
    group: Annotated[str, StringConstraints(min_length=1, max_length=120, strip_whitespace=True)] | None = None
    chain: list[BulkHop] = Field(default_factory=list, max_length=50)
    confidence: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _span(self) -> BulkClaim:
        if self.end <= self.start:
            raise ValueError("end must be greater than start")
        return self


class BulkDocument(_Line):
    title: Annotated[str, StringConstraints(max_length=500)] | None = None
    lang: LangCode
    outlet: Name
    url: HttpUrl | None = None
    published_at: Timestamp | None = None
    text: ArticleText


class BulkLine(_Line):
    document: BulkDocument
    claims: list[BulkClaim] = Field(default_factory=list, max_length=5000)


class LineError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message

    def __reduce__(self):  # pickled by the reader process
        return (LineError, (self.line, self.message))


@dataclass
class BulkReport:
    lines: int = 0
    documents_created: int = 0
    documents_existing: int = 0
    claims_created: int = 0
    hops_created: int = 0
    sources_created: int = 0
    aliases_created: int = 0
    groups_created: int = 0
    bytes_read: int = 0
    errors: list[LineError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "errors"}
        out["errors"] = [{"line": e.line, "error": e.message} for e in self.errors]
        return out


_random = random.Random()
_UNKNOWN = uuid.SafeUUID.unknown  # an enum member looked up once: a class attribute access is a descriptor call


def _new_id() -> uuid.UUID:
    """A UUIDv7 (RFC 9562: 48-bit millisecond time, version 7, variant, 74 random bits), made
    without the per-call overhead of the general generator (a load makes millions)."""
    ms = time.time_ns() // 1_000_000
    rand = _random.getrandbits(74)
    value = (ms << 80) | (0x7 << 76) | ((rand >> 62) << 64) | (0b10 << 62) | (rand & ((1 << 62) - 1))
    # What UUID(int=value) ends with, without its argument checks (the value is in range by
    # construction): a load makes millions of ids and the constructor was 6% of its time.
    out = object.__new__(uuid.UUID)
    object.__setattr__(out, "int", value)
    object.__setattr__(out, "is_safe", _UNKNOWN)
    return out


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _defaults(table: Table) -> dict[str, Any]:
    """Scalar column defaults of a table (so columns other changes add, like ``confidence``, are filled)."""
    return {
        c.name: c.default.arg
        for c in table.columns
        if c.default is not None and c.default.is_scalar and c.default.arg is not None
    }


def _snapshot(row: dict[str, Any], *, document: bool = False, parent: str | None = None) -> dict[str, Any]:
    """The audit snapshot of a row, as ``claims.audit.snapshot`` makes it for an ORM object (a
    document's text is represented by its hash; a row nested in its parent's event leaves out
    the parent's id). Values stay as they are: ``_canonical`` writes ids and times the way
    ``claims.audit._jsonable`` does, when the event is encoded."""
    skipped = _SKIPPED.get((document, parent)) or _skipped(document, parent)
    return {k: v for k, v in row.items() if k not in skipped}


def _skipped(document: bool, parent: str | None) -> frozenset[str]:
    out = _SKIPPED[document, parent] = frozenset(
        _SKIPPED_COLUMNS | ({"text"} if document else set()) | ({parent} if parent else set())
    )
    return out


#: (document, parent) -> the keys a snapshot leaves out.
_SKIPPED: dict[tuple[bool, str | None], frozenset[str]] = {}


# --- names ----------------------------------------------------------------------------------


class SourceNames:
    """The alias table in memory for one load: folded alias -> source, plus the one name
    matcher (``claims.names.NameIndex``, as ``SourceService.resolve``) for other spellings."""

    def __init__(self, session: Session) -> None:
        self.exact: dict[str, uuid.UUID] = {}
        self.index = NameIndex()
        self.keys: set[str] = set(session.scalars(select(Source.key)))
        for normalized, source_id in session.execute(
            select(SourceAlias.normalized, SourceAlias.source_id).order_by(SourceAlias.source_id, SourceAlias.id)
        ):
            self._remember(normalized, source_id)
        self._resolved: dict[str, uuid.UUID | None] = {}

    def _remember(self, normalized: str, source_id: uuid.UUID) -> None:
        if normalized and normalized not in self.exact:
            self.exact[normalized] = source_id
            self.index.add(source_id, None, normalized)

    def resolve(self, folded: str) -> tuple[uuid.UUID | None, bool]:
        """(source id or None, whether it matched exactly)."""
        hit = self.exact.get(folded)
        if hit is not None:
            return hit, True
        if folded in self._resolved:
            return self._resolved[folded], False
        found = self.index.match([folded])
        self._resolved[folded] = found
        return found, False

    def unique_key(self, name: str) -> str:
        key = free_key(slugify(name), self.keys.__contains__)
        self.keys.add(key)
        return key


# --- one batch --------------------------------------------------------------------------------


@dataclass
class _Pending:
    """Rows of one batch, written together."""

    sources: list[dict] = field(default_factory=list)
    aliases: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    hops: list[dict] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)
    events: list[tuple[str, str, str]] = field(default_factory=list)  # (entity_type, entity_id, after as JSON)


class BulkWriter:
    """Turns validated lines into rows and writes them in batches; one instance per load."""

    def __init__(self, session: Session, *, actor: str) -> None:
        self.session = session
        self.actor = actor
        #: Called when a batch's reads are done (the reader process ends its read transaction
        #: there: on SQLite a snapshot kept while the rows are prepared kept the loader's
        #: checkpoints from resetting the WAL, which grew past 1 GB in a 1M load).
        self.reads_done: Callable[[], None] | None = None
        self.names = SourceNames(session)
        self.groups: dict[str, uuid.UUID] = {}
        self.group_labels: dict[uuid.UUID, list[str]] = {}
        self.seen_hashes: set[str] = set()
        self.pending = _Pending()
        self.report_rows: Counter[str] = Counter()
        self.defaults = {t: _defaults(t) for t in (Source.__table__, SourceAlias.__table__, ClaimGroup.__table__,
                                                   Document.__table__, Claim.__table__, RelayHop.__table__)}
        self.claim_columns = set(Claim.__table__.c.keys())
        self.index_cache: dict[str, tuple[int, str | None]] = {}
        self.hop_columns = set(RelayHop.__table__.c.keys())
        self.unsafe = {t: _unsafe_columns(t) for t in self.defaults}
        # What a nested claim's (hop's) snapshot keeps of the defaults, and its columns to make safe.
        skipped = {Claim.__table__: _skipped(False, "document_id"), RelayHop.__table__: _skipped(False, "claim_id")}
        self.snap_defaults = {t: {k: v for k, v in self.defaults[t].items() if k not in out} for t, out in skipped.items()}
        self.snap_unsafe = {t: tuple(n for n in self.unsafe[t] if n not in out) for t, out in skipped.items()}

    def snap(self, table: Table, row: dict[str, Any], *, document: bool = False, parent: str | None = None) -> dict:
        """``_snapshot`` with the values ``_canonical_fast`` would write differently made safe."""
        out = _snapshot(row, document=document, parent=parent)
        for name in self.unsafe[table]:
            value = out.get(name)
            if value is not None:
                out[name] = _fast_safe(value)
        return out

    # -- sources and groups
    def source_id(self, name: str, kind: str, now: datetime.datetime) -> uuid.UUID:
        folded = fold_name(name)
        if not folded:
            raise ValueError(f"the name {name!r} has no letters or digits")
        found, exact = self.names.resolve(folded)
        if found is not None:
            if not exact:  # a new spelling of a known source: remember it as an alias
                alias = {**self.defaults[SourceAlias.__table__], "id": _new_id(), "source_id": found, "text": name,
                         "lang": None, "normalized": folded, "note": None, "created_at": now, "updated_at": now}
                self.pending.aliases.append(alias)
                self.pending.events.append(("source_alias", str(alias["id"]),
                                            _canonical_fast(self.snap(SourceAlias.__table__, alias))))
                self.names._remember(folded, found)
                self.report_rows["aliases"] += 1
            return found
        sid = _new_id()
        row = {**self.defaults[Source.__table__], "id": sid, "key": self.names.unique_key(name), "name": name,
               "name_normalized": folded, "kind": kind, "description": None, "created_at": now, "updated_at": now}
        alias = {**self.defaults[SourceAlias.__table__], "id": _new_id(), "source_id": sid, "text": name, "lang": None,
                 "normalized": folded, "note": None, "created_at": now, "updated_at": now}
        self.pending.sources.append(row)
        self.pending.aliases.append(alias)
        self.pending.events.append(("source", str(sid), _canonical_fast(
            {**self.snap(Source.__table__, row), "aliases": [self.snap(SourceAlias.__table__, alias)]})))
        self.names._remember(folded, sid)
        self.report_rows["sources"] += 1
        return sid

    def prefetch_groups(self, keys: set[str]) -> None:
        """Look up the stored groups of a batch's keys with a few IN queries."""
        wanted = [k for k in keys if k not in self.groups]
        for i in range(0, len(wanted), 500):
            for row in self.session.execute(
                select(ClaimGroup.id, ClaimGroup.key, ClaimGroup.label, ClaimGroup.label_ar).where(
                    ClaimGroup.key.in_(wanted[i : i + 500])
                )
            ):
                self.groups[row.key] = row.id
                labels = [x for x in (row.label, row.label_ar) if x]
                if labels:
                    self.group_labels[row.id] = labels

    def group_id(self, key: str, now: datetime.datetime) -> uuid.UUID:
        gid = self.groups.get(key)
        if gid is None:  # not stored (prefetch_groups looked): a new group
            gid = _new_id()
            group = {**self.defaults[ClaimGroup.__table__], "id": gid, "key": key, "label": None, "label_ar": None,
                     "created_at": now, "updated_at": now}
            self.pending.groups.append(group)
            self.pending.events.append(("claim_group", str(gid), _canonical_fast(self.snap(ClaimGroup.__table__, group))))
            self.report_rows["groups"] += 1
            self.groups[key] = gid
        return gid

    # -- one line
    def check(self, number: int, line: BulkLine) -> None:
        """Everything about a line that does not need the database; raises LineError."""
        text = line.document.text
        spans: set[tuple[int, int, str]] = set()
        for n, claim in enumerate(line.claims):
            where = f"claims[{n}]"
            if claim.end > len(text):
                raise LineError(number, f"{where}: end {claim.end} is past the end of the text ({len(text)})")
            if not text[claim.start : claim.end].strip():
                raise LineError(number, f"{where}: the span [start, end) holds only white space")
            if claim.chain and fold_name(claim.chain[0].source) != fold_name(claim.speaker):
                raise LineError(number, f"{where}: the speaker must be the source of chain[0]")
            for p, hop in enumerate(claim.chain):
                if hop.evidence is not None and hop.evidence[1] > len(text):
                    raise LineError(number, f"{where}.chain[{p}]: evidence is past the end of the text")
                if not fold_name(hop.source):
                    raise LineError(number, f"{where}.chain[{p}]: the source name has no letters or digits")
            if not fold_name(claim.speaker):
                raise LineError(number, f"{where}: the speaker name has no letters or digits")
            key = (claim.start, claim.end, fold_name(claim.speaker))
            if key in spans:
                raise LineError(number, f"{where}: this span is already recorded as a claim by this speaker")
            spans.add(key)

    def indexed(self, text: str) -> tuple[int, str | None]:
        """(term count, ``search_document.terms`` or None when there are none) of a claim's
        searchable text, worked out once per distinct text (archives repeat sentences)."""
        from claims.indexing import document_terms, index_terms

        known = self.index_cache.get(text)
        if known is None:
            counts = Counter(index_terms(text))
            known = (sum(counts.values()), document_terms(counts) if counts else None)
            if len(self.index_cache) >= _MAX_CACHED_TEXTS:
                self.index_cache.clear()
            self.index_cache[text] = known
        return known

    def add(self, number: int, line: BulkLine, digest: str) -> tuple[int, int]:
        """Queue the rows of one checked, new document; returns (claims, hops)."""
        now = _utcnow()
        doc = line.document
        doc_id = _new_id()
        outlet_id = self.source_id(doc.outlet, SourceKind.OUTLET, now)
        document = {**self.defaults[Document.__table__], "id": doc_id, "outlet_id": outlet_id, "lang": doc.lang,
                    "title": doc.title, "url": doc.url, "published_at": doc.published_at, "text": doc.text,
                    "content_hash": digest, "created_at": now, "updated_at": now}
        claim_events = []
        n_hops = 0
        claim_table, hop_table = Claim.__table__, RelayHop.__table__
        claim_defaults, hop_defaults = self.defaults[claim_table], self.defaults[hop_table]
        claim_confidence, hop_confidence = "confidence" in self.claim_columns, "confidence" in self.hop_columns
        claim_snap, hop_snap = self.snap_defaults[claim_table], self.snap_defaults[hop_table]
        claim_unsafe, hop_unsafe = self.snap_unsafe[claim_table], self.snap_unsafe[hop_table]
        hops_out, claims_out, terms_out = self.pending.hops, self.pending.claims, self.pending.terms
        for item in line.claims:
            chain = item.chain or [BulkHop(source=item.speaker, relation=Relation.SAID)]
            hop_ids = [
                self.source_id(h.source, h.kind or (SourceKind.OUTLET if h.relation == Relation.PUBLISHED else SourceKind.PERSON), now)
                for h in chain
            ]
            claim_id = _new_id()
            text = doc.text[item.start : item.end]
            group_id = self.group_id(item.group, now) if item.group else None
            searchable = "\n".join([text, *self.group_labels.get(group_id, [])]) if group_id else text
            term_count, terms = self.indexed(searchable)
            # Each row's snapshot is built first (what ``snap`` would leave of the row), then the
            # row from it: cheaper than filtering the row's columns once per row.
            snapshot = {**claim_snap, "id": claim_id, "key": None, "group_id": group_id, "speaker_id": hop_ids[0],
                        "text": text, "start_offset": item.start, "end_offset": item.end, "lang": doc.lang,
                        "modality": item.modality, "stance": item.stance or Stance.AFFIRM.value}
            if claim_confidence:  # every row of a batch has the same columns
                snapshot["confidence"] = item.confidence if item.confidence is not None else claim_defaults.get("confidence")
            claims_out.append({**claim_defaults, **snapshot, "document_id": doc_id, "term_count": term_count,
                               "created_at": now, "updated_at": now})
            for name in claim_unsafe:
                if (value := snapshot.get(name)) is not None:
                    snapshot[name] = _fast_safe(value)
            hop_events: list[dict] = []
            for position, (hop, source_id) in enumerate(zip(chain, hop_ids, strict=True)):
                evidence = hop.evidence
                hop_snapshot = {**hop_snap, "id": _new_id(), "position": position, "source_id": source_id,
                                "relation": hop.relation, "lang": hop.lang, "modality": hop.modality, "cue": hop.cue,
                                "evidence_start": evidence[0] if evidence else None,
                                "evidence_end": evidence[1] if evidence else None}
                if hop_confidence:
                    hop_snapshot["confidence"] = hop.confidence if hop.confidence is not None else hop_defaults.get("confidence")
                hops_out.append({**hop_defaults, **hop_snapshot, "claim_id": claim_id, "created_at": now, "updated_at": now})
                for name in hop_unsafe:
                    if (value := hop_snapshot.get(name)) is not None:
                        hop_snapshot[name] = _fast_safe(value)
                hop_events.append(hop_snapshot)
            n_hops += len(chain)
            if terms is not None:
                terms_out.append({"claim_id": claim_id, "terms": terms})
            snapshot["hops"] = hop_events
            claim_events.append(snapshot)
        self.pending.documents.append(document)
        self.pending.events.append(("document", str(doc_id), _canonical_fast(
            {**self.snap(Document.__table__, document, document=True), "claims": claim_events})))
        return len(line.claims), n_hops

    # -- a batch
    def prepare(self, queue: list[tuple[int, BulkLine, str]], out: _Batch, *, portable: bool) -> None:
        """Turn a batch of checked lines into the rows and audit events ``_Store.write`` writes:
        documents already stored (by content hash) or seen earlier in this load are counted and
        left out. ``portable``: values another process can be sent cheaply (see ``_FastInsert.params``)."""
        if not queue:
            return
        existing = _existing_hashes(self.session, {d for _, _, d in queue})
        self.prefetch_groups({c.group for _, line, _ in queue for c in line.claims if c.group})
        if self.reads_done is not None:
            self.reads_done()
        for number, line, digest in queue:
            if digest in existing or digest in self.seen_hashes:
                out.documents_existing += 1
                continue
            claims, hops = self.add(number, line, digest)
            self.seen_hashes.add(digest)
            out.documents_created += 1
            out.claims_created += claims
            out.hops_created += hops
        p, dialect = self.pending, self.session.get_bind().dialect
        for table, rows in ((Source.__table__, p.sources), (SourceAlias.__table__, p.aliases),
                            (ClaimGroup.__table__, p.groups), (Document.__table__, p.documents),
                            (Claim.__table__, p.claims), (RelayHop.__table__, p.hops), (_SEARCH_DOCUMENT_TABLE, p.terms)):
            if rows:
                out.rows.append((table.name, _fast_insert(table, dialect).params(rows, portable=portable)))
        out.events = p.events
        for kind in ("sources", "aliases", "groups"):
            out.created[kind] += self.report_rows.pop(kind, 0)
        self.pending = _Pending()


@dataclass
class _Batch:
    """What the reader hands the writer for one batch (picklable: it may come from the reader
    process): the lines read since the previous batch, their errors, and the rows to write as
    ``_FastInsert`` parameters, parents first. ``abort``: a strict load's first bad line."""

    lines: int = 0
    bytes_read: int = 0
    errors: list[LineError] = field(default_factory=list)
    abort: LineError | None = None
    final: bool = False
    rows: list[tuple[str, list]] = field(default_factory=list)  # (table name, parameters)
    events: list[tuple[str, str, str]] = field(default_factory=list)
    documents_created: int = 0
    documents_existing: int = 0
    claims_created: int = 0
    hops_created: int = 0
    created: Counter[str] = field(default_factory=Counter)  # sources, aliases, groups


#: The tables a batch writes, by name.
_BATCH_TABLES = {t.name: t for t in (Source.__table__, SourceAlias.__table__, ClaimGroup.__table__,
                                     Document.__table__, Claim.__table__, RelayHop.__table__)}


class _Store:
    """Writes prepared batches in the load's write transaction(s)."""

    def __init__(self, session: Session, *, actor: str) -> None:
        self.session = session
        self.actor = actor
        # SQLite: the FTS5 insert trigger can be paused (migration 0010); one statement per batch
        # then fills the index.
        self.fts_pausable = session.get_bind().dialect.name == "sqlite" and _FTS_PAUSE_CHECK in " ".join(
            (session.scalar(sql_text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
                            {"name": _FTS_TRIGGER}) or "").split())

        self.checks = _batch_checks(session) if session.get_bind().dialect.name == "sqlite" else None

    def write(self, batch: _Batch) -> None:
        """Write the batch's rows (parents first) and append its audit events to the chain.

        SQLite: with the CHECK constraints of the tables written known (``_batch_checks``), they
        are not evaluated row by row (``PRAGMA ignore_check_constraints`` for the batch's
        inserts only) but by one query per table over the batch's new rows, which raises the
        error the first failing constraint would have (``_verify_checks``). Row by row, SQLite
        builds each ``IN (...)`` list's lookup table again for every row: 10.9 us per relay-hop
        row with the checks, 5.7 us without (executemany of 50k rows, 6 rounds each)."""
        connection = self.session.connection()
        dialect = connection.dialect
        checks = self.checks or {}
        written = [name for name, _ in batch.rows] + (["audit_event"] if batch.events else [])
        verified = [name for name in written if name in checks]
        # The highest rowid of each table before the batch, read with one statement: the rows
        # above it are the batch's (SQLite gives a new row max(rowid) + 1).
        fts = self.fts_pausable and _SEARCH_DOCUMENT_TABLE.name in written
        bounded = verified + ([_SEARCH_DOCUMENT_TABLE.name] if fts and _SEARCH_DOCUMENT_TABLE.name not in verified else [])
        bounds: dict[str, int] = {}
        if bounded:
            found = connection.exec_driver_sql(
                "SELECT " + ", ".join(f'(SELECT rowid FROM "{t}" ORDER BY rowid DESC LIMIT 1)' for t in bounded)).one()
            bounds = {t: value or 0 for t, value in zip(bounded, found, strict=True)}
        raw = connection.connection.dbapi_connection if verified else None
        if raw is not None:
            raw.execute("PRAGMA ignore_check_constraints = ON")
        try:
            for name, params in batch.rows:
                if name == _SEARCH_DOCUMENT_TABLE.name:
                    self.write_search_documents(connection, params, last=bounds.get(name, 0))
                else:
                    _fast_insert(_BATCH_TABLES[name], dialect).write(connection, params)
            if batch.events:
                append_events(self.session, [(AuditAction.CREATE, et, eid, after) for et, eid, after in batch.events],
                              actor=self.actor)
            if verified:
                _verify_checks(connection, [checks[name] for name in verified], [bounds[name] for name in verified])
        finally:
            if raw is not None:
                raw.execute("PRAGMA ignore_check_constraints = OFF")

    def write_search_documents(self, connection, params: list, *, last: int) -> None:
        """Insert the search documents. On SQLite the FTS5 index is filled for the whole batch
        with one ``INSERT ... SELECT`` while the per-row insert trigger is paused by a row in
        ``search_fts_pause`` that exists only inside this transaction (no other connection sees
        it, and no DDL runs): through the trigger the index cost ~35 us a row, ~20 times the
        single statement."""
        insert_rows = _fast_insert(_SEARCH_DOCUMENT_TABLE, connection.dialect).write
        if not self.fts_pausable:
            insert_rows(connection, params)
            return
        connection.exec_driver_sql("INSERT INTO search_fts_pause (writer) VALUES (1)")
        insert_rows(connection, params)  # rowids above ``last``: SQLite gives a new row max(rowid) + 1
        connection.exec_driver_sql(
            "INSERT INTO search_fts(rowid, terms) SELECT id, terms FROM search_document WHERE id > ? ORDER BY id",
            (last,),
        )
        connection.exec_driver_sql("DELETE FROM search_fts_pause")


#: SQLite triggers on the tables a batch writes whose statements write no table with CHECK
#: constraints (they fill the FTS5 index), so they may run while the checks are not evaluated.
_KNOWN_TRIGGERS = frozenset({"search_document_ai", "search_document_au", "search_document_ad"})


def _batch_checks(session: Session) -> dict[str, str] | None:
    """SQLite: per table a batch writes, the query that finds its first new row (rowid above
    a bound) breaking a CHECK constraint of the table as stored (read from ``sqlite_master``,
    whatever the models say), with that constraint's error message; None (check row by row)
    when a table's SQL cannot be read this way or an unknown trigger could write elsewhere."""
    names = [*_BATCH_TABLES, _SEARCH_DOCUMENT_TABLE.name, "audit_event"]
    rows = session.execute(
        sql_text("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name IN :names AND type IN ('table', 'trigger')")
        .bindparams(bindparam("names", expanding=True)),
        {"names": names},
    ).all()
    if any(r.type == "trigger" and r.name not in _KNOWN_TRIGGERS for r in rows):
        return None
    tables = {r.name: r.sql for r in rows if r.type == "table"}
    if set(tables) != set(names):
        return None
    out = {}
    for name, create in tables.items():
        try:
            clauses = _check_clauses(create)
        except ValueError:
            return None
        if not clauses:
            continue
        cases = " ".join(f"WHEN NOT ({expr}) THEN {_sql_string('CHECK constraint failed: ' + (label or expr))}"
                         for label, expr in clauses)
        broken = " OR ".join(f"NOT ({expr})" for _, expr in clauses)
        out[name] = f'SELECT CASE {cases} END FROM "{name}" WHERE rowid > ? AND ({broken}) ORDER BY rowid LIMIT 1'
    return out


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


_CHECK_AT = re.compile(r"CHECK\s*\(", re.IGNORECASE)
_CONSTRAINT_NAME = re.compile(r'CONSTRAINT\s+("(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|\w+)\s*$', re.IGNORECASE)


def _skip_quoted(sql: str, i: int) -> int:
    """The index after the quoted string or identifier starting at ``i``."""
    close = "]" if sql[i] == "[" else sql[i]
    j = i + 1
    while j < len(sql):
        if sql[j] == close:
            if close != "]" and j + 1 < len(sql) and sql[j + 1] == close:
                j += 2
                continue
            return j + 1
        j += 1
    raise ValueError("unterminated quote")


def _check_clauses(sql: str) -> list[tuple[str | None, str]]:
    """(constraint name or None, expression) of every CHECK in a CREATE TABLE statement."""
    out: list[tuple[str | None, str]] = []
    i = 0
    while i < len(sql):
        ch = sql[i]
        if ch in "'\"`[":
            i = _skip_quoted(sql, i)
            continue
        m = _CHECK_AT.match(sql, i)
        if m and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")):
            depth, j = 1, m.end()
            while depth:
                if j >= len(sql):
                    raise ValueError("unbalanced CHECK")
                c = sql[j]
                if c in "'\"`[":
                    j = _skip_quoted(sql, j)
                    continue
                depth += {"(": 1, ")": -1}.get(c, 0)
                j += 1
            named = _CONSTRAINT_NAME.search(sql[:i])
            label = named.group(1).strip('"`[]') if named else None
            out.append((label, sql[m.end() : j - 1]))
            i = j
            continue
        i += 1
    return out


def _verify_checks(connection, queries: list[str], bounds: list[int]) -> None:
    """Raise what the first CHECK constraint broken by a new row (above its table's bound) would
    have raised; one statement for all the tables."""
    sql = queries[0] if len(queries) == 1 else "SELECT coalesce(" + ", ".join(f"({q})" for q in queries) + ")"
    failed = connection.exec_driver_sql(sql, tuple(bounds)).scalar()
    if failed is not None:
        import sqlite3

        raise DBAPIError.instance(sql, tuple(bounds), sqlite3.IntegrityError(failed), sqlite3.Error)


class _FastInsert:
    """A table's INSERT, compiled once by SQLAlchemy Core for the dialect, run with the DBAPI's
    ``executemany`` on the session's connection (same transaction). Values are converted the
    way the column types would (UUID bytes on SQLite, UTC timestamps in SQLite's text form) but
    once per distinct value: advanced-alchemy's GUID and DateTimeUTC and SQLAlchemy's per-row
    parameter processing cost more than the insert itself at this volume.

    On PostgreSQL the rows go in with one ``COPY ... FROM STDIN`` instead (psycopg adapts the
    values; the server runs the same constraints, triggers and index updates): psycopg's
    executemany sends one INSERT per row, and the server's per-statement work made the load
    about 1,000 claims/s by wall clock whatever the client did. The COPY is announced to
    ``before_cursor_execute`` listeners like any statement, and its errors are raised as
    SQLAlchemy's ``DBAPIError`` subclasses, as an executemany's would be."""

    def __init__(self, table: Table, dialect) -> None:
        compiled = insert(table).compile(dialect=dialect, column_keys=[c.name for c in table.columns])
        self.sql = str(compiled)
        self.positional = compiled.positional
        self.names = list(compiled.positiontup) if compiled.positional else [c.name for c in table.columns]
        self.copy = None
        if dialect.name == "postgresql":
            quote = dialect.identifier_preparer
            self.copy = (f"COPY {quote.format_table(table)} ({', '.join(quote.quote(n) for n in self.names)}) "
                         "FROM STDIN")
        sqlite = dialect.name == "sqlite"
        self.guids = {c.name for c in table.columns if isinstance(c.type, GUID)}
        self.uuids = self.guids if sqlite else set()
        self.times = {c.name: c.type._cached_bind_processor(dialect) for c in table.columns
                      if sqlite and isinstance(c.type, DateTimeUTC)}

    def params(self, rows: list[dict], *, portable: bool = False) -> list:
        """The rows as the DBAPI is given them (``write``). On PostgreSQL (COPY) values stay as
        they are, but with ``portable`` ids become their text (COPY reads them the same), which
        pickles ~5 times faster than ``uuid.UUID`` objects."""
        names = self.names
        if self.copy is not None:
            if not portable:
                return [list(map(row.get, names)) for row in rows]
            guids = [i for i, name in enumerate(names) if name in self.guids]
            out = []
            for row in rows:
                values = list(map(row.get, names))
                for i in guids:
                    v = values[i]
                    if v is not None:
                        values[i] = str(v)
                out.append(values)
            return out
        memo: dict = {}
        uuids = [i for i, name in enumerate(names) if name in self.uuids]
        times = [(i, self.times[name]) for i, name in enumerate(names) if name in self.times]
        out = []
        for row in rows:
            values = list(map(row.get, names))
            for i in uuids:
                v = values[i]
                if v is not None:
                    values[i] = v.bytes
            for i, bind in times:
                v = values[i]
                if v is not None:
                    converted = memo.get(v)
                    if converted is None:
                        converted = memo[v] = bind(v) if bind else v
                    values[i] = converted
            out.append(tuple(values) if self.positional else dict(zip(names, values, strict=True)))
        return out

    def execute(self, connection, rows: list[dict]) -> None:
        self.write(connection, self.params(rows))

    def write(self, connection, params: list) -> None:
        """Insert rows given as ``params`` made."""
        if self.copy is None:
            connection.exec_driver_sql(self.sql, params)
            return
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            if connection._has_events:
                connection.dispatch.before_cursor_execute(connection, cursor, self.copy, params, None, True)
            try:
                with cursor.copy(self.copy) as copy:
                    write = copy.write_row
                    for values in params:
                        write(values)
            except raw.Error as exc:  # what an executemany through SQLAlchemy would raise
                raise DBAPIError.instance(self.copy, None, exc, type(raw).Error) from exc


@lru_cache(maxsize=32)
def _fast_insert(table: Table, dialect) -> _FastInsert:
    return _FastInsert(table, dialect)


def _json_default(value: Any) -> Any:
    """What ``claims.audit._jsonable`` makes of a value JSON has no form for (ids, times)."""
    if type(value) is uuid.UUID:
        return str(value)
    out = _jsonable(value)
    if out is value:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
    return out


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default)
_canonical = _ENCODER.encode
_canonical_str = json.encoder.encode_basestring  # what _canonical makes of a str, without the encoder's checks
_FAST_ENCODER = msgspec.json.Encoder(order="sorted")


def _canonical_fast(after: dict[str, Any]) -> str:
    """``_canonical`` of a snapshot the bulk writer built, by msgspec (~4x faster): keys sorted,
    no spaces, strings and ids written the same way (every code point checked). Only for values
    of types it writes like ``json`` does: ``_fast_safe`` turns datetimes into ISO strings and
    floats ``json`` would write with an exponent into their ``json`` text first."""
    return _FAST_ENCODER.encode(after).decode()


def _fast_safe(value: Any) -> Any:
    """A value of a column ``_unsafe_columns`` names, as ``_canonical_fast`` must be given it."""
    if type(value) is float and (value == 0 or 1e-4 <= abs(value) < 1e16):  # no exponent in repr()
        return value
    return msgspec.Raw(_canonical(value).encode())  # written by ``_canonical`` itself


def _unsafe_columns(table: Table) -> tuple[str, ...]:
    """Columns whose values msgspec may write differently from ``json`` (times, floats, bytes):
    anything but str, int, bool and UUID."""
    out = []
    for column in table.columns:
        try:
            kind = column.type.python_type
        except NotImplementedError:
            kind = None
        if kind not in (str, int, bool, uuid.UUID):
            out.append(column.name)
    return tuple(out)


def append_events(session: Session, events: list[tuple[AuditAction, str, str, dict]], *, actor: str,
                  reason: str | None = None) -> None:
    """Append many events to the audit hash chain with one executemany (the chain lock is taken
    as for a single event: ``claims.audit._last_hash``). Each ``after`` is encoded once: its
    canonical JSON is both hashed (as part of the payload ``claims.audit.event_hash`` hashes)
    and stored."""
    prev = _last_hash(session)
    occurred = _utcnow().replace(microsecond=0)
    # The parts of the hashed payload every event of this call shares, encoded once.
    tail = f'"occurred_at":{_canonical(occurred.isoformat())},"reason":{_canonical(reason)}}}'
    actor_json = _canonical(actor)
    actions: dict[AuditAction, tuple[str, str]] = {}
    types: dict[str, str] = {}
    rows = []
    for action, entity_type, entity_id, after in events:
        after_json = after if type(after) is str else _canonical(after)  # a str: already canonical JSON
        known = actions.get(action)
        if known is None:
            known = actions[action] = (action.value, _canonical(action.value))
        type_json = types.get(entity_type)
        if type_json is None:
            type_json = types[entity_type] = _canonical(entity_type)
        payload = (
            f'{{"action":{known[1]},"actor":{actor_json},"after":{after_json},"before":null,'
            f'"entity_id":{_canonical_str(entity_id)},"entity_type":{type_json},{tail}'
        )
        digest = hashlib.sha256(f"{prev or ''}|{payload}".encode()).hexdigest()
        rows.append({"occurred_at": occurred, "actor": actor, "action": known[0], "entity_type": entity_type,
                     "entity_id": entity_id, "before": None, "after": after_json, "reason": reason,
                     "prev_hash": prev, "hash": digest})
        prev = digest
    connection = session.connection()
    _fast_insert(_AUDIT_TABLE, connection.dialect).execute(connection, rows)
    session.info["_audit_last_hash"] = prev


#: The audit table without its id (the database numbers events in insertion order).
_AUDIT_TABLE = Table(
    "audit_event", MetaData(), *[c._copy() for c in AuditEvent.__table__.columns if c.name != "id"]
)


#: SQLite's per-row trigger that indexes a new search document, and the condition migration 0010
#: gave it (it does nothing while ``search_fts_pause`` holds a row).
_FTS_TRIGGER = "search_document_ai"
_FTS_PAUSE_CHECK = "WHEN NOT EXISTS (SELECT 1 FROM search_fts_pause)"

#: ``search_document`` without its generated key (one row per claim; the FTS5 triggers or the
#: GIN index follow the inserts).
_SEARCH_DOCUMENT_TABLE = Table(
    "search_document", MetaData(), *[c._copy() for c in SearchDocument.__table__.columns if c.name != "id"]
)


# --- the batched write of one document's claims (ingest, POST /documents, POST /claims) -----


@dataclass
class NewClaim:
    """One checked claim to store (``ClaimService.create_many`` validates, then hands these over)."""

    values: dict[str, Any]
    hops: list[dict[str, Any]]
    group: ClaimGroup | None = None


def store_claims(session: Session, document: Document, items: list[NewClaim], *, index: bool = True) -> list[Claim]:
    """Write claims of one stored document the way ``bulk_load`` writes rows: claims, hops and
    search documents with one executemany per table, and the audit trail as one ``create``
    event per claim and per hop (the same snapshots the ORM flush hook records, so history and
    ``claims audit verify`` see them as before) appended in one executemany. Vectors are
    computed in one encoder batch. Returns the claims as ORM objects (hops loaded), made from
    the rows written (``_persistent``) rather than read back.

    ``index=False``: no search documents or vectors yet, ``term_count`` 0: the caller indexes
    the claims next (ingest, once grouping has given them their groups: ``store_groups(fresh=...)``),
    so their terms are worked out once."""
    from claims import indexing

    if not items:
        return []
    session.flush()  # pending ORM rows and their audit events first: the chain is in id order
    now = _utcnow()
    claim_table, hop_table = Claim.__table__, RelayHop.__table__
    claim_base = {c.name: None for c in claim_table.columns} | _defaults(claim_table)
    hop_base = {c.name: None for c in hop_table.columns} | _defaults(hop_table)
    claims, hops, documents, events = [], [], [], []
    hops_of: list[list[dict[str, Any]]] = []
    for item in items:
        claim = {**claim_base, **item.values, "id": _new_id(), "document_id": document.id,
                 "created_at": now, "updated_at": now}
        if index:
            counts = _index_counts(SimpleNamespace(document=document, group=item.group, **claim))
            claim["term_count"] = sum(counts.values())
            if counts:
                documents.append({"claim_id": claim["id"], "terms": indexing.document_terms(counts)})
        claims.append(claim)
        events.append((AuditAction.CREATE, "claim", str(claim["id"]), _snapshot(claim)))
        own = []
        for position, hop in enumerate(item.hops):
            row = {**hop_base, **hop, "id": _new_id(), "claim_id": claim["id"], "position": position,
                   "created_at": now, "updated_at": now}
            own.append(row)
            events.append((AuditAction.CREATE, "relay_hop", str(row["id"]), _snapshot(row)))
        hops.extend(own)
        hops_of.append(own)
    connection = session.connection()
    for table, rows in ((claim_table, claims), (hop_table, hops), (_SEARCH_DOCUMENT_TABLE, documents)):
        if rows:
            _fast_insert(table, connection.dialect).execute(connection, rows)
    append_events(session, events, actor=session.info.get("actor") or default_actor(), reason=session.info.get("reason"))
    if index:
        indexing.generation += 1
    stored = []
    for claim, own in zip(claims, hops_of, strict=True):
        obj = _persistent(session, Claim, claim)
        set_committed_value(obj, "hops", [_persistent(session, RelayHop, row) for row in own])
        stored.append(obj)
    if index:
        indexing.embed_claims(session, stored)
    return stored


def _persistent(session: Session, model: type, row: dict[str, Any]):
    """The ORM object of a row just written, persistent in ``session`` as if a query had
    loaded it: columns set, no pending change, relationships unloaded (a many-to-one loads
    lazily, from the identity map when the related object is there: the document, the
    speakers, the group)."""
    from sqlalchemy import inspect as sa_inspect
    from sqlalchemy.orm import make_transient_to_detached

    keys = _attribute_keys(model)
    obj = sa_inspect(model).class_manager.new_instance()
    obj.__dict__.update({keys[name]: value for name, value in row.items()})
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


@lru_cache(maxsize=8)
def _attribute_keys(model: type) -> dict[str, str]:
    """Column name -> mapped attribute key (``sa_orm_sentinel`` is ``_sentinel``)."""
    from sqlalchemy import inspect as sa_inspect

    return {column.name: prop.key for prop in sa_inspect(model).column_attrs for column in prop.columns}


def _index_counts(claim) -> Counter[str]:
    """The search terms of a claim (an ORM object or a row with ``document`` and ``group``), as
    ``claims.indexing.index_claims`` counts them: its tellings' terms and the entities it refers to."""
    from claims import indexing

    return Counter(indexing.index_terms("\n".join(indexing.claim_texts(claim))) + indexing.referenced_entities(claim))


def store_groups(
    session: Session,
    assigned: Iterable[tuple[Claim, ClaimGroup]],
    relabelled: Iterable[uuid.UUID],
    fresh: Iterable[Claim] = (),
) -> None:
    """Write what grouping decided (``claims.extraction.grouping.Grouper.assign``): each claim's
    new group with one executemany, then the search documents of those claims and of every
    member of a group whose label was just filled (a group's labels are indexed with each
    member), as ``claims.indexing.index_claims`` builds them, with ``term_count``. Pending ORM
    changes (new groups, labels: their audit events) are flushed first. A claim's group is a
    foreign key the audit trail records no event for (the flush hook's snapshot of a
    relationship change is unchanged), so none is written here. The claims' ORM objects are
    left as a flush would leave them (group, group_id, term_count, updated_at).

    ``fresh``: claims just stored without their index (``store_claims(index=False)``), indexed
    here with the rest: the same rows as indexing them there and again here would leave, but
    their terms are worked out once. A fresh claim that gets no group keeps its ``updated_at``."""
    from claims import indexing

    session.flush()
    now = _utcnow()
    table = Claim.__table__
    assigned = list(assigned)
    fresh = {c.id: c for c in fresh}
    moved = [(claim, group) for claim, group in assigned if claim.group_id != group.id or claim.group is not group]
    changed = {claim.id for claim, group in moved if claim.group_id != group.id}
    for claim, group in moved:
        set_committed_value(claim, "group_id", group.id)
        set_committed_value(claim, "group", group)
    relabelled = list(relabelled)
    # Read before the groups are written: the claims given a relabelled group here are in
    # ``assigned`` already, and the union is the same set.
    members = list(session.scalars(select(Claim).where(Claim.group_id.in_(relabelled)))) if relabelled else []
    claims = list({c.id: c for c in [*(claim for claim, _ in assigned), *members, *fresh.values()]}.values())
    if not claims:
        return
    indexed = [c.id for c in claims if c.id not in fresh]
    if indexed:
        session.execute(delete(SearchDocument).where(SearchDocument.claim_id.in_(indexed)))
    rows, grouped, counted = [], [], []
    for claim in claims:
        counts = _index_counts(claim)
        total = sum(counts.values())
        if claim.id in changed:
            grouped.append({"_id": claim.id, "_group": claim.group_id, "_count": total, "_at": now})
            set_committed_value(claim, "term_count", total)
            set_committed_value(claim, "updated_at", now)
        elif total != claim.term_count:
            if claim.id in fresh:  # kept as stored (an UPDATE would otherwise set the column's onupdate time)
                counted.append({"_id": claim.id, "_count": total, "_at": claim.updated_at})
            else:
                counted.append({"_id": claim.id, "_count": total, "_at": now})
                set_committed_value(claim, "updated_at", now)
            set_committed_value(claim, "term_count", total)
        if counts:
            rows.append({"claim_id": claim.id, "terms": indexing.document_terms(counts)})
    for values, statement in (
        (grouped, update(table).where(table.c.id == bindparam("_id")).values(
            group_id=bindparam("_group"), term_count=bindparam("_count"), updated_at=bindparam("_at"))),
        (counted, update(table).where(table.c.id == bindparam("_id")).values(
            term_count=bindparam("_count"), updated_at=bindparam("_at"))),
    ):
        if values:
            session.execute(statement, values)
    if rows:
        connection = session.connection()
        _fast_insert(_SEARCH_DOCUMENT_TABLE, connection.dialect).execute(connection, rows)
    indexing.generation += 1
    indexing.embed_claims(session, claims)


# --- reading ----------------------------------------------------------------------------------
#
# A line is decoded by msgspec into the Structs below, which take only lines ``BulkLine`` takes
# and give the same values; anything they refuse or are unsure of (white space around a name,
# an int sent as a string, ...) goes to ``BulkLine``, so a bad line's message, and what a lax
# line becomes, is pydantic's. Decoding with pydantic was ~13 % of a load's CPU.


def _values(enum) -> Any:
    return Literal[tuple(m.value for m in enum)]


_Confidence = Annotated[float, msgspec.Meta(ge=0, le=1)]


class _FastHop(msgspec.Struct, forbid_unknown_fields=True):
    source: str
    relation: _values(Relation)
    lang: str | None = None
    modality: _values(Modality) | None = None
    cue: str | None = None
    evidence: tuple[int, int] | None = None
    kind: _values(SourceKind) | None = None
    confidence: _Confidence | None = None


class _FastClaim(msgspec.Struct, forbid_unknown_fields=True):
    start: Annotated[int, msgspec.Meta(ge=0)]
    end: Annotated[int, msgspec.Meta(ge=1)]
    speaker: str
    modality: _values(Modality) = Modality.ASSERTED  # the default BulkClaim gives
    stance: _values(Stance) | None = None
    group: str | None = None
    chain: Annotated[list[_FastHop], msgspec.Meta(max_length=50)] = msgspec.field(default_factory=list)
    confidence: _Confidence | None = None


class _FastDocument(msgspec.Struct, forbid_unknown_fields=True):
    lang: str
    outlet: str
    text: str
    title: str | None = None
    url: str | None = None
    published_at: Any = None  # a str as sent; pydantic's Timestamp parses it (``_timestamp``)


class _FastLine(msgspec.Struct, forbid_unknown_fields=True):
    document: _FastDocument
    claims: Annotated[list[_FastClaim], msgspec.Meta(max_length=5000)] = msgspec.field(default_factory=list)


_FAST_DECODER = msgspec.json.Decoder(_FastLine)
_NOT_BLANK = re.compile(NOT_BLANK)
_HTTP_URL = re.compile(r"https?://[^\u0000-\u0020\u007f]+")
_TIMESTAMP = TypeAdapter(Timestamp)


@lru_cache(maxsize=4096)
def _timestamp(value: str) -> datetime.datetime:
    """pydantic's ``Timestamp`` of the string, with its offset as a ``datetime.timezone``: the
    same instant and the same ``isoformat()``, which is ~50 times faster than with pydantic's
    own tzinfo (the audit snapshot writes it)."""
    out = _TIMESTAMP.validate_python(value)
    return out.replace(tzinfo=datetime.timezone(out.utcoffset()))


def _name_ok(value: str, max_length: int) -> bool:
    """What ``Name`` takes unchanged: 1..max characters, nothing that strip would remove."""
    return 0 < len(value) <= max_length and not value[0].isspace() and not value[-1].isspace()


def _lang_ok(value: str | None) -> bool:
    return value is None or (len(value) == 2 and value.isascii() and value.isalpha() and value.islower())


def _fast_line(raw: bytes) -> _FastLine | None:
    """The line as ``BulkLine.model_validate_json`` would give it, or None to ask pydantic."""
    try:
        line = _FAST_DECODER.decode(raw)
    except msgspec.DecodeError:
        return None
    doc = line.document
    text = doc.text
    if not (
        _lang_ok(doc.lang) and doc.lang is not None and _name_ok(doc.outlet, 300)
        and 0 < len(text) <= MAX_OFFSET and "\x00" not in text and text.strip() and _NOT_BLANK.match(text)
        and (doc.title is None or len(doc.title) <= 500)
        and (doc.url is None or (len(doc.url) <= 2000 and _HTTP_URL.fullmatch(doc.url)))
    ):
        return None
    if doc.published_at is not None:
        if type(doc.published_at) is not str:
            return None
        try:
            doc.published_at = _timestamp(doc.published_at)
        except ValueError:
            return None
    for claim in line.claims:
        if claim.end <= claim.start or not _name_ok(claim.speaker, 300) or (
            claim.group is not None and not _name_ok(claim.group, 120)
        ):
            return None
        for hop in claim.chain:
            if not _name_ok(hop.source, 300) or not _lang_ok(hop.lang) or (
                hop.cue is not None and len(hop.cue) > 500
            ) or (hop.evidence is not None and not 0 <= hop.evidence[0] < hop.evidence[1]):
                return None
    return line


def read_lines(path: Path) -> Iterator[tuple[int, int, BulkLine | LineError]]:
    """(line number, bytes read so far, parsed line or its error); blank lines are skipped."""
    done = 0
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            done += len(raw)
            if not raw.strip():
                continue
            if b"\\u0000" in raw:  # checked on the raw line: cheaper than a validator on every field
                yield number, done, LineError(number, "NUL characters are not allowed")
                continue
            fast = _fast_line(raw)
            if fast is not None:
                yield number, done, fast
                continue
            try:
                yield number, done, BulkLine.model_validate_json(raw)
            except ValidationError as exc:
                first = exc.errors()[0]
                if first["type"] == "json_invalid":
                    yield number, done, LineError(number, f"not JSON: {first['msg']}")
                    continue
                loc = ".".join(str(x) for x in first["loc"])
                yield number, done, LineError(number, f"{loc}: {first['msg']}" + (f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""))


# --- the load -----------------------------------------------------------------------------------


class BulkLoadAborted(Exception):
    """A strict load met a bad line; nothing was written."""

    def __init__(self, error: LineError, report: BulkReport) -> None:
        super().__init__(str(error))
        self.error = error
        self.report = report


def _existing_hashes(session: Session, digests: Iterable[str]) -> set[str]:
    digests = list(digests)
    found: set[str] = set()
    for i in range(0, len(digests), 500):
        found.update(session.scalars(select(Document.content_hash).where(Document.content_hash.in_(digests[i : i + 500]))))
    return found


def bulk_load(
    engine: Engine,
    path: Path,
    *,
    batch: int = DEFAULT_BATCH,
    strict: bool = False,
    actor: str | None = None,
    progress: Callable[[BulkReport], None] | None = None,
    workers: int | None = None,
) -> BulkReport:
    """Load a JSONL archive; see the module docstring. Raises ``BulkLoadAborted`` in strict mode.

    ``workers=2``: a second process reads the file and prepares each batch's rows (decoding,
    checks, names, snapshots, index terms: ``_batches``) while this one writes the previous
    batch; ``1``: all in this process; ``None``: 2 when there are two cores or more and the
    file is large enough for it to matter (``_use_reader_process``)."""
    actor = actor or default_actor()
    with _rare_collections():
        return _bulk_load(engine, path, batch=batch, strict=strict, actor=actor, progress=progress, workers=workers)


#: ``gc`` thresholds while a load runs (``_rare_collections``).
_LOAD_GC_THRESHOLDS = (100_000, 50, 100)


@contextlib.contextmanager
def _rare_collections() -> Iterator[None]:
    """Collect cyclic garbage rarely while a load runs: it allocates millions of objects (rows,
    snapshots, decoded lines) that are not garbage, and at the default thresholds the collector
    walked them over and over: 39 % of the CPU of preparing 100k claims (13.8 s -> 8.7 s).
    The thresholds the process had are put back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*_LOAD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _bulk_load(engine: Engine, path: Path, *, batch: int, strict: bool, actor: str,
               progress: Callable[[BulkReport], None] | None, workers: int | None) -> BulkReport:
    report = BulkReport()
    # The reader process is forked before this load opens a connection or transaction (see
    # ``_ReaderProcess``).
    batches: _ReaderProcess | Iterator[_Batch] | None = None
    if _use_reader_process(engine, path, workers):
        batches = _ReaderProcess(engine, path, batch=batch, strict=strict, actor=actor)
    # One connection for the whole load (the session's transactions all run on it), with a
    # larger page cache on SQLite while it lasts (``_LOAD_CACHE_KIB``).
    connection = write_engine(engine).connect()
    cache_before = _grow_cache(connection)
    session = session_factory(engine, write=True)(bind=connection)
    session.info["actor"] = actor
    created: Counter[str] = Counter()

    def commit() -> None:
        session.commit()
        session.info["actor"] = actor
        report.sources_created += created.pop("sources", 0)
        report.aliases_created += created.pop("aliases", 0)
        report.groups_created += created.pop("groups", 0)

    try:
        store = _Store(session, actor=actor)
        if batches is None:
            batches = _batches(BulkWriter(session, actor=actor), path, batch=batch, strict=strict, portable=False)
        for item in batches:
            report.lines += item.lines
            report.bytes_read = max(report.bytes_read, item.bytes_read)
            report.errors.extend(item.errors)
            if item.abort is not None:
                raise BulkLoadAborted(item.abort, report)
            store.write(item)
            report.documents_created += item.documents_created
            report.documents_existing += item.documents_existing
            report.claims_created += item.claims_created
            report.hops_created += item.hops_created
            created.update(item.created)
            if item.final:
                break
            if not strict:
                commit()
            if progress:
                progress(report)
        commit()
    except BaseException as exc:
        session.rollback()
        if strict and isinstance(exc, DBAPIError):
            raise BulkLoadAborted(LineError(0, f"database error: {exc.orig}"), report) from exc
        raise
    finally:
        if batches is not None and hasattr(batches, "close"):
            batches.close()  # stops the reader process
        session.close()
        _restore_cache(connection, cache_before)
        connection.close()
    if progress:
        progress(report)
    return report


#: SQLite's page cache (KiB) for the load's connection. At the default 2 MB the indexes with
#: keys in no particular order (a hop's source, a claim's speaker) missed the cache on most
#: inserts once a store holds millions of rows: 3M hop-like rows with a source index in
#: batches of 1,500 took 59.4 s CPU / 347 s wall (a loaded machine) at 2 MB, 52.8 s / 241 s at 128 MB.
_LOAD_CACHE_KIB = 131_072


def _grow_cache(connection) -> int | None:
    """Set the load's page cache on SQLite; returns the connection's setting before (or None)."""
    if connection.dialect.name != "sqlite":
        return None
    raw = connection.connection.dbapi_connection  # outside any transaction (no autobegin)
    before = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = {-_LOAD_CACHE_KIB}")
    return before


def _restore_cache(connection, before: int | None) -> None:
    """Put the connection's cache back before it returns to the pool; a connection that cannot
    be reset is discarded instead."""
    if before is None:
        return
    try:
        connection.connection.dbapi_connection.execute(f"PRAGMA cache_size = {int(before)}")
    except Exception:  # noqa: BLE001 - a broken connection is not pooled again
        connection.invalidate()


def _batches(writer: BulkWriter, path: Path, *, batch: int, strict: bool, portable: bool) -> Iterator[_Batch]:
    """The file as prepared batches of ``batch`` new lines each; the last one is ``final``, or
    (strict) the one whose ``abort`` is the first bad line."""
    queue: list[tuple[int, BulkLine, str]] = []
    out = _Batch()
    for number, done, item in read_lines(path):
        out.lines += 1
        out.bytes_read = done
        if not isinstance(item, LineError):
            try:
                writer.check(number, item)
            except LineError as exc:
                item = exc
        if isinstance(item, LineError):
            if strict:
                out.abort = item
                yield out
                return
            out.errors.append(item)
            continue
        queue.append((number, item, content_hash(item.document.text)))
        if len(queue) >= batch:
            writer.prepare(queue, out, portable=portable)
            queue.clear()
            yield out
            out = _Batch()
    writer.prepare(queue, out, portable=portable)
    out.final = True
    yield out


#: Below this size a load reads in its own process (a fork costs more than it saves).
_READER_MIN_BYTES = 1 << 20


def _use_reader_process(engine: Engine, path: Path, workers: int | None) -> bool:
    if workers is None:
        workers = 2 if (os.cpu_count() or 1) >= 2 and path.stat().st_size >= _READER_MIN_BYTES else 1
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    # An in-memory SQLite database lives in this process only.
    return not (engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"))


class _ReaderProcess:
    """``_batches`` run in a forked process, received here in order. The fork happens when this
    is made, before the load opens its connection (SQLite: no lock or transaction of this
    process is inherited); the child opens connections of its own, for reads only. The child
    exits when this process dies (``_reader_main``); ``close`` (the load's end, or any error
    here) kills it."""

    def __init__(self, engine: Engine, path: Path, *, batch: int, strict: bool, actor: str) -> None:
        context = multiprocessing.get_context("fork")
        self.channel = context.Queue(maxsize=_READ_AHEAD)
        self.child = context.Process(target=_reader_main, name="claims-bulk-reader", daemon=True,
                                     args=(engine, path, batch, strict, actor, self.channel, os.getpid()))
        self.child.start()

    def __iter__(self) -> Iterator[_Batch]:
        child = self.child
        while True:
            try:
                item = self.channel.get(timeout=1.0)
            except queue_module.Empty:
                if not child.is_alive():
                    raise RuntimeError(f"the bulk-load reader process exited (code {child.exitcode})") from None
                continue
            if isinstance(item, str):  # the reader failed: its traceback
                raise RuntimeError(f"the bulk-load reader process failed:\n{item}")
            yield item
            if item.final or item.abort is not None:
                child.join(5)  # it has nothing more to send
                return

    def close(self) -> None:
        if self.child.is_alive():
            self.child.kill()
        self.child.join(10)
        self.channel.close()
        self.channel.cancel_join_thread()


#: Batches the reader process may prepare ahead of the writer.
_READ_AHEAD = 3


#: Objects of the parent a reader process keeps referenced, so that none of them (its pooled
#: connections) is finalised in the child.
_INHERITED: list[Any] = []


def _reader_main(engine: Engine, path: Path, batch: int, strict: bool, actor: str, channel, parent: int) -> None:
    """The reader process: prepares batches and puts them on ``channel`` until the file ends."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the loader's to handle; it kills this process
    gc.set_threshold(*_LOAD_GC_THRESHOLDS)  # as the loader's (forked inside ``_rare_collections``)
    _die_with_parent(parent)
    _INHERITED.append(engine.pool)
    gc.freeze()  # the parent's heap, as forked: never walked by this process's collections
    engine.dispose(close=False)  # a pool of its own; the parent's connections stay untouched

    def put(item) -> None:
        while True:
            try:
                channel.put(item, timeout=1.0)
                return
            except queue_module.Full:
                if os.getppid() != parent:
                    os._exit(1)

    try:
        session = session_factory(engine)()
        writer = BulkWriter(session, actor=actor)
        writer.reads_done = session.rollback  # each batch's reads in a transaction of their own, kept no longer
        session.rollback()
        for item in _batches(writer, path, batch=batch, strict=strict, portable=True):
            put(item)
    except BaseException:  # noqa: BLE001 - reported to the loader, which raises it
        import traceback

        put(traceback.format_exc())


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this process when the loader dies (PR_SET_PDEATHSIG); elsewhere
    ``put`` notices the loader is gone when the channel stays full."""
    import signal

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # died before prctl
        os._exit(1)


# --- embeddings -----------------------------------------------------------------------------------


@dataclass
class EmbedReport:
    claims: int = 0
    seconds: float = 0.0


def embed_missing(
    engine: Engine,
    *,
    chunk: int = 2048,
    limit: int | None = None,
    progress: Callable[[EmbedReport, int], None] | None = None,
) -> EmbedReport:
    """Compute the vectors of every claim that has none, ``chunk`` claims per transaction (so an
    interrupted run resumes where it stopped). Texts go to the encoder in its own batches."""
    import time

    from claims import embeddings
    from claims.models import ClaimEmbedding

    report = EmbedReport()
    if not embeddings.enabled():
        return report
    sessions = session_factory(engine, write=True)
    started = time.perf_counter()
    with sessions() as session:
        total = session.scalar(
            select(func.count()).select_from(Claim)
            .outerjoin(ClaimEmbedding, ClaimEmbedding.claim_id == Claim.id).where(ClaimEmbedding.claim_id.is_(None))
        ) or 0
    if limit is not None:
        total = min(total, limit)
    last: uuid.UUID | None = None
    while report.claims < total:
        with sessions() as session:
            query = (
                select(Claim.id, Claim.text, ClaimGroup.label, ClaimGroup.label_ar)
                .outerjoin(ClaimGroup, ClaimGroup.id == Claim.group_id)
                .outerjoin(ClaimEmbedding, ClaimEmbedding.claim_id == Claim.id)
                .where(ClaimEmbedding.claim_id.is_(None))
                .order_by(Claim.id)
                .limit(min(chunk, total - report.claims))
            )
            if last is not None:
                query = query.where(Claim.id > last)
            rows = session.execute(query).all()
            if not rows:
                break
            texts: list[str] = []
            spans: list[tuple[int, int]] = []
            for row in rows:
                parts = [row.text, *(x for x in (row.label, row.label_ar) if x)]
                spans.append((len(texts), len(texts) + len(parts)))
                texts.extend(parts)
            matrix = embeddings.encode(texts)
            vectors = [matrix[a] if b - a == 1 else embeddings.mean_vector(matrix[a:b]) for a, b in spans]
            session.execute(
                insert(ClaimEmbedding.__table__),
                [{"claim_id": r.id, "model": embeddings.MODEL, "dim": embeddings.DIM, "vector": embeddings.to_bytes(v)}
                 for r, v in zip(rows, vectors, strict=True)],
            )
            session.commit()
            last = rows[-1].id
            report.claims += len(rows)
            if progress:
                progress(report, total)
    embeddings.generation += 1  # the query side reloads its vector index
    report.seconds = time.perf_counter() - started
    return report
