"""The closed vocabularies of the record: kinds of source, modalities, stances, relations.

Each is a ``StrEnum`` so it serialises as its value, and each backs a named CHECK constraint.
"""

from __future__ import annotations

from enum import StrEnum


class SourceKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    OUTLET = "outlet"
    AGENCY = "agency"
    GOVERNMENT = "government"
    DOCUMENT = "document"
    ANONYMOUS = "anonymous"


class Modality(StrEnum):
    """How firmly a statement is made at one hop."""

    ASSERTED = "asserted"
    HEDGED = "hedged"
    HINTED = "hinted"
    DENIED = "denied"
    OPINION = "opinion"
    QUESTION = "question"
    REPORTED = "reported"


class Stance(StrEnum):
    """The speaker's polarity toward the proposition."""

    AFFIRM = "affirm"
    DENY = "deny"
    NEUTRAL = "neutral"


class Relation(StrEnum):
    """What a hop did with the statement it received."""

    SAID = "said"
    QUOTED = "quoted"
    PARAPHRASED = "paraphrased"
    REPORTED = "reported"
    TRANSLATED = "translated"
    PUBLISHED = "published"


class ReviewStatus(StrEnum):
    """Where a human fact-checker stands on a claim or hop."""

    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    REJECTED = "rejected"


class Verdict(StrEnum):
    """The answer to a yes/no question ("Does the EU consider …", "هل قال … إن …"), judged on
    every stored telling of the proposition (``claims.query.verdict``)."""

    #: The tellings state it firmly (or as firmly as the question does).
    YES = "yes"
    #: They deny it.
    NO = "no"
    #: No telling states it firmly: at most hedged, hinted, an opinion or a question.
    ONLY_HEDGED = "only_hedged"
    #: The tellings disagree: some affirm and some deny, or some state it firmly while others
    #: only hedge it.
    DISPUTED = "disputed"
    #: Nothing stored says it.
    UNSUPPORTED = "unsupported"


class Scope(StrEnum):
    """What an API key may do."""

    READ = "read"
    WRITE = "write"
    REVIEW = "review"
    ADMIN = "admin"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REVIEW = "review"


class JobStatus(StrEnum):
    """A job's life: queued → running → succeeded, or back to queued for a retry, or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class FeedEntryStatus(StrEnum):
    INGESTED = "ingested"  # stored as a new document
    DUPLICATE = "duplicate"  # its canonical URL or its text was already stored
    FAILED = "failed"  # fetching or extracting it failed (the error is kept; retried next poll)


#: Ordering used to tell whether a later hop hardened (+) or softened (-) a statement.
MODALITY_STRENGTH: dict[Modality, int] = {
    Modality.DENIED: 0,
    Modality.QUESTION: 1,
    Modality.HINTED: 2,
    Modality.HEDGED: 3,
    Modality.OPINION: 3,
    Modality.REPORTED: 4,
    Modality.ASSERTED: 5,
}

#: Languages the pipeline understands; other ISO 639-1 codes are stored but not analysed.
ANALYSED_LANGUAGES = ("ar", "en")


def sql_in(enum: type[StrEnum]) -> str:
    """The SQL list literal used in CHECK constraints for ``enum``."""
    return ", ".join(f"'{member.value}'" for member in enum)
