"""The JSON contract (pydantic v2): what clients send and what they get back.

The ``/ask`` response shape is a published contract: extend it, never break it.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from claims.vocabulary import Modality, Relation, ReviewStatus, SourceKind, Stance

T = TypeVar("T")

LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$", strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,119}$")]


def as_utc(value: datetime.datetime | None) -> datetime.datetime | None:
    """Timestamps are stored in UTC; one sent without a UTC offset is taken to be UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value


Timestamp = Annotated[datetime.datetime, AfterValidator(as_utc)]


def _article_text(value: str) -> str:
    if not value.strip():
        raise ValueError("text must not be blank")
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


#: A whole article as sent: kept exactly (offsets point into it), never blank, no NUL.
ArticleText = Annotated[str, StringConstraints(min_length=1, max_length=200_000), AfterValidator(_article_text)]
HttpUrl = Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://\S+$")]


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
    items: list[T]
    total: int
    limit: int
    offset: int


# --- sources -----------------------------------------------------------------------------


class AliasIn(Schema):
    text: ShortText
    lang: LangCode | None = None
    note: Annotated[str, StringConstraints(max_length=300)] | None = None


class AliasOut(Schema):
    text: str
    lang: str | None
    note: str | None = None


class SourceRef(Schema):
    id: uuid.UUID
    name: str
    kind: SourceKind


class SourceIn(Schema):
    name: ShortText
    kind: SourceKind
    key: Key | None = Field(default=None, description="Stable slug; derived from the name when omitted")
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None
    aliases: list[AliasIn] = Field(default_factory=list, max_length=100)


class SourcePatch(Schema):
    name: ShortText | None = None
    kind: SourceKind | None = None
    description: Annotated[str, StringConstraints(max_length=2000)] | None = None
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
    title: Annotated[str, StringConstraints(max_length=500)] | None = None
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

    text: ArticleText | None = Field(
        default=None, description="The article; omit it to fetch `url` and extract the article from the page"
    )
    lang: LangCode | None = None
    title: Annotated[str, StringConstraints(max_length=500)] | None = None
    url: HttpUrl | None = None
    published_at: datetime.datetime | None = None
    outlet_id: uuid.UUID | None = None
    outlet: Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)] | None = None
    extract: bool = True

    @model_validator(mode="after")
    def _text_or_url(self) -> IngestIn:
        if self.text is None and self.url is None:
            raise ValueError("send the article's text, or a url to fetch it from")
        return self


class DocumentPatch(Schema):
    title: Annotated[str, StringConstraints(max_length=500)] | None = None
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
    cue: Annotated[str, StringConstraints(max_length=500)] | None = None
    evidence_start: int | None = Field(default=None, ge=0)
    evidence_end: int | None = Field(default=None, ge=1)
    confidence: float | None = Field(default=None, ge=0, le=1, description="How sure an extractor is (0-1); leave empty for human-written records")

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
    document_id: uuid.UUID
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    text: str | None = Field(default=None, description="If given, must equal document.text[start:end]")
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
    name: str
    kind: SourceKind
    aliases: list[str]
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
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    limit: int = Field(default=3, ge=1, le=20)

    @field_validator("question")
    @classmethod
    def _printable(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("question must not contain NUL characters")
        return value


class Answer(Provenance):
    confidence: float
    answer_text: str | None = None


class AskOut(Schema):
    question: str
    found: bool
    intent: str
    lang: str
    answers: list[Answer]


# --- review and history ------------------------------------------------------------------

ReviewNote = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]


class ClaimCorrection(Schema):
    """Fields a reviewer may correct on a claim (only with status 'corrected')."""

    modality: Modality | None = None
    stance: Stance | None = None

    @model_validator(mode="after")
    def _not_null(self) -> ClaimCorrection:
        for field in self.model_fields_set:
            if getattr(self, field) is None:
                raise ValueError(f"{field} cannot be corrected to null")
        return self


class HopCorrection(Schema):
    """Fields a reviewer may correct on a hop (only with status 'corrected')."""

    source_id: uuid.UUID | None = None
    relation: Relation | None = None
    lang: LangCode | None = None
    modality: Modality | None = None
    cue: Annotated[str, StringConstraints(max_length=500)] | None = None

    @model_validator(mode="after")
    def _not_null(self) -> HopCorrection:
        for field in ("source_id", "relation"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be corrected to null")
        return self


class _ReviewIn(Schema):
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
