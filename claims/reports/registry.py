"""Every report format, registered in one place.

A renderer is one function ``Report -> bytes`` that writes ``model.PLACEHOLDER`` where the
seal goes; adding a format is one such function and one line in ``RENDERERS``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from claims.errors import Invalid
from claims.reports import claimreview, data
from claims.reports.model import PLACEHOLDER, Report
from claims.reports.seal import seal


def _on_first_use(module: str, function: str) -> Callable[[Report], bytes]:
    """``claims.reports.<module>.<function>``, imported when a report is first rendered in that
    format: PROV (prov), HTML (jinja2) and PDF are not what a server needs to answer its first
    question (~35 ms of CPU at every start)."""

    def render(report: Report) -> bytes:
        return getattr(importlib.import_module(f"claims.reports.{module}"), function)(report)

    render.__name__ = render.__qualname__ = function
    return render


@dataclass(frozen=True)
class Renderer:
    name: str
    media_type: str
    extension: str
    render: Callable[[Report], bytes]
    description: str


RENDERERS: dict[str, Renderer] = {
    r.name: r
    for r in (
        Renderer("json", "application/json", "json", data.render_json, "The full record"),
        Renderer("csv", "text/csv; charset=utf-8", "csv", data.render_csv, "One row per hop"),
        Renderer("prov-json", "application/json", "prov.json", _on_first_use("provo", "render_prov_json"), "W3C PROV-JSON"),
        Renderer("prov-n", "text/provenance-notation; charset=utf-8", "provn", _on_first_use("provo", "render_prov_n"), "W3C PROV-N"),
        Renderer("prov-xml", "application/xml", "prov.xml", _on_first_use("provo", "render_prov_xml"), "W3C PROV-XML"),
        Renderer("prov-jsonld", "application/ld+json", "prov.jsonld", _on_first_use("provo", "render_prov_jsonld"), "PROV-JSONLD"),
        Renderer("prov-o", "text/turtle; charset=utf-8", "ttl", _on_first_use("provo", "render_prov_o"), "PROV-O as Turtle"),
        Renderer("claimreview", "application/ld+json", "claimreview.jsonld", claimreview.render_claimreview,
                 "schema.org ClaimReview JSON-LD"),
        Renderer("html", "text/html; charset=utf-8", "html", _on_first_use("html", "render_html"), "Readable report with chain graph"),
        Renderer("pdf", "application/pdf", "pdf", _on_first_use("pdf", "render_pdf"), "The HTML report printed to PDF"),
    )
}

FORMATS = tuple(RENDERERS)


def get(name: str) -> Renderer:
    try:
        return RENDERERS[name]
    except KeyError:
        raise Invalid(f"unknown report format {name!r}; one of: {', '.join(FORMATS)}", field="format") from None


@dataclass(frozen=True)
class Rendered:
    renderer: Renderer
    body: bytes
    digest: str

    @property
    def media_type(self) -> str:
        return self.renderer.media_type

    def filename(self, report: Report) -> str:
        return f"{report.meta.kind}-{report.meta.subject_id}.{self.renderer.extension}"


def render(report: Report, fmt: str) -> Rendered:
    """Render ``report`` as ``fmt`` and seal it (the digest replaces the placeholder)."""
    renderer = get(fmt)
    meta = report.meta.model_copy(update={"format": fmt, "digest": PLACEHOLDER})
    body, digest = seal(renderer.render(report.model_copy(update={"meta": meta})))
    return Rendered(renderer, body, digest)
