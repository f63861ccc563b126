"""factory_boy factories over sync sessions (they really write rows; see test_factories)."""

from __future__ import annotations

import hashlib

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy.orm import Session

from claims.indexing import index_claims
from claims.models import Claim, Document, RelayHop, Source, SourceAlias
from claims.text import fold_name


def bind(session: Session) -> None:
    """Point every factory at this test's session."""
    for f in (SourceFactory, DocumentFactory, ClaimFactory, RelayHopFactory):
        f._meta.sqlalchemy_session = session


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_persistence = "flush"


class SourceFactory(_Base):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Test Source {n}")
    key = factory.Sequence(lambda n: f"test-source-{n}")
    name_normalized = factory.LazyAttribute(lambda o: fold_name(o.name))
    kind = "person"
    aliases = factory.LazyAttribute(lambda o: [SourceAlias(text=o.name, normalized=fold_name(o.name), lang="en")])


class DocumentFactory(_Base):
    class Meta:
        model = Document

    text = factory.Sequence(lambda n: f"Officials said on day {n} that the bridge will reopen in spring.")
    lang = "en"
    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = factory.SubFactory(SourceFactory, kind="outlet")
    content_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.text.encode()).hexdigest())


class RelayHopFactory(_Base):
    class Meta:
        model = RelayHop

    position = 0
    relation = "said"
    source = factory.SubFactory(SourceFactory)


class ClaimFactory(_Base):
    """A claim spanning the document's last clause, said by a speaker and published by the outlet."""

    class Meta:
        model = Claim

    document = factory.SubFactory(DocumentFactory)
    speaker = factory.SubFactory(SourceFactory)
    start_offset = factory.LazyAttribute(lambda o: o.document.text.index("the bridge"))
    end_offset = factory.LazyAttribute(lambda o: len(o.document.text) - 1)
    text = factory.LazyAttribute(lambda o: o.document.text[o.start_offset : o.end_offset])
    lang = "en"
    modality = "asserted"
    stance = "affirm"

    @factory.post_generation
    def hops(obj, create, extracted, **kwargs):  # noqa: N805
        if extracted is not None:
            obj.hops = extracted
        else:
            obj.hops = [
                RelayHop(position=0, source=obj.speaker, relation="said", lang="en", modality="asserted"),
                RelayHop(position=1, source=obj.document.outlet, relation="published", lang="en", modality="asserted"),
            ]
        if create:
            session = ClaimFactory._meta.sqlalchemy_session
            session.flush()
            index_claims(session, [obj])
            session.flush()
