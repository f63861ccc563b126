"""Bulk loading of annotated documents: ``claims load FILE.jsonl``.

One JSON object per line::

    {"sources": [{"key": "moh", "name": "Ministry of Health", "kind": "government"}],
     "document": {"text": "...", "lang": "en", "title": "...", "outlet": "moh"},
     "claims": [{"key": "c1", "text": "...", "modality": "asserted",
                 "hops": [{"source": "moh", "relation": "said", "evidence": "..."}]}]}

Claims use the seed annotation shape (text located in the document, sources by key). Each
line is one transaction: a document is stored with all its claims or not at all, so a crash
(even SIGKILL) never leaves a half-loaded document. Documents already stored (same content
hash) are skipped, so re-running the load after a crash completes it without duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from claims.db import session_factory
from claims.errors import DomainError, Invalid
from claims.schemas import DocumentIn, SourceIn
from claims.seeding import claim_input
from claims.services import ClaimService, DocumentService, SourceService, content_hash


@dataclass
class LoadReport:
    lines: int = 0
    documents_created: int = 0
    documents_skipped: int = 0
    claims_created: int = 0


def read_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            if raw.strip():
                try:
                    yield number, json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise Invalid(f"line {number} is not JSON: {exc.msg}") from None


def load_entry(session: Session, entry: dict[str, Any]) -> tuple[bool, int]:
    """Store one line's sources, document and claims; (created, claims) — (False, 0) if already there."""
    sources = SourceService(session)
    for data in entry.get("sources") or []:
        if sources.by_key(data["key"]) is None:
            sources.create(SourceIn(**data))
    doc = dict(entry["document"])
    documents = DocumentService(session)
    if documents.by_hash(content_hash(doc["text"])) is not None:
        return False, 0
    outlet_key = doc.pop("outlet", None)
    outlet = sources.by_key(outlet_key) if outlet_key else None
    if outlet_key and outlet is None:
        raise Invalid(f"unknown outlet source key {outlet_key!r}")
    document, _ = documents.create(DocumentIn(**doc, outlet_id=outlet.id if outlet else None))
    wanted = {hop["source"] for c in entry.get("claims") or [] for hop in c["hops"]}
    by_key = {key: sources.by_key(key) for key in wanted}
    missing = sorted(k for k, v in by_key.items() if v is None)
    if missing:
        raise Invalid(f"unknown source keys {missing}")
    claims = entry.get("claims") or []
    if claims:  # one flush, one index update and one encoder batch per document
        ClaimService(session).create_many(document, [claim_input(document.id, document.text, c, by_key) for c in claims])
    return True, len(claims)


def load(
    engine: Engine,
    path: Path,
    *,
    actor: str = "load",
    progress: Callable[[LoadReport], None] | None = None,
) -> LoadReport:
    """Load every line, committing after each document."""
    report = LoadReport()
    sessions = session_factory(engine, write=True)
    for number, entry in read_lines(path):
        report.lines += 1
        with sessions() as session:
            session.info["actor"] = actor
            try:
                created, claims = load_entry(session, entry)
                session.commit()
            except (DomainError, ValidationError, KeyError, TypeError) as exc:
                session.rollback()
                raise Invalid(f"line {number}: {exc}") from exc
        if created:
            report.documents_created += 1
            report.claims_created += claims
        else:
            report.documents_skipped += 1
        if progress:
            progress(report)
    return report
