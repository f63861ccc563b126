"""Full-text search over claims: the one seam between ``ask`` and the term index.

Seam (kept stable for whoever replaces the internals, e.g. SQLite FTS5 / PostgreSQL tsvector):

    search(session, query, *, limit=50) -> SearchResult
        ``query`` is free text; it is analysed by ``claims.indexing.index_terms`` (folded,
        stemmed words in both languages plus ``@entity`` terms), the same analysis that wrote
        the index. The result carries the query's terms, each term's IDF, and the ``limit``
        best hits by BM25, each with the set of query terms that claim contains (``matched``).
        Terms absent from the index get the highest IDF, so a question about something the
        store never mentions has low coverage everywhere.
    terms_of(session, claim_ids, terms) -> dict[uuid.UUID, set[str]]
        Which of ``terms`` each listed claim is indexed under (coverage of vector-only hits).
    clear_cache()
        Forget cached corpus statistics (tests; writes in this process are noticed anyway).

Internals: ``search_document`` holds one row per claim, its analysed terms space separated
(``claims.indexing``), indexed by the engine (migration 0009): an FTS5 external-content table
on SQLite, a GIN-indexed generated tsvector column of the terms as lexemes on PostgreSQL. A search

1. reads the corpus size and mean length without scanning (the FTS5 averages record; on
   PostgreSQL the planner's row estimate and a page sample, exact below ``EXACT_STATS_DOCS``),
2. reads each query term's document frequency from the index: a count capped at
   ``FULL_POSTINGS_DF`` + 1, beyond it an estimate (on SQLite from a sample of rowid windows,
   cached; exact from fts5vocab up to ``EXHAUSTIVE_DOCS`` claims; on PostgreSQL the ANALYZE
   estimate of the lexeme, and a term estimated at ``SURELY_FREQUENT`` times the cap or more is
   not counted),
3. asks the index for the claims holding any of the rarer terms (df ≤ ``FULL_POSTINGS_DF``;
   the rarest term when none is): all of them when their document frequencies add up to at
   most ``MAX_SCORED``, else the claims holding the rarest terms together, as few of them as
   it takes to fit in ``MAX_SCORED`` (``_pool``: capped conjunctions, never a ranking of every
   match, whose cost grows with the store),
4. scores that pool by the BM25 below over every query term (frequent terms add to the
   claims the rarer ones found, as before) from the documents' own terms, and keeps ``limit``.

Below ``EXHAUSTIVE_DOCS`` indexed claims every claim holding any query term is scored, so small
stores (tests, seeds, evaluation sets) get exactly the BM25 of every match.
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from claims import indexing
from claims.entities import place_terms
from claims.models import Claim, SearchDocument

K1 = 1.2
B = 0.75
_STATS_TTL_SECONDS = 5.0
#: Terms held by more claims than this only add to the claims that rarer query terms found.
FULL_POSTINGS_DF = 2_000
#: Up to this many indexed claims every match is scored (no pool).
EXHAUSTIVE_DOCS = 10_000
#: Above ``EXHAUSTIVE_DOCS``, at most this many claims are scored a search (``_pool``): scoring
#: is Python, ~10 µs a claim, and it must not grow with the store.
MAX_SCORED = 2_000
#: PostgreSQL: below this many documents (planner estimate) the statistics are counted exactly.
EXACT_STATS_DOCS = 50_000
#: PostgreSQL, from ``EXACT_STATS_DOCS`` documents: a term whose ANALYZE estimate is at least this
#: many times the cap is taken as frequent without counting (at the default statistics target
#: ANALYZE samples 30,000 rows: an estimate 1.5 x the cap is many standard errors above it).
SURELY_FREQUENT = 1.5
#: The PostgreSQL generated column of the terms as lexemes, GIN-indexed (migration 0009).
PG_TSV = "tsv"
#: SQLite, above ``EXHAUSTIVE_DOCS``: the frequent terms' document frequencies are estimated from
#: about this many claims in this many windows of rowids, and kept this many seconds.
SAMPLE_DOCS = 32_000
SAMPLE_WINDOWS = 8
_ESTIMATE_TTL = 300.0
_stats_cache: dict[str, tuple[float, int, float, int]] = {}
_estimate_cache: dict[tuple[str, str], tuple[float, int]] = {}
_lexeme_cache: dict[str, tuple[float, dict[str, float]]] = {}


def clear_cache() -> None:
    _stats_cache.clear()
    _lexeme_cache.clear()
    _estimate_cache.clear()


@dataclass
class Hit:
    claim_id: uuid.UUID
    score: float
    matched: set[str] = field(default_factory=set)


@dataclass
class SearchResult:
    query_terms: list[str]
    idf: dict[str, float]
    hits: list[Hit]

    @property
    def required(self) -> set[str]:
        """Entity terms: an answer must mention every entity the question names (a place only
        where: ``claims.entities.place_terms``, checked by ``support.lacks_place``)."""
        places = place_terms()
        return {t for t in self.query_terms if t.startswith("@") and t not in places}

    def satisfies(self, hit: Hit) -> bool:
        return self.required <= hit.matched

    def coverage(self, hit: Hit) -> float:
        """Share of the query's information (IDF mass) that the hit contains."""
        total = sum(self.idf[t] for t in set(self.query_terms))
        return sum(self.idf[t] for t in hit.matched) / total if total else 0.0


def search(session: Session, query: str, *, limit: int = 50) -> SearchResult:
    """BM25 over the engine's full-text index (see the module docstring for the contract)."""
    qterms = list(dict.fromkeys(indexing.index_terms(query)))
    if not qterms:
        return SearchResult([], {}, [])
    engine = _engine(session)
    n_docs, avgdl = engine.stats(session)
    df = engine.document_frequencies(session, qterms, n_docs)
    max_idf = math.log(1 + (n_docs + 0.5) / 0.5)
    idf = {
        t: (math.log(1 + (n_docs - df[t] + 0.5) / (df[t] + 0.5)) if df.get(t) else max_idf) for t in qterms
    }
    present = sorted((t for t in qterms if df.get(t)), key=lambda t: df[t])
    if not present:
        return SearchResult(qterms, idf, [])
    if n_docs <= EXHAUSTIVE_DOCS:
        rows = engine.matching_any(session, present)
    else:
        rows = _pool(session, engine, present, df)
    wanted = set(qterms)
    # The pool's rows are scored as they come from the driver (ids still raw: only the ``limit``
    # kept become UUIDs; a raw id orders as its UUID does, 16 big-endian bytes or the UUID).
    scored: list[tuple[float, object, set[str]]] = []
    k1_plus_1, norm_a, norm_b = K1 + 1, K1 * (1 - B), K1 * B / avgdl
    for raw_id, terms in rows:
        words = terms.split()
        held = wanted.intersection(words)
        if not held:
            continue
        length_norm = norm_a + norm_b * len(words)
        score = 0.0
        for t in held:
            tf = words.count(t)
            score += idf[t] * tf * k1_plus_1 / (tf + length_norm)
        scored.append((-score, raw_id, held))
    scored.sort()  # by score, then id (ids are unique: the sets are never compared)
    to_uuid = _uuid_of(session)
    return SearchResult(qterms, idf, [Hit(to_uuid(raw_id), -neg, held) for neg, raw_id, held in scored[:limit]])


def _pool(session: Session, engine, present: list[str], df: dict[str, int]) -> list[tuple[object, str]]:
    """The claims a large store scores (``present``: the query's indexed terms, rarest first):
    every claim holding a rarer term (df ≤ ``FULL_POSTINGS_DF``; the rarest term when none is)
    while those are at most ``MAX_SCORED``; else the claims holding the rarest terms together,
    as few of them as it takes to fit (rarest two, three, ...; beyond all of them the first
    ``MAX_SCORED`` the index lists). Each step is a conjunction read up to the cap, so the work
    is bounded by ``MAX_SCORED`` rows a step, not by the store."""
    rare = [t for t in present if df[t] <= FULL_POSTINGS_DF] or present[:1]
    if sum(df[t] for t in rare) <= MAX_SCORED:
        return engine.matching_any(session, rare)
    rows: list[tuple[object, str]] = []
    for m in range(2, len(present) + 1):
        rows = engine.matching_all(session, present[:m], MAX_SCORED + 1)
        if len(rows) <= MAX_SCORED:
            return rows
    return rows[:MAX_SCORED]


def matching_all(session: Session, query: str, *, limit: int = 1000) -> list[uuid.UUID]:
    """Claims holding every one of the query's terms, best first (the listings' filter)."""
    qterms = list(dict.fromkeys(indexing.index_terms(query)))
    if not qterms:
        return []
    to_uuid = _uuid_of(session)
    return [to_uuid(cid) for cid, _ in _engine(session).matching_all(session, qterms, limit, ranked=True)]


def terms_of(session: Session, claim_ids: list[uuid.UUID], terms: set[str]) -> dict[uuid.UUID, set[str]]:
    out: dict[uuid.UUID, set[str]] = {cid: set() for cid in claim_ids}
    if not claim_ids or not terms:
        return out
    for i in range(0, len(claim_ids), 500):
        rows = session.execute(
            select(SearchDocument.claim_id, SearchDocument.terms).where(SearchDocument.claim_id.in_(claim_ids[i : i + 500]))
        )
        for cid, held in rows:
            out[cid] = terms.intersection(held.split())
    return out


# --- the engines' indexes -----------------------------------------------------------------------


def _fts5_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _tsquery_lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _varints(blob: bytes) -> list[int]:
    """SQLite's varints (big-endian, 7 bits a byte, the 9th byte whole), as FTS5 stores them."""
    out, i = [], 0
    while i < len(blob):
        value = 0
        for n in range(9):
            byte = blob[i]
            i += 1
            if n == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        out.append(value)
    return out


class _SQLite:
    @staticmethod
    def stats(session: Session) -> tuple[int, float]:
        # FTS5's averages record (rowid 1 of the data table): documents, then tokens per column.
        block = session.execute(text("SELECT block FROM search_fts_data WHERE id = 1")).scalar()
        values = _varints(bytes(block)) if block else []
        if len(values) >= 2 and values[0]:
            return values[0], (values[1] / values[0]) or 1.0
        return 0, 1.0

    @staticmethod
    def document_frequencies(session: Session, terms: list[str], n_docs: int) -> dict[str, int]:
        """Exact (fts5vocab) up to ``EXHAUSTIVE_DOCS`` claims. Beyond, fts5vocab would read every
        posting of every term: a count capped at ``FULL_POSTINGS_DF`` + 1, and beyond the cap an
        estimate from ``SAMPLE_WINDOWS`` windows of rowids spread over the index (about
        ``SAMPLE_DOCS`` claims, as ANALYZE samples for PostgreSQL), kept ``_ESTIMATE_TTL`` s."""
        if n_docs <= EXHAUSTIVE_DOCS:
            rows = session.execute(
                text("SELECT term, doc FROM search_fts_vocab WHERE term IN ({})".format(", ".join(f":t{i}" for i in range(len(terms))))),
                {f"t{i}": t for i, t in enumerate(terms)},
            )
            return dict(rows.all())
        key, now = str(session.get_bind().url), time.monotonic()
        df: dict[str, int] = {}
        counted = []
        for term in terms:
            cached = _estimate_cache.get((key, term))
            if cached and now - cached[0] < _ESTIMATE_TTL:
                df[term] = cached[1]
            else:
                counted.append(term)
        if not counted:
            return df
        cap = FULL_POSTINGS_DF + 1
        terms_sql, params = _values(counted)
        rows = session.execute(
            text(f"SELECT t.column1, (SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH t.column2 "
                 f"LIMIT :cap)) FROM ({terms_sql}) t"),
            {**params, "cap": cap},
        ).all()
        df.update({term: n for term, n in rows if n})
        frequent = [t for t in counted if df.get(t, 0) >= cap]
        if frequent:
            lo, hi = session.execute(text("SELECT (SELECT min(id) FROM search_document), (SELECT max(id) FROM search_document)")).one()
            span = hi - lo + 1
            width = max(1, min(span, SAMPLE_DOCS) // SAMPLE_WINDOWS)
            starts = sorted({lo + (span - width) * k // max(1, SAMPLE_WINDOWS - 1) for k in range(SAMPLE_WINDOWS)})
            windows = " UNION ALL ".join(f"SELECT {int(a)} AS a, {int(a) + width - 1} AS b" for a in starts)
            terms_sql, params = _values(frequent)
            rows = session.execute(
                text(f"SELECT t.column1, sum((SELECT count(*) FROM search_fts WHERE search_fts MATCH t.column2 "
                     f"AND rowid BETWEEN w.a AND w.b)) FROM ({terms_sql}) t, ({windows}) w GROUP BY t.column1"),
                params,
            ).all()
            for term, n in rows:
                df[term] = max(cap, round((n or 0) * span / (width * len(starts))))
                _estimate_cache[(key, term)] = (now, df[term])
        return df

    @staticmethod
    def matching_any(session: Session, terms: list[str]) -> list[tuple[object, str]]:
        return _claim_rows(session, _SQLite._MATCH, {"match": " OR ".join(_fts5_string(t) for t in terms), "limit": -1})

    @staticmethod
    def matching_all(session: Session, terms: list[str], limit: int, *, ranked: bool = False) -> list[tuple[object, str]]:
        """Up to ``limit`` claims holding every term: best first by FTS5's bm25 if ``ranked``
        (the listings), else in the index's order (the pool: ranking reads every posting of
        every term to weigh it)."""
        sql = _SQLite._MATCH.replace("LIMIT", "ORDER BY search_fts.rank LIMIT") if ranked else _SQLite._MATCH
        return _claim_rows(session, sql, {"match": " AND ".join(_fts5_string(t) for t in terms), "limit": limit})

    _MATCH = ("SELECT d.claim_id, d.terms FROM search_fts JOIN search_document d ON d.id = search_fts.rowid "
              "WHERE search_fts MATCH :match LIMIT :limit")


class _PostgreSQL:
    @staticmethod
    def stats(session: Session) -> tuple[int, float]:
        key = str(session.get_bind().url)
        cached = _stats_cache.get(key)
        now = time.monotonic()
        if cached and cached[3] == indexing.generation and now - cached[0] < _STATS_TTL_SECONDS:
            return cached[1], cached[2]
        estimate = session.execute(
            text("SELECT reltuples FROM pg_class WHERE oid = 'search_document'::regclass")
        ).scalar() or -1
        if estimate < EXACT_STATS_DOCS:
            n = session.execute(select(func.count()).select_from(SearchDocument)).scalar() or 0
            avg = session.execute(select(func.avg(Claim.term_count)).where(Claim.term_count > 0)).scalar()
        else:  # the planner's count and a sample of about 5,000 claims' lengths
            n = int(estimate)
            percent = min(100.0, 5_000 * 100.0 / n)
            avg = session.execute(
                text(f"SELECT avg(term_count) FROM claim TABLESAMPLE SYSTEM ({percent:.4f}) WHERE term_count > 0")
            ).scalar()
        n, avg = int(n or 0), float(avg or 0.0) or 1.0
        _stats_cache[key] = (now, n, avg, indexing.generation)
        return n, avg

    @staticmethod
    def document_frequencies(session: Session, terms: list[str], n_docs: int) -> dict[str, int]:
        cap = FULL_POSTINGS_DF + 1
        df: dict[str, int] = {}
        counted = terms
        if n_docs >= EXACT_STATS_DOCS:
            # A term ANALYZE found in far more claims than the cap gets that estimate without a
            # count (what the count would have led to: counting it visits ``cap`` heap rows).
            freqs = _lexeme_frequencies(session)
            counted = []
            for term in terms:
                estimate = round(freqs.get(term, 0.0) * n_docs)
                if estimate >= SURELY_FREQUENT * cap:
                    df[term] = estimate
                else:
                    counted.append(term)
        if not counted:
            return df
        rows = session.execute(
            text(f"SELECT t.term, (SELECT count(*) FROM (SELECT 1 FROM search_document "
                 f"WHERE {PG_TSV} @@ CAST(t.q AS tsquery) LIMIT :cap) s) "
                 "FROM unnest(CAST(:terms AS text[]), CAST(:queries AS text[])) AS t(term, q)"),
            {"terms": counted, "queries": [_tsquery_lexeme(t) for t in counted], "cap": cap},
        ).all()
        df.update({term: int(n) for term, n in rows if n})
        frequent = [t for t in counted if df.get(t, 0) >= cap]
        if frequent:  # beyond the cap: the ANALYZE estimate of the lexeme's frequency
            freqs = _lexeme_frequencies(session)
            for term in frequent:
                df[term] = max(cap, round(freqs.get(term, 0.0) * n_docs))
        return df

    @staticmethod
    def matching_any(session: Session, terms: list[str]) -> list[tuple[object, str]]:
        return _claim_rows(session, f"SELECT claim_id, terms FROM search_document WHERE {PG_TSV} @@ CAST(:q AS tsquery)",
                           {"q": " | ".join(_tsquery_lexeme(t) for t in terms)})

    @staticmethod
    def matching_all(session: Session, terms: list[str], limit: int, *, ranked: bool = False) -> list[tuple[object, str]]:
        """Up to ``limit`` claims holding every term (unranked, as the listings always were here)."""
        return _claim_rows(
            session,
            f"SELECT claim_id, terms FROM search_document WHERE {PG_TSV} @@ CAST(:q AS tsquery) LIMIT :limit",
            {"q": " & ".join(_tsquery_lexeme(t) for t in terms), "limit": limit},
        )


def _values(terms: list[str]) -> tuple[str, dict[str, str]]:
    """A VALUES list of (term, its FTS5 string) and its parameters."""
    sql = "VALUES " + ", ".join(f"(:t{i}, :q{i})" for i in range(len(terms)))
    params = {f"t{i}": t for i, t in enumerate(terms)} | {f"q{i}": _fts5_string(t) for i, t in enumerate(terms)}
    return sql, params


def _lexeme_frequencies(session: Session) -> dict[str, float]:
    """The most common lexemes of ``search_document.tsv`` and their share of documents, as the
    last ANALYZE sampled them (empty before the first)."""
    key = str(session.get_bind().url)
    cached = _lexeme_cache.get(key)
    now = time.monotonic()
    if cached and now - cached[0] < 300:
        return cached[1]
    row = session.execute(
        text("SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
             "WHERE tablename = 'search_document' AND attname = 'tsv' LIMIT 1")
    ).first()
    freqs = dict(zip(row[0], row[1], strict=False)) if row and row[0] is not None else {}
    _lexeme_cache[key] = (now, freqs)
    return freqs


def _claim_rows(session: Session, sql: str, params: dict) -> list[tuple[object, str]]:
    """(raw claim id, terms) of a hand-written query, read on the driver's cursor in the
    session's transaction (a pool is thousands of rows: SQLAlchemy's row objects and GUID's
    result processing cost more than the query). ``_uuid_of`` converts an id."""
    connection = session.connection()
    compiled = text(sql).compile(dialect=connection.dialect)
    values = {name: params[name] for name in compiled.binds}
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), [values[n] for n in compiled.positiontup] if compiled.positional else values)
        return cursor.fetchall()
    finally:
        cursor.close()


def _uuid_of(session: Session):
    """The UUID of a raw id from ``_claim_rows`` (SQLite stores GUID as its 16 bytes)."""
    if session.get_bind().dialect.name == "sqlite":
        return lambda raw: uuid.UUID(bytes=bytes(raw))
    return lambda raw: raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))


def _engine(session: Session):
    return _PostgreSQL if session.get_bind().dialect.name == "postgresql" else _SQLite
