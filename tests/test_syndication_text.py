"""``claims.syndication.describe``: who published first, said in English and in Arabic by one
code path (the phrases are per-language data)."""

from __future__ import annotations

import datetime
import uuid

import pytest

from claims.syndication import Appearance, FirstAppearance, describe


def _appearance(outlet: str | None, day: int | None) -> Appearance:
    when = datetime.datetime(2026, 11, day, 8, 15, tzinfo=datetime.UTC) if day else None
    return Appearance(uuid.uuid4(), outlet, None, None, when)


STORY = FirstAppearance(
    first=_appearance("Gulf Daily Wire", 3),
    later=[_appearance("The Evening Courier", 4), _appearance(None, 5)],
    undated=[_appearance("Aggregator Blog", None)],
)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "First published by Gulf Daily Wire on 2026-11-03 08:15 UTC; then re-published by The Evening Courier"
           " (2026-11-04 08:15 UTC), an unknown publisher (2026-11-05 08:15 UTC). Undated: Aggregator Blog."),
    ("ar", "نشرها أولاً Gulf Daily Wire في 2026-11-03 08:15 UTC، ثم أعاد نشرها The Evening Courier"
           " (2026-11-04 08:15 UTC)، ناشر غير معروف (2026-11-05 08:15 UTC). بلا تاريخ: Aggregator Blog."),
])
def test_first_appearance_is_described_in_the_readers_language(lang, expected):
    assert describe(STORY, lang) == expected


def test_outlets_are_named_by_the_callers_rule_and_undated_stories_say_so():
    outlet_id = uuid.uuid4()
    first = Appearance(uuid.uuid4(), "Gulf Daily Wire", None, None, datetime.datetime(2026, 11, 3, tzinfo=datetime.UTC),
                       outlet_id=outlet_id)
    assert describe(FirstAppearance(first=first), "en", {outlet_id: "GDW"}.__getitem__).startswith("First published by GDW on")
    assert describe(FirstAppearance(first=None), "ar") == "تاريخ النشر غير مسجل لأي ظهور: لا يمكن معرفة من نشر أولاً."
    assert describe(FirstAppearance(first=None), "fr").startswith("Undated:")  # an unknown language reads English
