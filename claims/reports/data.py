"""Machine-readable renderers: the full record as JSON, one row per hop as CSV."""

from __future__ import annotations

import csv
import io
import json

from claims.reports.model import Report

#: The CSV columns, in their documented, stable order (docs/reports.md lists them).
CSV_COLUMNS = (
    "report_kind",
    "report_subject_id",
    "claim_id",
    "claim_key",
    "claim_text",
    "claim_lang",
    "claim_modality",
    "claim_stance",
    "claim_review_status",
    "claim_review_note",
    "group_key",
    "origin_id",
    "origin_name",
    "document_id",
    "document_title",
    "document_url",
    "document_published_at",
    "outlet_name",
    "hop_position",
    "hop_id",
    "source_id",
    "source_name",
    "source_kind",
    "relation",
    "hop_lang",
    "hop_modality",
    "cue",
    "evidence_start",
    "evidence_end",
    "evidence_text",
    "drift",
    "hop_review_status",
    "hop_review_note",
    "generated_at",
    "database_revision",
    "report_sha256",
)


def render_json(report: Report) -> bytes:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _text(value) -> str:
    return "" if value is None else str(value)


def render_csv(report: Report) -> bytes:
    meta = report.meta
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for section in report.claims:
        claim, doc = section.claim, section.document
        drift_into: dict[int, list[str]] = {}
        for d in section.drift:
            if d.scope == "hop" and d.to_position is not None:
                drift_into.setdefault(d.to_position, []).append(f"{d.field}: {d.before} -> {d.after}")
        for hop in section.chain:
            ev = hop.evidence
            row = {
                "report_kind": meta.kind,
                "report_subject_id": meta.subject_id,
                "claim_id": claim.id,
                "claim_key": claim.key,
                "claim_text": claim.text,
                "claim_lang": claim.lang,
                "claim_modality": claim.modality,
                "claim_stance": claim.stance,
                "claim_review_status": claim.review_status,
                "claim_review_note": claim.review_note,
                "group_key": claim.group.key if claim.group else None,
                "origin_id": section.origin.id,
                "origin_name": section.origin.name,
                "document_id": doc.id,
                "document_title": doc.title,
                "document_url": doc.url,
                "document_published_at": doc.published_at.isoformat() if doc.published_at else None,
                "outlet_name": doc.outlet.name if doc.outlet else None,
                "hop_position": hop.position,
                "hop_id": hop.hop_id,
                "source_id": hop.source.id,
                "source_name": hop.source.name,
                "source_kind": hop.source.kind,
                "relation": hop.relation,
                "hop_lang": hop.lang,
                "hop_modality": hop.modality,
                "cue": hop.cue,
                "evidence_start": ev.start if ev else None,
                "evidence_end": ev.end if ev else None,
                "evidence_text": ev.text if ev else None,
                "drift": "; ".join(drift_into.get(hop.position, [])) or None,
                "hop_review_status": hop.review_status,
                "hop_review_note": hop.review_note,
                "generated_at": meta.generated_at.isoformat(),
                "database_revision": meta.database_revision,
                "report_sha256": meta.digest,
            }
            writer.writerow([_text(row[c]) for c in CSV_COLUMNS])
    if not report.claims:
        # An empty subject still carries its seal: one row with the report columns only.
        empty = dict.fromkeys(CSV_COLUMNS, "")
        empty.update(
            report_kind=meta.kind,
            report_subject_id=str(meta.subject_id),
            generated_at=meta.generated_at.isoformat(),
            database_revision=_text(meta.database_revision),
            report_sha256=meta.digest,
        )
        writer.writerow([empty[c] for c in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")
