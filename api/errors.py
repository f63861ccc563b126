"""The one exception mapper: every error leaves as RFC 9457 problem+json."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from advanced_alchemy.exceptions import IntegrityError as RepositoryIntegrityError
from advanced_alchemy.exceptions import NotFoundError as RepositoryNotFound
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from sqlalchemy.exc import DataError, IntegrityError

from claims.errors import DomainError

log = logging.getLogger("claims.api")

PROBLEM_JSON = "application/problem+json"


@dataclass
class Problem:
    """RFC 9457 problem details (the body of every error response)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = None


def problem(
    request: Request, status: int, title: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": request.scope.get("state", {}).get("request_id"),
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    body = {k: v for k, v in body.items() if v is not None}
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_errors(exc: ValidationException) -> list[dict[str, Any]]:
    extra = exc.extra
    if isinstance(extra, list):
        return [e if isinstance(e, dict) else {"message": str(e)} for e in extra]
    if isinstance(extra, dict):
        return [extra]
    return []


def handle_exception(request: Request, exc: Exception) -> Response:
    if isinstance(exc, DomainError):
        return problem(request, exc.status, exc.title, exc.detail, **exc.extra)
    if isinstance(exc, ValidationException):
        return problem(
            request,
            422,
            "Invalid request",
            exc.detail or "the request does not match the schema",
            errors=_validation_errors(exc) or None,
        )
    if isinstance(exc, HTTPException):
        return problem(
            request,
            exc.status_code,
            _title(exc.status_code),
            exc.detail or _title(exc.status_code),
            headers=dict(exc.headers) if exc.headers else None,
        )
    if isinstance(exc, RepositoryNotFound):
        return problem(request, 404, "Not found", str(exc))
    if isinstance(exc, RepositoryIntegrityError) and isinstance(exc.__cause__, DataError | IntegrityError):
        exc = exc.__cause__  # advanced-alchemy wraps the driver's error; judge the original
    if isinstance(exc, DataError):
        log.info("data error: %s", exc.orig)
        return problem(request, 422, "Unprocessable content", "a value cannot be stored or compared by the database")
    if isinstance(exc, IntegrityError | RepositoryIntegrityError):
        log.info("integrity error: %s", getattr(exc, "orig", exc))
        return problem(request, 409, "Conflict", "the change conflicts with stored data (duplicate or in use)")
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(request, 500, "Internal server error", "an unexpected error occurred; it has been logged")


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


EXCEPTION_HANDLERS = {Exception: handle_exception}
__all__ = ["EXCEPTION_HANDLERS", "MediaType", "PROBLEM_JSON", "Problem", "handle_exception"]
