"""Resolving a document's mentions to stored sources.

The matching itself is the one name matcher, ``claims.names`` (phonetic keys across scripts,
fuzzy and containment rules, exact-only roles); this module loads the stored aliases into a
``NameIndex`` and keeps it current while a document's new sources are created.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.models import Source, SourceAlias
from claims.names import THRESHOLD as FUZZY_THRESHOLD
from claims.names import NameIndex, is_role_note, phonetic_key, same_name

__all__ = ["FUZZY_THRESHOLD", "NameIndex", "SourceResolver", "phonetic_key", "same_name"]


class SourceResolver:
    """Resolve a document's mentions to stored sources (cached per resolver; call ``add`` for
    sources created since it was loaded)."""

    def __init__(self, session: Session) -> None:
        self.index = NameIndex()
        rows = session.execute(
            select(SourceAlias.source_id, SourceAlias.text, SourceAlias.note, Source.kind).join(Source)
        ).all()
        for source_id, text, note, kind in rows:
            self.index.add(source_id, kind, text, role=is_role_note(note))

    def add(self, source: Source, texts: list[tuple[str, bool]]) -> None:
        for text, role in texts:
            self.index.add(source.id, source.kind, text, role=role)

    def resolve(self, names: list[str], roles: list[str], kind: str) -> uuid.UUID | None:
        return self.index.match(names, roles, kind=kind)
