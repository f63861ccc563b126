"""The relational record: sources and their aliases, documents, claims, claim groups,
relay hops (one row per hop, ordered by position), the search index and the audit trail.

Every constraint is named through advanced-alchemy's metadata naming convention; CHECK
constraints carry explicit names. Keys are UUIDv7 (time-ordered, index friendly);
timestamps are UTC.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from advanced_alchemy.base import UUIDv7AuditBase, orm_registry
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from claims.vocabulary import (
    AuditAction,
    FeedEntryStatus,
    JobStatus,
    Modality,
    Relation,
    ReviewStatus,
    SourceKind,
    Stance,
    sql_in,
)

metadata = orm_registry.metadata

LANG_CHECK = "length({col}) = 2 AND {col} = lower({col})"
CONFIDENCE_CHECK = "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)"


class _PlainBase(DeclarativeBase):
    """Same registry and naming convention, without UUID keys or audit columns."""

    registry = orm_registry
    __abstract__ = True


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Source(UUIDv7AuditBase):
    """Anyone or anything that can say or relay a statement, named or not."""

    __tablename__ = "source"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_in(SourceKind)})", name="kind"),
        UniqueConstraint("key"),
    )

    key: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(300))
    name_normalized: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text, default=None)

    aliases: Mapped[list[SourceAlias]] = relationship(
        back_populates="source", cascade="all, delete-orphan", lazy="selectin", order_by="SourceAlias.text"
    )


class SourceAlias(UUIDv7AuditBase):
    """One surface form of a source's name, in any script, with the folded form used to match."""

    __tablename__ = "source_alias"
    __table_args__ = (
        UniqueConstraint("source_id", "normalized", name="uq_source_alias_source_normalized"),
        CheckConstraint(LANG_CHECK.format(col="lang"), name="lang"),
    )

    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    lang: Mapped[str | None] = mapped_column(String(2), default=None)
    normalized: Mapped[str] = mapped_column(String(300), index=True)
    note: Mapped[str | None] = mapped_column(String(300), default=None)

    source: Mapped[Source] = relationship(back_populates="aliases")


class Document(UUIDv7AuditBase):
    """An article or text, kept byte-exact so every character offset stays valid."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("content_hash"),
        CheckConstraint(LANG_CHECK.format(col="lang"), name="lang"),
        Index("ix_document_published_at", "published_at"),
        Index("ix_document_url", "url"),
    )

    outlet_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("source.id", ondelete="RESTRICT"), index=True, default=None
    )
    lang: Mapped[str] = mapped_column(String(2))
    title: Mapped[str | None] = mapped_column(String(500), default=None)
    url: Mapped[str | None] = mapped_column(String(2000), default=None)
    published_at: Mapped[datetime.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Web metadata (claims.articles): the byline, the page's canonical URL, when it was fetched,
    # and the syndicated story it belongs to with its MinHash signature (claims.syndication).
    author: Mapped[str | None] = mapped_column(String(500), default=None)
    canonical_url: Mapped[str | None] = mapped_column(String(2000), default=None, index=True)
    fetched_at: Mapped[datetime.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    story_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("story.id", ondelete="SET NULL"), index=True, default=None
    )
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)

    outlet: Mapped[Source | None] = relationship(lazy="joined")


class Story(UUIDv7AuditBase):
    """One article re-published (syndicated, trimmed, retitled) as several documents."""

    __tablename__ = "story"

    title: Mapped[str | None] = mapped_column(String(500), default=None)


class Feed(UUIDv7AuditBase):
    """An RSS/Atom feed polled for new articles, with the validators of its last response."""

    __tablename__ = "feed"
    __table_args__ = (UniqueConstraint("url"),)

    url: Mapped[str] = mapped_column(String(2000))
    outlet_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL"), index=True, default=None
    )
    title: Mapped[str | None] = mapped_column(String(500), default=None)
    etag: Mapped[str | None] = mapped_column(String(500), default=None)
    last_modified: Mapped[str | None] = mapped_column(String(100), default=None)
    last_polled_at: Mapped[datetime.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    last_status: Mapped[int | None] = mapped_column(Integer, default=None)
    last_error: Mapped[str | None] = mapped_column(String(2000), default=None)

    outlet: Mapped[Source | None] = relationship(lazy="joined")


class FeedEntry(UUIDv7AuditBase):
    """One feed item as seen: ingested once, then recognised by its guid, canonical URL or text."""

    __tablename__ = "feed_entry"
    __table_args__ = (
        UniqueConstraint("feed_id", "guid", name="uq_feed_entry_feed_guid"),
        CheckConstraint(f"status IN ({sql_in(FeedEntryStatus)})", name="status"),
    )

    feed_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("feed.id", ondelete="CASCADE"), index=True)
    guid: Mapped[str] = mapped_column(String(2000))
    url: Mapped[str | None] = mapped_column(String(2000), default=None)
    document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True, default=None
    )
    status: Mapped[str] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(String(2000), default=None)


class Job(UUIDv7AuditBase):
    """Long work run by a worker (claims.jobs): state, progress, result or error, and the lease
    that lets another worker take the job over when the one running it dies."""

    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_in(JobStatus)})", name="status"),
        CheckConstraint("attempts >= 0 AND max_attempts >= 1", name="attempts"),
        UniqueConstraint("idempotency_key"),
        Index("ix_job_status_lease", "status", "lease_until"),
    )

    kind: Mapped[str] = mapped_column(String(40), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED.value)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer, default=None)
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonB, default=None)
    result_body: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    result_media_type: Mapped[str | None] = mapped_column(String(100), default=None)
    result_filename: Mapped[str | None] = mapped_column(String(300), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    worker: Mapped[str | None] = mapped_column(String(200), default=None)
    lease_until: Mapped[datetime.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    started_at: Mapped[datetime.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    finished_at: Mapped[datetime.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)


class ClaimGroup(UUIDv7AuditBase):
    """The same proposition across documents and languages."""

    __tablename__ = "claim_group"
    __table_args__ = (UniqueConstraint("key"),)

    key: Mapped[str] = mapped_column(String(120))
    label: Mapped[str | None] = mapped_column(String(500), default=None)
    label_ar: Mapped[str | None] = mapped_column(String(500), default=None)

    claims: Mapped[list[Claim]] = relationship(back_populates="group", lazy="raise")


class Claim(UUIDv7AuditBase):
    """One statement as it appears in one document, with its speaker and modality."""

    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint(f"modality IN ({sql_in(Modality)})", name="modality"),
        CheckConstraint(f"stance IN ({sql_in(Stance)})", name="stance"),
        CheckConstraint('start_offset >= 0 AND end_offset > start_offset', name="span"),
        CheckConstraint(LANG_CHECK.format(col="lang"), name="lang"),
        UniqueConstraint("key"),
        UniqueConstraint("document_id", "start_offset", "end_offset", "speaker_id", name="uq_claim_span_speaker"),
        Index("ix_claim_speaker_modality", "speaker_id", "modality"),
        Index("ix_claim_lang_modality", "lang", "modality"),
        CheckConstraint(f"review_status IN ({sql_in(ReviewStatus)})", name="review_status"),
        Index("ix_claim_review_status", "review_status"),
        CheckConstraint(CONFIDENCE_CHECK, name="confidence"),
    )

    key: Mapped[str | None] = mapped_column(String(120), default=None)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("claim_group.id", ondelete="SET NULL"), index=True, default=None
    )
    speaker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    lang: Mapped[str] = mapped_column(String(2))
    modality: Mapped[str] = mapped_column(String(20), default=Modality.ASSERTED.value)
    stance: Mapped[str] = mapped_column(String(20), default=Stance.AFFIRM.value)
    term_count: Mapped[int] = mapped_column(Integer, default=0)
    review_status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.UNREVIEWED.value)
    review_note: Mapped[str | None] = mapped_column(String(2000), default=None)
    #: How sure the extraction pipeline is of this claim (0-1); NULL when a person wrote it.
    confidence: Mapped[float | None] = mapped_column(Float, default=None)

    document: Mapped[Document] = relationship(lazy="joined", innerjoin=True)
    speaker: Mapped[Source] = relationship(lazy="joined", innerjoin=True, foreign_keys=[speaker_id])
    group: Mapped[ClaimGroup | None] = relationship(back_populates="claims", lazy="joined")
    hops: Mapped[list[RelayHop]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="RelayHop.position", lazy="selectin"
    )


class RelayHop(UUIDv7AuditBase):
    """One step of a relay chain: position 0 is the original speaker, the last the publisher."""

    __tablename__ = "relay_hop"
    __table_args__ = (
        UniqueConstraint("claim_id", "position", name="uq_relay_hop_claim_position"),
        CheckConstraint("position >= 0", name="position"),
        CheckConstraint(f"relation IN ({sql_in(Relation)})", name="relation"),
        CheckConstraint(f"modality IS NULL OR modality IN ({sql_in(Modality)})", name="modality"),
        CheckConstraint(
            "(evidence_start IS NULL AND evidence_end IS NULL) OR "
            "(evidence_start >= 0 AND evidence_end > evidence_start)",
            name="evidence_span",
        ),
        CheckConstraint(f"lang IS NULL OR ({LANG_CHECK.format(col='lang')})", name="lang"),
        CheckConstraint(f"review_status IN ({sql_in(ReviewStatus)})", name="review_status"),
        CheckConstraint(CONFIDENCE_CHECK, name="confidence"),
    )

    claim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str | None] = mapped_column(String(2), default=None)
    modality: Mapped[str | None] = mapped_column(String(20), default=None)
    cue: Mapped[str | None] = mapped_column(String(500), default=None)
    evidence_start: Mapped[int | None] = mapped_column(Integer, default=None)
    evidence_end: Mapped[int | None] = mapped_column(Integer, default=None)
    review_status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.UNREVIEWED.value)
    review_note: Mapped[str | None] = mapped_column(String(2000), default=None)
    #: How sure the extraction pipeline is of this hop (0-1); NULL when a person wrote it.
    confidence: Mapped[float | None] = mapped_column(Float, default=None)

    claim: Mapped[Claim] = relationship(back_populates="hops")
    source: Mapped[Source] = relationship(lazy="joined", innerjoin=True)


class SearchDocument(_PlainBase):
    """The search index's document of one claim: its analysed terms (``claims.indexing``), space
    separated, each repeated as often as it occurs (so ``len(terms.split())`` is the claim's
    length for BM25). Written by ``claims.indexing`` and ``claims.bulk``, read by
    ``claims/query/fulltext.py`` through the engine's own full-text index over ``terms``:

    - SQLite: the FTS5 external-content table ``search_fts`` (``content_rowid`` = ``id``), kept in
      step by triggers on this table, and ``search_fts_vocab`` (fts5vocab, document frequencies);
    - PostgreSQL: the stored generated column ``tsv`` =
      ``array_to_tsvector(array_remove(string_to_array(terms, ' '), ''))`` (the terms taken as
      lexemes as they are, no parser or dictionary in between) and its GIN index.

    Both are created by migration 0009 and are not in this metadata, so no insert names them
    (``migrations/env.py`` leaves them out of the comparison). A migration that rebuilds this table on SQLite (batch
    mode) drops the triggers with it and must recreate them.
    """

    __tablename__ = "search_document"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    claim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), unique=True)
    terms: Mapped[str] = mapped_column(Text)


class ClaimEmbedding(_PlainBase):
    """A claim's sentence embedding (float32 little-endian bytes of ``dim`` values).

    Derived data like ``search_document``: recomputed whenever the claim is re-indexed, and the
    in-memory vector index is rebuilt from these rows (``claims.embeddings``).
    """

    __tablename__ = "claim_embedding"
    __table_args__ = (CheckConstraint("dim > 0", name="dim"),)

    claim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEvent(_PlainBase):
    """Append-only record of every change; each event hashes its predecessor (a hash chain)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        CheckConstraint(f"action IN ({sql_in(AuditAction)})", name="action"),
        Index("ix_audit_event_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    occurred_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC(timezone=True), default=_utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonB, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonB, default=None)
    reason: Mapped[str | None] = mapped_column(String(1000), default=None)
    prev_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    hash: Mapped[str] = mapped_column(String(64))


class ApiKey(UUIDv7AuditBase):
    """A client credential. Only a SHA-256 of the secret is stored; ``prefix`` finds the row.

    A name is unique among live keys only: once revoked, the name can be given to a new key
    (the revoked row stays for the record).
    """

    __tablename__ = "api_key"
    __table_args__ = (
        UniqueConstraint("prefix"),
        Index(
            "uq_api_key_live_name", "name", unique=True,
            sqlite_where=sql_text("revoked_at IS NULL"), postgresql_where=sql_text("revoked_at IS NULL"),
        ),
    )

    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(200), doc="Space-separated subset of claims.vocabulary.Scope")
    revoked_at: Mapped[datetime.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    last_used_at: Mapped[datetime.datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    expires_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTimeUTC(timezone=True), default=None, doc="After this instant the key is refused (None: never)"
    )


class RateBucket(_PlainBase):
    """One token bucket of the rate limiter, shared by every worker and process
    (``claims.ratelimit``). Times are epoch seconds; rows are working state, not records."""

    __tablename__ = "rate_bucket"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float, doc="Tokens left after the last request")
    refilled: Mapped[float] = mapped_column(Float, doc="Tokens at the last request, refilled, before its take")
    updated_at: Mapped[float] = mapped_column(Float)


__all__ = [
    "ApiKey",
    "AuditEvent",
    "Claim",
    "ClaimEmbedding",
    "ClaimGroup",
    "RateBucket",
    "Document",
    "Feed",
    "FeedEntry",
    "Job",
    "RelayHop",
    "SearchDocument",
    "Source",
    "SourceAlias",
    "Story",
    "metadata",
]
