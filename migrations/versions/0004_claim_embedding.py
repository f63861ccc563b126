"""Store claim sentence embeddings (claim_embedding)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

One row per claim: the multilingual sentence vector computed when the claim is indexed, kept
in the database so every process can rebuild its in-memory vector index (claims.embeddings).
Plain bytes work the same on SQLite and PostgreSQL (pgvector is not available here).
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_embedding",
        sa.Column("claim_id", GUID(length=16), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("dim > 0", name=op.f("ck_claim_embedding_dim")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_embedding_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_embedding")),
    )


def downgrade() -> None:
    op.drop_table("claim_embedding")
