"""Find a report's subject from what a person types: an id, or a key (content hash for documents)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.errors import NotFound
from claims.models import Claim, ClaimGroup, Document, Source
from claims.reports.model import Kind

_BY_KEY = {
    Kind.CLAIM: (Claim, Claim.key),
    Kind.CLAIM_GROUP: (ClaimGroup, ClaimGroup.key),
    Kind.DOCUMENT: (Document, Document.content_hash),
    Kind.SOURCE: (Source, Source.key),
}


def resolve_subject(session: Session, kind: Kind | str, text: str) -> uuid.UUID:
    kind = Kind(kind)
    model, key_column = _BY_KEY[kind]
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    found = session.scalar(select(model.id).where(key_column == text))
    if found is None:
        raise NotFound(f"no {kind} with id or key {text!r}")
    return found
