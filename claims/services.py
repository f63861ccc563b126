"""Business rules for sources, documents and claims. Services own validation; the caller owns
the transaction (one request or command = one unit of work, so nothing is half-written)."""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from advanced_alchemy.filters import LimitOffset, OrderBy
from advanced_alchemy.mixins.uuid import uuid7
from anyascii import anyascii
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from claims.db import stored
from claims.errors import Conflict, Invalid, Unresolvable
from claims.indexing import index_claims
from claims.models import Claim, ClaimGroup, Document, RelayHop, Source, SourceAlias
from claims.names import NameIndex, is_role_note
from claims.repositories import ClaimGroupRepository, ClaimRepository, DocumentRepository, SourceRepository
from claims.schemas import (
    AliasIn,
    ClaimIn,
    ClaimPatch,
    DocumentIn,
    DocumentPatch,
    SourceIn,
    SourcePatch,
    as_utc,
)
from claims.text import fold_name


def search_ids(session: Session, query: str) -> list[uuid.UUID]:
    """Claims holding every term of ``query`` (the listings' full-text filter)."""
    from claims.query.fulltext import matching_all  # the query package imports the services

    return matching_all(session, query)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(name).lower()).strip("-")
    return slug[:100] or "source"


def key_candidates(wanted: str) -> tuple[str, ...]:
    """The numbered keys ``free_key`` tries before a random one."""
    return (wanted, *(f"{wanted}-{n}" for n in range(2, 5)))


def random_key(wanted: str) -> str:
    return f"{wanted}-{secrets.token_hex(3)}"


def free_key(wanted: str, taken: Callable[[str], bool], spare: Callable[[], str | None] | None = None) -> str:
    """A source key not ``taken``: ``wanted``, else ``wanted-2`` to ``wanted-4``, else ``wanted``
    and six random hex digits (``spare()``'s, while it has some: random keys made beforehand).
    The look-ups are bounded however many sources share a name:
    unnamed sources ("a senior official") repeat a few descriptions over thousands of
    documents, and counting up to the first free number cost one look-up per namesake."""
    for key in key_candidates(wanted):
        if not taken(key):
            return key
    while taken(key := (spare() if spare is not None else None) or random_key(wanted)):
        pass
    return key


@dataclass
class ListParams:
    """Page of a listing. Listings order by primary key: UUIDv7 keys are time-ordered, so that
    is creation order served by the primary-key index (no sort over millions of rows)."""

    limit: int = 50
    offset: int = 0

    def filters(self, *order: OrderBy) -> list:
        return [*order, LimitOffset(limit=self.limit, offset=self.offset)]


RecordT = TypeVar("RecordT")


# --- one record service: a session, its repository, and "get or 404" ----------------------


class _RecordService(Generic[RecordT]):
    """What every record service shares: the caller's session, an advanced-alchemy repository
    that never commits on its own, and ``get`` that raises NotFound with the record's noun."""

    model: type[RecordT]
    repository: type
    noun: str

    def __init__(self, session: Session) -> None:
        self.session = session
        self.repo = self.repository(session=session, auto_commit=False)

    def get(self, record_id: uuid.UUID) -> RecordT:
        return stored(self.session, self.model, record_id, self.noun)


# --- sources -----------------------------------------------------------------------------


class SourceService(_RecordService[Source]):
    model, repository, noun = Source, SourceRepository, "source"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.forget_keys()

    def by_key(self, key: str) -> Source | None:
        return self.session.scalar(select(Source).where(Source.key == key))

    def reserve_keys(self, names: list[str]) -> None:
        """Read in one query whether the keys sources named ``names`` would be given are taken
        (the numbered ones and a random one per name), for the ``create``s that follow, until
        ``forget_keys``. Keys another transaction takes meanwhile fail at the flush, as a key
        taken between ``create``'s own look-up and the flush would."""
        self.forget_keys()
        if not names:
            return
        spare: dict[str, list[str]] = {}
        candidates: set[str] = set()
        for name in names:
            wanted = slugify(name)
            candidates.update(key_candidates(wanted))
            spare.setdefault(wanted, []).append(random_key(wanted))
        candidates.update(k for keys in spare.values() for k in keys)
        taken: set[str] = set()
        ordered = sorted(candidates)
        for i in range(0, len(ordered), 500):
            taken.update(self.session.scalars(select(Source.key).where(Source.key.in_(ordered[i : i + 500]))))
        self._keys = {key: key in taken for key in candidates}
        self._spare = {wanted: [k for k in keys if k not in taken] for wanted, keys in spare.items()}

    def forget_keys(self) -> None:
        self._keys: dict[str, bool] = {}
        self._spare: dict[str, list[str]] = {}

    def _unique_key(self, wanted: str) -> str:
        pending = {obj.key for obj in self.session.new if isinstance(obj, Source)}  # created, not yet flushed
        known = self._keys
        spare = self._spare.get(wanted)

        def taken(key: str) -> bool:
            if key in pending:
                return True
            hit = known.get(key)
            return bool(self.session.scalar(select(exists().where(Source.key == key)))) if hit is None else hit

        return free_key(wanted, taken, (lambda: spare.pop(0) if spare else None) if spare is not None else None)

    def _set_aliases(self, source: Source, aliases: list[AliasIn]) -> None:
        wanted: dict[str, AliasIn] = {}
        for alias in [AliasIn(text=source.name), *aliases]:
            wanted.setdefault(fold_name(alias.text), alias)
        existing = {a.normalized: a for a in source.aliases}
        for normalized, alias in existing.items():
            if normalized not in wanted:
                source.aliases.remove(alias)
        for normalized, alias in wanted.items():
            if normalized and normalized not in existing:
                source.aliases.append(
                    SourceAlias(text=alias.text, lang=alias.lang, note=alias.note, normalized=normalized)
                )

    def create(self, data: SourceIn, *, flush: bool = True) -> Source:
        """``flush=False``: added to the session with its id set, written at the caller's next
        flush (ingest writes a document's new sources with one flush)."""
        if data.key and self.by_key(data.key):
            raise Conflict(f"a source with key {data.key!r} already exists", key=data.key)
        source = Source(
            id=uuid7(),
            key=data.key or self._unique_key(slugify(data.name)),
            name=data.name,
            name_normalized=fold_name(data.name),
            kind=data.kind,
            description=data.description,
            aliases=[],
        )
        self._set_aliases(source, data.aliases)
        self.session.add(source)
        if flush:
            self.session.flush()
        return source

    def update(self, source_id: uuid.UUID, data: SourcePatch, *, flush: bool = True, source: Source | None = None) -> Source:
        """``source``: the source itself, when the caller holds it (one not yet flushed cannot be
        read by id); ``flush=False``: the change is written at the caller's next flush."""
        source = source if source is not None else self.get(source_id)
        if data.name is not None:
            source.name = data.name
            source.name_normalized = fold_name(data.name)
        if data.kind is not None:
            source.kind = data.kind
        if "description" in data.model_fields_set:
            source.description = data.description
        if data.aliases is not None or data.name is not None:
            current = [AliasIn(text=a.text, lang=a.lang, note=a.note) for a in source.aliases]
            self._set_aliases(source, data.aliases if data.aliases is not None else current)
        if flush:
            self.session.flush()
        return source

    def delete(self, source_id: uuid.UUID) -> None:
        source = self.get(source_id)
        used = self.session.scalar(
            select(
                exists().where(Claim.speaker_id == source_id)
                | exists().where(RelayHop.source_id == source_id)
                | exists().where(Document.outlet_id == source_id)
            )
        )
        if used:
            raise Conflict(f"source {source_id} is referenced by claims, hops or documents")
        self.session.delete(source)
        self.session.flush()

    def list(self, params: ListParams, *, kind: str | None = None, q: str | None = None):
        conditions = []
        if kind:
            conditions.append(Source.kind == kind)
        if q:
            folded = fold_name(q)
            conditions.append(
                Source.id.in_(select(SourceAlias.source_id).where(SourceAlias.normalized.contains(folded)))
            )
        return self.repo.get_many_and_count(*conditions, *params.filters(OrderBy("name_normalized", "asc")))

    def resolve(self, name: str, *, kind: str | None = None) -> Source | None:
        """The source a surface name refers to: an exact folded alias (roles included), else the
        one name matcher (``claims.names``: phonetic keys across scripts, fuzzy, containment).
        An unnamed source ("an informed Iraqi source") is only matched by its description when
        ``kind`` is ``anonymous``: the matcher never mixes the two."""
        folded = fold_name(name)
        if not folded:
            return None
        if kind is None:
            hit = self.session.scalar(
                select(Source).join(SourceAlias).where(SourceAlias.normalized == folded).limit(1)
            )
            if hit is not None:
                return hit
        source_id = self._names().match([name], kind=kind)
        return self.session.get(Source, source_id) if source_id else None

    def _names(self) -> NameIndex:
        """Every stored name and alias, loaded once per service (one request or command)."""
        if getattr(self, "_name_index", None) is None:
            index = NameIndex()
            for source_id, text, note, kind in self.session.execute(
                select(SourceAlias.source_id, SourceAlias.text, SourceAlias.note, Source.kind).join(Source)
            ):
                index.add(source_id, kind, text, role=is_role_note(note))
            for source_id, text, kind in self.session.execute(select(Source.id, Source.name, Source.kind)):
                index.add(source_id, kind, text)
            self._name_index = index
        return self._name_index


# --- documents ---------------------------------------------------------------------------


class DocumentService(_RecordService[Document]):
    model, repository, noun = Document, DocumentRepository, "document"

    def by_hash(self, digest: str) -> Document | None:
        return self.session.scalar(select(Document).where(Document.content_hash == digest))

    def by_url(self, url: str) -> Document | None:
        """The earliest stored document whose canonical URL (or, failing that, URL) is ``url``."""
        found = self.session.scalar(
            select(Document).where(Document.canonical_url == url).order_by(Document.created_at).limit(1)
        )
        return found or self.session.scalar(select(Document).where(Document.url == url).order_by(Document.created_at).limit(1))

    def _check_outlet(self, outlet_id: uuid.UUID | None) -> None:
        if outlet_id is not None and self.session.get(Source, outlet_id) is None:
            raise Unresolvable(f"outlet_id {outlet_id} does not name an existing source", field="outlet_id")

    def create(self, data: DocumentIn, *, minhash: bytes | None = None) -> tuple[Document, bool]:
        """Store a document; the same text again returns the stored one (idempotent, created=False).
        ``minhash``: its syndication signature (``claims.syndication``), written with it."""
        digest = content_hash(data.text)
        existing = self.by_hash(digest)
        if existing is not None:
            return existing, False
        self._check_outlet(data.outlet_id)
        document = Document(
            text=data.text,
            lang=data.lang,
            title=data.title,
            url=data.url,
            published_at=data.published_at,
            outlet_id=data.outlet_id,
            content_hash=digest,
            author=data.author,
            canonical_url=data.canonical_url,
            fetched_at=data.fetched_at,
            minhash=minhash,
        )
        self.session.add(document)
        self.session.flush()
        return document, True

    def update(self, document_id: uuid.UUID, data: DocumentPatch) -> Document:
        document = self.get(document_id)
        if "outlet_id" in data.model_fields_set:
            self._check_outlet(data.outlet_id)
        for field in data.model_fields_set:
            setattr(document, field, getattr(data, field))
        self.session.flush()
        return document

    def delete(self, document_id: uuid.UUID) -> None:
        self.session.delete(self.get(document_id))
        self.session.flush()

    def list(
        self,
        params: ListParams,
        *,
        lang: str | None = None,
        outlet_id: uuid.UUID | None = None,
        published_after: datetime.datetime | None = None,
        published_before: datetime.datetime | None = None,
        q: str | None = None,
    ):
        """A page of documents; ``q`` matches the title or any claim the document holds (full text)."""
        conditions = []
        if q is not None and q.strip():
            holding = select(Claim.document_id).where(Claim.id.in_(search_ids(self.session, q)))
            conditions.append(Document.title.contains(q.strip()) | Document.id.in_(holding))
        if lang:
            conditions.append(Document.lang == lang)
        if outlet_id:
            conditions.append(Document.outlet_id == outlet_id)
        if published_after:
            conditions.append(Document.published_at >= as_utc(published_after))
        if published_before:
            conditions.append(Document.published_at < as_utc(published_before))
        return self.repo.get_many_and_count(*conditions, *params.filters(OrderBy("id", "desc")))


# --- claims ------------------------------------------------------------------------------


class ClaimService(_RecordService[Claim]):
    model, repository, noun = Claim, ClaimRepository, "claim"

    def __init__(self, session: Session, *, index: bool = True) -> None:
        """``index=False``: ``create_many`` leaves the claims' search index to the caller (ingest
        writes it with their groups, ``claims.bulk.store_groups(fresh=...)``)."""
        super().__init__(session)
        self.groups = ClaimGroupRepository(session=session, auto_commit=False)
        self.index = index

    def group(self, key: str, *, label: str | None = None, label_ar: str | None = None) -> ClaimGroup:
        group = self.session.scalar(select(ClaimGroup).where(ClaimGroup.key == key))
        if group is None:
            group = ClaimGroup(key=key, label=label, label_ar=label_ar)
            self.session.add(group)
            self.session.flush()
        return group

    def _source(self, source_id: uuid.UUID, field: str) -> Source:
        source = self.session.get(Source, source_id)
        if source is None:
            raise Unresolvable(f"{field} {source_id} does not name an existing source", field=field)
        return source

    def create(self, data: ClaimIn) -> Claim:
        document = self.session.get(Document, data.document_id)
        if document is None:
            raise Unresolvable(f"document_id {data.document_id} does not name an existing document", field="document_id")
        return self.create_many(document, [data])[0]

    def create_many(self, document: Document, items: list[ClaimIn]) -> list[Claim]:
        """Store claims of one (already stored) document with one flush and one index update (one
        encoder batch): spans, texts, hop sources, speaker = hop 0, unique keys, no duplicate
        span per speaker. ``create`` is this with one item; error messages name the item only
        when there are several. A service made with ``index=False`` leaves their search index to
        the caller (``claims.bulk.store_claims``)."""
        source_ids = {hop.source_id for item in items for hop in item.hops}
        known = set(self.session.scalars(select(Source.id).where(Source.id.in_(source_ids)))) if source_ids else set()
        existing = {
            (start, end, speaker): claim_id
            for claim_id, start, end, speaker in self.session.execute(
                select(Claim.id, Claim.start_offset, Claim.end_offset, Claim.speaker_id).where(Claim.document_id == document.id)
            )
        }
        keys = [data.key for data in items if data.key]
        taken = set(self.session.scalars(select(Claim.key).where(Claim.key.in_(keys)))) if keys else set()
        from claims.bulk import NewClaim, store_claims  # bulk imports this module

        claims: list[NewClaim] = []
        for n, data in enumerate(items):
            where = f"claims[{n}]" if len(items) > 1 else ""
            said = f"{where}: " if where else ""
            if data.document_id != document.id:
                raise Invalid(f"{said}belongs to another document", field="document_id")
            if data.end > len(document.text):
                raise Unresolvable(f"{said}end {data.end} is past the end of the document ({len(document.text)})", field="end")
            text = document.text[data.start : data.end]
            if data.text is not None and data.text != text:
                raise Unresolvable(f"{said}text does not equal document.text[start:end]", field="text")
            if not text.strip():
                raise Unresolvable(f"{said}the span [start, end) holds only white space", field="start")
            speaker_id = data.speaker_id or data.hops[0].source_id
            if speaker_id != data.hops[0].source_id:
                raise Invalid(f"{said}speaker_id must be the source of hop 0 (the original speaker)", field="speaker_id")
            if data.key and data.key in taken:
                raise Conflict(f"{said}a claim with key {data.key!r} already exists", key=data.key)
            if data.key:
                taken.add(data.key)
            for position, hop in enumerate(data.hops):
                field = f"{where}.hops[{position}]" if where else f"hops[{position}]"
                if hop.source_id not in known:
                    raise Unresolvable(f"{field}.source_id {hop.source_id} does not name an existing source", field=f"{field}.source_id")
                if hop.evidence_end is not None and hop.evidence_end > len(document.text):
                    raise Unresolvable(f"{field} evidence is past the end of the document", field="hops")
            span_key = (data.start, data.end, speaker_id)
            if span_key in existing:
                duplicate = existing[span_key]
                raise Conflict(
                    f"{said}this span is already recorded as a claim by this speaker",
                    **({"existing_id": str(duplicate)} if duplicate else {}),
                )
            existing[span_key] = None
            group = self.group(data.group_key) if data.group_key else None
            claims.append(
                NewClaim(
                    values={
                        "key": data.key, "speaker_id": speaker_id, "text": text, "start_offset": data.start,
                        "end_offset": data.end, "lang": data.lang or document.lang, "modality": data.modality,
                        "stance": data.stance, "group_id": group.id if group is not None else None,
                        "confidence": data.confidence,
                    },
                    hops=[hop.model_dump() for hop in data.hops],
                    group=group,
                )
            )
        # The batched write of claims/bulk.py: one executemany per table and for the audit events.
        return store_claims(self.session, document, claims, index=self.index)

    def update(self, claim_id: uuid.UUID, data: ClaimPatch) -> Claim:
        claim = self.get(claim_id)
        if data.modality is not None:
            claim.modality = data.modality
        if data.stance is not None:
            claim.stance = data.stance
        if data.speaker_id is not None:
            self._source(data.speaker_id, "speaker_id")
            claim.speaker_id = data.speaker_id
            claim.hops[0].source_id = data.speaker_id
        if "group_key" in data.model_fields_set:
            claim.group = self.group(data.group_key) if data.group_key else None
            self.session.flush()
            index_claims(self.session, [claim])
        self.session.flush()
        return claim

    def delete(self, claim_id: uuid.UUID) -> None:
        self.session.delete(self.get(claim_id))
        self.session.flush()

    def list(
        self,
        params: ListParams,
        *,
        speaker_id: uuid.UUID | None = None,
        speaker: str | None = None,
        outlet_id: uuid.UUID | None = None,
        document_id: uuid.UUID | None = None,
        lang: str | None = None,
        modality: str | None = None,
        group_key: str | None = None,
        published_after: datetime.datetime | None = None,
        published_before: datetime.datetime | None = None,
        review_status: str | None = None,
        q: str | None = None,
    ):
        """A page of claims matching every given filter; ``q`` is full-text (the search index,
        any language, folded and stemmed) and keeps the listing's creation order."""
        conditions = []
        if q is not None and q.strip():
            conditions.append(Claim.id.in_(search_ids(self.session, q)))
        if review_status:
            conditions.append(Claim.review_status == review_status)
        if speaker_id:
            conditions.append(Claim.speaker_id == speaker_id)
        if speaker:
            resolved = SourceService(self.session).resolve(speaker)
            conditions.append(Claim.speaker_id == (resolved.id if resolved else None))
        if document_id:
            conditions.append(Claim.document_id == document_id)
        if lang:
            conditions.append(Claim.lang == lang)
        if modality:
            conditions.append(Claim.modality == modality)
        if group_key:
            conditions.append(Claim.group_id.in_(select(ClaimGroup.id).where(ClaimGroup.key == group_key)))
        doc_conditions = []
        if outlet_id:
            doc_conditions.append(Document.outlet_id == outlet_id)
        if published_after:
            doc_conditions.append(Document.published_at >= as_utc(published_after))
        if published_before:
            doc_conditions.append(Document.published_at < as_utc(published_before))
        if doc_conditions:
            conditions.append(Claim.document_id.in_(select(Document.id).where(*doc_conditions)))
        return self.repo.get_many_and_count(*conditions, *params.filters(OrderBy("id", "asc")))
