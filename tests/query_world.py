"""A small world of the team's own fixture articles for the query tests (not the seeds'
sentences): sources with aliases, documents and claims stored through the services, so they
are indexed exactly as curated or ingested claims are."""

from __future__ import annotations

import datetime

from sqlalchemy.orm import Session

from claims.models import Claim, ClaimGroup, Document, Source
from claims.schemas import AliasIn, ClaimIn, DocumentIn, HopIn, SourceIn
from claims.services import ClaimService, DocumentService, SourceService


class World:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.sources: dict[str, Source] = {}

    def source(self, key: str, name: str, kind: str, *aliases: tuple) -> Source:
        """``aliases``: (text, lang) or (text, lang, note)."""
        data = SourceIn(
            name=name, kind=kind, key=key,
            aliases=[AliasIn(text=a[0], lang=a[1], note=a[2] if len(a) > 2 else None) for a in aliases],
        )
        self.sources[key] = SourceService(self.session).create(data)
        return self.sources[key]

    def document(self, text: str, lang: str, *, outlet: str | None = None, day: int | None = None, title: str | None = None) -> Document:
        doc, _ = DocumentService(self.session).create(
            DocumentIn(
                text=text, lang=lang, title=title,
                outlet_id=self.sources[outlet].id if outlet else None,
                published_at=datetime.datetime(2026, 3, day, 9, tzinfo=datetime.UTC) if day else None,
            )
        )
        return doc

    def claim(self, doc: Document, span: str, hops: list[tuple], *, modality: str = "asserted",
              stance: str = "affirm", group: str | None = None) -> Claim:
        """``hops``: (source key, relation[, modality[, cue or evidence text]]), hop 0 first.
        A hop's fourth element, when it occurs in the document, is its evidence span."""
        start = doc.text.index(span)
        hop_in = []
        for hop in hops:
            key, relation = hop[0], hop[1]
            hop_modality = hop[2] if len(hop) > 2 else modality
            evidence = hop[3] if len(hop) > 3 else None
            ev_start = doc.text.find(evidence) if evidence else -1
            hop_in.append(HopIn(
                source_id=self.sources[key].id, relation=relation, lang=doc.lang, modality=hop_modality,
                cue=evidence, evidence_start=ev_start if ev_start >= 0 else None,
                evidence_end=ev_start + len(evidence) if ev_start >= 0 else None,
            ))
        return ClaimService(self.session).create(
            ClaimIn(document_id=doc.id, start=start, end=start + len(span), modality=modality, stance=stance,
                    group_key=group, hops=hop_in)
        )

    def label(self, group: str, en: str | None = None, ar: str | None = None) -> None:
        from sqlalchemy import select

        g = self.session.scalar(select(ClaimGroup).where(ClaimGroup.key == group))
        g.label, g.label_ar = en, ar
        self.session.flush()
