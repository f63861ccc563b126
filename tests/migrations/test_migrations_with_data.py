"""Migrations keep the record: seed at head, step down to the first revision and back up,
on SQLite (batch mode rebuilds tables) and PostgreSQL; every row of the base tables survives."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from claims import migrate
from claims.audit import verify_chain
from claims.db import session_factory
from claims.keys import create_key
from claims.seeding import seed
from claims.settings import SEEDS_DIR
from tests.conftest import load_seeds

#: Tables of the first revision, with the columns every later revision keeps.
BASE_TABLES = {
    "source": "id, key, name, kind, description",
    "source_alias": "id, source_id, text, normalized",
    "document": "id, text, content_hash, lang, published_at",
    "claim_group": "id, key, label",
    "claim": "id, key, document_id, speaker_id, text, start_offset, end_offset, modality, stance",
    "relay_hop": "id, claim_id, position, source_id, relation, modality, evidence_start, evidence_end",
    "search_term": "term, claim_id, tf",  # search_document from 0009 (see _fingerprint)
    "audit_event": "id, actor, action, entity_type, entity_id, prev_hash, hash",
}


def _revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _fingerprint(engine) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the kept columns, per base table (order independent)."""
    out = {}
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        for table, columns in BASE_TABLES.items():
            if table == "search_term" and table not in tables:
                # From 0009 the same index is one search_document per claim: its terms with counts.
                rows = [(term, claim_id, tf) for claim_id, terms in conn.execute(text("SELECT claim_id, terms FROM search_document"))
                        for term, tf in Counter(terms.split()).items()]
            else:
                rows = conn.execute(text(f"SELECT {columns} FROM {table}")).all()
            digest = hashlib.sha256("\n".join(sorted(repr(tuple(str(v) for v in r)) for r in rows)).encode())
            out[table] = (len(rows), digest.hexdigest())
    return out


def _seed(engine, tmp_path_factory) -> None:
    """The curated seeds at head (restored from the suite's seed snapshot: the same rows the
    seeder writes, in a fraction of the time) plus an API key."""
    load_seeds(engine, tmp_path_factory)
    with session_factory(engine, write=True)() as s:
        create_key(s, "kept-or-dropped", ["read"])
        s.commit()


def test_every_step_down_and_up_keeps_the_rows(alembic_engine, tmp_path_factory):
    revisions = _revisions()
    assert len(revisions) >= 3
    migrate.upgrade(alembic_engine)
    _seed(alembic_engine, tmp_path_factory)
    before = _fingerprint(alembic_engine)
    assert before["claim"][0] > 100 and before["relay_hop"][0] > before["claim"][0]
    # down one revision at a time to the first, checking the rows after each step
    for target in reversed(revisions[:-1]):
        migrate.downgrade(alembic_engine, target)
        assert migrate.current(alembic_engine) == target
        assert _fingerprint(alembic_engine) == before, f"rows changed going down to {target}"
    # and back up one at a time
    for target in revisions[1:]:
        migrate.upgrade(alembic_engine, target)
        assert _fingerprint(alembic_engine) == before, f"rows changed going up to {target}"
    assert migrate.current(alembic_engine) == migrate.head()
    with session_factory(alembic_engine)() as s:
        assert verify_chain(s).ok
        # columns added later are filled for old rows
        assert s.execute(text("SELECT COUNT(*) FROM claim WHERE review_status = 'unreviewed'")).scalar() == before["claim"][0]
    # the API key table went away with its revision and came back empty: keys are not record data
    assert "api_key" in inspect(alembic_engine).get_table_names()


@pytest.mark.parametrize("cycles", [2])
def test_upgrade_downgrade_upgrade_is_repeatable_with_data(alembic_engine, cycles, tmp_path_factory):
    migrate.upgrade(alembic_engine)
    _seed(alembic_engine, tmp_path_factory)
    before = _fingerprint(alembic_engine)
    first = _revisions()[0]
    for _ in range(cycles):
        migrate.downgrade(alembic_engine, first)
        migrate.upgrade(alembic_engine, "head")
        assert _fingerprint(alembic_engine) == before
    with session_factory(alembic_engine, write=True)() as s:  # still writable afterwards
        s.info["actor"] = "after"
        seed(s, SEEDS_DIR)  # idempotent: nothing new, nothing broken
        s.commit()
    assert _fingerprint(alembic_engine) == before
