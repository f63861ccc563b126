"""ORM rows → response schemas (the one place that knows both shapes)."""

from __future__ import annotations

from claims.models import Claim, Document, Feed, Job, Source
from claims.provenance import evidence
from claims.schemas import (
    AliasOut,
    ClaimOut,
    DocumentOut,
    DocumentSummary,
    FeedOut,
    GroupRef,
    HopOut,
    IngestOut,
    JobOut,
    JobProgress,
    SourceOut,
    SourceRef,
)


def source_out(source: Source) -> SourceOut:
    return SourceOut(
        id=source.id,
        key=source.key,
        name=source.name,
        kind=source.kind,
        description=source.description,
        aliases=[AliasOut(text=a.text, lang=a.lang, note=a.note) for a in source.aliases],
        created_at=source.created_at,
        updated_at=source.updated_at,
    )


def document_summary(document: Document) -> DocumentSummary:
    return DocumentSummary(
        id=document.id,
        lang=document.lang,
        title=document.title,
        url=document.url,
        published_at=document.published_at,
        outlet=SourceRef.model_validate(document.outlet) if document.outlet else None,
        content_hash=document.content_hash,
        created_at=document.created_at,
        author=document.author,
        canonical_url=document.canonical_url,
        fetched_at=document.fetched_at,
        story_id=document.story_id,
    )


def document_out(document: Document) -> DocumentOut:
    return DocumentOut(**document_summary(document).model_dump(), text=document.text)


def claim_fields(claim: Claim, speaker: SourceRef) -> dict:
    """The fields every view of a claim shares (the API's ClaimOut, a report's claim), with its
    speaker as the caller names it: the one claim-to-schema mapping."""
    return {
        "id": claim.id,
        "key": claim.key,
        "text": claim.text,
        "start": claim.start_offset,
        "end": claim.end_offset,
        "lang": claim.lang,
        "modality": claim.modality,
        "stance": claim.stance,
        "speaker": speaker,
        "group": GroupRef.model_validate(claim.group) if claim.group else None,
        "review_status": claim.review_status,
        "review_note": claim.review_note,
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
    }


def claim_out(claim: Claim) -> ClaimOut:
    return ClaimOut(
        **claim_fields(claim, SourceRef.model_validate(claim.speaker)),
        document_id=claim.document_id,
        hops=[
            HopOut(
                position=h.position,
                source=SourceRef.model_validate(h.source),
                relation=h.relation,
                lang=h.lang,
                modality=h.modality,
                cue=h.cue,
                evidence=evidence(claim, h),
                review_status=h.review_status,
                review_note=h.review_note,
                confidence=h.confidence,
            )
            for h in claim.hops
        ],
        confidence=claim.confidence,
    )


def ingest_out(result) -> IngestOut:
    """``claims.ingest.IngestResult`` → response."""
    return IngestOut(
        **document_out(result.document).model_dump(),
        claims=[claim_out(c) for c in result.claims],
        sources_created=result.sources_created,
        sources_matched=result.sources_matched,
        grouped=result.grouped,
    )


def feed_out(feed: Feed) -> FeedOut:
    return FeedOut(
        id=feed.id, url=feed.url, title=feed.title,
        outlet=SourceRef.model_validate(feed.outlet) if feed.outlet else None,
        last_polled_at=feed.last_polled_at, last_status=feed.last_status, last_error=feed.last_error,
        created_at=feed.created_at,
    )


def job_out(job: Job) -> JobOut:
    url = f"/api/v1/jobs/{job.id}"
    return JobOut(
        id=job.id, kind=job.kind, status=job.status, params=job.params or {},
        progress=JobProgress(done=job.progress_done, total=job.progress_total),
        attempts=job.attempts, max_attempts=job.max_attempts, result=job.result,
        result_url=f"{url}/result" if job.status == "succeeded" and job.result_media_type else None,
        error=job.error, url=url, created_at=job.created_at, started_at=job.started_at, finished_at=job.finished_at,
    )
