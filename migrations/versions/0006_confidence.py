"""Add extraction confidence to claims and relay hops

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

The extraction pipeline scores how sure it is of each claim and hop (0-1, from cue strength,
how the speaker was resolved and how far the speaker is from the content), so the review
queue can show the least certain first. NULL for rows a person wrote (curated seeds, claims
posted through the API without a confidence).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHECK = "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)"


def upgrade() -> None:
    for table in ("claim", "relay_hop"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("confidence", sa.Float(), nullable=True))
            batch_op.create_check_constraint(op.f(f"ck_{table}_confidence"), CHECK)


def downgrade() -> None:
    for table in ("relay_hop", "claim"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_confidence"), type_="check")
            batch_op.drop_column("confidence")
