"""A claim's relay chain drawn as a graph: Graphviz ``dot`` when it is installed, otherwise a
small pure-Python SVG (a row of boxes and arrows). Drift between two hops is drawn in red."""

from __future__ import annotations

import base64
import logging
import re
import shutil
import subprocess
from xml.sax.saxutils import escape

from claims.reports.model import ClaimSection
from claims.wording import drift_phrase

log = logging.getLogger("claims.reports")

DRIFT_COLOUR = "#c0392b"
FONT = "DejaVu Sans"
_TIMEOUT = 30


def dot_path() -> str | None:
    return shutil.which("dot")


def _node_lines(hop) -> tuple[str, str]:
    """A node's title (the source's display name when the section was built for a language,
    ``claims.names.display_name``) and its details."""
    details = " · ".join(str(v) for v in (hop.relation, hop.lang, hop.modality) if v)
    name = hop.source.display_name or hop.source.name
    return f"{hop.position}. {name}", details


def _drift(section: ClaimSection, lang: str = "en") -> dict[int, list[str]]:
    """Drift notes per hop, in a fact-checker's words ("softened from “is” to “may be”")."""
    out: dict[int, list[str]] = {}
    for d in section.drift:
        if d.scope == "hop" and d.to_position is not None:
            out.setdefault(d.to_position, []).append(drift_phrase(d, lang))
    return out


def _edge_label(hop) -> str:
    """What the edge into ``hop`` did, and in which language: "translated · ar"."""
    return " · ".join(str(v) for v in (hop.relation, hop.lang) if v)


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot_source(section: ClaimSection, lang: str = "en") -> str:
    drift = _drift(section, lang)
    lines = [
        "digraph chain {",
        "  rankdir=LR; bgcolor=transparent;",
        f'  node [shape=box, style="rounded,filled", fillcolor="#f4f6f8", fontname="{FONT}", fontsize=11];',
        f'  edge [fontname="{FONT}", fontsize=9];',
    ]
    for hop in section.chain:
        title, details = _node_lines(hop)
        colour = ', color="#c0392b", penwidth=2' if hop.position in drift else ""
        lines.append(f"  h{hop.position} [label={_dot_quote(title + chr(10) + details)}{colour}];")
    for prev, hop in zip(section.chain, section.chain[1:], strict=False):
        label = _edge_label(hop)
        style = ""
        if hop.position in drift:
            label = f"{label}\n" + "\n".join(drift[hop.position])
            style = f', color="{DRIFT_COLOUR}", fontcolor="{DRIFT_COLOUR}", penwidth=2'
        lines.append(f"  h{prev.position} -> h{hop.position} [label={_dot_quote(str(label))}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _run_dot(source: str, fmt: str, *extra: str) -> bytes:
    return subprocess.run(
        [dot_path() or "dot", f"-T{fmt}", *extra], input=source.encode("utf-8"), capture_output=True,
        check=True, timeout=_TIMEOUT,
    ).stdout


def fallback_svg(section: ClaimSection, lang: str = "en") -> str:
    """The chain as a row of boxes, without Graphviz."""
    drift = _drift(section, lang)
    box_w, box_h, gap, pad = 190, 54, 80, 10
    n = max(len(section.chain), 1)
    width = pad * 2 + n * box_w + (n - 1) * gap
    height = box_h + 2 * pad + 36
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" class="chain-graph">',
        '<defs><marker id="arrow" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto">'
        '<path d="M0,0 L10,4 L0,8 z" fill="#333"/></marker>'
        f'<marker id="arrow-drift" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto">'
        f'<path d="M0,0 L10,4 L0,8 z" fill="{DRIFT_COLOUR}"/></marker></defs>',
    ]
    for i, hop in enumerate(section.chain):
        x = pad + i * (box_w + gap)
        title, details = _node_lines(hop)
        stroke = DRIFT_COLOUR if hop.position in drift else "#555"
        parts.append(
            f'<g class="node"><rect x="{x}" y="{pad}" width="{box_w}" height="{box_h}" rx="8" '
            f'fill="#f4f6f8" stroke="{stroke}"/>'
            f'<text x="{x + box_w / 2}" y="{pad + 22}" text-anchor="middle" font-size="12">{escape(title)}</text>'
            f'<text x="{x + box_w / 2}" y="{pad + 40}" text-anchor="middle" font-size="10">{escape(details)}</text></g>'
        )
        if i:
            x0, y = x - gap, pad + box_h / 2
            colour = DRIFT_COLOUR if hop.position in drift else "#333"
            marker = "arrow-drift" if hop.position in drift else "arrow"
            parts.append(
                f'<g class="edge"><line x1="{x0}" y1="{y}" x2="{x - 2}" y2="{y}" stroke="{colour}" '
                f'marker-end="url(#{marker})"/>'
                f'<text x="{x0 + gap / 2}" y="{y - 6}" text-anchor="middle" font-size="9" fill="{colour}">'
                f"{escape(_edge_label(hop))}</text></g>"
            )
            for k, note in enumerate(drift.get(hop.position, [])):
                parts.append(
                    f'<text x="{x0 + gap / 2}" y="{pad + box_h + 16 + 12 * k}" text-anchor="middle" '
                    f'font-size="9" fill="{DRIFT_COLOUR}">{escape(note)}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def chain_svg(section: ClaimSection, *, use_dot: bool = True, lang: str = "en") -> str:
    """Inline SVG (no XML declaration or DOCTYPE) for an HTML page; drift notes in ``lang``, each
    node named by its source's display name (build the section with ``claim_section(..., lang)``)."""
    if use_dot and dot_path():
        try:
            svg = _run_dot(dot_source(section, lang), "svg").decode("utf-8")
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("graphviz failed (%s); drawing the chain without it", exc)
        else:
            svg = svg[svg.index("<svg") :]
            svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
            return svg.replace("<svg ", '<svg class="chain-graph" ', 1)
    return fallback_svg(section, lang)


def chain_image(section: ClaimSection, *, use_dot: bool = True) -> tuple[str, str]:
    """(media type, data URI) for print: a PNG from Graphviz, whose text shaping (pango) handles
    any script, or the fallback SVG when Graphviz is absent."""
    if use_dot and dot_path():
        try:
            png = _run_dot(dot_source(section), "png", "-Gdpi=150")
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("graphviz failed (%s); drawing the chain without it", exc)
        else:
            return "image/png", "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    svg = fallback_svg(section).encode("utf-8")
    return "image/svg+xml", "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
