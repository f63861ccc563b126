"""Score `ask` on an annotated question set (the curated seeds or the team's held-out corpus).

A corpus directory has the layout ``claims seed`` reads (``sources.yaml``, ``annotations/*.yaml``
naming their article ``file``, optional ``groups.yaml``) plus ``questions.yaml`` and, for a
held-out corpus, ``splits.yaml`` (``articles: {file stem: dev|test}``, ``questions: {id: dev|test}``).

Two paths are scored on the same questions:

- curated: the annotations loaded with :func:`claims.seeding.seed` into a fresh database;
  sources are compared by key;
- ingested: the raw article texts stored through :class:`claims.ingest.IngestService` (the
  extraction pipeline, given only the language and the outlet's name); sources are compared by
  name and alias with the resolution rules (``claims.extraction.resolution.same_name``).

A question is answered correctly when

- ``found: false``: ``ask`` finds nothing (anything else is a *false answer*);
- ``found: true``: the top answer's claim overlaps an expected claim (a member of ``group`` or
  the ``claim``) in the same document, its origin is ``origin`` and its chain (origin to
  publisher) is an expected chain: the question's ``chain``, or else the chain of any expected
  claim whose position 0 is ``origin`` (``questions.yaml`` of the held-out corpus spells them out as
  ``chain`` or ``chains``). Without an ``origin`` (some seed questions) only the
  claim is checked, and the result says how many were scored that way.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine, make_url

from claims.seeding import locate
from claims.services import content_hash
from claims.yamlfile import read_yaml

CONFIDENCE_BUCKETS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


def _yaml(path: Path) -> Any:
    return read_yaml(path)


def ask_function():
    """The public ``ask`` (``claims.query``)."""
    from claims.query import ask

    return ask


# ----------------------------------------------------------------------------- the corpus
@dataclass
class ExpectedClaim:
    key: str
    file: str
    doc_hash: str
    start: int
    end: int
    lang: str
    group: str | None
    chain: list[str]


@dataclass
class Corpus:
    root: Path
    sources: dict[str, dict]
    annotations: dict[str, dict]  # file stem -> annotation
    claims: dict[str, ExpectedClaim]
    questions: list[dict]
    splits: dict[str, dict[str, str]]  # {"articles": {stem: split}, "questions": {id: split}}

    def forms(self, key: str) -> list[str]:
        entry = self.sources[key]
        return [entry["name"], *[a["text"] for a in entry.get("aliases") or []]]

    def outlet_of(self, doc_hash: str) -> str | None:
        """The outlet key annotated for the article with this content hash."""
        for stem, ann in self.annotations.items():
            if content_hash(self.article_text(stem)) == doc_hash:
                return ann.get("outlet")
        return None

    def article_text(self, stem: str) -> str:
        return (self.root / self.annotations[stem]["file"]).read_text(encoding="utf-8")

    def articles(self, split: str | None = None) -> list[str]:
        stems = sorted(self.annotations)
        if split in (None, "all"):
            return stems
        return [s for s in stems if self.splits.get("articles", {}).get(s) == split]

    def split_questions(self, split: str | None = None) -> list[dict]:
        if split in (None, "all"):
            return list(self.questions)
        by_id = self.splits.get("questions", {})
        return [q for q in self.questions if by_id.get(q.get("id")) == split]

    def expected(self, q: dict) -> list[ExpectedClaim]:
        if q.get("group"):
            return [c for c in self.claims.values() if c.group == q["group"]]
        if q.get("claim"):
            return [self.claims[q["claim"]]] if q["claim"] in self.claims else []
        return []

    def expected_chains(self, q: dict) -> list[list[str]]:
        if q.get("chain"):
            return [list(q["chain"])]
        if q.get("chains"):
            return [list(c) for c in q["chains"]]
        chains = []
        for c in self.expected(q):
            if q.get("origin") in (None, c.chain[0]) and c.chain not in chains:
                chains.append(c.chain)
        return chains

    def cross_lingual(self, q: dict) -> bool:
        """The question's language is not the language of any document stating what it asks."""
        targets = self.expected(q) if q.get("found") else [self.claims[q["near"]]] if q.get("near") in self.claims else []
        return bool(targets) and all(c.lang != q["lang"] for c in targets)


def load_corpus(root: Path) -> Corpus:
    sources = {s["key"]: s for s in _yaml(root / "sources.yaml")["sources"]}
    annotations, claims = {}, {}
    for path in sorted((root / "annotations").glob("*.yaml")):
        ann = _yaml(path)
        stem = Path(ann["file"]).stem
        annotations[stem] = ann
        text = (root / ann["file"]).read_text(encoding="utf-8")
        digest = content_hash(text)
        for entry in ann.get("claims") or []:
            start, end = locate(text, entry["text"], occurrence=entry.get("occurrence"))
            claims[entry["key"]] = ExpectedClaim(
                key=entry["key"],
                file=ann["file"],
                doc_hash=digest,
                start=start,
                end=end,
                lang=ann["lang"],
                group=entry.get("group"),
                chain=[h["source"] for h in entry["hops"]],
            )
    questions = _yaml(root / "questions.yaml")["questions"]
    splits_path = root / "splits.yaml"
    splits = _yaml(splits_path) if splits_path.exists() else {}
    return Corpus(root, sources, annotations, claims, questions, splits)


# ----------------------------------------------------------------------------- databases
@contextmanager
def fresh_database(database_url: str | None, label: str) -> Iterator[Engine]:
    """A migrated, empty database: a temporary SQLite file, or a throw-away database created on
    the PostgreSQL server of ``database_url`` (dropped afterwards)."""
    from sqlalchemy import create_engine, text

    from claims import migrate
    from claims.db import make_engine

    if not database_url or make_url(database_url).get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{tmp}/{label}.db")
            migrate.upgrade(engine)
            try:
                yield engine
            finally:
                engine.dispose()
        return
    server = make_url(database_url)
    name = f"qa_{label}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(server.set(database=name).render_as_string(hide_password=False))
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def load_curated(engine: Engine, root: Path) -> None:
    from claims.db import session_factory
    from claims.seeding import seed

    with session_factory(engine)() as s:
        s.info["actor"] = "qa-eval"
        seed(s, root)
        s.commit()


def load_ingested(engine: Engine, corpus: Corpus, stems: Iterable[str] | None = None, *, outlet_names: bool = True) -> None:
    """Store the raw article texts through the extraction pipeline (language and, if asked, the
    outlet's name are all it is told)."""
    from claims.db import session_factory
    from claims.ingest import IngestService

    for stem in stems if stems is not None else corpus.articles():
        ann = corpus.annotations[stem]
        outlet = corpus.sources[ann["outlet"]]["name"] if outlet_names and ann.get("outlet") else None
        with session_factory(engine)() as s:
            s.info["actor"] = "qa-eval"
            IngestService(s).ingest(corpus.article_text(stem), lang=ann["lang"], outlet=outlet)
            s.commit()


# ----------------------------------------------------------------------------- judging
@dataclass
class Judgement:
    question: dict
    found: bool
    confidence: float | None
    why: str
    claim_ok: bool = False
    origin_ok: bool = False
    chain_ok: bool = False
    claim_only: bool = False
    verdict_ok: bool | None = None
    #: The origin was right only as "the unnamed publisher of the right document" (``role``).
    by_role: bool = False

    @property
    def correct(self) -> bool:
        """Origin and chain right (answerable), or nothing found (unanswerable)."""
        if not self.question.get("found"):
            return not self.found
        return self.claim_ok and self.origin_ok and self.chain_ok

    @property
    def correct_origin(self) -> bool:
        """The looser measure: the right claim and origin, whatever chain is shown."""
        if not self.question.get("found"):
            return not self.found
        return self.claim_ok and self.origin_ok


@dataclass
class PathScore:
    judgements: list[Judgement] = field(default_factory=list)

    @property
    def answerable(self) -> list[Judgement]:
        return [j for j in self.judgements if j.question.get("found")]

    @property
    def unanswerable(self) -> list[Judgement]:
        return [j for j in self.judgements if not j.question.get("found")]

    def summary(self, corpus: Corpus | None = None) -> dict[str, Any]:
        ans, un = self.answerable, self.unanswerable
        out: dict[str, Any] = {
            "questions": len(self.judgements),
            "correct": sum(j.correct for j in self.judgements),
            "answerable": len(ans),
            "top1_origin_chain": sum(j.correct for j in ans),
            "top1_accuracy": round(sum(j.correct for j in ans) / len(ans), 4) if ans else None,
            "top1_origin": sum(j.correct_origin for j in ans),
            "unanswerable": len(un),
            "false_answers": sum(j.found for j in un),
            "scored_by_answering_nothing": len(un),
            "claim_only": sum(j.claim_only for j in ans),
            "confidence_table": confidence_table(self.judgements),
        }
        verdicts = [j.verdict_ok for j in self.judgements if j.verdict_ok is not None]
        out["verdicts_checked"] = len(verdicts)
        out["verdicts_correct"] = sum(verdicts)
        if corpus is not None:
            cross = [j for j in self.judgements if corpus.cross_lingual(j.question)]
            out["cross_lingual"] = {"questions": len(cross), "correct": sum(j.correct for j in cross)}
        return out


def confidence_table(judgements: list[Judgement]) -> list[dict[str, Any]]:
    """Top answers bucketed by ``confidence``: how many, and the share that was right (a false
    answer to an unanswerable question counts as wrong)."""
    rows = []
    for lo, hi in zip(CONFIDENCE_BUCKETS, CONFIDENCE_BUCKETS[1:], strict=False):
        inside = [j for j in judgements if j.found and j.confidence is not None and lo <= j.confidence < hi]
        rows.append(
            {
                "bucket": f"{lo:.1f}-{min(hi, 1.0):.1f}",
                "answers": len(inside),
                "share_correct": round(sum(j.correct for j in inside) / len(inside), 4) if inside else None,
            }
        )
    return rows


#: The corpus's verdict labels that name an answer's ``Verdict`` by another word.
_VERDICT_LABELS = {"hedged": "only_hedged"}


def _verdict(answer: Any) -> str | None:
    value = getattr(answer, "verdict", None)
    return getattr(value, "value", value)


def _expected_verdict(q: dict) -> str | None:
    label = q.get("verdict")
    return _VERDICT_LABELS.get(label, label)


def judge_answer(session, corpus: Corpus, q: dict, top: Any, *, by_key: bool, role: bool = False) -> Judgement:
    """Judge one top answer (``None`` when nothing was found) to question ``q``.

    ``role`` (an ingested path told no outlet names): the publisher of the answer's document,
    which the text does not name, is the outlet annotated for that document; it cannot be
    named, so it is matched by what it is (counted in ``Judgement.by_role``)."""
    from claims.extraction.resolution import same_name
    from claims.models import Claim, Document, Source
    from claims.names import is_unidentified_publisher

    roles: list[bool] = []

    def same_source(source: Source, key: str) -> bool:
        if by_key:
            return source.key == key
        own = [source.name, *[a.text for a in source.aliases]]
        if any(same_name(a, b) for a in own for b in corpus.forms(key)):
            return True
        if role and is_unidentified_publisher(source) and source.id == document.outlet_id and corpus.outlet_of(doc_hash) == key:
            roles.append(True)
            return True
        return False

    confidence = getattr(top, "confidence", None) if top is not None else None
    if not q.get("found"):
        why = "" if top is None else f"answered {top.claim.text[:60]!r}"
        return Judgement(q, top is not None, confidence, why)
    if top is None:
        return Judgement(q, False, None, "not found")
    claim = session.get(Claim, top.claim.id)
    document = session.get(Document, claim.document_id)
    doc_hash = document.content_hash
    span_ok = any(
        e.doc_hash == doc_hash and claim.start_offset < e.end and e.start < claim.end_offset for e in corpus.expected(q)
    )
    origin = session.get(Source, top.origin.id)
    origin_ok = q.get("origin") is None or same_source(origin, q["origin"])
    by_role = bool(roles)
    chain_sources = [session.get(Source, h.source.id) for h in top.chain]
    chain_ok = q.get("origin") is None or any(
        len(chain) == len(chain_sources) and all(same_source(src, k) for src, k in zip(chain_sources, chain, strict=True))
        for chain in corpus.expected_chains(q)
    )
    verdict_ok = None
    if q.get("verdict") and _verdict(top) is not None:
        verdict_ok = _verdict(top) == _expected_verdict(q)
    why = (
        f"claim {'ok' if span_ok else 'WRONG'} ({claim.text[:50]!r}), origin {'ok' if origin_ok else 'WRONG'} "
        f"({origin.name}), chain {'ok' if chain_ok else 'WRONG'} ({' > '.join(x.name for x in chain_sources)})"
    )
    return Judgement(
        q, True, confidence, why, claim_ok=span_ok, origin_ok=origin_ok, chain_ok=chain_ok,
        claim_only=q.get("origin") is None, verdict_ok=verdict_ok, by_role=by_role and span_ok and origin_ok,
    )


def judge(engine: Engine, corpus: Corpus, questions: list[dict], *, by_key: bool, role: bool = False) -> PathScore:
    """Ask every question on ``engine`` and judge the top answer (see the module docstring;
    ``role``: ``judge_answer``'s)."""
    from claims.db import session_factory

    ask = ask_function()
    score = PathScore()
    with session_factory(engine)() as s:
        for q in questions:
            result = ask(s, q["q"])
            top = result.answers[0] if result.found and result.answers else None
            score.judgements.append(judge_answer(s, corpus, q, top, by_key=by_key, role=role))
    return score
