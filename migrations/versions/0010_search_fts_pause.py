"""SQLite: a bulk writer can pause the per-row FTS5 insert trigger without DDL

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

The bulk loader fills the FTS5 index of a batch with one ``INSERT ... SELECT`` (~20 times
cheaper than the per-row trigger). It used to drop ``search_document_ai`` and re-create it inside
the batch's transaction; when such a transaction rolled back, another pooled connection's cached
``DELETE FROM search_document`` later failed with "no such table: search_document". Now the
trigger runs only ``WHEN NOT EXISTS (SELECT 1 FROM search_fts_pause)``: the writer inserts a row
there, writes, fills the index and deletes the row, all in its own transaction, so no other
connection ever sees the pause and the schema never changes. PostgreSQL: nothing (its GIN index
follows the generated column).
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PAUSED_TRIGGER = """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document
    WHEN NOT EXISTS (SELECT 1 FROM search_fts_pause) BEGIN
        INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms);
    END"""
PLAIN_TRIGGER = """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_fts(rowid, terms) VALUES (new.id, new.terms);
    END"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE search_fts_pause (writer INTEGER NOT NULL, CONSTRAINT pk_search_fts_pause PRIMARY KEY (writer))")
    op.execute("DROP TRIGGER search_document_ai")
    op.execute(PAUSED_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER search_document_ai")
    op.execute(PLAIN_TRIGGER)
    op.execute("DROP TABLE search_fts_pause")
