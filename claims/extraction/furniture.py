"""Page furniture: lines that are not content but may say who wrote or relayed the content.

- keyword lines ("كلمات دلالية: ...", "Tags: ..."), "read also" lines and the related headline
  that follows them, related-article lists (everything after "مقالات مشابهة" / "Related
  articles"), "last updated" stamps;
- source lines ("المصدر: الحرة") name the outlet the story above was taken from: a relay;
- bylines ("بقلم: فاروق يوسف", "By Jane Doe") name the author of what follows (an op-ed);
- a short last line without sentence punctuation that names an outlet is its signature;
- a writer's note after an op-ed ("* X: كاتب ...") and a views disclaimer ("المقالات المنشورة
  تعبر عن رأي كتابها", "The views expressed ...") are skipped;
- reporter credits ("كتب : ...", "Reporting by ..."), datelines ("عواصم - وكالات"), interface
  strings ("تم نسخ الرابط بنجاح", "Share this"), photo captions ending with the photo agency
  ("... during military drills AFP") are skipped; a dateline opening a paragraph ("بغداد -
  الغد برس:", "BAGHDAD (Reuters) -") is cut off the text that follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.extraction.lexicon import Lexicon
from claims.extraction.segmentation import Paragraph
from claims.text import STOPWORDS_AR, STOPWORDS_EN, fold

_ENDS_PUNCTUATED = re.compile(r"[.!?؟\"”»]\s*$")

Span = tuple[int, int]
_NAME_PARTICLES = frozenset({"بن", "ابن", "ابو", "عبد", "ال", "bin", "ibn", "al", "el", "de", "van", "von", "abu", "abdul"})
_STOP = frozenset(fold(w) for w in STOPWORDS_AR) | STOPWORDS_EN


@dataclass
class Furniture:
    spans: list[Span] = field(default_factory=list)
    skip_paragraphs: set[int] = field(default_factory=set)
    source_line: tuple[str, Span, int] | None = None  # (outlet name, span, paragraph index)
    byline: tuple[str, Span, int, int] | None = None  # (author, name span, paragraph, body start)
    signature: tuple[str, Span] | None = None
    headings: set[int] = field(default_factory=set)
    prefixes: dict[int, int] = field(default_factory=dict)  # paragraph -> where its text starts after a dateline
    dateline_outlets: list[str] = field(default_factory=list)  # "طرابلس - بوابة طرابلس": the publisher's own name
    wire_line: tuple[str, Span, int] | None = None  # a dateline's wire agency, a relay of the whole story


_AR_BYLINE_HONORIFICS = frozenset(fold(w) for w in ["د", "د.", "الدكتور", "الدكتورة", "أ.", "الأستاذ", "الأستاذة", "م.", "المهندس", "المهندسة"])


def _name_after(text: str, start: int, limit: int, *, arabic: bool) -> tuple[int, int] | None:
    """The author's name right after a byline marker: two words (three with a particle)."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"[^\s:،,.؛]+", text[start:limit])]
    picked: list[tuple[int, int]] = []
    for s, e in tokens:
        word = fold(text[start + s : start + e])
        if word in _STOP and word not in _NAME_PARTICLES:
            break
        if not arabic and not text[start + s].isupper() and word not in _NAME_PARTICLES:
            break
        picked.append((start + s, start + e))
        # an honorific ("د. X Y", "الدكتور X Y") comes on top of the two name words
        want = (3 if any(fold(text[a:b]) in _NAME_PARTICLES for a, b in picked) else 2) + (1 if arabic and fold(text[picked[0][0] : picked[0][1]]) in _AR_BYLINE_HONORIFICS else 0)
        if len(picked) >= want:
            break
    if not picked:
        return None
    return picked[0][0], picked[-1][1]


class _Identity:
    """The original-to-folded index map when folding moved no character."""

    def __init__(self, n: int) -> None:
        self.n = n

    def get(self, i: int) -> int | None:
        return i if 0 <= i < self.n else None

    def __getitem__(self, i: int) -> int:
        if not 0 <= i < self.n:
            raise KeyError(i)
        return i


def detect(text: str, folded: str, fmap: list[int], paras: list[Paragraph], lex: Lexicon, *, identity: bool | None = None) -> Furniture:
    """Classify whole lines (and a byline's prefix) as furniture. ``identity``: whether
    ``fmap`` is known to be the identity (worked out here when not given)."""
    fur = Furniture()
    if identity is None:
        identity = len(fmap) == len(text) and fmap == list(range(len(text)))
    # (the identity: folding kept every character in place, as in most English text)
    inv = _Identity(len(text)) if identity else {orig: i for i, orig in enumerate(fmap)}

    def fline(p: Paragraph) -> str:
        a = inv.get(p.start)
        b = inv.get(p.end - 1)
        return folded[a : b + 1] if a is not None and b is not None else fold(text[p.start : p.end])

    def any_match(kind: str, line: str):
        for pattern in lex.furniture.get(kind, ()):
            m = pattern.search(line)
            if m:
                return m
        return None

    in_related = False
    after_read_also = 0
    furniture_lines: set[str] = set()
    opinion_mark = any_match("opinion_title", fline(paras[0])) if paras else None
    opinion = opinion_mark is not None
    if opinion_mark is not None and opinion_mark.end() < paras[0].end - paras[0].start:
        # the marker ("رأي |") is furniture before the title
        pos = inv.get(paras[0].start)
        body = fmap[pos + opinion_mark.end()] if pos is not None and pos + opinion_mark.end() < len(fmap) else paras[0].start + opinion_mark.end()
        fur.prefixes[paras[0].index] = body
        fur.spans.append((paras[0].start, body))
    for p in paras:
        line = fline(p)
        raw = text[p.start : p.end]
        if opinion and fur.byline is None and p.index <= 4:
            # an opinion piece's writer credit ("رأي | ..." then "كتب : X") names its author
            m = any_match("opinion_credit", line)
            if m and len(line.split()) <= 8:
                pos = inv.get(p.start)
                ostart = fmap[pos + m.end()] if pos is not None and pos + m.end() < len(fmap) else p.start + m.end()
                name = _name_after(text, ostart, p.end, arabic=lex.lang == "ar")
                if name:
                    fur.byline = (text[name[0] : name[1]], name, p.index, p.end)
                    fur.skip_paragraphs.add(p.index)
                    continue
        if in_related:
            fur.skip_paragraphs.add(p.index)
            continue
        if any_match("related_list", line):
            in_related = True
            fur.skip_paragraphs.add(p.index)
            continue
        if any_match("keyword_line", line):
            fur.skip_paragraphs.add(p.index)
            continue
        n_words = len(line.split())
        unpunctuated = not _ENDS_PUNCTUATED.search(line)
        if (
            (n_words <= 8 and any_match("credit_line", line))
            or (n_words <= 6 and any_match("dateline", line))
            or (n_words <= 6 and any_match("ui_string", line))
            or (n_words <= 30 and unpunctuated and any_match("caption", line))
            or (n_words <= 30 and any_match("disclaimer", line))
            or (n_words <= 25 and p.index > 2 and any_match("author_note", line))
        ):
            fur.skip_paragraphs.add(p.index)  # reporter credit, dateline, interface text, photo caption
            if any_match("dateline", line) and p.index <= 4:
                parts = re.split(r"\s[-–—/]\s|[-–—/]", raw, maxsplit=1)
                outlet = parts[-1].strip()
                heads = lex.kind_heads.get("outlet", frozenset()) | lex.kind_heads.get("agency", frozenset())
                if len(parts) == 2 and fold(parts[0]).split()[:1] and fold(parts[0]).split()[0] in heads:
                    outlet = parts[0].strip()  # "قناة الأطلس - الرباط": the outlet first, then the city
                folded_outlet = fold(outlet)
                if folded_outlet in {"وكالات", "الوكالات", "agencies", "wires"}:
                    pass
                elif folded_outlet in lex.wire_agencies or (folded_outlet.startswith("ال") and folded_outlet[2:] in lex.wire_agencies):
                    if fur.source_line is None:  # "أنقرة - الأناضول": the wire the story comes from
                        offset = raw.rfind(outlet)
                        fur.wire_line = (outlet, (p.start + offset, p.start + offset + len(outlet)), 10**9)
                else:
                    fur.dateline_outlets.append(outlet)  # "طرابلس - بوابة طرابلس": the publisher itself
            continue
        if p.index <= 3 and n_words <= 10:
            m = any_match("masthead", line)
            parts = re.split(r"\s*[|]\s*|\s[-–—]\s*", raw, maxsplit=1)
            if m and len(parts) == 2:
                # "مركز شبه الجزيرة للدراسات | ملخص دراسة": the site's own name over the story
                fur.dateline_outlets.append(parts[0].strip())
                fur.skip_paragraphs.add(p.index)
                continue
        if p.index <= 3 and p.index not in fur.prefixes:
            m = any_match("dateline_prefix", line)
            if m and m.end() < len(line) and len(line[: m.end()].split()) <= 6:
                pos = inv.get(p.start)
                body = fmap[pos + m.end()] if pos is not None and pos + m.end() < len(fmap) else p.start + m.end()
                fur.prefixes[p.index] = body
                fur.spans.append((p.start, body))
        if any_match("read_also", line):
            fur.skip_paragraphs.add(p.index)
            # "إقرأ أيضاً:" alone on its line is followed by one related headline
            after_read_also = 1 if len(line.split()) <= 4 else 0
            continue
        if after_read_also:
            after_read_also = 0
            if len(line.split()) <= 14 and not line.rstrip().endswith("."):
                fur.skip_paragraphs.add(p.index)
                furniture_lines.add(line.strip())
                continue
        m = any_match("source_line", line)
        if m:
            name = raw[m.start("name") : m.end("name")].strip() if len(raw) == len(line) else raw.split(":", 1)[-1].strip()
            name = re.split(r"\s*\+\s*|\s*[،,]\s*|\s+و(?=وكالات|الوكالات)", name)[0].strip() or name  # "السودان الآن + وكالات"
            offset = raw.find(name)
            fur.source_line = (name, (p.start + offset, p.start + offset + len(name)), p.index)
            fur.skip_paragraphs.add(p.index)
            continue
        if line.strip() in furniture_lines:
            fur.skip_paragraphs.add(p.index)
            continue
        by = None
        for pattern in lex.furniture.get("byline", ()):
            by = pattern.search(line)
            if by:
                break
        if by and by.start() <= max(60, len(line) // 4):
            prefix = line[: by.start()]
            if not prefix.strip() or any_match("updated", prefix) or re.search(r"\d", prefix):
                pos = inv[p.start] + by.end() if inv.get(p.start) is not None else None
                ostart = fmap[pos] if pos is not None and pos < len(fmap) else min(p.end, p.start + by.end())
                name = _name_after(text, ostart, p.end, arabic=lex.lang == "ar")
                if name:
                    body = name[1]
                    while body < p.end and text[body] in " \t:،,":
                        body += 1
                    if opinion or lex.lang != "en":
                        fur.byline = (text[name[0] : name[1]], name, p.index, body)
                    # (an English "By X" over news copy is the reporter's credit: furniture, not an op-ed's author)
                    fur.spans.append((p.start, body))
                    if body >= p.end:
                        fur.skip_paragraphs.add(p.index)
                    continue
        if any_match("updated", line) and len(line.split()) <= 10:
            fur.skip_paragraphs.add(p.index)
            continue
    # A short closing line without sentence punctuation is the outlet's signature.
    content = [p for p in paras if p.index not in fur.skip_paragraphs]
    if len(content) >= 3:
        last = content[-1]
        raw = text[last.start : last.end]
        if len(raw.split()) <= 4 and not re.search(r"[.!?؟:،,\"“”«»]", raw) and not re.search(r"\d", raw):
            fur.signature = (raw.strip(), (last.start, last.end))
            fur.skip_paragraphs.add(last.index)
    for p in paras:
        if p.index in fur.skip_paragraphs:
            fur.spans.append((p.start, p.end))
    # Sub-headings: short lines without final punctuation between body paragraphs.
    for p in content[1:]:
        raw = text[p.start : p.end].strip()
        if p.index in fur.skip_paragraphs:
            continue
        if len(raw.split()) <= 9 and raw[-1] not in ".!?؟:”\"»…" and p.index != content[-1].index:
            fur.headings.add(p.index)
    fur.spans.sort()
    return fur
