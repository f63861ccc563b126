"""Schemathesis against the API's own OpenAPI document, on SQLite and PostgreSQL.

Every operation gets generated requests (bounded here for CI: ``CLAIMS_FUZZ_EXAMPLES``,
default 12 per operation; ``bench/fuzz_api.py`` runs the external command line with every
check against a real seeded server). Each response must not be a server error and must match
the documented status codes, content types, headers and schemas; schema-valid requests must
be accepted and schema-invalid ones rejected.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims.db import make_engine
from claims.settings import Settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]
EXAMPLES = int(os.environ.get("CLAIMS_FUZZ_EXAMPLES", "12"))


def openapi_document() -> dict:
    from api.app import create_app
    from api.openapi import openapi_document as served

    return served(create_app(Settings(database_url="sqlite://"), engine=make_engine("sqlite://")))


schema = schemathesis.openapi.from_dict(openapi_document())


TEXT = "قال وزير النقل إن الجسر سيفتح في الربيع. The minister said the bridge will reopen in spring."


@pytest.fixture
def no_fetching(monkeypatch):
    """A generated URL must never make the server connect anywhere (claims.fetch reads the
    process settings)."""
    from claims.settings import get_settings

    monkeypatch.setenv("CLAIMS_FETCH_ENABLED", "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def fuzz_client(shared_app, admin_headers, no_fetching):
    """An admin client, without a rate limit, over a small record so lists are not empty."""
    with TestClient(app=shared_app(rate_limit_per_minute=0)) as client:
        client.headers.update(admin_headers)  # for the set-up below; call() sends what each case sends
        client.key_headers = dict(admin_headers)
        outlet = client.post("/api/v1/sources", json={"name": "Daily Planet", "kind": "outlet"}).json()
        minister = client.post(
            "/api/v1/sources", json={"name": "Transport Minister", "kind": "person", "aliases": [{"text": "وزير النقل", "lang": "ar"}]}
        ).json()
        doc = client.post(
            "/api/v1/documents",
            json={"text": TEXT, "lang": "ar", "outlet_id": outlet["id"], "published_at": "2026-01-02T03:04:05Z", "extract": False},
        ).json()
        start = TEXT.index("الجسر")
        claim = client.post(
            "/api/v1/claims",
            json={
                "document_id": doc["id"],
                "start": start,
                "end": TEXT.index("."),
                "group_key": "bridge-reopens",
                "hops": [
                    {"source_id": minister["id"], "relation": "said", "evidence_start": 0, "evidence_end": 14},
                    {"source_id": outlet["id"], "relation": "published"},
                ],
            },
        )
        assert claim.status_code == 201, claim.text
        for name in admin_headers:
            client.headers.pop(name)
        yield client


#: Requests per operation and per response status (printed with -s, for a look at coverage).
CALLS: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()


def call(client: TestClient, case) -> object:
    CALLS[f"{case.method} {case.path}"] += 1
    # The schema documents the key header, so generated cases carry made-up keys: send the real
    # one instead; a case without the header (a negative case: "missing key") goes without it.
    kwargs = case.as_transport_kwargs(base_url="http://testserver.local")
    headers = dict(kwargs.get("headers") or {})
    for name, secret in client.key_headers.items():
        present = [k for k in headers if k.lower() == name.lower()]
        for k in present:
            headers[k] = secret
    kwargs["headers"] = headers
    allowed = {"method", "url", "params", "headers", "json", "content", "data", "files"}
    kwargs = {k: v for k, v in kwargs.items() if k in allowed}  # no cookie parameter is documented
    if isinstance(kwargs.get("data"), bytes | str):
        kwargs["content"] = kwargs.pop("data")
    response = client.request(**kwargs)
    STATUSES[response.status_code] += 1
    return response


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_matches_its_openapi_and_never_fails(case, fuzz_client):
    response = call(fuzz_client, case)
    case.validate_response(response, checks=CHECKS)
