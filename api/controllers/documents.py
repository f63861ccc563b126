from __future__ import annotations

import datetime
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.openapi import ResponseSpec
from litestar.params import Parameter
from sqlalchemy.orm import Session

from claims.ingest import IngestService
from claims.schemas import DocumentOut, DocumentPatch, DocumentSummary, IngestIn, IngestOut, Page
from claims.serialize import document_out, document_summary, ingest_out
from claims.services import DocumentService, ListParams


class DocumentController(Controller):
    path = "/api/v1/documents"
    tags = ["documents"]

    @get("/", summary="List documents", sync_to_thread=True)
    def list_documents(
        self,
        db_session: Session,
        pagination: ListParams,
        lang: str | None = Parameter(default=None, pattern=r"^[a-z]{2}$"),
        outlet_id: UUID | None = None,
        published_after: datetime.datetime | None = None,
        published_before: datetime.datetime | None = None,
    ) -> Page[DocumentSummary]:
        items, total = DocumentService(db_session).list(
            pagination, lang=lang, outlet_id=outlet_id, published_after=published_after, published_before=published_before
        )
        return Page(items=[document_summary(d) for d in items], total=total, limit=pagination.limit, offset=pagination.offset)

    @post(
        "/",
        summary="Store a raw article (text or HTML), or fetch one from a URL, and extract its claims, "
        "speakers and relay chains (idempotent by content hash and URL: 201 new, 200 existing, same ids)",
        sync_to_thread=True,
        responses={200: ResponseSpec(IngestOut, description="The same text is already stored: the stored document")},
    )
    def create_document(self, db_session: Session, data: IngestIn) -> Response[IngestOut]:
        if data.text is None:  # fetch the page at `url` (refusals and failures are 422 problems)
            result = IngestService(db_session).ingest_url(
                data.url, lang=data.lang, outlet=data.outlet, outlet_id=data.outlet_id,
                published_at=data.published_at, title=data.title, run_extraction=data.extract,
            )
            return Response(ingest_out(result), status_code=201 if result.created else 200)
        result = IngestService(db_session).ingest(
            data.text,
            lang=data.lang,
            outlet=data.outlet,
            outlet_id=data.outlet_id,
            url=data.url,
            published_at=data.published_at,
            title=data.title,
            run_extraction=data.extract,
        )
        return Response(ingest_out(result), status_code=201 if result.created else 200)

    @get("/{document_id:uuid}", summary="Get a document with its exact text", sync_to_thread=True)
    def get_document(self, db_session: Session, document_id: UUID) -> DocumentOut:
        return document_out(DocumentService(db_session).get(document_id))

    @patch("/{document_id:uuid}", summary="Update document metadata (the text is immutable)", sync_to_thread=True)
    def update_document(self, db_session: Session, document_id: UUID, data: DocumentPatch) -> DocumentOut:
        return document_out(DocumentService(db_session).update(document_id, data))

    @delete("/{document_id:uuid}", summary="Delete a document and its claims", sync_to_thread=True)
    def delete_document(self, db_session: Session, document_id: UUID) -> None:
        DocumentService(db_session).delete(document_id)
