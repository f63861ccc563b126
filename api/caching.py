"""Conditional reads: an ``ETag`` on claim, provenance and report reads; ``If-None-Match`` with
a matching tag answers ``304 Not Modified`` without a body.

The tag is a digest of the exact bytes sent (for a report: of its record and format, without
the generation time, so an unchanged report keeps its tag and a 304 skips rendering), so it
changes whenever anything in the representation changes and needs no version column.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from litestar import Request, Response
from litestar.datastructures import ResponseHeader
from litestar.openapi import ResponseSpec
from litestar.params import HeaderParameter
from pydantic import BaseModel

#: The request header, declared on each conditional operation.
IfNoneMatch = Annotated[
    str | None,
    HeaderParameter(name="If-None-Match", max_length=2000, description="An ETag from an earlier read: 304 when unchanged"),
]


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """RFC 9110 weak comparison of ``If-None-Match`` against the current tag."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == wanted for t in if_none_match.split(","))


class Conditional:
    """What a conditional handler declares (``responses``, ``response_headers``) and returns."""

    responses = {304: ResponseSpec(None, description="Not modified: the If-None-Match tag is current", generate_examples=False)}
    response_headers = [
        ResponseHeader(name="ETag", documentation_only=True, description="Tag of this representation (for If-None-Match)"),
    ]

    def respond(self, request: Request, model: BaseModel, *, headers: dict[str, str] | None = None) -> Response[Any]:
        body = model.__pydantic_serializer__.to_json(model)
        return self.respond_bytes(request, body, "application/json", headers=headers)

    def respond_bytes(
        self, request: Request, body: bytes, media_type: str, *, headers: dict[str, str] | None = None
    ) -> Response[Any]:
        tag = etag(body)
        out = {**(headers or {}), "ETag": tag, "Cache-Control": "no-cache"}
        if matches(request.headers.get("if-none-match"), tag):
            return Response(content=b"", status_code=304, headers=out, media_type=media_type)
        return Response(content=body, media_type=media_type, headers=out)

    def not_modified(self, request: Request, tag: str) -> Response[Any] | None:
        """304 when the client's tag is ``tag`` (checked before any costly rendering)."""
        if matches(request.headers.get("if-none-match"), tag):
            return Response(content=b"", status_code=304, headers={"ETag": tag, "Cache-Control": "no-cache"})
        return None

    @staticmethod
    def with_tag(response: Response[Any], tag: str) -> Response[Any]:
        response.headers["ETag"] = tag
        response.headers["Cache-Control"] = "no-cache"
        return response


conditional = Conditional()
