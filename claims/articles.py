"""A web page's article: main text and metadata, with trafilatura (text, title, byline, site
name, canonical URL) and htmldate (the original publication date, with its time when the page
gives one).

Page furniture — navigation, "read also" boxes, related links, share bars, footers — is left
out by the extractor, so it never becomes a claim; the extracted text is what is stored and
what every claim offset refers to.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import htmldate
import trafilatura
from lxml import html as lxml_html

from claims.errors import Invalid
from claims.fetch import Fetched
from claims.text import detect_lang

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


@dataclass
class Article:
    text: str
    url: str  # the URL fetched (after redirects)
    title: str | None = None
    author: str | None = None
    site_name: str | None = None
    lang: str | None = None
    canonical_url: str | None = None
    published_at: datetime.datetime | None = None


def decode(fetched: Fetched) -> str:
    """The body as text: the declared charset, else the page's own declaration, else a guess."""
    if fetched.charset:
        try:
            return fetched.body.decode(fetched.charset, errors="replace")
        except LookupError:
            pass
    head = fetched.body[:2048].decode("ascii", errors="ignore")
    declared = re.search(r"""charset=["']?([A-Za-z0-9_-]+)""", head)
    if declared:
        try:
            return fetched.body.decode(declared.group(1), errors="replace")
        except LookupError:
            pass
    return trafilatura.utils.decode_file(fetched.body)


def _page_lang(tree) -> str | None:
    if tree is None:
        return None
    raw = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    code = raw.split("-", 1)[0].strip().lower()
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def _published(html: str, url: str) -> datetime.datetime | None:
    try:
        found = htmldate.find_date(html, url=url, original_date=True, outputformat=_DATE_FORMAT,
                                   extensive_search=False)
    except Exception:  # htmldate raises on some malformed markup; an undated page is not an error
        found = None
    if not found:
        return None
    try:
        when = datetime.datetime.strptime(found, _DATE_FORMAT)
    except ValueError:
        try:
            when = datetime.datetime.fromisoformat(found)
        except ValueError:
            return None
    return when.replace(tzinfo=datetime.UTC) if when.tzinfo is None else when.astimezone(datetime.UTC)


def _clean(value: str | None, limit: int) -> str | None:
    if not value:
        return None
    value = re.sub(r"\s+", " ", value).strip()
    return value[:limit] or None


def extract_article(html: str, url: str) -> Article:
    """Main text and metadata of one page; ``Invalid`` when the page has no article text."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        tree = None
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    text = (doc.text if doc is not None else "") or ""
    text = "\n".join(line.rstrip() for line in text.replace("\x00", "").splitlines()).strip()
    if not text:
        raise Invalid("the page has no article text to store", field="url", url=url)
    canonical = doc.url if doc.url and re.match(r"^https?://\S+$", doc.url) else None
    lang = _page_lang(tree) or detect_lang(text)
    return Article(
        text=text,
        url=url,
        title=_clean(doc.title, 500),
        author=_clean(doc.author, 500),
        site_name=_clean(doc.sitename, 300),
        lang=lang,
        canonical_url=canonical[:2000] if canonical else None,
        published_at=_published(html, url),
    )
