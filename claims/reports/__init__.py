"""Auditor reports: one claim, claim group, document or source, in every registered format.

``build_report`` gathers the record (``model``), ``render`` turns it into a sealed file
(``registry``), ``verify`` checks a file's seal (``seal``).
"""

from claims.reports.model import Kind, Report, build_report, claim_count
from claims.reports.registry import FORMATS, RENDERERS, Rendered, Renderer, get, render
from claims.reports.seal import Verification, verify

__all__ = [
    "FORMATS",
    "RENDERERS",
    "Kind",
    "Rendered",
    "Renderer",
    "Report",
    "Verification",
    "build_report",
    "claim_count",
    "get",
    "render",
    "verify",
]
