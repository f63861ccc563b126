"""Full-text index of the engines: search_document with FTS5 (SQLite) / tsvector GIN (PostgreSQL)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

The portable inverted index ``search_term`` (one row per term and claim) becomes one row per
claim, ``search_document`` (its analysed terms, space separated, each repeated as often as it
occurs), indexed by the engine's own full-text machinery:

- SQLite: ``search_fts``, an FTS5 external-content table over ``search_document.terms``
  (content_rowid ``id``; tokenizer unicode61 with ``@``, ``~`` and ``-`` as token characters and
  no diacritic folding, so every analysed term is one token as written), kept in step by three
  triggers on ``search_document``; ``search_fts_vocab`` (fts5vocab, per-term document counts).
- PostgreSQL: ``search_document.tsv``, a stored generated column
  ``array_to_tsvector(array_remove(string_to_array(terms, ' '), ''))`` (the terms are the
  lexemes as they are, no text-search parser or dictionary), with the GIN index
  ``ix_search_document_tsv``. The column is not in the models (the database computes it; no
  insert may name it) and ``migrations/env.py`` leaves it out of the comparison.

Upgrade builds the documents from ``search_term`` (tf repetitions) and drops it; downgrade
rebuilds ``search_term`` from the documents (term counts) and drops them. Both directions keep
the index: nothing needs re-indexing.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: The PostgreSQL generated column's expression.
TSV = "array_to_tsvector(array_remove(string_to_array(terms, ' '), ''))"
FTS5_TOKENIZE = "unicode61 remove_diacritics 0 tokenchars '@~-'"

SQLITE_UP = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='search_document', content_rowid='id',
        tokenize="{FTS5_TOKENIZE}")""",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
    """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms);
    END""",
    """CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
    END""",
    """CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
        INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TABLE IF EXISTS search_fts",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "search_document",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("claim_id", GUID(length=16), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_search_document_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_search_document_claim_id")),
    )
    # One document per claim: each term repeated tf times (order within a document is not used).
    repeated = "replace(hex(zeroblob(tf)), '00', term || ' ')" if sqlite else "repeat(term || ' ', tf)"
    concat = f"group_concat({repeated}, '')" if sqlite else f"string_agg({repeated}, '')"
    op.execute(
        f"INSERT INTO search_document (claim_id, terms) SELECT claim_id, rtrim({concat}) FROM search_term GROUP BY claim_id"
    )
    op.drop_index(op.f("ix_search_term_claim_id"), table_name="search_term")
    op.drop_table("search_term")
    if sqlite:
        for statement in SQLITE_UP:
            op.execute(statement)
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    else:
        op.execute(f"ALTER TABLE search_document ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({TSV}) STORED")
        op.execute("CREATE INDEX ix_search_document_tsv ON search_document USING gin (tsv)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_document_tsv")
        op.execute("ALTER TABLE search_document DROP COLUMN IF EXISTS tsv")
    search_term = op.create_table(
        "search_term",
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("claim_id", GUID(length=16), nullable=False),
        sa.Column("tf", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_search_term_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("term", "claim_id", name=op.f("pk_search_term")),
    )
    op.create_index(op.f("ix_search_term_claim_id"), "search_term", ["claim_id"])
    documents = sa.table("search_document", sa.column("id", sa.BigInteger()), sa.column("claim_id", GUID(length=16)),
                         sa.column("terms", sa.Text()))
    last = None
    while True:  # term counts per document, in chunks (the store may be large)
        query = sa.select(documents.c.id, documents.c.claim_id, documents.c.terms).order_by(documents.c.id).limit(5000)
        if last is not None:
            query = query.where(documents.c.id > last)
        chunk = bind.execute(query).all()
        if not chunk:
            break
        rows = [{"term": term, "claim_id": claim_id, "tf": tf}
                for _, claim_id, terms in chunk for term, tf in Counter(terms.split()).items()]
        if rows:
            bind.execute(sa.insert(search_term), rows)
        last = chunk[-1][0]
    op.drop_table("search_document")
