"""The batched parts of grouping and resolution give what the one-at-a-time forms give."""

from __future__ import annotations

import uuid

from claims.extraction import extract
from claims.extraction.grouping import _similarities, _Stored, represent, similarity
from claims.settings import SEEDS_DIR


def _stored(prefix: str) -> list[_Stored]:
    text = next(SEEDS_DIR.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    out = []
    for claim in extract(text).claims:
        span = text[claim.start : claim.end]
        lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in span) else "en"
        out.append(_Stored(uuid.uuid4(), uuid.uuid4(), claim.start, lang, span, None, represent(span, lang)))
    return out


def test_similarity_matrix_equals_similarity_of_each_pair():
    arabic, english = _stored("000"), _stored("001")  # an Arabic article and its English version
    assert arabic and english
    both = english + arabic
    for new, others in ((english, english), (english, arabic), (arabic, both)):
        assert _similarities(new, others) == [[similarity(a.rep, b.rep) for b in others] for a in new]
