"""The OpenAPI document says what the server does: closed bodies, typed filters, every status,
Allow headers, pagination, conditional reads."""

from __future__ import annotations

import pytest

from tests.test_api import TEXT, _claim_body

REF = "#/components/schemas/"


@pytest.fixture
def spec(client) -> dict:
    return client.get("/schema/openapi.json").json()


def _schema(spec: dict, ref: str) -> dict:
    return spec["components"]["schemas"][ref.removeprefix(REF)]


def test_every_request_body_is_closed_and_every_operation_has_an_example(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                schema = _schema(spec, body["schema"]["$ref"])
                assert schema.get("additionalProperties") is False, (method, path)
            statuses = set(op["responses"])
            for status, response in op["responses"].items():
                for media_type, media in response.get("content", {}).items():
                    if media_type == "application/problem+json":
                        assert "example" in media, (method, path, status)
            assert {"400", "422"} <= statuses, (method, path)
            if not path.startswith(("/health", "/ready", "/metrics")):
                assert {"401", "429"} <= statuses, (method, path)
            if method in ("post", "patch", "delete"):
                assert "409" in statuses, (method, path)


def test_query_parameters_are_typed_and_never_null(spec):
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/claims"]["get"]["parameters"] if p["in"] == "query"}
    assert params["published_before"]["format"] == "date-time"
    assert params["speaker_id"]["format"] == "uuid"
    assert params["limit"]["maximum"] == 200
    assert all("oneOf" not in s and s.get("type") != "null" for s in params.values())


def test_rules_json_schema_can_state_are_in_the_schema(spec):
    hop = _schema(spec, "HopIn")
    assert hop["anyOf"][1]["required"] == ["evidence_start", "evidence_end"]
    review = _schema(spec, "ClaimReviewIn")
    assert review["allOf"][0]["then"]["required"] == ["note"]
    assert _schema(spec, "ClaimCorrection")["minProperties"] == 1
    lang = _schema(spec, "IngestIn")["properties"]["lang"]["anyOf"][0]
    assert lang["pattern"] == "^[a-z]{2}$" and lang["maxLength"] == 2


def test_options_allow_lists_the_documented_methods(client, spec):
    for path in ("/api/v1/sources", "/api/v1/claims/0190e3c4-0000-7000-8000-00000000dead"):
        documented = spec["paths"]["/api/v1/claims/{claim_id}" if "claims" in path else path]
        allow = {m.strip().lower() for m in client.options(path).headers["allow"].split(",")}
        assert allow - {"options"} == set(documented), path


def test_lists_page_with_total_and_next(admin_client):
    for n in range(3):
        admin_client.post("/api/v1/sources", json={"name": f"Source {n}", "kind": "person"})
    first = admin_client.get("/api/v1/sources", params={"limit": 2, "kind": "person"}).json()
    assert first["total"] == 3 and len(first["items"]) == 2
    assert first["next"] == "/api/v1/sources?kind=person&limit=2&offset=2"
    last = admin_client.get(first["next"]).json()
    assert len(last["items"]) == 1 and last["next"] is None


def test_claim_provenance_and_report_reads_are_conditional(admin_client):
    outlet = admin_client.post("/api/v1/sources", json={"name": "Daily", "kind": "outlet"}).json()
    speaker = admin_client.post("/api/v1/sources", json={"name": "Minister", "kind": "person"}).json()
    relayer = admin_client.post("/api/v1/sources", json={"name": "Wire", "kind": "agency"}).json()
    doc = admin_client.post("/api/v1/documents", json={"text": TEXT, "lang": "en", "outlet_id": outlet["id"], "extract": False}).json()
    claim = admin_client.post("/api/v1/claims", json=_claim_body(doc, speaker, relayer, outlet)).json()
    claim_tag = admin_client.get(f"/api/v1/claims/{claim['id']}").headers["etag"]
    for path in (f"/api/v1/claims/{claim['id']}", f"/api/v1/claims/{claim['id']}/provenance",
                 f"/api/v1/claims/{claim['id']}/report?format=json"):
        first = admin_client.get(path)
        tag = first.headers["etag"]
        again = admin_client.get(path, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag, path
        assert admin_client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    admin_client.patch(f"/api/v1/claims/{claim['id']}", json={"modality": "hedged"})
    changed = admin_client.get(f"/api/v1/claims/{claim['id']}", headers={"If-None-Match": claim_tag})
    assert changed.status_code == 200 and changed.headers["etag"] != claim_tag  # a change is a new tag


def test_deleting_a_source_in_use_is_a_documented_409(admin_client, spec):
    assert "409" in spec["paths"]["/api/v1/sources/{source_id}"]["delete"]["responses"]


def test_the_job_kinds_in_the_schema_are_the_registered_ones(spec):
    from claims.jobs.kinds import KINDS

    assert spec["components"]["schemas"]["JobIn"]["properties"]["kind"]["enum"] == sorted(KINDS)


def test_ask_answers_carry_a_verdict_and_display_names_in_the_schema(spec):
    from claims.vocabulary import Verdict

    def enum_of(prop: dict) -> list[str]:
        for option in prop.get("anyOf") or prop.get("oneOf") or [prop]:
            if "$ref" in option:
                return _schema(spec, option["$ref"])["enum"]
            if "enum" in option:
                return option["enum"]
        return []

    for name in ("AskOut", "Answer"):
        verdict = _schema(spec, name)["properties"]["verdict"]
        assert sorted(enum_of(verdict)) == sorted(v.value for v in Verdict), name
        assert "yes/no" in (verdict.get("description") or "")
    for name in ("SourceRef", "Origin"):
        assert "display_name" in _schema(spec, name)["properties"], name
    ask = spec["paths"]["/api/v1/ask"]["post"]
    from claims.schemas import AskIn, AskOut

    AskIn.model_validate(ask["requestBody"]["content"]["application/json"]["example"])
    example = AskOut.model_validate(ask["responses"]["200"]["content"]["application/json"]["example"])
    assert example.verdict == "disputed" and example.answers[0].chain[0].source.display_name
