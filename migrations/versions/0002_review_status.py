"""Add review status and note to claims and relay hops

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Fact-checkers mark claims and hops unreviewed / confirmed / corrected / rejected with a note.
Existing rows become 'unreviewed' (server default used only to fill them, then dropped so the
model's Python default stays the single source of truth).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATUSES = "'unreviewed', 'confirmed', 'corrected', 'rejected'"


def upgrade() -> None:
    for table in ("claim", "relay_hop"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("review_status", sa.String(length=20), nullable=False, server_default="unreviewed")
            )
            batch_op.add_column(sa.Column("review_note", sa.String(length=2000), nullable=True))
            batch_op.create_check_constraint(op.f(f"ck_{table}_review_status"), f"review_status IN ({STATUSES})")
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("review_status", server_default=None)
    op.create_index("ix_claim_review_status", "claim", ["review_status"])


def downgrade() -> None:
    op.drop_index("ix_claim_review_status", table_name="claim")
    for table in ("relay_hop", "claim"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_review_status"), type_="check")
            batch_op.drop_column("review_note")
            batch_op.drop_column("review_status")
