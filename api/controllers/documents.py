from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.orm import Session

from api.dependencies import LangFilter, PublishedAfter, PublishedBefore, page, timestamp
from claims.schemas import DocumentOut, DocumentPatch, DocumentSummary, IngestIn, IngestOut, Page
from claims.serialize import document_out, document_summary, ingest_out
from claims.services import DocumentService, ListParams


class DocumentController(Controller):
    path = "/api/v1/documents"
    tags = ["documents"]

    @get("/", summary="List documents", sync_to_thread=True)
    def list_documents(
        self,
        request: Request,
        db_session: NamedDependency[Session],
        pagination: NamedDependency[ListParams],
        lang: LangFilter = None,
        outlet_id: Annotated[UUID | None, QueryParameter(description="The publishing outlet's source id")] = None,
        published_after: PublishedAfter = None,
        published_before: PublishedBefore = None,
    ) -> Page[DocumentSummary]:
        items, total = DocumentService(db_session).list(
            pagination,
            lang=lang,
            outlet_id=outlet_id,
            published_after=timestamp("published_after", published_after),
            published_before=timestamp("published_before", published_before),
        )
        return page(request, [document_summary(d) for d in items], total, pagination)

    @post(
        "/",
        summary="Store a raw article (text or HTML), or fetch one from a URL, and extract its claims, "
        "speakers and relay chains (idempotent by content hash and URL: 201 new, 200 existing, same ids)",
        sync_to_thread=True,
        responses={200: ResponseSpec(IngestOut, description="The same text is already stored: the stored document")},
    )
    def create_document(
        self, request: Request, db_session: NamedDependency[Session], data: JSONBody[IngestIn]
    ) -> Response[IngestOut]:
        from claims.ingest import (
            IngestService,  # extraction's imports load on the first ingest, not at start-up
        )

        if data.text is None:  # fetch the page at `url` (refusals and failures are problems)
            result = IngestService(db_session).ingest_url(
                data.url, lang=data.lang, outlet=data.outlet, outlet_id=data.outlet_id,
                published_at=data.published_at, title=data.title, run_extraction=data.extract,
            )
            request.app.state.metrics.ingest(created=result.created, claims=len(result.claims))
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
        request.app.state.metrics.ingest(created=result.created, claims=len(result.claims))
        return Response(ingest_out(result), status_code=201 if result.created else 200)

    @get("/{document_id:uuid}", summary="Get a document with its exact text", sync_to_thread=True)
    def get_document(self, db_session: NamedDependency[Session], document_id: FromPath[UUID]) -> DocumentOut:
        return document_out(DocumentService(db_session).get(document_id))

    @patch("/{document_id:uuid}", summary="Update document metadata (the text is immutable)", sync_to_thread=True)
    def update_document(
        self, db_session: NamedDependency[Session], document_id: FromPath[UUID], data: JSONBody[DocumentPatch]
    ) -> DocumentOut:
        return document_out(DocumentService(db_session).update(document_id, data))

    @delete("/{document_id:uuid}", summary="Delete a document and its claims", sync_to_thread=True)
    def delete_document(self, db_session: NamedDependency[Session], document_id: FromPath[UUID]) -> None:
        DocumentService(db_session).delete(document_id)
