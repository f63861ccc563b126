"""Property tests (hypothesis): Arabic normalisation and character offsets.

Normalisation makes comparison copies and must be stable; offsets always point into the
original text, so evidence read back from either database equals ``document.text[start:end]``.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claims.provenance import evidence
from claims.schemas import ClaimIn, DocumentIn, HopIn, SourceIn
from claims.serialize import claim_out
from claims.services import ClaimService, DocumentService, SourceService
from claims.text import _INVISIBLE, _TASHKEEL, fold, fold_name, fold_with_offsets, terms

ARABIC_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيٱپچژکگی"
TASHKEEL = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
TATWEEL = "\u0640"
MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\ufeff\u00ad"
ALEF_FORMS = "أإآٱ"

arabic_word = st.text(alphabet=ARABIC_LETTERS, min_size=1, max_size=12)
decoration = st.text(alphabet=TASHKEEL + TATWEEL + MARKS, max_size=3)
mixed_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(ARABIC_LETTERS + TASHKEEL + TATWEEL + MARKS + "٠١٢٣٤٥٦٧٨٩،؛؟«»"),
        st.sampled_from(string.ascii_letters + string.digits + " .,;:!?'\"-\n\t"),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    ),
    max_size=80,
)


@st.composite
def decorated(draw, word_strategy=arabic_word):
    """A word, and the same word with diacritics, tatweel and direction marks sprinkled in."""
    word = draw(word_strategy)
    sprinkled = "".join(ch + draw(decoration) for ch in word)
    return word, draw(decoration) + sprinkled


@given(mixed_text)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(mixed_text)
def test_fold_leaves_no_diacritic_tatweel_or_invisible_mark(text):
    folded = fold(text)
    assert not _TASHKEEL.search(folded)
    assert not _INVISIBLE.search(folded)


@given(decorated())
def test_diacritics_tatweel_and_marks_do_not_change_the_folded_form(pair):
    plain, fancy = pair
    assert fold(fancy) == fold(plain)
    assert fold_name(fancy) == fold_name(plain)
    assert terms(fancy) == terms(plain)


@given(arabic_word, st.data())
def test_letter_variants_fold_together(word, data):
    variant = "".join(
        data.draw(st.sampled_from(ALEF_FORMS)) if ch == "ا" else {"ي": "ى", "ه": "ة"}.get(ch, ch) for ch in word
    )
    assert fold(variant) == fold(word)
    assert fold_name(variant) == fold_name(word)


@given(mixed_text)
def test_terms_are_bounded_and_never_fail(text):
    for term in terms(text):
        assert 1 <= len(term) <= 64
        assert term == term.strip()


@given(st.text(alphabet=ARABIC_LETTERS + "abc", min_size=200, max_size=3000))
@settings(max_examples=20)
def test_very_long_tokens_give_one_bounded_term(token):
    assert all(len(t) <= 64 for t in terms(token))


@given(mixed_text)
def test_fold_with_offsets_maps_every_folded_character_into_the_original(text):
    folded, offsets = fold_with_offsets(text)
    assert len(offsets) == len(folded) + 1
    assert offsets[-1] == len(text)
    assert offsets == sorted(offsets)
    for i, ch in enumerate(folded):
        assert ch in fold(text[offsets[i]])


# --- offsets through the database (both backends) ----------------------------------------

document_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(ARABIC_LETTERS + TASHKEEL + TATWEEL + MARKS + " \n"),
        st.sampled_from(string.ascii_letters + " .,'\""),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    ),
    min_size=2,
    max_size=300,
)


@st.composite
def text_and_spans(draw):
    text = draw(document_text)
    assume(text.strip())
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    assume(text[start:end].strip())
    ev_start = draw(st.integers(0, len(text) - 1))
    ev_end = draw(st.integers(ev_start + 1, len(text)))
    return text, (start, end), (ev_start, ev_end)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=text_and_spans())
def test_evidence_always_equals_the_document_slice(session, case):
    text, (start, end), (ev_start, ev_end) = case
    try:
        speaker = SourceService(session).create(SourceIn(name="Speaker", kind="person"))
        document, _ = DocumentService(session).create(DocumentIn(text=text, lang="ar"))
        claim = ClaimService(session).create(
            ClaimIn(
                document_id=document.id,
                start=start,
                end=end,
                hops=[HopIn(source_id=speaker.id, relation="said", evidence_start=ev_start, evidence_end=ev_end)],
            )
        )
        session.flush()
        session.expire_all()  # read everything back from the database
        stored = ClaimService(session).get(claim.id)
        assert stored.document.text == text
        assert stored.text == text[start:end] == stored.document.text[stored.start_offset : stored.end_offset]
        ev = evidence(stored, stored.hops[0])
        assert ev.text == text[ev_start:ev_end] == stored.document.text[ev.start : ev.end]
        out = claim_out(stored)
        assert out.text == text[out.start : out.end]
        assert out.hops[0].evidence.text == text[out.hops[0].evidence.start : out.hops[0].evidence.end]
    finally:
        session.rollback()
