"""Ingest raw text: run the extraction pipeline and store the document, its sources, claims
and relay hops through the domain services, then group the claims with other documents.

The caller owns the transaction (one document = one unit of work): if anything fails, nothing
of the document is written. Re-ingesting the same text (same content hash) changes nothing and
returns the stored document and claims with their ids.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import syndication
from claims.articles import Article, decode, extract_article
from claims.bulk import store_groups
from claims.errors import Invalid, Unresolvable
from claims.extraction import extract
from claims.extraction.grouping import Grouper, shared_grouper
from claims.extraction.grouping import forget_shared as forget_shared_grouper
from claims.extraction.model import Extraction, Mention
from claims.extraction.resolution import SourceResolver, shared_resolver
from claims.extraction.resolution import forget_shared as forget_shared_resolver
from claims.extraction.segmentation import looks_like_html, strip_html
from claims.fetch import fetch as fetch_page
from claims.models import Claim, Document, Source
from claims.schemas import AliasIn, ClaimIn, DocumentIn, HopIn, SourceIn, SourcePatch
from claims.services import ClaimService, DocumentService, SourceService, content_hash
from claims.text import detect_lang, fold_name
from claims.vocabulary import ANALYSED_LANGUAGES, Relation, SourceKind


@dataclass
class IngestResult:
    document: Document
    created: bool
    claims: list[Claim]
    sources_created: int = 0
    sources_matched: int = 0
    grouped: int = 0
    drifts: list[tuple[str, str, str]] = field(default_factory=list)  # (claim id, before, after)

    def summary(self) -> dict:
        return {
            "document_id": str(self.document.id),
            "created": self.created,
            "lang": self.document.lang,
            "claims": len(self.claims),
            "sources_created": self.sources_created,
            "sources_matched": self.sources_matched,
            "grouped": self.grouped,
        }


def prepare_text(raw: str) -> str:
    """The text as it will be stored: markup stripped from HTML, otherwise unchanged."""
    return strip_html(raw) if looks_like_html(raw) else raw


def _short(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit]


class IngestService:
    """Stateless apart from caches that are safe to keep across documents of one process."""

    def __init__(self, session: Session, *, grouping: bool = True, resolver: SourceResolver | None = None, grouper: Grouper | None = None) -> None:
        self.session = session
        self.sources = SourceService(session)
        self.documents = DocumentService(session)
        # With grouping, claims are indexed once they have their groups (``Grouper.assign``).
        self.claims = ClaimService(session, index=not grouping)
        self._resolver = resolver
        self._present: set = set()  # sources seen stored, during one document's resolution
        self._pending: dict = {}  # sources this document's resolution created, written at its end
        self._absent: set = set()  # sources the resolver names that are not stored (found by ``_prefetch``)
        self._changed = False  # whether this document's resolution changed the resolver yet
        self._loaded: list = []  # the sources ``_prefetch`` loaded with their aliases
        self.grouping = grouping
        self._grouper = grouper

    @property
    def resolver(self) -> SourceResolver:
        if self._resolver is None:
            self._resolver = shared_resolver(self.session)
        return self._resolver

    @property
    def grouper(self) -> Grouper:
        if self._grouper is None:
            self._grouper = shared_grouper(self.session)
        return self._grouper

    # ------------------------------------------------------------------ public
    def ingest(
        self,
        raw: str,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        url: str | None = None,
        published_at: datetime.datetime | None = None,
        title: str | None = None,
        outlet_id=None,
        run_extraction: bool = True,
        author: str | None = None,
        canonical_url: str | None = None,
        fetched_at: datetime.datetime | None = None,
    ) -> IngestResult:
        text = prepare_text(raw)
        if not text.strip():
            raise Invalid("the text is empty once markup is removed", field="text")
        digest = content_hash(text)
        existing = self.documents.by_hash(digest)
        if existing is not None:
            return IngestResult(existing, False, self._stored_claims(existing))
        language = (lang or detect_lang(text)).lower()
        analysed = language if language in ANALYSED_LANGUAGES and run_extraction else None
        if outlet_id is not None:
            fixed = self.session.get(Source, outlet_id)
            if fixed is None:
                raise Unresolvable(f"outlet_id {outlet_id} does not name an existing source", field="outlet_id")
            outlet = fixed.name
        extraction = extract(text, lang=analysed or "en", outlet=outlet, doc_key=digest[:12])
        result = IngestResult(document=None, created=True, claims=[])  # type: ignore[arg-type]
        ids = self._sources(extraction, language, digest, result, fixed_outlet=outlet_id)
        signed = syndication.signature(text)
        document, _ = self.documents.create(
            DocumentIn(
                text=text,
                lang=language,
                title=title or self._title(text),
                url=url,
                published_at=published_at,
                outlet_id=ids[extraction.publisher.id],
                author=author,
                canonical_url=canonical_url,
                fetched_at=fetched_at,
            ),
            minhash=syndication.to_bytes(signed),  # one INSERT, rather than an UPDATE after it
        )
        result.document = document
        syndication.link(self.session, document, signed)  # signed once, stored document or not
        items: list[ClaimIn] = []
        seen: set[tuple[int, int, object]] = set()
        for item in extraction.claims if analysed else []:
            speaker = ids[item.hops[0].mention.id]
            key = (item.start, item.end, speaker)
            if key in seen:
                continue
            seen.add(key)
            hops = []
            for hop in item.hops:
                ev = hop.evidence
                hops.append(
                    HopIn(
                        source_id=ids[hop.mention.id],
                        relation=hop.relation,
                        lang=hop.lang if hop.lang else (language if hop.relation == Relation.PUBLISHED else None),
                        modality=hop.modality,
                        cue=_short(hop.cue, 500) if hop.cue else None,
                        evidence_start=ev[0] if ev else None,
                        evidence_end=ev[1] if ev else None,
                        confidence=round(hop.confidence, 3) if hop.confidence is not None else None,
                    )
                )
            items.append(
                ClaimIn(
                    document_id=document.id,
                    start=item.start,
                    end=item.end,
                    modality=item.modality,
                    stance=item.stance,
                    lang=language,
                    hops=hops,
                    confidence=item.confidence,
                )
            )
        created = self.claims.create_many(document, items) if items else []
        result.claims = sorted(created, key=_text_order)  # the order a re-ingest lists them in
        if self.grouping and result.claims:
            result.grouped = self.grouper.assign(self.session, document, result.claims, indexed=self.claims.index)
        elif result.claims and not self.claims.index:  # grouping switched off after the service was made
            store_groups(self.session, [], [], fresh=result.claims)
        return result

    def ingest_url(
        self,
        url: str,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        outlet_id=None,
        published_at: datetime.datetime | None = None,
        title: str | None = None,
        run_extraction: bool = True,
        fallback_published_at: datetime.datetime | None = None,
    ) -> IngestResult:
        """Fetch ``url`` (claims.fetch), extract its article (claims.articles) and ingest it.

        The page's metadata fills what the caller did not give: title, outlet (the site name),
        byline, language, canonical URL and publication date. Fetching happens before the
        session touches the database, so no transaction (or SQLite write lock) waits on the
        network. A URL whose canonical URL is already stored returns the stored document.
        """
        fetched = fetch_page(url)
        article = extract_article(decode(fetched), fetched.url)
        if article.published_at is None:
            article.published_at = fallback_published_at  # e.g. the feed entry's date
        return self.ingest_article(
            article, lang=lang, outlet=outlet, outlet_id=outlet_id, published_at=published_at, title=title,
            run_extraction=run_extraction,
        )

    def ingest_article(self, article: Article, *, lang=None, outlet=None, outlet_id=None, published_at=None,
                       title=None, run_extraction: bool = True) -> IngestResult:
        for known in {article.canonical_url, article.url} - {None}:
            stored = self.documents.by_url(known)
            if stored is not None:
                return IngestResult(stored, False, self._stored_claims(stored))
        return self.ingest(
            article.text,
            lang=lang or article.lang,
            outlet=outlet or (None if outlet_id else article.site_name),
            outlet_id=outlet_id,
            url=article.url,
            published_at=published_at or article.published_at,
            title=title or article.title,
            run_extraction=run_extraction,
            author=article.author,
            canonical_url=article.canonical_url,
            fetched_at=datetime.datetime.now(datetime.UTC),
        )

    def outlet_source(self, name: str):
        """The id of the stored outlet called ``name`` (any alias, any script), created if none."""
        gone: frozenset = frozenset()
        while (found := self.resolver.resolve([name], [], SourceKind.OUTLET, exclude=gone)) is not None:
            if self.session.get(Source, found) is not None:
                return found
            gone |= {found}
        source = self.sources.create(SourceIn(name=_short(name), kind=SourceKind.OUTLET, aliases=[AliasIn(text=_short(name))]))
        self.resolver.add(source, [(name, False)])
        return source.id

    def _stored_claims(self, document: Document) -> list[Claim]:
        """A document's claims in text order (``_text_order``), as the first ingest listed them."""
        return list(
            self.session.scalars(
                select(Claim)
                .where(Claim.document_id == document.id)
                .order_by(Claim.start_offset, Claim.end_offset, Claim.id)
            )
        )

    # ------------------------------------------------------------------ helpers
    def _title(self, text: str) -> str | None:
        first = text.strip().split("\n", 1)[0].strip()
        if first and len(first.split()) <= 22 and not first.endswith("."):
            return first[:500]
        return None

    def _sources(self, ex: Extraction, lang: str, digest: str, result: IngestResult, *, fixed_outlet=None) -> dict[int, object]:
        """Source id for every mention that a claim uses (resolved or created).

        The mentions are resolved one after the other (a source created for one can be what a
        later one resolves to), but what they need from the database is read up front in
        batches (``_prefetch``): whether the sources they resolve to are stored, those sources
        with their aliases when names are to be added, and which keys new sources could take."""
        used: dict[int, Mention] = {ex.publisher.id: ex.publisher}
        for claim in ex.claims:
            for hop in claim.hops:
                used[hop.mention.id] = hop.mention
        ids: dict[int, object] = {}
        self._present = set()
        self._absent = set()
        self._pending = {}
        if fixed_outlet is not None:
            ids[ex.publisher.id] = fixed_outlet
        todo = [(mid, mention) for mid, mention in used.items() if mid not in ids]
        first = self._prefetch([mention for _, mention in todo])
        self._changed = False
        for (mid, mention), found in zip(todo, first, strict=True):
            ids[mid] = self._source_for(mention, lang, digest, result, first=found)
        self.session.flush()  # the document's new sources and aliases (and their audit events) at once
        self._pending = {}
        self._loaded = []
        self.sources.forget_keys()
        return ids

    @staticmethod
    def _names_roles(mention: Mention) -> tuple[list[str], list[str]]:
        return [n for n in mention.names if fold_name(n)], [r for r in mention.roles if fold_name(r)]

    def _prefetch(self, mentions: list[Mention]) -> list:
        """What each mention resolves to now (None: nothing, or anonymous), with one query for
        whether those sources are stored, one for those of them that lack names here (loaded
        with their aliases into the session), and one for the keys new sources could take."""
        first: list = []
        lacking: set = set()
        for mention in mentions:
            found = None
            if mention.kind != SourceKind.ANONYMOUS:
                names, roles = self._names_roles(mention)
                found = self.resolver.resolve(names, roles, mention.kind)
                if found is not None and not all(self.resolver.knows(found, t) for t in (*names, *roles)):
                    lacking.add(found)
            first.append(found)
        wanted = {f for f in first if f is not None}
        if wanted:
            stored = set(self.session.scalars(select(Source.id).where(Source.id.in_(wanted))))
            self._present |= stored
            self._absent |= wanted - stored
            if lacking & stored:
                # held for the document: the session's identity map keeps only referenced objects
                self._loaded = list(self.session.scalars(select(Source).where(Source.id.in_(lacking & stored))))
        self.sources.reserve_keys([_short(m.display) for m, f in zip(mentions, first, strict=True) if f is None or f in self._absent])
        return first

    def _source_for(self, mention: Mention, lang: str, digest: str, result: IngestResult, *, first=None):
        names, roles = self._names_roles(mention)
        alias_lang = lang if lang in ANALYSED_LANGUAGES else None
        if mention.kind != SourceKind.ANONYMOUS:
            gone: frozenset = frozenset()
            # ``first``: what the mention resolved to before this document changed the resolver
            found = first if not self._changed else self.resolver.resolve(names, roles, mention.kind)
            while found is not None:
                if not self._add_aliases(found, names, roles, alias_lang):
                    gone |= {found}  # deleted, or its transaction rolled back: ask again without it
                    self.resolver.forget(found)
                    self._changed = True
                    found = self.resolver.resolve(names, roles, mention.kind, exclude=gone)
                    continue
                result.sources_matched += 1
                return found
        display = _short(mention.display)
        if mention.kind == SourceKind.ANONYMOUS:
            description = f"Unnamed source quoted in document {digest[:12]}"
        elif mention.publisher and display.startswith("Unidentified publisher"):
            description = f"Publisher of document {digest[:12]}; the text does not name it"
        else:
            description = None
        aliases = [AliasIn(text=_short(n), lang=alias_lang) for n in names]
        aliases += [AliasIn(text=_short(r), lang=alias_lang, note="role") for r in roles]
        source = self.sources.create(SourceIn(name=display, kind=mention.kind, description=description, aliases=aliases), flush=False)
        self._pending[source.id] = source
        self._present.add(source.id)
        if mention.kind != SourceKind.ANONYMOUS:
            self.resolver.add(source, [(a.text, a.note == "role") for a in aliases] + [(display, False)])
            self._changed = True
        result.sources_created += 1
        return source.id

    def _add_aliases(self, source_id, names: list[str], roles: list[str], lang: str | None) -> bool:
        """Store the names and roles the source lacks; False when the source is not stored.

        A source whose every name is already in the resolver is only checked for existence
        (a primary-key read, unless ``_prefetch`` read it), not loaded with its aliases."""
        if source_id in self._absent:
            return False
        if all(self.resolver.knows(source_id, t) for t in (*names, *roles)):
            if source_id not in self._present:
                if self.session.scalar(select(Source.id).where(Source.id == source_id)) is None:
                    return False
                self._present.add(source_id)
            return True
        source = self._pending.get(source_id) or self.session.get(Source, source_id)
        if source is None:
            return False
        known = {a.normalized for a in source.aliases}
        new = [(n, None) for n in names if fold_name(n) not in known] + [(r, "role") for r in roles if fold_name(r) not in known]
        if not new:
            return True
        current = [AliasIn(text=a.text, lang=a.lang, note=a.note) for a in source.aliases]
        if len(current) + len(new) > 100:
            return True
        added = [AliasIn(text=_short(t), lang=lang, note=note) for t, note in new]
        self.sources.update(source.id, SourcePatch(aliases=current + added), flush=False, source=source)
        self.resolver.add(source, [(a.text, a.note == "role") for a in added])
        self._changed = True
        return True


def forget_shared_caches(engine=None) -> None:
    """Drop the process's name and grouping caches for ``engine`` (all without it): after the
    database was emptied or restored under this process."""
    forget_shared_resolver(engine)
    forget_shared_grouper(engine)


def _text_order(claim: Claim) -> tuple:
    """Text order; claims of one span (two speakers) by id (UUIDv7: creation order)."""
    return (claim.start_offset, claim.end_offset, claim.id)
