"""Domain errors. The API maps each to an RFC 9457 problem with the status named here."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Invalid(DomainError):
    status = 422
    title = "Unprocessable content"


class Unresolvable(Conflict):
    """Well formed, but it refers to stored records that do not exist, or disagrees with them (a
    span past the document's end, text that is not the document's). 409 rather than 422: the
    request is valid against the schema, and it can succeed once the stored data allows it."""

    title = "Conflicts with stored records"
