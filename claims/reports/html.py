"""The human-readable report: an HTML page (Arabic right-to-left, the chain as an SVG graph,
evidence quoted in its context, drift highlighted, history listed), also the source of the PDF."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from claims.reports import graph
from claims.reports.model import Report
from claims.wording import drift_phrase

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_RTL_LANGS = {"ar", "fa", "he", "ur", "ps", "yi"}

_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["direction"] = lambda lang: "rtl" if lang in _RTL_LANGS else "ltr"
_env.tests["arabic"] = lambda value: isinstance(value, str) and bool(_RTL.search(value))


def _subject_rows(report: Report) -> list[tuple[str, str]]:
    rows = []
    for key, value in report.subject.items():
        if key == "id" or value in (None, "", []):
            continue
        if isinstance(value, dict):
            value = value.get("name") or value.get("key") or value.get("id")
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        rows.append((key, str(value)))
    return rows


def html_page(report: Report, *, for_print: bool = False, use_dot: bool = True) -> str:
    sections = []
    for section in report.claims:
        drift_positions: dict[int, list[str]] = {}
        for d in section.drift:
            if d.scope == "hop" and d.to_position is not None:
                drift_positions.setdefault(d.to_position, []).append(drift_phrase(d))
        item = {"section": section, "drift_positions": drift_positions, "graph_svg": None, "graph_uri": None}
        if for_print:
            _, item["graph_uri"] = graph.chain_image(section, use_dot=use_dot)
        else:
            item["graph_svg"] = graph.chain_svg(section, use_dot=use_dot)
        sections.append(item)
    if for_print:
        seal_text = "written at the end of this PDF file; check it with: claims report verify FILE"
    else:
        seal_text = report.meta.digest
    seal_note = (
        "The seal is a SHA-256 of this file's canonical content (the file with the seal replaced by zeros); "
        "check it with: claims report verify FILE"
    )
    return _env.get_template("report.html.j2").render(
        meta=report.meta,
        subject_rows=_subject_rows(report),
        sections=sections,
        seal_text=seal_text,
        seal_note=seal_note,
    )


def render_html(report: Report) -> bytes:
    return html_page(report).encode("utf-8")
