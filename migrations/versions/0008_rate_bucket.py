"""Rate-limit buckets shared by every worker and process (rate_bucket)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

One token bucket per API key or client address (claims.ratelimit): refilled and taken in one
atomic upsert, so all server processes share one budget. Working state, not part of the record.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_bucket",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("refilled", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_bucket")),
    )


def downgrade() -> None:
    op.drop_table("rate_bucket")
