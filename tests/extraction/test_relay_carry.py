"""A speaker followed across sentences keeps the medium of its first statement (issue 14), on
sentences written for this file: "The source, who ..., said" after "A source told Reuters",
"the minister said" or "he said" opening the next paragraph, "وأشار الوزير" after "نقلت صحيفة
X عن الوزير قوله" take the earlier relay; a later sentence naming its own medium, or another
speaker in between, does not."""

from __future__ import annotations

import pytest

from claims.extraction import extract
from tests.extraction.helpers import chain, claim_with

pytestmark = pytest.mark.usefixtures("attribution_path")


def test_the_source_after_a_source_told_reuters_keeps_reuters():
    text = (
        "A port security source told Reuters that the pilots had reported two cranes down after the storm. "
        "The source, who asked not to be named, said the harbour would reopen on Friday.\n"
    )
    cs = extract(text, lang="en", outlet="Zambezi Post").claims
    assert chain(claim_with(cs, "harbour would reopen"))[1:] == ["Reuters", "Zambezi Post"]


def test_a_pronoun_opening_the_next_paragraph_keeps_the_relay():
    text = (
        "The Zambian finance minister told the BBC that the copper levy would be halved in March.\n\n"
        "But the minister went further. He said the treasury would also scrap the fuel surcharge.\n"
    )
    cs = extract(text, lang="en", outlet="Zambezi Post").claims
    assert chain(claim_with(cs, "scrap the fuel surcharge"))[1:] == ["the BBC", "Zambezi Post"]


def test_a_back_reference_with_its_own_medium_keeps_its_own():
    text = (
        "A port security source told Reuters that two cranes had been damaged by the storm. "
        "The source later told AFP that the harbour would reopen on Friday.\n"
    )
    cs = extract(text, lang="en", outlet="Zambezi Post").claims
    assert chain(claim_with(cs, "harbour would reopen"))[1:] == ["AFP", "Zambezi Post"]


def test_another_speaker_in_between_ends_the_carry():
    text = (
        "A port security source told Reuters that two cranes had been damaged by the storm. "
        "Harbour master Ruth Banda said the damage was minor. "
        "The source said the harbour would reopen on Friday.\n"
    )
    cs = extract(text, lang="en", outlet="Zambezi Post").claims
    assert "Reuters" not in chain(claim_with(cs, "harbour would reopen"))


def test_arabic_title_anaphor_in_the_next_paragraph_keeps_the_newspaper():
    text = (
        "ونقلت صحيفة \"الشرق الأوسط\" عن وزير الزراعة الأردني خالد الحنيفات قوله إن \"موسم القمح سيكون جيداً هذا العام\".\n\n"
        "وأشار الوزير إلى أن الحكومة \"سترفع سعر شراء القمح من المزارعين\".\n"
    )
    cs = extract(text, lang="ar", outlet="Amman Daily").claims
    assert chain(claim_with(cs, "سترفع سعر شراء القمح"))[1:] == ["صحيفة الشرق الأوسط", "Amman Daily"]


def test_a_sentence_attributed_to_another_medium_ends_the_carry():
    text = (
        "Mining minister Paul Kabwe told Reuters that the copper levy would be halved in March. "
        "According to AFP, the smelter strike entered its third week. "
        "He added that the levy cut would cost the treasury 40 million dollars.\n"
    )
    cs = extract(text, lang="en", outlet="Zambezi Post").claims
    assert "Reuters" not in chain(claim_with(cs, "levy cut would cost"))
