"""Resolving a document's mentions to stored sources.

The matching itself is the one name matcher, ``claims.names`` (phonetic keys across scripts,
fuzzy and containment rules, exact-only roles); this module loads the stored aliases into a
``NameIndex`` and keeps it current while a document's new sources are created.
"""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.db import PerEngine, StoredSince
from claims.models import Source, SourceAlias
from claims.names import THRESHOLD as FUZZY_THRESHOLD
from claims.names import NameIndex, is_role_note, phonetic_key, same_name
from claims.text import fold_name

__all__ = ["FUZZY_THRESHOLD", "NameIndex", "SourceResolver", "phonetic_key", "same_name", "shared_resolver"]


class SourceResolver:
    """Resolve a document's mentions to stored sources.

    One resolver serves every ingest of a process on one database (``shared_resolver``): the
    alias table is read once, then ``refresh`` reads only the aliases stored since
    (``claims.db.StoredSince``), and ``add`` records the sources an ingest creates, so an
    ingest's cost does not grow with the store. A source the index names may since have gone
    (deleted, or created by a transaction that rolled back): the caller checks that it exists,
    ``forget``s it and asks again with it excluded.
    """

    def __init__(self, session: Session | None = None) -> None:
        self.index = NameIndex()
        self.lock = threading.RLock()
        self._since = StoredSince()
        self._recent: set[uuid.UUID] = set()
        if session is not None:
            self.refresh(session)

    def refresh(self, session: Session) -> None:
        """Read the aliases stored since the last refresh (all of them the first time). The
        range reaches back ``StoredSince.SLACK_MS``, so the last seconds' aliases come again:
        each is added once (``_recent`` holds the ids read within the slack)."""
        query = select(SourceAlias.id, SourceAlias.source_id, SourceAlias.text, SourceAlias.note, Source.kind).join(Source)
        with self.lock:
            recent = self._recent
            for alias_id, source_id, text, note, kind in self._since.rows(session, query, SourceAlias.id):
                if alias_id in recent:
                    continue
                if StoredSince.is_recent(alias_id):
                    recent.add(alias_id)
                self.index.add(source_id, kind, text, role=is_role_note(note))  # the same name twice is one entry
            if len(recent) > 1000:
                self._recent = {a for a in recent if StoredSince.is_recent(a)}

    def add(self, source: Source, texts: list[tuple[str, bool]]) -> None:
        with self.lock:
            for text, role in texts:
                self.index.add(source.id, source.kind, text, role=role)

    def resolve(self, names: list[str], roles: list[str], kind: str,
                exclude: frozenset[uuid.UUID] = frozenset()) -> uuid.UUID | None:
        with self.lock:
            return self.index.match(names, roles, kind=kind, exclude=exclude)

    def forget(self, source_id: uuid.UUID) -> None:
        """Drop a source found gone, unless it is new enough to be another transaction's not
        yet committed (that one is only passed over, with ``resolve(exclude=...)``)."""
        if StoredSince.is_recent(source_id):
            return
        with self.lock:
            for table in (self.index.exact, self.index.phonetic, self.index.short):
                for text, entries in list(table.items()):
                    kept = [e for e in entries if e.source_id != source_id]
                    if len(kept) != len(entries):
                        table[text] = kept

    def knows(self, source_id: uuid.UUID, text: str) -> bool:
        """Whether ``text`` (folded) is already a name or role of ``source_id`` here."""
        with self.lock:
            return any(e.source_id == source_id for e in self.index.exact.get(fold_name(text), ()))


_shared = PerEngine(SourceResolver)
#: Drop the process's resolver for an engine (all without one): ``claims.ingest.forget_shared_caches``.
forget_shared = _shared.forget


def shared_resolver(session: Session) -> SourceResolver:
    """This process's resolver for the session's database, brought up to date."""
    resolver = _shared.of(session)
    resolver.refresh(session)
    return resolver
