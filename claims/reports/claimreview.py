"""schema.org ClaimReview as JSON-LD: one review per claim, the claim's author is its origin,
each document that publishes it or another telling of it (its claim group) an appearance, the
earliest of them the first appearance.

The context is inline (``@vocab`` schema.org) so the document expands without fetching
anything; the review rating carries the record's review status and note.
"""

from __future__ import annotations

import json

from claims.reports.model import ClaimSection, Report
from claims.vocabulary import SourceKind

CONTEXT = {"@vocab": "https://schema.org/", "claims": "urn:claims:"}


def _person_or_org(source) -> dict:
    kind = "Person" if source.kind == SourceKind.PERSON else "Organization"
    return {"@type": kind, "@id": f"claims:source-{source.id}", "name": source.name}


def _appearance(document) -> dict:
    item = {"@type": "CreativeWork", "@id": f"claims:document-{document.id}", "inLanguage": document.lang}
    if document.title:
        item["headline"] = document.title
    if document.url:
        item["url"] = document.url
    if document.published_at:
        item["datePublished"] = document.published_at.isoformat()
    if document.outlet:
        item["publisher"] = _person_or_org(document.outlet)
    return item


def claim_review(section: ClaimSection, report: Report) -> dict:
    claim = section.claim
    documents = section.appearances or [section.document]
    dated = [d for d in documents if d.published_at is not None]
    first = min(dated, key=lambda d: d.published_at) if dated else documents[0]
    origin = section.origin
    return {
        "@type": "ClaimReview",
        "@id": f"claims:review-{claim.id}",
        "claimReviewed": claim.text,
        "inLanguage": claim.lang,
        "datePublished": report.meta.generated_at.date().isoformat(),
        "dateModified": claim.updated_at.isoformat(),
        "author": {"@type": "Organization", "name": "claims provenance record"},
        "itemReviewed": {
            "@type": "Claim",
            "@id": f"claims:claim-{claim.id}",
            "text": claim.text,
            "inLanguage": claim.lang,
            "author": _person_or_org(origin),
            "appearance": [_appearance(d) for d in documents],
            "firstAppearance": _appearance(first),
        },
        "reviewRating": {
            "@type": "Rating",
            "alternateName": claim.review_status,
            **({"ratingExplanation": claim.review_note} if claim.review_note else {}),
        },
    }


def render_claimreview(report: Report) -> bytes:
    """One claim: a top-level ClaimReview; several: a ``@graph`` of them. Each carries the
    report's generation time, database revision and seal as ``claims:`` properties."""
    meta = report.meta
    stamp = {
        "claims:generatedAt": meta.generated_at.isoformat(),
        "claims:databaseRevision": meta.database_revision or "",
        "claims:seal": meta.digest,
        "claims:report": f"claims:report-{meta.kind}-{meta.subject_id}",
    }
    reviews = [{**claim_review(section, report), **stamp} for section in report.claims]
    if len(reviews) == 1:
        document = {"@context": CONTEXT, **reviews[0]}
    else:
        document = {"@context": CONTEXT, "@graph": reviews or [{"@id": stamp["claims:report"], **stamp}]}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
