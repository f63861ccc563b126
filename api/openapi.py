"""The OpenAPI document says exactly what the server does.

Litestar writes the paths; this module finishes the document once per app, on first use:

* Request and response bodies are the pydantic models' own JSON Schema (``claims.schemas`` is
  the one contract): ``additionalProperties: false`` where extra keys are rejected, every
  pattern, bound and format the validators apply, and the cross-field rules JSON Schema can
  state (both evidence offsets or neither, a note to correct or reject, ...).
* Query parameters are never ``null`` (absent means no filter) and unknown ones are rejected
  (``known_query_guard``), so a typo in a filter is a 400, not a silently unfiltered list.
* Every status an operation can answer is listed with its problem+json schema, and every
  operation has an example.
"""

from __future__ import annotations

import copy
from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin  # the plugin that builds and serves the document
from litestar.connection import ASGIConnection
from litestar.exceptions import ClientException
from litestar.handlers import BaseRouteHandler
from litestar.openapi import ResponseSpec
from litestar.routes import HTTPRoute
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from api.auth import SECURITY_SCHEME, WRITE_SCOPES, required_scope
from api.errors import PROBLEM_JSON, Problem
from claims.settings import Settings
from claims.vocabulary import Scope

OPENAPI_PATH = "/schema"
_REF = "#/components/schemas/"


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=Problem, media_type=PROBLEM_JSON, description=description, generate_examples=False)


def _api_handlers(app: Litestar):
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(OPENAPI_PATH):
            continue
        for handler in route.route_handlers:
            if handler.include_in_schema:
                yield route, handler


def document_responses(app: Litestar, settings: Settings) -> None:
    """Write each operation's key requirement and every error status it can answer."""
    for route, handler in _api_handlers(app):
        needed = required_scope(handler)
        responses = dict(handler.responses or {})
        responses.setdefault(400, _problem("Malformed request: a body that is not JSON, or an unknown query parameter"))
        responses.setdefault(
            422, _problem("The request does not match the schema, or breaks a rule across its fields")
        )
        if not handler.opt.get("operations"):  # health, readiness, metrics: no key, no rate limit
            responses.setdefault(401, _problem("A key was sent but is not valid (unknown, malformed, expired or revoked)"))
            responses.setdefault(
                429, _problem("The rate limit is spent (per key, or per client address without one); see Retry-After")
            )
        if needed is not None:
            keyed = needed in WRITE_SCOPES or settings.require_key_for_reads
            # An empty requirement ({}) marks the key as optional: reads are open by default.
            handler.security = [{SECURITY_SCHEME: []}] if keyed else [{}, {SECURITY_SCHEME: []}]
            if needed is not Scope.READ:
                responses.setdefault(403, _problem(f"The key lacks the '{needed}' scope"))
        if handler.http_methods & {"POST", "PUT", "PATCH", "DELETE"}:
            responses.setdefault(
                409, _problem("Conflicts with stored data: a duplicate, a record in use, or a reference to a record that does not exist")
            )
        if handler.http_methods & {"POST", "PUT", "PATCH"}:
            responses.setdefault(413, _problem("The request body is larger than the server accepts"))
        if "{" in route.path:
            responses.setdefault(404, _problem("No such record"))
        handler.responses = responses
        handler.opt["query_names"] = None  # filled by allowed_query_names


def allowed_query_names(route: HTTPRoute) -> None:
    """Record on each handler the query parameters it declares (itself and its dependencies)."""
    for _method, (handler, kwargs_model) in route.route_handler_map.items():
        params = kwargs_model.expected_query_params
        handler.opt["query_names"] = frozenset(p.field_alias for p in params)
        handler.opt["query_single"] = frozenset(p.field_alias for p in params if not p.is_sequence)
        # Optional typed parameters (ids, enums): the query parser would read "null" or "" as
        # "absent", which the document does not say; they are refused instead.
        fields = handler.parsed_fn_signature.parameters
        handler.opt["query_typed"] = frozenset(
            p.field_alias for p in params
            if p.field_name in fields and fields[p.field_name].is_optional
            and not any(t.annotation is str for t in fields[p.field_name].inner_types)
        )


async def known_query_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Reject query parameters the operation does not declare, and a single-valued one given
    twice (400 problem): a typo'd filter must not return an unfiltered list."""
    if not connection.scope.get("query_string"):
        return  # nothing given, nothing to reject (most reads)
    names = handler.opt.get("query_names")
    if names is None or not connection.scope["path"].startswith("/api/"):
        return
    given = connection.query_params
    unknown = sorted(set(given.keys()) - names)
    if unknown:
        takes = ", ".join(sorted(names)) or "none"
        raise ClientException(detail=f"unknown query parameter(s): {', '.join(unknown)}; this operation takes: {takes}")
    repeated = sorted(k for k in handler.opt["query_single"] if len(given.getall(k, [])) > 1)
    if repeated:
        raise ClientException(detail=f"query parameter(s) given more than once: {', '.join(repeated)}")
    empty = sorted(k for k in handler.opt["query_typed"] if given.get(k, "x").strip().lower() in ("", "null", "none"))
    if empty:
        raise ClientException(detail=f"query parameter(s) without a value: {', '.join(empty)} (omit a filter instead)")


# --- the document ---------------------------------------------------------------------------


class _ContractPlugin(OpenAPIPlugin):
    """Litestar's OpenAPI plugin, serving the finished document (built once, on first use)."""

    __slots__ = ()

    def provide_openapi_schema(self) -> dict[str, Any]:
        if not self._openapi_schema:
            self._openapi_schema = finish(copy.deepcopy(self.provide_openapi().to_schema()))
        return self._openapi_schema


def install(app: Litestar, settings: Settings) -> None:
    """Document every response and query parameter; the document itself is finished lazily."""
    document_responses(app, settings)
    for route in app.routes:
        if isinstance(route, HTTPRoute) and route.path.startswith("/api/"):
            allowed_query_names(route)
    # Litestar has no hook after it builds the document: the plugin instance takes a subclass
    # that adds none of its own state (same slots), so every render path serves ``finish()``'s.
    app.plugins.get(OpenAPIPlugin).__class__ = _ContractPlugin


def openapi_document(app: Litestar) -> dict[str, Any]:
    """The document the server serves at /schema/openapi.json."""
    return app.plugins.get(OpenAPIPlugin).provide_openapi_schema()


def _models() -> dict[str, type[BaseModel]]:
    """Every pydantic model of the contract, by the component name Litestar gives it."""
    from claims import schemas

    found: dict[str, type[BaseModel]] = {}
    stack = [schemas.Schema]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls is not schemas.Schema and not cls.__name__.startswith("_"):
            found[cls.__name__.replace("[", "_").replace("]", "_").replace(", ", "_")] = cls
    return found


def _refs(node: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            out.add(ref[len(_REF):])
        for value in node.values():
            out |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            out |= _refs(value)
    return out


def _body_refs(doc: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Component names used directly by request bodies and by responses."""
    inputs: set[str] = set()
    outputs: set[str] = set()
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            inputs |= _refs(operation.get("requestBody", {}))
            outputs |= _refs(operation.get("responses", {}))
    return inputs, outputs


def _replace_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF) and ref[len(_REF):] in names:
            return {**node, "$ref": _REF + names[ref[len(_REF):]]}
        return {k: _replace_refs(v, names) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_refs(v, names) for v in node]
    return node


def _pydantic_components(doc: dict[str, Any]) -> None:
    """Replace Litestar's approximation of each model with pydantic's exact JSON Schema."""
    models = _models()
    inputs, outputs = _body_refs(doc)
    wanted = [(models[n], "validation") for n in sorted(inputs) if n in models]
    wanted += [(models[n], "serialization") for n in sorted(outputs) if n in models]
    if not wanted:
        return
    keyed, top = models_json_schema(wanted, ref_template=_REF + "{model}")
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in list(schemas):
        if name in models:
            del schemas[name]
    schemas.update(top.get("$defs", {}))
    renamed_in = {n: keyed[(models[n], "validation")]["$ref"][len(_REF):] for n in inputs if n in models}
    renamed_out = {n: keyed[(models[n], "serialization")]["$ref"][len(_REF):] for n in outputs if n in models}
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            if "requestBody" in operation:
                operation["requestBody"] = _replace_refs(operation["requestBody"], renamed_in)
            if "responses" in operation:
                operation["responses"] = _replace_refs(operation["responses"], renamed_out)


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent or a value, never null."""
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if options and any(o.get("type") == "null" for o in options):
            rest = [o for o in options if o.get("type") != "null"]
            merged = {k: v for k, v in schema.items() if k != key}
            if len(rest) == 1:
                merged.update(rest[0])
            else:
                merged[key] = rest
            return merged
    return schema


def _parameters(doc: dict[str, Any]) -> None:
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for param in operation.get("parameters", []):
                if param.get("in") == "query" and "schema" in param:
                    param["schema"] = _not_null(param["schema"])
                    param.pop("allowEmptyValue", None)


def _examples(doc: dict[str, Any]) -> None:
    """Every operation carries an example: request bodies from the models' examples, and each
    documented response an example where its schema gives one."""
    schemas = doc.get("components", {}).get("schemas", {})
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                examples = schemas.get(ref[len(_REF):], {}).get("examples")
                if examples and "example" not in media:
                    media["example"] = examples[0]
            for status, response in operation.get("responses", {}).items():
                for media_type, media in response.get("content", {}).items():
                    if "example" in media or "examples" in media:
                        continue
                    if media_type == PROBLEM_JSON:
                        media["example"] = _problem_example(int(status), response.get("description", ""))
                        continue
                    ref = media.get("schema", {}).get("$ref", "")
                    examples = schemas.get(ref[len(_REF):], {}).get("examples")
                    if examples:
                        media["example"] = examples[0]


def _problem_example(status: int, description: str) -> dict[str, Any]:
    from http import HTTPStatus

    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": description,
        "instance": "/api/v1/...",
        "request_id": "0190e3c4c2a97b3e8d1f2a3b4c5d6e7f",
    }


def _job_kinds(doc: dict[str, Any]) -> None:
    """The job kinds are a registry (``claims.jobs.kinds.KINDS``): the document lists them."""
    from claims.jobs.kinds import KINDS

    job_in = doc.get("components", {}).get("schemas", {}).get("JobIn")
    if job_in and "kind" in job_in.get("properties", {}):
        job_in["properties"]["kind"] = {**job_in["properties"]["kind"], "enum": sorted(KINDS)}


def finish(doc: dict[str, Any]) -> dict[str, Any]:
    _pydantic_components(doc)
    _job_kinds(doc)
    _parameters(doc)
    _examples(doc)
    return doc


__all__ = ["OPENAPI_PATH", "install", "known_query_guard", "openapi_document"]
