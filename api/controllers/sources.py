from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.orm import Session

from api.dependencies import page, text_filter
from claims.schemas import Page, SourceIn, SourceOut, SourcePatch
from claims.serialize import source_out
from claims.services import ListParams, SourceService
from claims.vocabulary import SourceKind


class SourceController(Controller):
    path = "/api/v1/sources"
    tags = ["sources"]

    @get("/", summary="List sources", sync_to_thread=True)
    def list_sources(
        self,
        request: Request,
        db_session: NamedDependency[Session],
        pagination: NamedDependency[ListParams],
        kind: Annotated[SourceKind | None, QueryParameter(description="Only sources of this kind")] = None,
        q: text_filter("Name or alias, any script") = None,
    ) -> Page[SourceOut]:
        items, total = SourceService(db_session).list(pagination, kind=kind, q=q)
        return page(request, [source_out(s) for s in items], total, pagination)

    @post("/", summary="Create a source", sync_to_thread=True)
    def create_source(self, db_session: NamedDependency[Session], data: JSONBody[SourceIn]) -> SourceOut:
        return source_out(SourceService(db_session).create(data))

    @get("/{source_id:uuid}", summary="Get a source", sync_to_thread=True)
    def get_source(self, db_session: NamedDependency[Session], source_id: FromPath[UUID]) -> SourceOut:
        return source_out(SourceService(db_session).get(source_id))

    @patch("/{source_id:uuid}", summary="Update a source", sync_to_thread=True)
    def update_source(
        self, db_session: NamedDependency[Session], source_id: FromPath[UUID], data: JSONBody[SourcePatch]
    ) -> SourceOut:
        return source_out(SourceService(db_session).update(source_id, data))

    @delete("/{source_id:uuid}", summary="Delete a source (409 while claims, hops or documents refer to it)",
            sync_to_thread=True)
    def delete_source(self, db_session: NamedDependency[Session], source_id: FromPath[UUID]) -> None:
        SourceService(db_session).delete(source_id)
