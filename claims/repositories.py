"""Repositories (advanced-alchemy): CRUD, filters and pagination for each aggregate."""

from __future__ import annotations

from advanced_alchemy.repository import SQLAlchemySyncRepository

from claims.models import Claim, ClaimGroup, Document, Source


class SourceRepository(SQLAlchemySyncRepository[Source]):
    model_type = Source


class DocumentRepository(SQLAlchemySyncRepository[Document]):
    model_type = Document


class ClaimRepository(SQLAlchemySyncRepository[Claim]):
    model_type = Claim


class ClaimGroupRepository(SQLAlchemySyncRepository[ClaimGroup]):
    model_type = ClaimGroup
