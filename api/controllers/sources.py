from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.params import Parameter
from sqlalchemy.orm import Session

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
        db_session: Session,
        pagination: ListParams,
        kind: SourceKind | None = None,
        q: str | None = Parameter(default=None, max_length=300, description="Name or alias, any script"),
    ) -> Page[SourceOut]:
        items, total = SourceService(db_session).list(pagination, kind=kind, q=q)
        return Page(items=[source_out(s) for s in items], total=total, limit=pagination.limit, offset=pagination.offset)

    @post("/", summary="Create a source", sync_to_thread=True)
    def create_source(self, db_session: Session, data: SourceIn) -> SourceOut:
        return source_out(SourceService(db_session).create(data))

    @get("/{source_id:uuid}", summary="Get a source", sync_to_thread=True)
    def get_source(self, db_session: Session, source_id: UUID) -> SourceOut:
        return source_out(SourceService(db_session).get(source_id))

    @patch("/{source_id:uuid}", summary="Update a source", sync_to_thread=True)
    def update_source(self, db_session: Session, source_id: UUID, data: SourcePatch) -> SourceOut:
        return source_out(SourceService(db_session).update(source_id, data))

    @delete("/{source_id:uuid}", summary="Delete an unreferenced source", sync_to_thread=True)
    def delete_source(self, db_session: Session, source_id: UUID) -> None:
        SourceService(db_session).delete(source_id)
