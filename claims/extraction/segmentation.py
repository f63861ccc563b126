"""Markup stripping, paragraphs and sentences, with offsets into the text as stored.

Sentences end at . ! ? ؟ … and ؛ outside quotation marks («» “” and straight quotes), so a
quotation that spans several sentences stays whole; an English abbreviation (U.S., Sept.)
does not end a sentence; a full stop glued to the next Arabic word ("سنتين.تعيش") does.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

OPEN_QUOTES = "“«„"
CLOSE_QUOTES = "”»"
STRAIGHT_QUOTES = '"'
ENDERS = ".!?؟"
_ABBREVIATIONS = frozenset(
    ["u.s", "u.k", "u.n", "brig", "maj", "capt", "sgt", "adm", "mr", "mrs", "ms", "dr", "prof", "sen", "sens", "rep", "reps", "del", "rev", "gen", "gens", "atty", "col", "lt", "gov", "st", "jr", "sr", "vs", "etc", "inc", "corp", "co", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "d.c", "e.g", "i.e"]
)
_ARABIC = re.compile("[\u0621-\u064a]")
_INTERESTING = re.compile("[" + re.escape(OPEN_QUOTES + CLOSE_QUOTES + STRAIGHT_QUOTES + ENDERS + "؛…") + "]")
_HTML_HINT = re.compile(r"<(?:html|body|p|div|br|article|span|h[1-6]|li|a\s)[\s>/]", re.I)
_BLOCK_TAGS = frozenset(["p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "header", "footer", "tr", "table", "blockquote", "title", "figcaption"])
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "head"])


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: ARG002
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text[:5000]))


def strip_html(text: str) -> str:
    """Plain text of an HTML page: block elements become line breaks, scripts and styles go,
    entities are decoded, runs of blank lines collapse. Offsets then refer to this text."""
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    raw = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in raw.split("\n")]
    out, blank = [], False
    for line in lines:
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
        out.append(line)
        blank = False
    return "\n".join(out).strip() + "\n"


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


class _Memo:
    """The last text's paragraphs and sentences: the rule pipeline, the learned model's
    tokeniser and its merge segment the same text in turn. Replaced as a whole for a new text
    (threads each keep the memo they read)."""

    __slots__ = ("text", "paragraphs", "sentences")

    def __init__(self, text: str) -> None:
        self.text = text
        self.paragraphs: tuple[Paragraph, ...] | None = None
        self.sentences: dict[Paragraph, tuple[Sentence, ...]] = {}


_memo = _Memo("")


def _memo_for(text: str) -> _Memo:
    global _memo
    memo = _memo
    if memo.text is not text:
        memo = _memo = _Memo(text)
    return memo


def paragraphs(text: str) -> list[Paragraph]:
    """Non-blank lines, trimmed of surrounding white space."""
    memo = _memo_for(text)
    if memo.paragraphs is None:
        memo.paragraphs = tuple(_paragraphs(text))
    return list(memo.paragraphs)


def _paragraphs(text: str) -> list[Paragraph]:
    out = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        out.append(Paragraph(len(out), start + lead, start + lead + len(stripped)))
    return out


def _is_abbreviation(text: str, dot: int, start: int) -> bool:
    j = dot
    while j > start and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    # a title, or initials: one letter ("J."), or letters between dots ("G.K." of "Rep. G.K. Butterfield")
    return word in _ABBREVIATIONS or (word.isascii() and all(len(part) == 1 and part.isalpha() for part in word.split(".")))


def sentences(text: str, para: Paragraph) -> list[Sentence]:
    memo = _memo_for(text)
    found = memo.sentences.get(para)
    if found is None:
        found = memo.sentences[para] = tuple(_sentences(text, para))
    return list(found)


def _sentences(text: str, para: Paragraph) -> list[Sentence]:
    out: list[Sentence] = []
    start = para.start
    depth = 0
    straight_open = False
    i = para.start
    end = para.end
    while i < end:
        m = _INTERESTING.search(text, i, end)  # other characters never change the state
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch in OPEN_QUOTES:
            depth += 1
        elif ch in CLOSE_QUOTES:
            depth = max(0, depth - 1)
            # “... one. Two.” Then: a quotation that ends a sentence ends it here
            if depth == 0 and not straight_open and i > start and text[i - 1] in ENDERS:
                j = i + 1
                if j < end and text[j] == " " and j + 1 < end and (text[j + 1].isupper() or _ARABIC.match(text[j + 1])):
                    out.append(Sentence(start, j, para.index))
                    start = j + 1
                    i = j + 1
                    continue
        elif ch in STRAIGHT_QUOTES:
            straight_open = not straight_open
        elif depth == 0 and not straight_open and (ch in ENDERS or ch == "؛" or ch == "…"):
            if ch == "." and i + 1 < end and text[i + 1] == "." and (i + 2 >= end or text[i + 2] != "."):
                i += 2  # "..": a pause, not the end of a sentence
                continue
            j = i + 1
            while j < end and text[j] in ENDERS + "…":
                j += 1
            while j < end and text[j] in CLOSE_QUOTES + STRAIGHT_QUOTES:
                j += 1
            nxt = text[j] if j < end else " "
            boundary = nxt.isspace() or j >= end or (ch == "." and _ARABIC.match(nxt) is not None) or ch == "؛"
            if ch == "." and boundary and _is_abbreviation(text, i, start) and j < end:
                boundary = False
            if ch == "." and i > start and text[i - 1].isdigit() and j < end and text[j].isdigit():
                boundary = False
            if boundary:
                out.append(Sentence(start, j, para.index))
                while j < end and text[j].isspace():
                    j += 1
                start = j
                i = j
                continue
        i += 1
    if start < end and text[start:end].strip():
        out.append(Sentence(start, end, para.index))
    return out
