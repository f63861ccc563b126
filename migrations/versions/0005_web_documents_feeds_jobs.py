"""Web articles, feeds, syndicated stories and jobs

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

- document: byline (author), canonical URL, fetch time, the story it belongs to and its MinHash
  signature (claims.syndication), all nullable: stored documents are unchanged.
- story: one article re-published as several documents.
- feed, feed_entry: RSS/Atom feeds with their conditional-GET validators, and every entry seen.
- job: long work run by workers (claims.jobs): status, progress, result, error and lease.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', JsonB, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('progress_done', sa.Integer(), nullable=False),
    sa.Column('progress_total', sa.Integer(), nullable=True),
    sa.Column('result', JsonB, nullable=True),
    sa.Column('result_body', sa.LargeBinary(), nullable=True),
    sa.Column('result_media_type', sa.String(length=100), nullable=True),
    sa.Column('result_filename', sa.String(length=300), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('worker', sa.String(length=200), nullable=True),
    sa.Column('lease_until', DateTimeUTC(timezone=True), nullable=True),
    sa.Column('started_at', DateTimeUTC(timezone=True), nullable=True),
    sa.Column('finished_at', DateTimeUTC(timezone=True), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')", name=op.f('ck_job_status')),
    sa.CheckConstraint('attempts >= 0 AND max_attempts >= 1', name=op.f('ck_job_attempts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_job_idempotency_key'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_job_status_lease', ['status', 'lease_until'], unique=False)

    op.create_table('story',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story'))
    )
    op.create_table('feed',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('outlet_id', GUID(length=16), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('etag', sa.String(length=500), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('last_polled_at', DateTimeUTC(timezone=True), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=2000), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outlet_id'], ['source.id'], name=op.f('fk_feed_outlet_id_source'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed')),
    sa.UniqueConstraint('url', name=op.f('uq_feed_url'))
    )
    with op.batch_alter_table('feed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_outlet_id'), ['outlet_id'], unique=False)

    op.create_table('feed_entry',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('feed_id', GUID(length=16), nullable=False),
    sa.Column('guid', sa.String(length=2000), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('document_id', GUID(length=16), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.String(length=2000), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('ingested', 'duplicate', 'failed')", name=op.f('ck_feed_entry_status')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_feed_entry_document_id_document'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['feed_id'], ['feed.id'], name=op.f('fk_feed_entry_feed_id_feed'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_entry')),
    sa.UniqueConstraint('feed_id', 'guid', name='uq_feed_entry_feed_guid')
    )
    with op.batch_alter_table('feed_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_entry_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feed_entry_feed_id'), ['feed_id'], unique=False)

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('author', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('canonical_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('fetched_at', DateTimeUTC(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('story_id', GUID(length=16), nullable=True))
        batch_op.add_column(sa.Column('minhash', sa.LargeBinary(), nullable=True))
        batch_op.create_index(batch_op.f('ix_document_canonical_url'), ['canonical_url'], unique=False)
        batch_op.create_index('ix_document_url', ['url'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_story_id'), ['story_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_document_story_id_story'), 'story', ['story_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_document_story_id_story'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_document_story_id'))
        batch_op.drop_index('ix_document_url')
        batch_op.drop_index(batch_op.f('ix_document_canonical_url'))
        batch_op.drop_column('minhash')
        batch_op.drop_column('story_id')
        batch_op.drop_column('fetched_at')
        batch_op.drop_column('canonical_url')
        batch_op.drop_column('author')

    with op.batch_alter_table('feed_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_entry_feed_id'))
        batch_op.drop_index(batch_op.f('ix_feed_entry_document_id'))

    op.drop_table('feed_entry')
    with op.batch_alter_table('feed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_outlet_id'))

    op.drop_table('feed')
    op.drop_table('story')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index('ix_job_status_lease')
        batch_op.drop_index(batch_op.f('ix_job_kind'))

    op.drop_table('job')
