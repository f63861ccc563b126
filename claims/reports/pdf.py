"""The HTML report printed to PDF with WeasyPrint.

Arabic is shaped by pango with the Noto Naskh/Sans Arabic fonts (``scripts/system-deps.sh``
installs them); the chain graph is a Graphviz PNG for print, because WeasyPrint's own SVG text
does not shape Arabic. PDF streams are compressed, so the seal is kept in a PDF comment after
the end-of-file marker, where readers ignore it and ``claims report verify`` finds it.
"""

from __future__ import annotations

from claims.reports.html import html_page
from claims.reports.model import PLACEHOLDER, Report


def render_pdf(report: Report, *, use_dot: bool = True) -> bytes:
    from weasyprint import HTML  # imported late: it needs pango, which only PDF output uses

    body = HTML(string=html_page(report, for_print=True, use_dot=use_dot)).write_pdf()
    if not body.endswith(b"\n"):
        body += b"\n"
    return body + f"%claims-report-seal {PLACEHOLDER}\n".encode("ascii")
