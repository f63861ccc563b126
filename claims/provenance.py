"""Provenance of a claim: its ordered chain with evidence, its origin, the other members of its
group (other documents and languages) and the drift between hops and between members.

The output models are built without validation (``_trusted``): every value comes from stored rows,
validated when they were written (re-validating them cost a fifth of a provenance request).
"""

from __future__ import annotations

import functools
import uuid
from collections import namedtuple

from advanced_alchemy.types import GUID
from sqlalchemy import Engine, String, and_, bindparam, case, func, literal_column, or_, select
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload

from claims.errors import NotFound
from claims.models import Claim, Document, RelayHop, Source, SourceAlias
from claims.names import display_name
from claims.schemas import ChainHop, ClaimBrief, Drift, Evidence, GroupMember, Origin, Provenance, SourceRef
from claims.vocabulary import Relation, SourceKind

_new = object.__new__
_set = object.__setattr__


def _trusted(cls):
    """A constructor of the output model ``cls`` from stored values (validated when written):
    what ``model_construct`` does for a model without aliases, factories, private attributes
    or post-init hooks (checked here), with the defaults worked out once."""
    fields = cls.__pydantic_fields__
    assert not cls.__pydantic_post_init__ and not cls.__private_attributes__, cls
    assert all(f.alias is None and f.validation_alias is None and f.default_factory is None for f in fields.values()), cls
    # every field in declaration order (the serializer writes ``__dict__`` in its order), with
    # its default; the required ones are always given
    template = {name: None if f.is_required() else f.default for name, f in fields.items()}
    assert all(v is None or isinstance(v, str | int) for v in template.values()), cls

    def make(**values):
        m = _new(cls)
        _set(m, "__dict__", {**template, **values})
        _set(m, "__pydantic_fields_set__", set(values))
        _set(m, "__pydantic_extra__", None)
        _set(m, "__pydantic_private__", None)
        return m

    return make


_Evidence, _SourceRef, _ChainHop, _Origin, _Drift, _GroupMember, _Provenance, _ClaimBrief = (
    _trusted(c) for c in (Evidence, SourceRef, ChainHop, Origin, Drift, GroupMember, Provenance, ClaimBrief)
)


def evidence(claim: Claim, hop: RelayHop) -> Evidence | None:
    if hop.evidence_start is None or hop.evidence_end is None:
        return None
    return _Evidence(
        document_id=claim.document_id,
        start=hop.evidence_start,
        end=hop.evidence_end,
        text=claim.document.text[hop.evidence_start : hop.evidence_end],
    )


def claim_evidence(claim: Claim) -> Evidence:
    return _Evidence(document_id=claim.document_id, start=claim.start_offset, end=claim.end_offset, text=claim.text)


def source_ref(source: Source, lang: str | None = None) -> SourceRef:
    """A source as the contracts show it; with ``lang``, named for a reader of that language
    (the one display-name rule, ``claims.names.display_name``)."""
    return _SourceRef(id=source.id, name=source.name, kind=source.kind,
                      display_name=display_name(source, lang) if lang else None)


def chain(claim: Claim, lang: str | None = None) -> list[ChainHop]:
    """The hops in position order; a hop without its own span points at the claim's text.
    With ``lang``, every source carries its display name in that language."""
    out = []
    last = len(claim.hops) - 1
    for hop in claim.hops:
        ev = evidence(claim, hop)
        if ev is None and hop.position in (0, last):
            ev = claim_evidence(claim)
        out.append(
            _ChainHop(
                position=hop.position,
                source=source_ref(hop.source, lang),
                relation=hop.relation,
                lang=hop.lang,
                modality=hop.modality,
                cue=hop.cue,
                evidence=ev,
            )
        )
    return out


def origin_of(source: Source, *, claim_id=None, lang: str | None = None) -> Origin:
    return _Origin(id=source.id, name=source.name, kind=source.kind, aliases=[a.text for a in source.aliases],
                   claim_id=claim_id, display_name=display_name(source, lang) if lang else None)


def hop_drift(claim: Claim) -> list[Drift]:
    """Where modality or language changes from one hop to the next (translation, softening, hardening)."""
    drifts: list[Drift] = []
    prev: RelayHop | None = None
    for hop in claim.hops:
        if prev is not None:
            for field in ("modality", "lang"):
                before, after = getattr(prev, field), getattr(hop, field)
                if before and after and before != after:
                    drifts.append(
                        _Drift(
                            from_position=prev.position,
                            to_position=hop.position,
                            field=field,
                            before=before,
                            after=after,
                        )
                    )
        prev = hop
    return drifts


#: What a chain needs, in three statements (claim with document, speaker and group; its hops
#: with their sources; the origin's aliases when asked for). The mappers' defaults would also
#: load every source's aliases (selectin) and the document's outlet: 10+ statements per trace.
CHAIN_OPTIONS = (
    joinedload(Claim.document).lazyload(Document.outlet),
    joinedload(Claim.speaker).lazyload(Source.aliases),
    selectinload(Claim.hops).joinedload(RelayHop.source).lazyload(Source.aliases),
)
#: Group members are listed by id, language, text, modality and speaker; their hops are read for
#: the origin rule and drift, their documents' dates for the first report. Their documents'
#: texts (whole articles) are not loaded unless read.
MEMBER_OPTIONS = (
    joinedload(Claim.document).defer(Document.text).lazyload(Document.outlet),
    lazyload(Claim.group),
    joinedload(Claim.speaker).lazyload(Source.aliases),
    selectinload(Claim.hops).joinedload(RelayHop.source).lazyload(Source.aliases),
)


def load_claim(session: Session, claim_id: uuid.UUID) -> Claim:
    """The claim with what ``provenance`` reads, in as few statements as possible."""
    claim = session.scalars(select(Claim).where(Claim.id == claim_id).options(*CHAIN_OPTIONS)).first()
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    return claim


def group_members(session: Session, claim: Claim) -> list[Claim]:
    if claim.group_id is None:
        return []
    return list(
        session.scalars(
            select(Claim)
            .where(Claim.group_id == claim.group_id, Claim.id != claim.id)
            .order_by(Claim.created_at, Claim.id)  # one ingest's claims share a time on PostgreSQL
            .options(*MEMBER_OPTIONS)
        )
    )


def group_drift(claim: Claim, members: list[Claim]) -> list[Drift]:
    """Modality differences between this claim and the other tellings of the same proposition."""
    out = []
    for other in members:
        if other.modality != claim.modality:
            out.append(
                _Drift(
                    from_position=len(claim.hops) - 1,
                    to_position=len(other.hops) - 1,
                    field="modality",
                    before=claim.modality,
                    after=other.modality,
                    scope="group",
                    from_claim_id=claim.id,
                    to_claim_id=other.id,
                )
            )
    return out


_PRIMARY = {Relation.SAID.value, Relation.QUOTED.value, Relation.PARAPHRASED.value}


def _origin_tier(telling: Claim) -> int:
    """0: a primary speaker (said/quoted/paraphrased) relayed by someone; 1: an outlet that
    reported it, or a speaker with no relay; 2: only its own publisher."""
    hop0 = telling.hops[0]
    if hop0.relation == Relation.PUBLISHED.value:
        return 2
    return 0 if hop0.relation in _PRIMARY and len(telling.hops) > 1 else 1


def origin_telling(claim: Claim, members: list[Claim]) -> Claim:
    """The one origin rule (provenance, reports and ``ask``): of the tellings of a proposition
    (this claim and its group members), the one whose hop 0 is the origin.

    A better kind of origin (primary speaker over an outlet that reported it over a bare
    publisher) wins, then an earlier dated one of the same kind; undated tellings of the same
    kind keep this claim's own. An unnamed source stays unnamed: it is never replaced by a
    named guess from another telling.
    """
    if not claim.hops or claim.hops[0].source.kind == SourceKind.ANONYMOUS:
        return claim
    best, best_tier = claim, _origin_tier(claim)
    for member in members:
        if not member.hops:
            continue
        tier = _origin_tier(member)
        earlier = (
            member.document.published_at is not None
            and best.document.published_at is not None
            and member.document.published_at < best.document.published_at
        )
        if tier < best_tier or (tier == best_tier and earlier):
            best, best_tier = member, tier
    return best


def origin_source(telling: Claim) -> Source:
    return telling.hops[0].source if telling.hops else telling.speaker


def origin(claim: Claim, members: list[Claim], lang: str | None = None) -> Origin:
    """The proposition's origin as provenance, reports and answers show it; ``claim_id`` names
    the telling whose hop 0 it is (its chain is the evidence for it)."""
    telling = origin_telling(claim, members)
    return origin_of(origin_source(telling), claim_id=telling.id, lang=lang)


def group_member(member: Claim, lang: str | None = None) -> GroupMember:
    """Another telling of the claim's proposition, as provenance and reports list it."""
    return _GroupMember(
        claim_id=member.id,
        document_id=member.document_id,
        lang=member.lang,
        text=member.text,
        modality=member.modality,
        speaker=source_ref(member.speaker, lang),
    )


def provenance(session: Session, claim: Claim, lang: str | None = None) -> Provenance:
    """Every source carries its display name in ``lang`` (an answer's language), by default in
    the claim's own language."""
    lang = lang or claim.lang
    members = group_members(session, claim)
    return _Provenance(
        claim=ClaimBrief.model_validate(claim),
        document_id=claim.document_id,
        origin=origin(claim, members, lang),
        chain=chain(claim, lang),
        group=[group_member(m, lang) for m in members],
        drift=hop_drift(claim) + group_drift(claim, members),
    )


# --- the chain trace on Core rows ------------------------------------------------------------
#
# ``provenance`` above takes an ORM claim (ask and reports have one). Serving one provenance
# request through the ORM costs ~20x the SQL it runs (identity map, loader strategies, cache
# keys of option-laden statements), so ``trace`` reads the same rows with two Core statements
# (three when a speaker is no hop's source) and hands light row objects to the same rule
# functions (chain, origin, drift).


class _Row:
    """Attribute access over one result row (what the rule functions read from ORM objects)."""

    __slots__ = ("__dict__",)

    def __init__(self, **values) -> None:
        self.__dict__.update(values)


_SOURCE = Source.__table__
_HOP = RelayHop.__table__
_CLAIM = Claim.__table__
_DOC = Document.__table__
_ALIAS = SourceAlias.__table__

#: The claim's group, read inside each statement (no round trip for it).
_GROUP = select(_CLAIM.c.group_id).where(_CLAIM.c.id == bindparam("claim_id")).scalar_subquery()
#: The tellings of the proposition: the claim and the other members of its group.
_TELLINGS = or_(_CLAIM.c.id == bindparam("claim_id"), _CLAIM.c.group_id == _GROUP)
#: The tellings with their documents' dates and speakers, oldest first (only the claim's own
#: document text is read: members' evidence is not shown).
_TELLINGS_Q = (
    select(
        _CLAIM.c.id, _CLAIM.c.text, _CLAIM.c.lang, _CLAIM.c.modality, _CLAIM.c.stance, _CLAIM.c.document_id,
        _CLAIM.c.group_id, _CLAIM.c.speaker_id, _CLAIM.c.start_offset, _CLAIM.c.end_offset,
        case((_CLAIM.c.id == bindparam("claim_id"), _DOC.c.text)).label("document_text"), _DOC.c.published_at,
        _SOURCE.c.name.label("speaker_name"), _SOURCE.c.kind.label("speaker_kind"),
    )
    .join(_DOC, _DOC.c.id == _CLAIM.c.document_id)
    .join(_SOURCE, _SOURCE.c.id == _CLAIM.c.speaker_id)
    .where(_TELLINGS)
    .order_by(_CLAIM.c.created_at, _CLAIM.c.id)
)
#: The language the sources are named in: the one asked for, else the claim's.
_DISPLAY_LANG = func.coalesce(
    bindparam("lang", type_=String), select(_CLAIM.c.lang).where(_CLAIM.c.id == bindparam("claim_id")).scalar_subquery()
)
#: The hops of every telling with their sources, each hop once per alias of its source that the
#: provenance shows (with language and note, for ``display_name`` and the origin's aliases), or
#: once without: at hop 0 every alias (one of the hop-0 sources is the origin, whose aliases are
#: listed), elsewhere only those in the display language (``display_name`` reads no others).
#: Sources gather spellings as the archive grows: every alias of every hop was 28 rows per trace
#: at 1M claims (9 at 20k).
_HOPS_Q = (
    select(
        _HOP.c.claim_id, _HOP.c.position, _HOP.c.relation, _HOP.c.lang, _HOP.c.modality, _HOP.c.cue,
        _HOP.c.evidence_start, _HOP.c.evidence_end, _HOP.c.source_id,
        _SOURCE.c.name.label("source_name"), _SOURCE.c.kind.label("source_kind"),
        _ALIAS.c.text.label("alias"), _ALIAS.c.lang.label("alias_lang"), _ALIAS.c.note.label("alias_note"),
    )
    .join(_SOURCE, _SOURCE.c.id == _HOP.c.source_id)
    .outerjoin(_ALIAS, and_(_ALIAS.c.source_id == _HOP.c.source_id,
                            or_(_HOP.c.position == literal_column("0"), _ALIAS.c.lang == _DISPLAY_LANG)))
    .where(_HOP.c.claim_id.in_(select(_CLAIM.c.id).where(_TELLINGS)))
    .order_by(_HOP.c.claim_id, _HOP.c.position, _ALIAS.c.text)
)
#: Every alias of every source a provenance names (the tellings' hops and speakers): needed
#: only when a speaker is no hop's source, or the origin no hop-0 source (a telling without hops).
_NAMES_Q = (
    select(_ALIAS.c.source_id, _ALIAS.c.text, _ALIAS.c.lang, _ALIAS.c.note)
    .where(
        or_(
            _ALIAS.c.source_id.in_(select(_HOP.c.source_id).where(_HOP.c.claim_id.in_(select(_CLAIM.c.id).where(_TELLINGS)))),
            _ALIAS.c.source_id.in_(select(_CLAIM.c.speaker_id).where(_TELLINGS)),
        )
    )
    .order_by(_ALIAS.c.source_id, _ALIAS.c.text)
)


_UNKNOWN = uuid.SafeUUID.unknown


@functools.lru_cache(maxsize=16_384)
def _uuid_from_bytes(value: bytes) -> uuid.UUID:
    """``uuid.UUID(bytes=value)`` for the 16 bytes of a stored GUID, without the constructor's
    argument checks (two dozen per trace; the checks cost more than the read), and remembered
    for the ids that come back request after request (sources, bounded: UUIDs are immutable)."""
    u = _new(uuid.UUID)
    _set(u, "int", int.from_bytes(value))
    _set(u, "is_safe", _UNKNOWN)
    return u


def _uuid_bytes(value: uuid.UUID) -> bytes:
    return value.bytes


def _result_processor(type_, dialect):
    """The column type's result processor; a UUID stored as 16 bytes (GUID on SQLite) is read
    with ``uuid.UUID(bytes=...)`` directly (GUID's processor costs several times that)."""
    if isinstance(type_, GUID) and type_.binary and dialect.name == "sqlite":
        return _uuid_from_bytes
    return type_._cached_result_processor(dialect, None)


def _bind_processor(type_, dialect):
    """The type's bind processor; a UUID bound as 16 bytes (GUID on SQLite) is ``value.bytes``."""
    if isinstance(type_, GUID) and type_.binary and dialect.name == "sqlite":
        return _uuid_bytes
    return type_._cached_bind_processor(dialect)


class _Statement:
    """A Core statement compiled once per dialect and run with the driver's cursor on the
    session's connection (same transaction): the SQLAlchemy execution path costs more than
    SQLite takes to answer these key look-ups. Parameters and results go through the column
    types' own bind and result processors (GUID bytes on SQLite, UTC timestamps)."""

    def __init__(self, statement) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple] = {}

    def _compile(self, dialect):
        compiled = self.statement.compile(dialect=dialect)
        binds = {name: _bind_processor(bind.type, dialect) for name, bind in compiled.binds.items()}
        binds = {name: f for name, f in binds.items() if f is not None}
        columns = compiled._result_columns
        row = namedtuple("row", [c.keyname for c in columns])
        results = [(i, f) for i, c in enumerate(columns) if (f := _result_processor(c.type, dialect)) is not None]
        order = list(compiled.positiontup) if compiled.positional else None
        entry = (str(compiled), order, binds, row._make, results)
        self._compiled[dialect.name] = entry
        return entry

    def rows(self, session: Session, **params) -> list:
        connection = session.connection()
        return self.rows_on(connection.connection, connection.dialect, **params)

    def rows_on(self, dbapi_connection, dialect, **params) -> list:
        """The rows on a driver connection (a session's, or one checked out of the pool)."""
        sql, order, binds, make, results = self._compiled.get(dialect.name) or self._compile(dialect)
        for name, f in binds.items():
            if params.get(name) is not None:
                params[name] = f(params[name])
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(sql, [params[name] for name in order] if order is not None else params)
            fetched = cursor.fetchall()
        finally:
            cursor.close()
        out = []
        for r in fetched:  # only the columns whose type has a processor
            r = list(r)
            for i, f in results:
                if r[i] is not None:
                    r[i] = f(r[i])
            out.append(make(r))
        return out


_TELLINGS_S, _HOPS_S, _NAMES_S = (_Statement(q) for q in (_TELLINGS_Q, _HOPS_Q, _NAMES_Q))


def _claim_row(row, **extra) -> _Row:
    speaker = _Row(id=row.speaker_id, name=row.speaker_name, kind=row.speaker_kind)
    return _Row(
        id=row.id, text=row.text, lang=row.lang, modality=row.modality, document_id=row.document_id,
        speaker=speaker, speaker_id=row.speaker_id, hops=[], **extra,
    )


def trace(session: Session, claim_id: uuid.UUID, lang: str | None = None) -> Provenance:
    """``provenance`` of a claim by id, read with Core statements (same output, tested): every
    source carries its display name in ``lang``, by default the claim's language."""
    return _trace(lambda statement, **params: statement.rows(session, **params), claim_id, lang)


def trace_read(engine: Engine, claim_id: uuid.UUID, lang: str | None = None) -> Provenance:
    """``trace`` without a session: the statements run in one read transaction on a connection
    checked out of the engine's pool (the server's hottest read; a session's begin, identity map
    and close cost more than SQLite takes to answer). Same output as ``trace`` (tested)."""
    dialect = engine.dialect
    connection = engine.raw_connection()
    try:
        if dialect.name == "sqlite":  # the driver is in autocommit mode (claims.db): one snapshot
            connection.driver_connection.execute("BEGIN")
        return _trace(lambda statement, **params: statement.rows_on(connection, dialect, **params), claim_id, lang)
    finally:
        connection.close()  # back to the pool, which rolls the read transaction back


def _trace(run, claim_id: uuid.UUID, lang: str | None = None) -> Provenance:
    claim, members = None, []
    for row in run(_TELLINGS_S, claim_id=claim_id):
        if row.id == claim_id:
            claim = _claim_row(
                row, stance=row.stance, group_id=row.group_id, start_offset=row.start_offset, end_offset=row.end_offset,
                document=_Row(text=row.document_text, published_at=row.published_at),
            )
        else:
            members.append(_claim_row(row, document=_Row(published_at=row.published_at)))
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    by_id = {claim.id: claim, **{m.id: m for m in members}}
    # source -> its alias rows (ordered by text): all of them from a hop 0 naming it, else those
    # in the display language from the first hop naming it
    aliases: dict[uuid.UUID, list[_Row]] = {}
    full: set[uuid.UUID] = set()  # the sources whose every alias is in ``aliases``
    current = None  # (claim, position) of the hop being read: its rows follow each other
    taking = False  # whether this hop's rows give its source's aliases
    for hop in run(_HOPS_S, claim_id=claim_id, lang=lang or None):
        if (hop.claim_id, hop.position) != current:
            current = (hop.claim_id, hop.position)
            taking = hop.source_id not in full and (hop.position == 0 or hop.source_id not in aliases)
            if taking:
                aliases[hop.source_id] = []
                if hop.position == 0:
                    full.add(hop.source_id)
            by_id[hop.claim_id].hops.append(
                _Row(
                    position=hop.position, relation=hop.relation, lang=hop.lang, modality=hop.modality, cue=hop.cue,
                    evidence_start=hop.evidence_start, evidence_end=hop.evidence_end, source_id=hop.source_id,
                    source=_Row(id=hop.source_id, name=hop.source_name, kind=hop.source_kind),
                )
            )
        if taking and hop.alias is not None:
            aliases[hop.source_id].append(_Row(text=hop.alias, lang=hop.alias_lang, note=hop.alias_note))
    telling = origin_telling(claim, members)
    origin = origin_source(telling)
    if origin.id not in full or any(t.speaker_id not in aliases for t in (claim, *members)):
        aliases = {}  # a speaker that is no hop's source, or an origin that is no hop 0's
        for a in run(_NAMES_S, claim_id=claim_id):
            aliases.setdefault(a.source_id, []).append(_Row(text=a.text, lang=a.lang, note=a.note))
    found = _Provenance(
        claim=_ClaimBrief(id=claim.id, text=claim.text, lang=claim.lang, modality=claim.modality, stance=claim.stance),
        document_id=claim.document_id,
        origin=_Origin(id=origin.id, name=origin.name, kind=origin.kind,
                       aliases=[a.text for a in aliases.get(origin.id, ())], claim_id=telling.id),
        chain=chain(claim),
        group=[group_member(m) for m in members],
        drift=hop_drift(claim) + group_drift(claim, members),
    )
    return name_sources(found, aliases, lang or claim.lang)


def name_sources(found: Provenance, aliases: dict[uuid.UUID, list], lang: str) -> Provenance:
    """Set every source's ``display_name`` in ``lang`` (the one rule, ``claims.names``) from its
    record name (on the reference) and its aliases (``aliases``: source id → alias rows)."""
    refs = [h.source for h in found.chain] + [g.speaker for g in found.group if g.speaker] + [found.origin]
    for ref in refs:
        ref.display_name = display_name(_Row(name=ref.name, aliases=aliases.get(ref.id, [])), lang)
    return found
