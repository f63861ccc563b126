"""The data every report format renders: one subject (a claim, claim group, document or
source) and, for each claim it covers, the claim, its document, its chain with evidence in
context, its group members, drift, review status and version history."""

from __future__ import annotations

import datetime
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from claims.db import stored
from claims.errors import NotFound
from claims.history import history
from claims.models import Claim, ClaimGroup, Document, RelayHop, Source
from claims.provenance import (
    chain,
    group_drift,
    group_member,
    group_members,
    hop_drift,
    origin,
    source_ref,
)
from claims.schemas import (
    ChainHop,
    DocumentSummary,
    Drift,
    GroupMember,
    GroupRef,
    Origin,
    Schema,
    SourceRef,
    Version,
)
from claims.serialize import claim_fields, document_summary

#: Characters of document text shown on each side of an evidence span.
CONTEXT_CHARS = 120
#: The most claims one report covers (a source or document with more is cut, and says so).
MAX_CLAIMS = 500
#: Reports are written in English: the language their sources' display names are given in.
REPORT_LANG = "en"
#: Written where the seal goes while a report is rendered; see claims.reports.seal.
PLACEHOLDER = "sha256:" + "0" * 64


class Kind(StrEnum):
    CLAIM = "claim"
    CLAIM_GROUP = "claim-group"
    DOCUMENT = "document"
    SOURCE = "source"


class ReportMeta(Schema):
    kind: Kind
    subject_id: uuid.UUID
    title: str
    format: str = "json"
    generated_at: datetime.datetime
    database_revision: str | None
    digest: str = PLACEHOLDER
    claims_total: int
    truncated: bool = False


class ReportHop(ChainHop):
    hop_id: uuid.UUID
    review_status: str
    review_note: str | None
    context_before: str | None = None
    context_after: str | None = None


class ReportClaim(Schema):
    id: uuid.UUID
    key: str | None
    text: str
    start: int
    end: int
    lang: str
    modality: str
    stance: str
    speaker: SourceRef
    group: GroupRef | None
    review_status: str
    review_note: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ClaimSection(Schema):
    claim: ReportClaim
    document: DocumentSummary
    origin: Origin
    chain: list[ReportHop]
    group: list[GroupMember]
    drift: list[Drift]
    history: list[Version]
    appearances: list[DocumentSummary]


class Report(Schema):
    meta: ReportMeta
    subject: dict[str, Any]
    claims: list[ClaimSection]


# --- building ----------------------------------------------------------------------------


def _hops(claim: Claim, lang: str | None = None) -> list[ReportHop]:
    text = claim.document.text
    rows = {h.position: h for h in claim.hops}
    out = []
    for hop in chain(claim, lang):
        row: RelayHop = rows[hop.position]
        before = after = None
        if hop.evidence is not None:
            before = text[max(0, hop.evidence.start - CONTEXT_CHARS) : hop.evidence.start]
            after = text[hop.evidence.end : hop.evidence.end + CONTEXT_CHARS]
        out.append(
            ReportHop(
                **hop.model_dump(),
                hop_id=row.id,
                review_status=row.review_status,
                review_note=row.review_note,
                context_before=before,
                context_after=after,
            )
        )
    return out


def _appearances(claim: Claim, members: list[Claim]) -> list[DocumentSummary]:
    """Every document that publishes the claim or another telling of it, earliest first."""
    seen, documents = set(), []
    for c in [claim, *members]:
        if c.document_id not in seen:
            seen.add(c.document_id)
            documents.append(c.document)
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    documents.sort(key=lambda d: (d.published_at or far).astimezone(datetime.UTC))
    return [document_summary(d) for d in documents]


def claim_section(session: Session, claim: Claim, lang: str | None = None) -> ClaimSection:
    """One claim as reports and the claim page show it; with ``lang`` (the report's or the
    interface's language) every source carries its display name in it (``claims.names``)."""
    members = group_members(session, claim)
    return ClaimSection(
        claim=ReportClaim(**claim_fields(claim, source_ref(claim.speaker, lang))),
        document=document_summary(claim.document),
        origin=origin(claim, members, lang),
        chain=_hops(claim, lang),
        group=[group_member(m, lang) for m in members],
        drift=hop_drift(claim) + group_drift(claim, members),
        history=history(session, claim.id).versions,
        appearances=_appearances(claim, members),
    )


def _subject(session: Session, kind: Kind, subject_id: uuid.UUID) -> tuple[str, dict[str, Any], Any]:
    """(title, subject record, claim query) for one subject; NotFound when it does not exist."""
    if kind == Kind.CLAIM:
        claim = stored(session, Claim, subject_id, "claim")
        title = f"Claim {claim.key or claim.id}"
        subject = {"id": str(claim.id), "key": claim.key, "text": claim.text, "lang": claim.lang}
        return title, subject, select(Claim).where(Claim.id == claim.id)
    if kind == Kind.CLAIM_GROUP:
        group = stored(session, ClaimGroup, subject_id, "claim group")
        subject = {"id": str(group.id), "key": group.key, "label": group.label, "label_ar": group.label_ar}
        query = select(Claim).where(Claim.group_id == group.id).order_by(Claim.created_at, Claim.id)
        return f"Claim group {group.key}", subject, query
    if kind == Kind.DOCUMENT:
        document = stored(session, Document, subject_id, "document")
        subject = document_summary(document).model_dump(mode="json")
        query = select(Claim).where(Claim.document_id == document.id).order_by(Claim.start_offset, Claim.id)
        return f"Document {document.title or document.id}", subject, query
    if kind == Kind.SOURCE:
        source = stored(session, Source, subject_id, "source")
        subject = {
            "id": str(source.id),
            "key": source.key,
            "name": source.name,
            "kind": source.kind,
            "aliases": [a.text for a in source.aliases],
        }
        relayed = select(RelayHop.claim_id).where(RelayHop.source_id == source.id)
        query = (
            select(Claim)
            .where(or_(Claim.speaker_id == source.id, Claim.id.in_(relayed)))
            .order_by(Claim.created_at, Claim.id)
        )
        return f"Source {source.name}", subject, query
    raise NotFound(f"unknown report kind {kind!r}")  # pragma: no cover - Kind is closed


def claim_count(session: Session, kind: Kind | str, subject_id: uuid.UUID) -> int:
    """How many claims the report would hold (capped like the report): its size, before building it."""
    _title, _subject_record, query = _subject(session, Kind(kind), subject_id)
    return min(session.scalar(select(func.count()).select_from(query.order_by(None).subquery())), MAX_CLAIMS)


def database_revision(session: Session) -> str | None:
    """The Alembic revision of the database the report is read from (same transaction)."""
    from claims.migrate import current_on  # alembic loads on the first report, not at start-up

    return current_on(session.connection())


def build_report(session: Session, kind: Kind | str, subject_id: uuid.UUID) -> Report:
    kind = Kind(kind)
    title, subject, query = _subject(session, kind, subject_id)
    claims = list(session.scalars(query.limit(MAX_CLAIMS + 1)).unique())
    truncated = len(claims) > MAX_CLAIMS
    claims = claims[:MAX_CLAIMS]
    return Report(
        meta=ReportMeta(
            kind=kind,
            subject_id=subject_id,
            title=title,
            generated_at=datetime.datetime.now(datetime.UTC).replace(microsecond=0),
            database_revision=database_revision(session),
            claims_total=len(claims),
            truncated=truncated,
        ),
        subject=subject,
        claims=[claim_section(session, c, REPORT_LANG) for c in claims],
    )
