"""The JSON contract (pydantic v2): what clients send and what they get back.

The ``/ask`` response shape is a published contract: extend it, never break it.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.json_schema import WithJsonSchema

from claims.vocabulary import Modality, Relation, ReviewStatus, SourceKind, Stance, Verdict

T = TypeVar("T")

# Every constraint the server applies to a value is one JSON Schema can state, so the OpenAPI
# document (generated from these models) accepts exactly what the server accepts. Patterns use
# explicit character classes only: ``\s``/``\d`` mean different things to Rust's regex
# (pydantic), ECMA (JSON Schema) and Python, an explicit class means the same to all three.

#: The characters ``str.isspace`` (and so ``str.strip``) treats as white space.
WHITESPACE = r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Any text without NUL (PostgreSQL cannot store it, and no real text needs it).
NO_NUL = r"^[^\u0000]*$"
#: Text without NUL that is not blank.
NOT_BLANK = rf"^[{WHITESPACE}]*[^\u0000{WHITESPACE}][^\u0000]*$"


def _nul_first(value: object) -> object:
    """Say "NUL" rather than quote the pattern that refuses it."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


def PlainText(max_length: int, *, min_length: int = 0) -> Any:  # noqa: N802 - a type, spelled like one
    """A string without NUL, at most ``max_length`` characters, kept exactly as sent."""
    return Annotated[
        str, StringConstraints(min_length=min_length, max_length=max_length, pattern=NO_NUL), BeforeValidator(_nul_first)
    ]


def _strip(value: str) -> str:
    return value.strip()


def Words(max_length: int) -> Any:  # noqa: N802
    """A non-blank string without NUL; surrounding white space is dropped after validation."""
    return Annotated[
        str,
        StringConstraints(min_length=1, max_length=max_length, pattern=NOT_BLANK),
        BeforeValidator(_nul_first),
        AfterValidator(_strip),
    ]


LangCode = Annotated[str, StringConstraints(min_length=2, max_length=2, pattern=r"^[a-z]{2}$")]
ShortText = Words(300)
Key = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=r"^[a-z0-9][a-z0-9._-]{0,119}$")]

#: RFC 3339 date-time as sent: date, ``T``, time, optional fraction, optional offset (none = UTC).
_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$", re.ASCII
)


def _rfc3339(value: object) -> object:
    """Only an RFC 3339 string is a timestamp: pydantic on its own would also take numbers
    ("0.5" is half a second after 1970) and other spellings the schema does not promise."""
    if isinstance(value, datetime.datetime):
        return value  # built in code, not parsed from a request
    if not isinstance(value, str) or not _RFC3339.match(value):
        raise ValueError("expected an RFC 3339 date-time such as 2026-01-02T03:04:05Z")
    if value[17:19] == "60":  # a leap second: RFC 3339 allows it, Python's datetime does not
        value = value[:17] + "59" + value[19:]
    return value


def as_utc(value: datetime.datetime | None) -> datetime.datetime | None:
    """Timestamps are stored in UTC; one sent without a UTC offset is taken to be UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value


Timestamp = Annotated[
    datetime.datetime,
    BeforeValidator(_rfc3339),
    AfterValidator(as_utc),
    WithJsonSchema({"type": "string", "format": "date-time", "description": "RFC 3339; without an offset, UTC"}),
]


def _article_text(value: str) -> str:
    if not value.strip():
        raise ValueError("text must not be blank")
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


#: A whole article as sent: kept exactly (offsets point into it), never blank, no NUL.
ArticleText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200_000, pattern=NOT_BLANK),
    BeforeValidator(_nul_first),
    AfterValidator(_article_text),
]
#: Offsets point into a stored text, which is at most this long.
MAX_OFFSET = 200_000
HttpUrl = Annotated[str, StringConstraints(min_length=8, max_length=2000, pattern=r"^https?://[^\u0000-\u0020\u007f]+$")]


def _reject_nul(value: object) -> object:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    if isinstance(value, list):
        for item in value:
            _reject_nul(item)
    return value


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="forbid", use_enum_values=True)

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        """No string field may hold NUL: PostgreSQL cannot store it, and no real text needs it."""
        return _reject_nul(value)


class Page(Schema, Generic[T]):
    """One page of a listing (every list pages the same way: limit/offset, total, next)."""

    items: list[T]
    total: int = Field(description="Items over all pages")
    limit: int
    offset: int
    next: str | None = Field(default=None, description="URL of the next page; null on the last one")


# --- operations --------------------------------------------------------------------------


class Health(Schema):
    """Liveness: the process is up."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok", "version": "0.1.0"}]})

    status: str
    version: str


class Readiness(Schema):
    """Readiness: can this process serve requests now?"""

    status: str = Field(description="'ready' or 'not ready'")
    version: str
    database: str
    revision: str | None
    head: str | None
    checks: dict[str, str] = Field(
        description="database, migrations, index and (with CLAIMS_WARM_UP) warm-up: 'ok...' or what is wrong or still running"
    )


# --- sources -----------------------------------------------------------------------------


class AliasIn(Schema):
    text: ShortText
    lang: LangCode | None = None
    note: PlainText(300) | None = None


class AliasOut(Schema):
    text: str
    lang: str | None
    note: str | None = None


_DISPLAY_NAME = (
    "How the source is named in the language of the answer or page (claims.names.display_name): its canonical "
    "name when written in that language, else a name alias in that script (never a role or back-reference such "
    "as 'the report' or 'المصدر'), else the canonical name; a publisher the text does not name is said as such. "
    "Null where no language applies (records read as stored)."
)


class SourceRef(Schema):
    id: uuid.UUID
    name: str = Field(description="The canonical (record) name")
    kind: SourceKind
    display_name: str | None = Field(default=None, description=_DISPLAY_NAME)


class SourceIn(Schema):
    name: ShortText
    kind: SourceKind
    key: Key | None = Field(default=None, description="Stable slug; derived from the name when omitted")
    description: PlainText(2000) | None = None
    aliases: list[AliasIn] = Field(default_factory=list, max_length=100)


class SourcePatch(Schema):
    name: ShortText | None = None
    kind: SourceKind | None = None
    description: PlainText(2000) | None = None
    aliases: list[AliasIn] | None = Field(default=None, max_length=100)


class SourceOut(SourceRef):
    key: str
    description: str | None
    aliases: list[AliasOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime


# --- documents ---------------------------------------------------------------------------


class DocumentIn(Schema):
    text: ArticleText
    lang: LangCode
    title: PlainText(500) | None = None
    url: HttpUrl | None = None
    published_at: Timestamp | None = None
    outlet_id: uuid.UUID | None = None
    author: Annotated[str, StringConstraints(max_length=500)] | None = None
    canonical_url: HttpUrl | None = None
    fetched_at: Timestamp | None = None


class IngestIn(Schema):
    """A raw article (plain text or HTML) for the extraction pipeline. ``lang`` is detected when
    omitted; the publisher is ``outlet_id`` (an existing source) or ``outlet`` (a name, matched
    to a stored source or created); ``extract: false`` only stores the document."""

    # The text, or a URL to fetch it from (stated in the schema too).
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": ["text"], "properties": {"text": {"type": "string"}}},
        {"required": ["url"], "properties": {"url": {"type": "string"}}},
    ]})

    text: ArticleText | None = Field(
        default=None, description="The article; omit it to fetch `url` and extract the article from the page"
    )
    lang: LangCode | None = None
    title: PlainText(500) | None = None
    url: HttpUrl | None = None
    published_at: Timestamp | None = None
    outlet_id: uuid.UUID | None = None
    outlet: ShortText | None = None
    extract: bool = True

    @model_validator(mode="after")
    def _text_or_url(self) -> IngestIn:
        if self.text is None and self.url is None:
            raise ValueError("send the article's text, or a url to fetch it from")
        return self


class DocumentPatch(Schema):
    title: PlainText(500) | None = None
    url: HttpUrl | None = None
    published_at: Timestamp | None = None
    outlet_id: uuid.UUID | None = None


class DocumentSummary(Schema):
    id: uuid.UUID
    lang: str
    title: str | None
    url: str | None
    published_at: datetime.datetime | None
    outlet: SourceRef | None
    content_hash: str
    created_at: datetime.datetime
    author: str | None = None
    canonical_url: str | None = None
    fetched_at: datetime.datetime | None = None
    story_id: uuid.UUID | None = None


class DocumentOut(DocumentSummary):
    text: str


# --- claims ------------------------------------------------------------------------------


class Evidence(Schema):
    document_id: uuid.UUID
    start: int
    end: int
    text: str


class HopIn(Schema):
    source_id: uuid.UUID
    relation: Relation
    lang: LangCode | None = None
    modality: Modality | None = None
    cue: PlainText(500) | None = None
    evidence_start: int | None = Field(default=None, ge=0, le=MAX_OFFSET)
    evidence_end: int | None = Field(default=None, ge=1, le=MAX_OFFSET)
    confidence: float | None = Field(default=None, ge=0, le=1, description="How sure an extractor is (0-1); leave empty for human-written records")

    # Both offsets or neither (stated in the schema; only "end after start" is beyond it).
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"properties": {"evidence_start": {"type": "null"}, "evidence_end": {"type": "null"}}},
        {"required": ["evidence_start", "evidence_end"],
         "properties": {"evidence_start": {"type": "integer"}, "evidence_end": {"type": "integer"}}},
    ]})

    @model_validator(mode="after")
    def _span(self) -> HopIn:
        if (self.evidence_start is None) != (self.evidence_end is None):
            raise ValueError("evidence_start and evidence_end go together")
        if self.evidence_start is not None and self.evidence_end <= self.evidence_start:
            raise ValueError("evidence_end must be greater than evidence_start")
        return self


class ChainHop(Schema):
    """One hop as the /ask and provenance contracts show it."""

    position: int
    source: SourceRef
    relation: Relation
    lang: str | None
    modality: Modality | None
    cue: str | None = None
    evidence: Evidence | None


class HopOut(ChainHop):
    """A hop as the claims resource shows it: the chain hop plus its review state."""

    review_status: ReviewStatus = ReviewStatus.UNREVIEWED
    review_note: str | None = None
    confidence: float | None = Field(default=None, description="The extraction pipeline's confidence in this hop (0-1); null when a person wrote it")


class ClaimIn(Schema):
    """A claim span of a stored document with its relay chain. Beyond the schema: ``end`` must be
    greater than ``start`` and ``speaker_id`` (when given) the source of hop 0 (422); the span
    must lie inside the document and ``text`` equal it, and every id must name a stored record
    (409: it disagrees with what is stored)."""

    document_id: uuid.UUID
    start: int = Field(ge=0, le=MAX_OFFSET)
    end: int = Field(ge=1, le=MAX_OFFSET)
    text: PlainText(200_000) | None = Field(default=None, description="If given, must equal document.text[start:end]")
    speaker_id: uuid.UUID | None = Field(default=None, description="Defaults to the source of hop 0")
    lang: LangCode | None = Field(default=None, description="Defaults to the document's language")
    modality: Modality = Modality.ASSERTED
    stance: Stance = Stance.AFFIRM
    group_key: Key | None = None
    key: Key | None = None
    hops: list[HopIn] = Field(min_length=1, max_length=50)
    confidence: float | None = Field(default=None, ge=0, le=1, description="How sure an extractor is (0-1); leave empty for human-written records")

    @model_validator(mode="after")
    def _span(self) -> ClaimIn:
        if self.end <= self.start:
            raise ValueError("end must be greater than start")
        return self


class ClaimPatch(Schema):
    modality: Modality | None = None
    stance: Stance | None = None
    group_key: Key | None = None
    speaker_id: uuid.UUID | None = None


class GroupRef(Schema):
    id: uuid.UUID
    key: str
    label: str | None


class ClaimOut(Schema):
    id: uuid.UUID
    key: str | None
    document_id: uuid.UUID
    text: str
    start: int
    end: int
    lang: str
    modality: Modality
    stance: Stance
    speaker: SourceRef
    group: GroupRef | None
    hops: list[HopOut]
    review_status: ReviewStatus = ReviewStatus.UNREVIEWED
    review_note: str | None = None
    confidence: float | None = Field(default=None, description="The extraction pipeline's confidence in this claim (0-1); null when a person wrote it")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class IngestOut(DocumentOut):
    """The stored document with the claims the pipeline extracted from it."""

    claims: list[ClaimOut]
    sources_created: int = 0
    sources_matched: int = 0
    grouped: int = 0


# --- provenance and ask ------------------------------------------------------------------


class ClaimBrief(Schema):
    id: uuid.UUID
    text: str
    lang: str
    modality: Modality
    stance: Stance


class Origin(Schema):
    id: uuid.UUID
    name: str = Field(description="The canonical (record) name")
    kind: SourceKind
    aliases: list[str]
    display_name: str | None = Field(default=None, description=_DISPLAY_NAME)
    #: The telling (this claim or a member of its group) whose hop 0 this is.
    claim_id: uuid.UUID | None = None


class GroupMember(Schema):
    claim_id: uuid.UUID
    document_id: uuid.UUID
    lang: str
    text: str
    modality: Modality | None = None
    speaker: SourceRef | None = None


class Drift(Schema):
    """A change between two hops of one chain (scope 'hop') or two members of a group ('group')."""

    from_position: int | None
    to_position: int | None
    field: str
    before: str | None
    after: str | None
    scope: str = "hop"
    from_claim_id: uuid.UUID | None = None
    to_claim_id: uuid.UUID | None = None


class Provenance(Schema):
    claim: ClaimBrief
    document_id: uuid.UUID
    origin: Origin
    chain: list[ChainHop]
    group: list[GroupMember]
    drift: list[Drift]


class AskIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"question": "Does the EU consider the IRGC a terrorist organisation?", "limit": 3},
        {"question": "من قال إن إيران ستملأ الفراغ؟"},
    ]})

    question: Words(500)
    limit: int = Field(default=3, ge=1, le=20)


def _id(n: int) -> str:
    return f"0190e3c4-0000-7000-8000-{n:012d}"


_PUBLISHER = {"id": _id(3), "name": "Unidentified publisher of seed 001", "kind": "outlet", "display_name": "an unidentified publisher"}
#: The OpenAPI example of an answer (a yes/no question whose tellings disagree on how firmly).
ASK_EXAMPLE = {
    "question": "Does the EU consider the IRGC a terrorist organisation?", "found": True, "intent": "verify", "lang": "en",
    "verdict": "disputed",
    "answers": [{
        "claim": {"id": _id(1), "text": "as the EU does", "lang": "en", "modality": "asserted", "stance": "affirm"},
        "document_id": _id(2),
        "origin": {**_PUBLISHER, "aliases": [], "claim_id": _id(1)},
        "chain": [{"position": 0, "source": _PUBLISHER, "relation": "published", "lang": "en", "modality": "asserted", "cue": None,
                   "evidence": {"document_id": _id(2), "start": 412, "end": 426, "text": "as the EU does"}}],
        "group": [{"claim_id": _id(4), "document_id": _id(5), "lang": "ar", "text": "كما يفكر الاتحاد الأوروبي بتصنيفه منظمة إرهابية",
                   "modality": "hedged", "speaker": {"id": _id(6), "name": "Al Arabiya", "kind": "outlet", "display_name": "Al Arabiya"}}],
        "drift": [{"from_position": None, "to_position": None, "field": "modality", "before": "asserted", "after": "hedged",
                   "scope": "group", "from_claim_id": _id(1), "to_claim_id": _id(4)}],
        "confidence": 0.99,
        "answer_text": "Disputed: an unidentified publisher states it, but Al Arabiya only hedges it. Originally an unidentified publisher.",
        "verdict": "disputed",
    }],
}


_VERDICT = (
    "For a yes/no question only (null otherwise): yes (stated firmly, or as firmly as the question "
    "states it), no (denied), only_hedged (no telling states it firmly), disputed (the tellings disagree: "
    "affirmed and denied, or stated firmly by some and only hedged by others), unsupported (nothing stored says it)"
)


class Answer(Provenance):
    confidence: float
    answer_text: str | None = None
    verdict: Verdict | None = Field(default=None, description=_VERDICT + "; judged on this proposition's tellings")


class AskOut(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [ASK_EXAMPLE]})

    question: str
    found: bool
    intent: str
    lang: str
    verdict: Verdict | None = Field(default=None, description=_VERDICT + "; the first answer's, or unsupported when none is found")
    answers: list[Answer]


# --- review and history ------------------------------------------------------------------

ReviewNote = Words(2000)


class ClaimCorrection(Schema):
    """Fields a reviewer may correct on a claim (only with status 'corrected'; at least one, none null)."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    modality: Modality = None  # type: ignore[assignment]  # absent = unchanged; null is not a modality
    stance: Stance = None  # type: ignore[assignment]


class HopCorrection(Schema):
    """Fields a reviewer may correct on a hop (only with status 'corrected'; at least one)."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    source_id: uuid.UUID = None  # type: ignore[assignment]  # absent = unchanged; a hop always has a source
    relation: Relation = None  # type: ignore[assignment]
    lang: LangCode | None = None
    modality: Modality | None = None
    cue: PlainText(500) | None = None


#: The review rules, stated in the schema: a note to correct or reject; corrections only with
#: status 'corrected'.
_REVIEW_RULES = {"allOf": [
    {"if": {"required": ["status"], "properties": {"status": {"enum": [ReviewStatus.CORRECTED.value, ReviewStatus.REJECTED.value]}}},
     "then": {"required": ["note"], "properties": {"note": {"type": "string"}}}},
    {"if": {"required": ["corrections"], "properties": {"corrections": {"type": "object"}}},
     "then": {"properties": {"status": {"const": ReviewStatus.CORRECTED.value}}}},
]}


class _ReviewIn(Schema):
    model_config = ConfigDict(json_schema_extra=_REVIEW_RULES)

    status: ReviewStatus
    note: ReviewNote | None = Field(default=None, description="Why; required to correct or reject")

    @model_validator(mode="after")
    def _rules(self):
        corrections = getattr(self, "corrections", None)
        if self.status in (ReviewStatus.CORRECTED, ReviewStatus.REJECTED) and not self.note:
            raise ValueError(f"a note is required to mark something {self.status}")
        if corrections is not None:
            if self.status != ReviewStatus.CORRECTED:
                raise ValueError("corrections go with status 'corrected'")
            if not corrections.model_fields_set:
                raise ValueError("corrections must change at least one field")
        return self


class ClaimReviewIn(_ReviewIn):
    corrections: ClaimCorrection | None = None


class HopReviewIn(_ReviewIn):
    corrections: HopCorrection | None = None


class ReviewOut(Schema):
    claim_id: uuid.UUID
    position: int | None = None
    review_status: ReviewStatus
    review_note: str | None


class FieldChange(Schema):
    before: Any = None
    after: Any = None


class VersionEvent(Schema):
    """One audit event that touched the claim or one of its hops."""

    event_id: int
    action: str
    entity_type: str
    entity_id: str
    position: int | None = None
    changes: dict[str, FieldChange]
    hash: str


class ClaimState(Schema):
    claim: dict[str, Any] | None
    hops: list[dict[str, Any]]


class Version(Schema):
    """The claim (with its hops) as it stood after one change set."""

    version: int
    occurred_at: datetime.datetime
    actor: str
    action: str
    reason: str | None
    events: list[VersionEvent]
    state: ClaimState


class History(Schema):
    claim_id: uuid.UUID
    versions: list[Version]
    deleted: bool = Field(default=False, description="The claim was deleted; its history stays (served in a 404 problem's 'history')")


# --- feeds and jobs ---------------------------------------------------------------------


class FeedIn(Schema):
    url: HttpUrl
    outlet: ShortText | None = None


class FeedOut(Schema):
    id: uuid.UUID
    url: str
    title: str | None
    outlet: SourceRef | None
    last_polled_at: datetime.datetime | None
    last_status: int | None
    last_error: str | None
    created_at: datetime.datetime


class JobIn(Schema):
    kind: PlainText(40, min_length=1) = Field(description="A registered job kind (the document lists them)")
    params: dict[PlainText(100), PlainText(2000)] = Field(default_factory=dict, max_length=20)
    idempotency_key: PlainText(200, min_length=1) | None = None


class JobProgress(Schema):
    done: int
    total: int | None


class JobOut(Schema):
    """A job's state. ``result_url`` serves a file result (a report) once the job succeeded."""

    id: uuid.UUID
    kind: str
    status: str
    params: dict[str, Any]
    progress: JobProgress
    attempts: int
    max_attempts: int
    result: dict[str, Any] | None
    result_url: str | None
    error: str | None
    url: str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
