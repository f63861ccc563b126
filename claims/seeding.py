"""Load the curated seed annotations (``seeds/*.yaml``) idempotently.

Sources, groups and claims are matched by their curated ``key`` and documents by content
hash, so running ``claims seed`` twice changes nothing and keeps every id. Annotation files
carry text, not offsets: each claim, cue and evidence string is located in the document
(an evidence string that occurs more than once is taken at the occurrence nearest the claim).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.errors import Invalid
from claims.indexing import index_claims
from claims.models import Claim, ClaimGroup, RelayHop
from claims.schemas import AliasIn, ClaimIn, DocumentIn, HopIn, SourceIn, SourcePatch
from claims.services import ClaimService, DocumentService, SourceService
from claims.yamlfile import parse_yaml


@dataclass
class SeedReport:
    sources: int = 0
    documents: int = 0
    claims_created: int = 0
    claims_updated: int = 0
    claims_unchanged: int = 0
    groups: int = 0
    files: list[str] = field(default_factory=list)


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return parse_yaml(fh)


def locate(text: str, needle: str, *, occurrence: int | None = None, near: int | None = None) -> tuple[int, int]:
    """Offsets of ``needle`` in ``text``: the n-th occurrence (1-based) or the one nearest ``near``."""
    starts, i = [], text.find(needle)
    while i != -1:
        starts.append(i)
        i = text.find(needle, i + 1)
    if not starts:
        raise Invalid(f"annotation text not found in document: {needle[:80]!r}")
    if occurrence is not None:
        if occurrence > len(starts):
            raise Invalid(f"occurrence {occurrence} of {needle[:60]!r} does not exist")
        start = starts[occurrence - 1]
    elif near is not None:
        start = min(starts, key=lambda s: abs(s - near))
    else:
        if len(starts) > 1:
            raise Invalid(f"annotation text is ambiguous (occurs {len(starts)} times): {needle[:80]!r}")
        start = starts[0]
    return start, start + len(needle)


def load_sources(session: Session, seeds_dir: Path) -> dict[str, Any]:
    service = SourceService(session)
    by_key = {}
    for entry in _load_yaml(seeds_dir / "sources.yaml")["sources"]:
        aliases = [AliasIn(**a) for a in entry.get("aliases") or []]
        source = service.by_key(entry["key"])
        if source is None:
            source = service.create(
                SourceIn(
                    key=entry["key"],
                    name=entry["name"],
                    kind=entry["kind"],
                    description=entry.get("description"),
                    aliases=aliases,
                )
            )
        else:
            service.update(
                source.id,
                SourcePatch(name=entry["name"], kind=entry["kind"], description=entry.get("description"), aliases=aliases),
            )
        by_key[entry["key"]] = source
    return by_key


def load_groups(session: Session, seeds_dir: Path) -> dict[str, ClaimGroup]:
    path = seeds_dir / "groups.yaml"
    groups = {}
    if not path.exists():
        return groups
    service = ClaimService(session)
    relabelled = []
    for entry in _load_yaml(path)["groups"]:
        group = service.group(entry["key"])
        if (group.label, group.label_ar) != (entry.get("label"), entry.get("label_ar")):
            group.label, group.label_ar = entry.get("label"), entry.get("label_ar")
            relabelled.append(group.id)
        groups[entry["key"]] = group
    if relabelled:
        session.flush()
        index_claims(session, list(session.scalars(select(Claim).where(Claim.group_id.in_(relabelled)))))
    return groups


def claim_input(document_id, text: str, entry: dict, sources: dict) -> ClaimIn:
    start, end = locate(text, entry["text"], occurrence=entry.get("occurrence"))
    hops = []
    for hop in entry["hops"]:
        ev_start = ev_end = None
        if hop.get("evidence"):
            ev_start, ev_end = locate(text, hop["evidence"], near=start)
        if hop["source"] not in sources:
            raise Invalid(f"claim {entry['key']}: unknown source key {hop['source']!r}")
        hops.append(
            HopIn(
                source_id=sources[hop["source"]].id,
                relation=hop["relation"],
                lang=hop.get("lang"),
                modality=hop.get("modality"),
                cue=hop.get("cue"),
                evidence_start=ev_start,
                evidence_end=ev_end,
            )
        )
    return ClaimIn(
        document_id=document_id,
        start=start,
        end=end,
        modality=entry["modality"],
        stance=entry.get("stance", "affirm"),
        group_key=entry.get("group"),
        key=entry["key"],
        hops=hops,
    )


def _claim_state(claim: Claim) -> tuple:
    return (
        claim.start_offset,
        claim.end_offset,
        claim.modality,
        claim.stance,
        claim.group.key if claim.group else None,
        tuple(
            (h.source_id, h.relation, h.lang, h.modality, h.cue, h.evidence_start, h.evidence_end)
            for h in claim.hops
        ),
    )


def _input_state(data: ClaimIn, group_key: str | None) -> tuple:
    return (
        data.start,
        data.end,
        data.modality,
        data.stance,
        group_key,
        tuple(
            (h.source_id, h.relation, h.lang, h.modality, h.cue, h.evidence_start, h.evidence_end)
            for h in data.hops
        ),
    )


def seed(session: Session, seeds_dir: Path) -> SeedReport:
    """Load sources, groups, documents and claims; re-running it is a no-op."""
    report = SeedReport()
    sources = load_sources(session, seeds_dir)
    report.sources = len(sources)
    report.groups = len(load_groups(session, seeds_dir))
    documents = DocumentService(session)
    claims = ClaimService(session)
    for path in sorted((seeds_dir / "annotations").glob("*.yaml")):
        ann = _load_yaml(path)
        text = (seeds_dir / ann["file"]).read_text(encoding="utf-8")
        outlet = sources[ann["outlet"]] if ann.get("outlet") else None
        document, _ = documents.create(
            DocumentIn(
                text=text,
                lang=ann["lang"],
                title=ann.get("title"),
                url=ann.get("url"),
                published_at=ann.get("published_at"),
                outlet_id=outlet.id if outlet else None,
            )
        )
        report.documents += 1
        report.files.append(ann["file"])
        new: list[ClaimIn] = []
        for entry in ann.get("claims") or []:
            data = claim_input(document.id, text, entry, sources)
            existing = session.scalar(select(Claim).where(Claim.key == entry["key"]))
            if existing is None:
                new.append(data)
            elif _claim_state(existing) == _input_state(data, entry.get("group")):
                report.claims_unchanged += 1
            else:
                _replace(session, claims, existing, data)
                report.claims_updated += 1
        if new:  # a document's new claims in one batch: one flush, one encoder call
            claims.create_many(document, new)
            report.claims_created += len(new)
    return report


def _replace(session: Session, claims: ClaimService, claim: Claim, data: ClaimIn) -> None:
    """Bring a stored seed claim in line with an edited annotation, keeping its id."""
    claim.start_offset, claim.end_offset = data.start, data.end
    claim.text = claim.document.text[data.start : data.end]
    claim.modality, claim.stance = data.modality, data.stance
    claim.speaker_id = data.hops[0].source_id
    claim.group_id = claims.group(data.group_key).id if data.group_key else None
    claim.hops.clear()
    session.flush()
    for position, hop in enumerate(data.hops):
        claim.hops.append(RelayHop(position=position, **hop.model_dump()))
    session.flush()
    index_claims(session, [claim])
