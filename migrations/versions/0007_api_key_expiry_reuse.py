"""API keys: expiry dates, and a revoked key's name can be reused

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

``expires_at`` (nullable: never) ends a key at a set time. The name stays unique among live
keys only: ``uq_api_key_name`` becomes the partial unique index ``uq_api_key_live_name``
(WHERE revoked_at IS NULL), so a revoked name can go to a new key while the old row stays.
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

LIVE = sa.text("revoked_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("api_key") as batch:
        batch.add_column(sa.Column("expires_at", DateTimeUTC(timezone=True), nullable=True))
        batch.drop_constraint("uq_api_key_name", type_="unique")
    op.create_index(
        "uq_api_key_live_name", "api_key", ["name"], unique=True, sqlite_where=LIVE, postgresql_where=LIVE
    )


def downgrade() -> None:
    # Two rows may now share a name (one revoked): keep the live one's name, suffix the others.
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name, revoked_at FROM api_key ORDER BY name, revoked_at")).all()
    seen: set[str] = set()
    for row in sorted(rows, key=lambda r: (r.name, r.revoked_at is not None)):
        if row.name in seen:
            bind.execute(
                sa.text("UPDATE api_key SET name = :name WHERE id = :id"),
                {"name": f"{row.name[:100]}-revoked-{len(seen)}", "id": row.id},
            )
        seen.add(row.name)
    op.drop_index("uq_api_key_live_name", table_name="api_key")
    with op.batch_alter_table("api_key") as batch:
        batch.create_unique_constraint("uq_api_key_name", ["name"])
        batch.drop_column("expires_at")
