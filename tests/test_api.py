"""The HTTP API through Litestar's test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from claims.db import session_factory
from claims.models import AuditEvent, Claim, Document, RelayHop

PROBLEM = "application/problem+json"
#: An id no test stores (fixed, so parametrized test ids are the same in every xdist worker).
MISSING = "0190e3c4-0000-7000-8000-00000000dead"
TEXT = "The minister said on Monday that the bridge will reopen in spring, according to Reuters."


@pytest.fixture
def client(admin_client):
    """These tests write through the API, so every request carries an admin key
    (access control itself is tested in test_api_auth.py)."""
    return admin_client


def _count(db, model) -> int:
    with session_factory(db)() as s:
        return s.scalar(select(func.count()).select_from(model))


def _source(client, name, kind="person", **extra):
    r = client.post("/api/v1/sources", json={"name": name, "kind": kind, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def _document(client, text=TEXT, **extra):
    # store only: these tests build claims by hand (extraction is covered in tests/extraction)
    r = client.post("/api/v1/documents", json={"text": text, "lang": "en", "extract": False, **extra})
    assert r.status_code in (200, 201), r.text
    return r.json()


def _claim_body(doc, speaker, relayer, outlet, **extra):
    start = TEXT.index("the bridge")
    end = TEXT.index(", according")
    return {
        "document_id": doc["id"],
        "start": start,
        "end": end,
        "modality": "asserted",
        "hops": [
            {"source_id": speaker["id"], "relation": "said", "lang": "en", "modality": "asserted", "cue": "said",
             "evidence_start": 0, "evidence_end": TEXT.index(" on Monday")},
            {"source_id": relayer["id"], "relation": "reported", "lang": "en", "modality": "reported", "cue": "according to"},
            {"source_id": outlet["id"], "relation": "published", "lang": "en"},
        ],
        **extra,
    }


@pytest.fixture
def world(client):
    outlet = _source(client, "Daily Planet", "outlet", aliases=[{"text": "ديلي بلانيت", "lang": "ar"}])
    speaker = _source(client, "Transport Minister", "person")
    relayer = _source(client, "Reuters", "agency")
    doc = _document(client, outlet_id=outlet["id"], title="Bridge")
    return {"outlet": outlet, "speaker": speaker, "relayer": relayer, "doc": doc}


def test_health_and_openapi(client):
    r = client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    ready = client.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready" and ready.json()["revision"] == ready.json()["head"]
    schema = client.get("/schema/openapi.json").json()
    for path in ("/api/v1/ask", "/api/v1/claims/{claim_id}/provenance", "/api/v1/sources", "/api/v1/documents"):
        assert path in schema["paths"], path


def test_claim_crud_with_hops_and_provenance(client, world, db):
    r = client.post("/api/v1/claims", json=_claim_body(world["doc"], world["speaker"], world["relayer"], world["outlet"], group_key="bridge-reopens"))
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["text"] == "the bridge will reopen in spring"
    assert [h["position"] for h in claim["hops"]] == [0, 1, 2]
    assert claim["hops"][0]["evidence"]["text"] == "The minister said"
    assert claim["speaker"]["id"] == world["speaker"]["id"]

    got = client.get(f"/api/v1/claims/{claim['id']}").json()
    assert got["id"] == claim["id"] and got["group"]["key"] == "bridge-reopens"

    prov = client.get(f"/api/v1/claims/{claim['id']}/provenance").json()
    assert prov["origin"]["name"] == "Transport Minister"
    assert [h["relation"] for h in prov["chain"]] == ["said", "reported", "published"]
    assert {"from_position": 0, "to_position": 1, "field": "modality", "before": "asserted", "after": "reported"}.items() <= prov["drift"][0].items()

    patched = client.patch(f"/api/v1/claims/{claim['id']}", json={"modality": "hedged"})
    assert patched.status_code == 200 and patched.json()["modality"] == "hedged"

    assert client.delete(f"/api/v1/claims/{claim['id']}").status_code == 204
    assert client.get(f"/api/v1/claims/{claim['id']}").status_code == 404
    assert _count(db, RelayHop) == 0


def test_group_members_cross_documents(client, world):
    body = _claim_body(world["doc"], world["speaker"], world["relayer"], world["outlet"], group_key="bridge")
    first = client.post("/api/v1/claims", json=body).json()
    ar_text = "قال الوزير إن الجسر قد يعاد فتحه في الربيع."
    ar_doc = client.post("/api/v1/documents", json={"text": ar_text, "lang": "ar", "outlet_id": world["outlet"]["id"], "extract": False}).json()
    start = ar_text.index("الجسر")
    second = client.post("/api/v1/claims", json={
        "document_id": ar_doc["id"], "start": start, "end": len(ar_text) - 1, "modality": "hedged", "group_key": "bridge",
        "hops": [{"source_id": world["speaker"]["id"], "relation": "said", "lang": "ar", "modality": "hedged"},
                 {"source_id": world["outlet"]["id"], "relation": "published", "lang": "ar"}],
    })
    assert second.status_code == 201, second.text
    prov = client.get(f"/api/v1/claims/{first['id']}/provenance").json()
    assert [m["lang"] for m in prov["group"]] == ["ar"]
    assert any(d["scope"] == "group" and d["before"] == "asserted" and d["after"] == "hedged" for d in prov["drift"])


def test_list_filters_and_pagination(client, world):
    for i in range(3):
        text = f"Officials said on day {i} that prices will fall."
        doc = _document(client, text=text, outlet_id=world["outlet"]["id"])
        start = text.index("prices")
        r = client.post("/api/v1/claims", json={
            "document_id": doc["id"], "start": start, "end": len(text) - 1, "modality": "hedged" if i else "asserted",
            "hops": [{"source_id": world["speaker"]["id"], "relation": "said"}, {"source_id": world["outlet"]["id"], "relation": "published"}],
        })
        assert r.status_code == 201, r.text
    page = client.get("/api/v1/claims", params={"limit": 2, "offset": 0}).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["limit"] == 2
    assert client.get("/api/v1/claims", params={"limit": 2, "offset": 2}).json()["items"].__len__() == 1
    assert client.get("/api/v1/claims", params={"modality": "hedged"}).json()["total"] == 2
    assert client.get("/api/v1/claims", params={"speaker_id": world["speaker"]["id"]}).json()["total"] == 3
    assert client.get("/api/v1/claims", params={"speaker": "transport minister"}).json()["total"] == 3
    assert client.get("/api/v1/claims", params={"outlet_id": world["outlet"]["id"]}).json()["total"] == 3
    assert client.get("/api/v1/claims", params={"lang": "ar"}).json()["total"] == 0
    assert client.get("/api/v1/sources", params={"q": "ديلي"}).json()["items"][0]["name"] == "Daily Planet"
    assert client.get("/api/v1/sources", params={"kind": "agency"}).json()["total"] == 1
    assert client.get("/api/v1/documents", params={"lang": "en"}).json()["total"] == 4


def test_documents_are_idempotent_by_content(client, db):
    first = client.post("/api/v1/documents", json={"text": TEXT, "lang": "en"})
    again = client.post("/api/v1/documents", json={"text": TEXT, "lang": "en"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert _count(db, Document) == 1


def test_ask_over_http_on_the_seeds(seeded, client):
    r = client.post("/api/v1/ask", json={"question": "who originally said Iran will fill the vacuum"})
    assert r.status_code == 200
    body = r.json()
    assert body["found"] is True
    top = body["answers"][0]
    assert set(top) >= {"claim", "origin", "chain", "group", "drift", "confidence", "answer_text"}
    assert set(top["claim"]) >= {"id", "text", "lang", "modality", "stance"}
    assert set(top["origin"]) >= {"id", "name", "kind", "aliases"}
    assert top["origin"]["name"] == "The Jerusalem Post" and "جيروزاليم بوسي" in top["origin"]["aliases"]
    for hop in top["chain"]:
        assert set(hop) >= {"position", "source", "relation", "lang", "modality", "evidence"}
        if hop["evidence"]:
            doc = client.get(f"/api/v1/documents/{hop['evidence']['document_id']}").json()
            assert doc["text"][hop["evidence"]["start"] : hop["evidence"]["end"]] == hop["evidence"]["text"]
    assert top["origin"]["display_name"] == "The Jerusalem Post" and top["verdict"] is None
    ar = client.post("/api/v1/ask", json={"question": "من قال إن إيران ستملأ الفراغ؟"}).json()
    assert ar["found"] and ar["answers"][0]["origin"]["name"] == "The Jerusalem Post"
    assert ar["answers"][0]["origin"]["display_name"] == "جيروزاليم بوست"
    none = client.post("/api/v1/ask", json={"question": "Who said Turkey will fill the vacuum in Iraq?"}).json()
    assert none == {"question": "Who said Turkey will fill the vacuum in Iraq?", "found": False, "intent": "who_said", "lang": "en",
                    "verdict": None, "answers": []}
    yes_no = client.post("/api/v1/ask", json={"question": "Is it true that Turkey will fill the vacuum in Iraq?"}).json()
    assert yes_no["found"] is False and yes_no["verdict"] == "unsupported"


# --- bad input: problem+json, 4xx, nothing half-written ----------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("post", "/api/v1/ask", {"content": b"{not json", "headers": {"content-type": "application/json"}}, 400),
        ("post", "/api/v1/ask", {"json": {"question": ""}}, 422),
        ("post", "/api/v1/ask", {"json": {"question": "   "}}, 422),
        ("post", "/api/v1/ask", {"json": {"question": "x" * 501}}, 422),
        ("post", "/api/v1/ask", {"json": {"question": 42}}, 422),
        ("post", "/api/v1/ask", {"json": {"question": "a\x00b"}}, 422),
        ("post", "/api/v1/ask", {"json": {}}, 422),
        ("post", "/api/v1/ask", {"json": {"question": "who said x", "extra": 1}}, 422),
        ("post", "/api/v1/ask", {"json": ["who said x"]}, 422),
        ("get", f"/api/v1/claims/{MISSING}", {}, 404),
        ("get", f"/api/v1/sources/{MISSING}", {}, 404),
        ("get", f"/api/v1/documents/{MISSING}", {}, 404),
        ("get", f"/api/v1/claims/{MISSING}/provenance", {}, 404),
        ("get", "/api/v1/claims/not-a-uuid", {}, 404),
        ("get", "/api/v1/claims", {"params": {"limit": 0}}, 422),
        ("get", "/api/v1/claims", {"params": {"limit": 10_000}}, 422),
        ("get", "/api/v1/claims", {"params": {"lang": "english"}}, 422),
        ("get", "/api/v1/claims", {"params": {"modality": "certain"}}, 422),
        ("post", "/api/v1/documents", {"json": {"text": "hello", "lang": "english"}}, 422),
        ("post", "/api/v1/documents", {"json": {"text": "hello", "lang": "EN"}}, 422),
        ("post", "/api/v1/documents", {"json": {"text": "", "lang": "en"}}, 422),
        ("post", "/api/v1/documents", {"json": {"text": "hello", "lang": "en", "url": "javascript:alert(1)"}}, 422),
        ("post", "/api/v1/documents", {"json": {"text": "hello", "lang": "en", "outlet_id": MISSING}}, 409),
        ("get", "/api/v1/claims", {"params": {"published_before": "0.5"}}, 422),
        ("get", "/api/v1/documents", {"params": {"published_after": "12345"}}, 422),
        ("get", "/api/v1/claims", {"params": {"speaker_id": "null"}}, 400),
        ("get", "/api/v1/sources", {"params": {"kind": "null"}}, 400),
        ("get", "/api/v1/claims", {"params": [("lang", "en"), ("lang", "ar")]}, 400),
        ("get", "/api/v1/claims", {"params": {"spekaer": "x"}}, 400),
        ("post", "/api/v1/sources", {"json": {"name": "X", "kind": "alien"}}, 422),
        ("post", "/api/v1/sources", {"json": {"name": "", "kind": "person"}}, 422),
        ("delete", f"/api/v1/claims/{MISSING}", {}, 404),
        ("put", "/api/v1/ask", {"json": {"question": "x"}}, 405),
    ],
)
def test_bad_input_is_a_problem_not_a_crash(client, method, path, kwargs, status, db):
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == status and body["title"] and "detail" in body


def test_claim_validation_writes_nothing(client, world, db):
    before = [_count(db, m) for m in (Claim, RelayHop, AuditEvent)]
    base = _claim_body(world["doc"], world["speaker"], world["relayer"], world["outlet"])
    # 422: breaks the schema or a rule across the body's own fields; 409: disagrees with what is
    # stored (a span past the document's end, other text, ids of records that do not exist).
    bad_bodies = [
        ({**base, "end": 10_000}, 409),
        ({**base, "start": 20, "end": 10}, 422),
        ({**base, "text": "something else"}, 409),
        ({**base, "document_id": str(uuid.uuid4())}, 409),
        ({**base, "speaker_id": world["relayer"]["id"]}, 422),
        ({**base, "hops": []}, 422),
        ({**base, "hops": [*base["hops"][:2], {"source_id": str(uuid.uuid4()), "relation": "published"}]}, 409),
        ({**base, "hops": [{**base["hops"][0], "evidence_start": 40}]}, 422),
        ({**base, "hops": [{**base["hops"][0], "evidence_start": 0, "evidence_end": 10_000}]}, 409),
        ({**base, "hops": [{**base["hops"][0], "relation": "whispered"}]}, 422),
        ({**base, "modality": "sure"}, 422),
        ({**base, "group_key": "Not A Key!"}, 422),
        ({**base, "extra": 1}, 422),
    ]
    for body, status in bad_bodies:
        r = client.post("/api/v1/claims", json=body)
        assert r.status_code == status, (body, r.text)
        assert r.headers["content-type"].startswith(PROBLEM)
    assert [_count(db, m) for m in (Claim, RelayHop, AuditEvent)] == before


def test_duplicates_conflict(client, world, db):
    body = _claim_body(world["doc"], world["speaker"], world["relayer"], world["outlet"], key="bridge-claim")
    assert client.post("/api/v1/claims", json=body).status_code == 201
    again = client.post("/api/v1/claims", json=body)
    assert again.status_code == 409 and again.headers["content-type"].startswith(PROBLEM)
    other_span = {**body, "key": None}
    assert client.post("/api/v1/claims", json=other_span).status_code == 409
    assert _count(db, Claim) == 1
    dup_source = client.post("/api/v1/sources", json={"name": "Someone", "kind": "person", "key": world["speaker"]["key"]})
    assert dup_source.status_code == 409


def test_source_in_use_cannot_be_deleted(client, world):
    client.post("/api/v1/claims", json=_claim_body(world["doc"], world["speaker"], world["relayer"], world["outlet"]))
    r = client.delete(f"/api/v1/sources/{world['speaker']['id']}")
    assert r.status_code == 409
    unused = _source(client, "Nobody")
    assert client.delete(f"/api/v1/sources/{unused['id']}").status_code == 204


def test_source_update_keeps_aliases_matchable(client):
    src = _source(client, "Hossein Salami", aliases=[{"text": "حسين سلامي", "lang": "ar"}])
    r = client.patch(f"/api/v1/sources/{src['id']}", json={"description": "IRGC commander"})
    assert r.status_code == 200 and {a["text"] for a in r.json()["aliases"]} == {"Hossein Salami", "حسين سلامي"}
    assert client.get("/api/v1/sources", params={"q": "سلامي"}).json()["total"] == 1


def test_web_page_is_served(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "action=\"/\"" in r.text and "dir=\"auto\"" in r.text
