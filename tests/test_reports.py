"""Auditor reports for the seed vacuum claim (and the other subject kinds): every format renders
through the API and the CLI, carries a seal that verifies and breaks on tampering, PROV output
parses back into an equivalent document, ClaimReview expands as JSON-LD, and the HTML/PDF show
the chain graph and the Arabic evidence."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser

import pytest
from prov.model import ProvDocument
from pyld import jsonld
from sqlalchemy import select

from claims import migrate
from claims.db import session_factory
from claims.models import Claim, ClaimGroup, Source
from claims.reports import FORMATS, RENDERERS, build_report, graph, render, verify
from claims.reports.data import CSV_COLUMNS
from claims.reports.provo import prov_document

VACUUM = "000-iran-vacuum"
VACUUM_AR = "وربما تخطط إيران لملء الفراغ الذي قد يخلقه الانسحاب الأميركي في العراق."
PROV_FORMATS = {
    "prov-json": ("json", {}),
    "prov-n": ("provn", {}),
    "prov-xml": ("xml", {}),
    "prov-jsonld": ("jsonld", {}),
    "prov-o": ("rdf", {"rdf_format": "turtle"}),
}
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@pytest.fixture
def client(admin_client):
    """These tests write and review through the API, so every request carries an admin key
    (access control itself is tested in test_api_auth.py)."""
    return admin_client


@pytest.fixture
def vacuum(seeded) -> Claim:
    with session_factory(seeded)() as s:
        return s.scalar(select(Claim).where(Claim.key == VACUUM))


def _report(db, kind, subject_id):
    with session_factory(db)() as s:
        return build_report(s, kind, subject_id)


def _plain(text: str) -> str:
    """Text without bidi controls and with white space collapsed (as pdftotext leaves it)."""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return re.sub(r"\s+", " ", text).strip()


# --- every format, through the API -------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_sealed_through_the_api(client, vacuum, fmt):
    r = client.get(f"/api/v1/claims/{vacuum.id}/report", params={"format": fmt})
    assert r.status_code == 200, r.text
    renderer = RENDERERS[fmt]
    assert r.headers["content-type"].split(";")[0] == renderer.media_type.split(";")[0]
    assert r.headers["content-disposition"].endswith(f'.{renderer.extension}"')
    check = verify(r.content)
    assert check.ok, check.problem
    assert check.digest == r.headers["x-report-sha256"]
    # one changed byte anywhere breaks the seal
    middle = len(r.content) // 2
    tampered = r.content[:middle] + bytes([r.content[middle] ^ 0x01]) + r.content[middle + 1 :]
    assert not verify(tampered).ok
    assert not verify(r.content.replace(check.digest.encode(), b"f" * 64)).ok


def test_unknown_format_and_subject_are_problems(client, vacuum):
    r = client.get(f"/api/v1/claims/{vacuum.id}/report", params={"format": "docx"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "docx" in r.json()["detail"]
    for path in ("claims", "claim-groups", "documents", "sources"):
        r = client.get(f"/api/v1/{path}/01234567-89ab-7def-8123-456789abcdef/report")
        assert r.status_code == 404, path
        assert r.json()["status"] == 404


# --- content of each format --------------------------------------------------------------


def test_json_report_is_the_full_record(seeded, client, vacuum):
    client.post(f"/api/v1/claims/{vacuum.id}/review", json={"status": "confirmed", "note": "matches JPost"})
    body = client.get(f"/api/v1/claims/{vacuum.id}/report?format=json").content
    data = json.loads(body)
    meta = data["meta"]
    assert meta["kind"] == "claim" and meta["subject_id"] == str(vacuum.id) and meta["format"] == "json"
    assert meta["database_revision"] == migrate.current(seeded)
    assert meta["digest"] == "sha256:" + verify(body).digest
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|\+00:00)", meta["generated_at"])
    (section,) = data["claims"]
    assert section["claim"]["text"] == VACUUM_AR
    assert (section["claim"]["review_status"], section["claim"]["review_note"]) == ("confirmed", "matches JPost")
    chain = section["chain"]
    assert [(h["source"]["name"], h["relation"], h["lang"]) for h in chain] == [
        ("The Jerusalem Post", "reported", "en"),
        ("Al Arabiya", "translated", "ar"),
        ("Al Arabiya", "published", "ar"),
    ]
    ev = chain[0]["evidence"]
    assert ev["text"] == 'وبحسب تقرير لصحيفة "جيروزاليم بوسي"'
    assert chain[0]["context_after"].startswith(" فإن") or chain[0]["context_after"]
    assert any(m["lang"] == "en" and "vacuum" in m["text"] for m in section["group"])
    assert {"field": "lang", "before": "en", "after": "ar"}.items() <= section["drift"][0].items()
    assert [v["action"] for v in section["history"]] == ["create", "review"]


def test_csv_has_one_row_per_hop_in_the_documented_order(client, vacuum):
    body = client.get(f"/api/v1/claims/{vacuum.id}/report?format=csv").content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    records = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [r["hop_position"] for r in records] == ["0", "1", "2"]
    assert [r["relation"] for r in records] == ["reported", "translated", "published"]
    assert {r["claim_text"] for r in records} == {VACUUM_AR}
    assert records[0]["evidence_text"] == 'وبحسب تقرير لصحيفة "جيروزاليم بوسي"'
    assert records[1]["drift"] == "lang: en -> ar"
    assert {r["report_sha256"] for r in records} == {"sha256:" + verify(body).digest}


@pytest.mark.parametrize("kind", ["claim", "claim-group"])
@pytest.mark.parametrize("fmt", list(PROV_FORMATS))
def test_prov_output_parses_back_into_an_equivalent_document(seeded, vacuum, kind, fmt):
    subject = vacuum.id if kind == "claim" else vacuum.group_id
    report = _report(seeded, kind, subject)
    rendered = render(report, fmt)
    prov_format, options = PROV_FORMATS[fmt]
    parsed = ProvDocument.deserialize(content=rendered.body.decode("utf-8"), format=prov_format, **options)
    sealed = report.model_copy(update={"meta": report.meta.model_copy(update={"digest": "sha256:" + rendered.digest})})
    expected = prov_document(sealed)
    assert parsed == expected
    records = {type(r).__name__ for r in parsed.get_records()}
    assert {"ProvAgent", "ProvEntity", "ProvDerivation", "ProvAttribution", "ProvMembership"} <= records
    if kind == "claim-group":
        assert "ProvAlternate" in records


def test_prov_maps_hops_to_quotation_derivation_and_primary_source(seeded, vacuum):
    provn = render(_report(seeded, "claim", vacuum.id), "prov-n").body.decode("utf-8")
    assert 'prov:type=\'claims:Translation\', claims:fromLang="en", claims:toLang="ar"' in provn
    assert "prov:type='prov:PrimarySource'" in provn  # hadPrimarySource: the claim and hop 0
    assert provn.count("agent(") == 2  # The Jerusalem Post, Al Arabiya
    # a quoted hop becomes wasQuotedFrom with quoter and quotee (the seeds have none: correct one)
    from claims.review import review_hop
    from claims.schemas import HopReviewIn

    with session_factory(seeded)() as s:
        s.info["actor"] = "test"
        review_hop(s, vacuum.id, 1, HopReviewIn(status="corrected", note="a quote", corrections={"relation": "quoted"}))
        s.commit()
        doc = prov_document(build_report(s, "claim", vacuum.id))
        quoted_by = s.get(Claim, vacuum.id).hops[1].source_id
    quotes = [r for r in doc.get_records() if "prov:Quotation" in {str(t) for t in r.get_asserted_types()}]
    (quote,) = quotes
    attrs = {str(k): str(v) for k, v in quote.attributes}
    assert attrs["prov:generatedEntity"].startswith("claims:hop-") and attrs["prov:usedEntity"].startswith("claims:hop-")
    assert attrs["claims:quoter"] == f"claims:source-{quoted_by}"
    assert attrs["claims:quotee"] == f"claims:source-{vacuum.speaker_id}"
    for fmt, (prov_format, options) in PROV_FORMATS.items():  # the quotation survives every format
        text = doc.serialize(format=prov_format, **options)
        assert ProvDocument.deserialize(content=text, format=prov_format, **options) == doc, fmt


def test_claimreview_is_valid_json_ld(client, vacuum):
    body = client.get(f"/api/v1/claims/{vacuum.id}/report?format=claimreview").content
    data = json.loads(body)
    expanded = jsonld.expand(data)  # the context is inline: nothing is fetched
    (review,) = expanded
    s = "https://schema.org/"
    assert review["@type"] == [s + "ClaimReview"]
    assert review[s + "claimReviewed"][0]["@value"] == VACUUM_AR
    (claim,) = review[s + "itemReviewed"]
    assert claim["@type"] == [s + "Claim"]
    assert claim[s + "author"][0][s + "name"][0]["@value"] == "The Jerusalem Post"
    assert len(claim[s + "appearance"]) == 2  # the Arabic article and the English one (its group)
    (first,) = claim[s + "firstAppearance"]
    assert first["@id"] == claim[s + "appearance"][0]["@id"]
    assert review["urn:claims:seal"][0]["@value"] == "sha256:" + verify(body).digest


def test_claimreview_first_appearance_is_the_earliest_publication(client, vacuum):
    group = json.loads(client.get(f"/api/v1/claim-groups/{vacuum.group_id}/report").content)
    english = next(c["document"]["id"] for c in group["claims"] if c["claim"]["lang"] == "en")
    for doc_id, when in ((str(vacuum.document_id), "2021-06-02T10:00:00Z"), (english, "2021-06-01T08:00:00Z")):
        assert client.patch(f"/api/v1/documents/{doc_id}", json={"published_at": when}).status_code == 200
    data = json.loads(client.get(f"/api/v1/claim-groups/{vacuum.group_id}/report?format=claimreview").content)
    reviews = [n for n in jsonld.expand(data) if "https://schema.org/ClaimReview" in n.get("@type", [])]
    assert len(reviews) == 2
    for review in reviews:
        item = review["https://schema.org/itemReviewed"][0]
        assert len(item["https://schema.org/appearance"]) == 2  # the Arabic and the English article
        (first,) = item["https://schema.org/firstAppearance"]
        assert first["@id"] == f"urn:claims:document-{english}"
        assert first["https://schema.org/datePublished"][0]["@value"].startswith("2021-06-01T08:00:00")


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_report_shows_graph_rtl_evidence_drift_history(client, vacuum):
    html = client.get(f"/api/v1/claims/{vacuum.id}/report?format=html").content.decode("utf-8")
    parser = _Collect()
    parser.feed(html)
    tags = parser.tags
    assert any(t == "blockquote" and a.get("dir") == "rtl" and a.get("lang") == "ar" for t, a in tags)
    assert VACUUM_AR in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('class="node"') == 3 and svg.count('class="edge"') == 2
    assert "The Jerusalem Post" in svg and "#c0392b" in svg  # the translation hop drifts (en → ar)
    assert '<mark>وبحسب تقرير لصحيفة &#34;جيروزاليم بوسي&#34;</mark>' in html
    assert any(t == "tr" and a.get("class") == "drift" for t, a in tags)
    assert '<ol class="history">' in html and "<strong>create</strong>" in html


def test_graph_falls_back_to_pure_python_svg_without_graphviz(seeded, vacuum, monkeypatch):
    monkeypatch.setattr(graph, "dot_path", lambda: None)
    report = _report(seeded, "claim", vacuum.id)
    html = render(report, "html").body.decode("utf-8")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'class="chain-graph"' in svg
    assert svg.count('<g class="node">') == 3 and svg.count('<g class="edge">') == 2
    assert "translated from English to Arabic" in svg
    assert "Generated by graphviz" not in html
    rendered = render(report, "pdf")
    assert verify(rendered.body).ok


def test_a_failing_graphviz_falls_back_too(seeded, vacuum, monkeypatch):
    monkeypatch.setattr(graph, "dot_path", lambda: shutil.which("false"))
    section = _report(seeded, "claim", vacuum.id).claims[0]
    assert graph.chain_svg(section).count('<g class="node">') == 3
    media_type, uri = graph.chain_image(section)
    assert media_type == "image/svg+xml" and uri.startswith("data:image/svg+xml;base64,")


@needs_poppler
def test_pdf_shows_the_arabic_evidence_and_the_chain_graph(client, vacuum, tmp_path):
    r = client.get(f"/api/v1/claims/{vacuum.id}/report?format=pdf")
    assert r.content.startswith(b"%PDF-")
    pdf = tmp_path / "vacuum.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
    plain = _plain(text.decode("utf-8"))
    assert _plain(VACUUM_AR.rstrip(".")) in plain  # shaped Arabic extracts in logical order
    assert "جيروزاليم بوسي" in plain
    assert "Relay chain" in plain and "drift translated from English to Arabic" in plain
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert len(images.strip().splitlines()) >= 3  # header, rule, and the chain graph
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 5000


# --- other subjects, the CLI -------------------------------------------------------------


def test_group_document_and_source_reports(seeded, client, vacuum):
    with session_factory(seeded)() as s:
        group = s.get(ClaimGroup, vacuum.group_id)
        n_in_document = len(s.scalars(select(Claim).where(Claim.document_id == vacuum.document_id)).all())
        jpost = s.scalar(select(Source).where(Source.key == "jerusalem-post"))
    cases = {
        f"/api/v1/claim-groups/{group.id}/report": 2,
        f"/api/v1/documents/{vacuum.document_id}/report": n_in_document,
        f"/api/v1/sources/{jpost.id}/report": None,
    }
    for path, expected in cases.items():
        r = client.get(path, params={"format": "json"})
        assert r.status_code == 200, (path, r.text)
        data = json.loads(r.content)
        assert verify(r.content).ok
        if expected is not None:
            assert len(data["claims"]) == expected == data["meta"]["claims_total"]
        assert VACUUM in {c["claim"]["key"] for c in data["claims"]}
    source_report = json.loads(client.get(f"/api/v1/sources/{jpost.id}/report").content)
    for section in source_report["claims"]:
        assert "The Jerusalem Post" in {h["source"]["name"] for h in section["chain"]}


def test_cli_writes_and_verifies_a_report(seeded, use_database, tmp_path):
    from click.testing import CliRunner

    from claims.cli import main

    use_database(seeded)
    runner = CliRunner()
    out = tmp_path / "vacuum.provn"
    result = runner.invoke(main, ["report", "claim", VACUUM, "--format", "prov-n", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"document")
    assert runner.invoke(main, ["report", "verify", str(out)]).exit_code == 0
    out.write_bytes(out.read_bytes().replace(b'claims:modality="hedged"', b'claims:modality="asserted"', 1))
    result = runner.invoke(main, ["report", "verify", str(out)])
    assert result.exit_code == 1 and "does not match" in result.output
    result = runner.invoke(main, ["report", "claim-group", "iran-fill-vacuum", "-f", "csv"])
    assert result.exit_code == 0 and result.output.splitlines()[0] == ",".join(CSV_COLUMNS)
    assert runner.invoke(main, ["report", "source", "no-such-source"]).exit_code == 1


def test_a_new_format_is_one_function_and_one_registration(seeded, client, vacuum, monkeypatch):
    from claims.reports import registry

    def render_text(report):
        return f"{report.meta.title}\n{report.meta.digest}\n".encode()

    monkeypatch.setitem(registry.RENDERERS, "txt", registry.Renderer("txt", "text/plain", "txt", render_text, "x"))
    r = client.get(f"/api/v1/claims/{vacuum.id}/report?format=txt")
    assert r.status_code == 200 and r.text.startswith(f"Claim {VACUUM}")
    assert verify(r.content).ok
