"""English attribution classes that failed on the held-out dev split (issue 14), on sentences
written for this file: a medium the speaker spoke to or that carried the statement is a relay
hop, a non-restrictive relative clause is not part of the speaker, and "she said" after a
sentence that opened with a titled person goes to that person."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from tests.extraction.helpers import chain, claim_with, speaker_of

pytestmark = pytest.mark.usefixtures("attribution_path")


def test_a_medium_spoken_to_in_an_aside_is_a_relay():
    text = "A Western diplomat in Lusaka, speaking to AFP, said the embassy would stay open through the weekend.\n"
    c = claim_with(extract(text, lang="en", outlet="Zambezi Post").claims, "embassy would stay open")
    assert chain(c)[1:] == ["AFP", "Zambezi Post"]
    assert speaker_of(text, c) == "A Western diplomat in Lusaka"


def test_the_medium_that_carried_a_statement_is_a_relay():
    text = "Trade Minister Omar Haddad said in a televised address carried by Al Jazeera that grain exports would resume in May.\n"
    c = claim_with(extract(text, lang="en", outlet="Zambezi Post").claims, "grain exports would resume")
    assert chain(c) == ["Omar Haddad", "Al Jazeera", "Zambezi Post"]
    assert c.text.startswith("grain exports")


def test_a_source_quoted_by_a_newspaper_is_relayed_by_it():
    text = "A mining company source quoted by the daily Kommersant said the copper talks had stalled.\n"
    cs = extract(text, lang="en", outlet="Zambezi Post").claims
    c = claim_with(cs, "copper talks had stalled")
    assert chain(c)[1:] == ["the daily Kommersant", "Zambezi Post"]
    assert speaker_of(text, c) == "A mining company source"
    assert not any(c.hops[0].cue == "quoted" for c in cs if c.attributed)


def test_a_relative_clause_after_the_speaker_is_not_the_speaker():
    text = (
        "A customs official told Reuters that the border crossing had been closed overnight. "
        "The official, who spoke on condition of anonymity, said the crossing would reopen on Friday.\n"
    )
    c = claim_with(extract(text, lang="en", outlet="Zambezi Post").claims, "crossing would reopen")
    assert speaker_of(text, c) == "The official"
    assert "who spoke" not in chain(c)[0]


def test_a_pronoun_after_a_quote_follows_the_titled_person_the_text_named_last():
    text = (
        "A hospital director told the BBC that ten people were hurt in the fire. "
        "Health Minister Lina Farah visited the burns ward on Monday. "
        '"We are sending more doctors," she said.\n'
    )
    c = claim_with(extract(text, lang="en", outlet="Zambezi Post").claims, "sending more doctors")
    assert chain(c)[0] == "Lina Farah"



def test_a_long_relative_clause_is_not_the_speaker_nor_its_verb_a_cue():
    text = (
        "A port source told Reuters that a crane had collapsed on the quay. "
        "The source, who spoke on condition of anonymity because they were not allowed to brief the press, "
        "said the ship continued towards the harbour mouth.\n"
    )
    cs = extract(text, lang="en", outlet="Zambezi Post").claims
    c = claim_with(cs, "ship continued towards")
    assert speaker_of(text, c) == "The source"
    assert not any(speaker_of(text, x) and speaker_of(text, x).startswith("said") for x in cs if x.attributed)


def test_a_quote_before_the_speaker_and_a_participial_aside_is_the_content():
    text = (
        "A senior harbour official told Reuters the port had reopened. "
        '"The cranes are working again," the official said, asking not to be named because he was not allowed to brief the press.\n'
    )
    cs = extract(text, lang="en", outlet="Zambezi Post").claims
    c = claim_with(cs, "cranes are working again")
    assert speaker_of(text, c) == "the official"
    assert all("asking not to be named" not in x.text for x in cs if x.attributed)
