"""English real-article classes found on the fourth round of held-out dev articles (issue 14,
h71-h73), on sentences written for this file: a news byline is the reporter's credit, a
dateline may name any publisher in brackets, and a described agency that names itself is that
agency."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from claims.extraction.descriptions import describe
from tests.extraction.helpers import chain, claim_with

pytestmark = pytest.mark.usefixtures("attribution_path")


def test_a_news_byline_is_no_author_of_the_unattributed_text():
    text = (
        "Ferry service resumes after storm\n"
        "By Maya Stone\n"
        'The harbour master said the ferries "will run on time" from Monday.\n'
        "The route carried 1.2 million passengers last year.\n"
    )
    cs = extract(text, lang="en", outlet="Coast Wire").claims
    last = claim_with(cs, "1.2 million passengers")
    assert chain(last) == ["Coast Wire"]
    assert all("Maya Stone" not in chain(c)[0] for c in cs)


def test_a_dateline_naming_the_publisher_in_brackets_is_no_speaker():
    text = "Ferry service resumes\nHALIFAX (Coast Wire) - Canada expects ferry crossings to resume within weeks, the transport ministry said on Sunday.\n"
    cs = extract(text, lang="en", outlet="Coast Wire").claims
    assert all("HALIFAX" not in (text[c.hops[0].speaker_span[0] : c.hops[0].speaker_span[1]] if c.hops[0].speaker_span else "") for c in cs)


def test_a_described_agency_that_names_itself_is_that_agency():
    names, _ = describe("the state-run Anadolu Agency", lambda: ["iraq"])
    assert "Anadolu Agency" in names
    names, _ = describe("the state news agency", lambda: ["iraq"])
    assert "Iraqi News Agency" in names
