"""What the pipeline produces: claims with exact spans, their relay chains, and the document's
entities (speakers, relays, outlets) before they are matched to stored sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from claims.vocabulary import Modality, Relation, SourceKind, Stance

Span = tuple[int, int]


@dataclass
class Mention:
    """A source as the document knows it: its names, its titles/roles, and where it is named."""

    id: int
    kind: SourceKind
    names: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    lang: str | None = None
    publisher: bool = False
    report: bool = False  # a report or statement whose later paragraphs may continue it
    translator: bool = False

    @property
    def display(self) -> str:
        if self.names:
            return max(self.names, key=len)
        return max(self.roles, key=len) if self.roles else "unknown"

    def all_forms(self) -> list[str]:
        return [*self.names, *self.roles]


@dataclass
class Hop:
    mention: Mention
    relation: Relation
    modality: Modality | None = None
    lang: str | None = None
    cue: str | None = None
    cue_span: Span | None = None
    speaker_span: Span | None = None
    evidence: Span | None = None
    confidence: float | None = None  # 0-1, see claims.extraction.confidence


@dataclass
class ExtractedClaim:
    start: int
    end: int
    text: str
    modality: Modality
    stance: Stance
    hops: list[Hop]
    paragraph: int = 0
    confidence: float | None = None  # 0-1: the product of the hops' confidences

    @property
    def speaker(self) -> Hop:
        return self.hops[0]

    @property
    def attributed(self) -> bool:
        """True when someone other than the publisher is the origin (an attribution)."""
        return not self.hops[0].mention.publisher


@dataclass
class Extraction:
    text: str
    lang: str
    claims: list[ExtractedClaim]
    mentions: list[Mention]
    publisher: Mention
    title: str | None = None
    furniture: list[Span] = field(default_factory=list)
