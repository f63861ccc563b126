"""The one origin rule (``provenance.origin_telling``): provenance, reports and ``ask`` name the
same origin, and an answer's chain is the evidence for its origin — on the team's own fixture
articles, SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from claims.provenance import provenance
from claims.query import ask
from claims.reports.model import claim_section
from tests.query_world import World


@pytest.fixture
def world(session: Session) -> World:
    w = World(session)
    w.source("oil-ministry", "Libyan Ministry of Oil", "government", ("وزارة النفط الليبية", "ar"))
    w.source("tripoli-herald", "Tripoli Herald", "outlet", ("صحيفة طرابلس هيرالد", "ar"))
    w.source("gulf-wire", "Gulf Wire", "agency", ("وكالة غلف واير", "ar"))
    w.source("port-source", "an official at the port", "anonymous", ("مسؤول في الميناء", "ar"))
    ar = w.document(
        "طرابلس - قالت وزارة النفط الليبية يوم الثلاثاء إن صادرات النفط من ميناء السدرة ستستأنف الأسبوع المقبل بعد إصلاح خط الأنابيب.",
        "ar", outlet="tripoli-herald", day=3,
    )
    en = w.document(
        "Gulf Wire reported on Thursday that oil exports from the port of Sidra will resume next week once the pipeline is repaired.",
        "en", outlet="gulf-wire", day=5,
    )
    anon = w.document(
        "An official at the port, who asked not to be named, said that exports from Sidra would resume next week.",
        "en", outlet="tripoli-herald", day=6,
    )
    w.ministry_claim = w.claim(ar, "صادرات النفط من ميناء السدرة ستستأنف الأسبوع المقبل بعد إصلاح خط الأنابيب",
                               [("oil-ministry", "said"), ("tripoli-herald", "published")], group="sidra-exports-resume")
    w.wire_claim = w.claim(en, "oil exports from the port of Sidra will resume next week once the pipeline is repaired",
                           [("gulf-wire", "reported"), ("gulf-wire", "published")], group="sidra-exports-resume")
    w.anon_claim = w.claim(anon, "exports from Sidra would resume next week",
                           [("port-source", "said"), ("tripoli-herald", "published")], group="sidra-exports-resume")
    session.flush()
    return w


def test_provenance_and_report_name_the_same_origin_and_its_telling(session: Session, world: World):
    ministry = world.sources["oil-ministry"]
    for claim in (world.wire_claim, world.ministry_claim):
        prov = provenance(session, claim)
        section = claim_section(session, claim)
        assert prov.origin.id == section.origin.id == ministry.id
        assert prov.origin.claim_id == section.origin.claim_id == world.ministry_claim.id


def test_an_unnamed_source_stays_unnamed(session: Session, world: World):
    prov = provenance(session, world.anon_claim)
    assert prov.origin.id == world.sources["port-source"].id and prov.origin.kind == "anonymous"


@pytest.mark.parametrize(
    "question",
    ["Who said oil exports from the port of Sidra will resume next week?", "من قال إن صادرات النفط من ميناء السدرة ستستأنف؟"],
)
def test_answer_shows_the_chain_of_the_telling_its_origin_comes_from(session: Session, world: World, question):
    result = ask(session, question)
    assert result.found
    top = result.answers[0]
    assert top.origin.id == world.sources["oil-ministry"].id
    # Origin and chain from the same evidence: the ministry's own telling (another document
    # than the wire report), not the wire's chain with the ministry's name on it.
    assert top.origin.claim_id == top.claim.id == world.ministry_claim.id
    assert top.chain[0].source.id == top.origin.id
    assert [h.source.id for h in top.chain] == [world.sources["oil-ministry"].id, world.sources["tripoli-herald"].id]
    assert "Gulf Wire" not in top.answer_text and "غلف" not in top.answer_text
