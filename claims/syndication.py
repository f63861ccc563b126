"""Syndication: the same article re-published by other outlets (a wire story copied whole,
trimmed or retitled) is one story with many appearances, and its first appearance is the
earliest dated one.

Near-duplicates are found with datasketch: a MinHash signature of each document's word
shingles, kept in ``document.minhash``, and an in-process MinHash LSH index rebuilt from those
rows (like the vector index), so any process can look a new document up in sub-linear time.
A candidate joins a story when its estimated Jaccard similarity is at least
``SIMILARITY``. A translation shares no shingles and is not a copy here; claim groups already
link propositions across languages.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from claims.db import StoredSince
from claims.models import Document, Source, Story
from claims.text import words

if TYPE_CHECKING:  # datasketch (with scipy) takes about a second to import: only ingest needs it
    from datasketch import MinHash

NUM_PERM = 128
SCHEME = "affine32"  # datasketch's default hashing scheme, named so stored signatures stay readable
SHINGLE = 4
#: Estimated Jaccard similarity of word 4-gram sets at or above which two documents are one story.
#: A copy trimmed to two thirds of the original scores about 0.67; different articles on the same
#: event, sharing names and phrases, stay well under 0.2 (tests/test_syndication.py).
SIMILARITY = 0.5
#: 42 bands of 3 rows (126 of the 128 values): a pair at Jaccard 0.5 becomes a candidate with
#: probability 0.996, at 0.3 with 0.68, at 0.2 with 0.29 (1 - (1 - s**3) ** 42); LSH finds
#: candidates, the estimate decides.
_LSH_BANDS = (42, 3)


def signature(text: str) -> MinHash:
    """MinHash of the folded text's word 4-grams (a short text: of its words)."""
    tokens = words(text)
    if len(tokens) >= SHINGLE:
        shingles = {" ".join(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}
    else:
        shingles = set(tokens)
    mh = _minhash()
    mh.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    return mh


_permutations = None


def _minhash(**values) -> MinHash:
    """A MinHash of this scheme; the permutations (fixed by the seed) are drawn once per process."""
    global _permutations
    from datasketch import MinHash

    if _permutations is None:
        mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME, **values)
        _permutations = mh.permutations
        return mh
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_permutations, **values)


def to_bytes(mh: MinHash) -> bytes:
    return np.asarray(mh.hashvalues, dtype="<u4").tobytes()


def from_bytes(blob: bytes) -> MinHash:
    return _minhash(hashvalues=np.frombuffer(blob, dtype="<u4"))


class _Index:
    """The LSH index of one database, kept current on each use by reading only the signatures
    of documents stored since (``claims.db.StoredSince``) and adding the documents this process
    signs; a document gone since (deleted, rolled back) drops out when it is next matched. A
    signature added to an older document by another process (``claims syndication backfill``)
    is seen once this process builds its index again."""

    def __init__(self) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=_LSH_BANDS)
        self.signatures: dict[uuid.UUID, MinHash] = {}
        self.lock = threading.Lock()
        self._since = StoredSince()

    def sync(self, session: Session) -> None:
        query = select(Document.id, Document.minhash).where(Document.minhash.is_not(None))
        for doc_id, blob in self._since.rows(session, query, Document.id):
            if doc_id not in self.signatures:  # the slack re-reads the last seconds' rows: decode each once
                self.put(doc_id, from_bytes(blob))

    def put(self, doc_id: uuid.UUID, mh: MinHash) -> None:
        if doc_id not in self.signatures:
            self.signatures[doc_id] = mh
            self.lsh.insert(doc_id, mh)

    def drop(self, doc_id: uuid.UUID) -> None:
        if self.signatures.pop(doc_id, None) is not None:
            self.lsh.remove(doc_id)

    def similar(self, mh: MinHash, exclude: uuid.UUID) -> list[tuple[float, uuid.UUID]]:
        found = []
        for doc_id in self.lsh.query(mh):
            if doc_id == exclude:
                continue
            score = mh.jaccard(self.signatures[doc_id])
            if score >= SIMILARITY:
                found.append((score, doc_id))
        return sorted(found, key=lambda pair: (-pair[0], str(pair[1])))


_indexes: dict[str, _Index] = {}
_indexes_lock = threading.Lock()


def _index_for(session: Session) -> _Index:
    key = session.get_bind().url.render_as_string(hide_password=True)
    with _indexes_lock:
        return _indexes.setdefault(key, _Index())


def reset() -> None:
    """Forget every in-process index (tests that empty the database call this)."""
    with _indexes_lock:
        _indexes.clear()


def link(session: Session, document: Document, signed: MinHash | None = None) -> Story | None:
    """Sign ``document`` and put it in the story of its nearest stored copy, if it has one.

    Two documents that copy each other make a new story; a copy of a member of a story joins
    that story. Returns the document's story (None when it has no copy). ``signed``: the
    document's ``signature``, computed by the caller (ingest writes it with a new document);
    stored here only if the document does not hold it already.
    """
    mh = signed if signed is not None else signature(document.text)
    blob = to_bytes(mh)
    if signed is None or document.minhash != blob:
        document.minhash = blob
        session.flush()
    index = _index_for(session)
    with index.lock:
        index.sync(session)
        matches = index.similar(mh, document.id)
        index.put(document.id, mh)
    for _score, doc_id in matches:
        other = session.get(Document, doc_id)
        if other is None:
            with index.lock:
                index.drop(doc_id)
            continue
        if other.story_id is not None:
            story = session.get(Story, other.story_id)
        else:
            story = Story(title=other.title or document.title)
            session.add(story)
            session.flush()
            other.story_id = story.id
        document.story_id = story.id
        # Members of other stories that this document also copies are the same story.
        others = {s for _, d in matches if (s := session.scalar(select(Document.story_id).where(Document.id == d)))}
        for merged in others - {story.id}:
            session.execute(update(Document).where(Document.story_id == merged).values(story_id=story.id))
        session.flush()
        return story
    return None


def backfill(session: Session, *, progress=None) -> int:
    """Sign and link every document that has no signature yet (idempotent); returns how many."""
    todo = list(session.scalars(select(Document.id).where(Document.minhash.is_(None)).order_by(Document.id)))
    for n, doc_id in enumerate(todo, 1):
        link(session, session.get(Document, doc_id))
        if progress is not None:
            progress(n, len(todo))
    return len(todo)


# --------------------------------------------------------------------------- first appearance


@dataclass
class Appearance:
    document_id: uuid.UUID
    outlet: str | None
    title: str | None
    url: str | None
    published_at: datetime.datetime | None
    copied_from: uuid.UUID | None = None  # the earliest dated appearance, for the later dated ones
    outlet_id: uuid.UUID | None = None


@dataclass
class FirstAppearance:
    """Who published a story first, who re-published it after, and which appearances are undated."""

    first: Appearance | None
    later: list[Appearance] = field(default_factory=list)
    undated: list[Appearance] = field(default_factory=list)

    @property
    def appearances(self) -> list[Appearance]:
        return ([self.first] if self.first else []) + self.later + self.undated


def _appearance(session: Session, doc: Document) -> Appearance:
    outlet = session.get(Source, doc.outlet_id).name if doc.outlet_id else None
    return Appearance(doc.id, outlet, doc.title, doc.canonical_url or doc.url, doc.published_at, outlet_id=doc.outlet_id)


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.replace(tzinfo=datetime.UTC) if value.tzinfo is None else value


def first_appearance(session: Session, document_ids: list[uuid.UUID]) -> FirstAppearance:
    """Order the documents, widened to every member of their stories, by publication date.

    The earliest dated one is the first appearance; every later dated one copied it (syndicated
    or re-reported); undated ones are listed as undated, never placed in time.
    """
    ids = set(document_ids)
    stories = set(session.scalars(select(Document.story_id).where(Document.id.in_(ids), Document.story_id.is_not(None))))
    if stories:
        ids |= set(session.scalars(select(Document.id).where(Document.story_id.in_(stories))))
    docs = [session.get(Document, i) for i in sorted(ids, key=str)]
    dated = sorted((d for d in docs if d is not None and d.published_at is not None),
                   key=lambda d: (_utc(d.published_at), str(d.id)))
    undated = [d for d in docs if d is not None and d.published_at is None]
    if not dated:
        return FirstAppearance(None, [], [_appearance(session, d) for d in undated])
    first = _appearance(session, dated[0])
    later = [_appearance(session, d) for d in dated[1:]]
    for item in later:
        item.copied_from = first.document_id
    return FirstAppearance(first, later, [_appearance(session, d) for d in undated])


def story_of(session: Session, document_id: uuid.UUID) -> FirstAppearance:
    """The first appearance of the story ``document_id`` belongs to (itself alone if none)."""
    return first_appearance(session, [document_id])


def _day(value: datetime.datetime) -> str:
    return _utc(value).strftime("%Y-%m-%d %H:%M UTC")


#: How ``describe`` says it, per language (one code path fills either).
_DESCRIBE = {
    "en": {
        "unknown": "an unknown publisher",
        "undated_all": "Undated: no publication date is recorded for any appearance, so who published first cannot be told.",
        "first": "First published by {who} on {day}",
        "later": "; then re-published by ",
        "undated": " Undated: ",
        "sep": ", ",
    },
    "ar": {
        "unknown": "ناشر غير معروف",
        "undated_all": "تاريخ النشر غير مسجل لأي ظهور: لا يمكن معرفة من نشر أولاً.",
        "first": "نشرها أولاً {who} في {day}",
        "later": "، ثم أعاد نشرها ",
        "undated": " بلا تاريخ: ",
        "sep": "، ",
    },
}


def describe(result: FirstAppearance, lang: str = "en", outlet_name: Callable[[uuid.UUID], str] | None = None) -> str:
    """One or two sentences saying who published first, who copied whom, with the dates; each
    outlet named by ``outlet_name(outlet id)`` when given (an answer's display-name rule)."""
    say = _DESCRIBE.get(lang, _DESCRIBE["en"])

    def name(a: Appearance) -> str:
        if a.outlet_id is not None and outlet_name is not None:
            return outlet_name(a.outlet_id)
        return a.outlet or say["unknown"]

    if result.first is None:
        return say["undated_all"]
    text = say["first"].format(who=name(result.first), day=_day(result.first.published_at))
    if result.later:
        text += say["later"] + say["sep"].join(f"{name(a)} ({_day(a.published_at)})" for a in result.later)
    text += "."
    if result.undated:
        text += say["undated"] + say["sep"].join(name(a) for a in result.undated) + "."
    return text
