"""Create sources, documents, claims, relay hops, search index and audit trail

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-27

The whole first record: sources with aliases, documents (text kept exactly, unique content
hash), claim groups, claims with named CHECK constraints on modality/stance/span/language,
relay hops as ordered rows (unique per claim and position), the portable inverted search index
and the hash-chained audit trail.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('occurred_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('entity_type', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('before', JsonB, nullable=True),
    sa.Column('after', JsonB, nullable=True),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=True),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint("action IN ('create', 'update', 'delete', 'review')", name=op.f('ck_audit_event_action')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    op.create_index('ix_audit_event_entity', 'audit_event', ['entity_type', 'entity_id'])

    op.create_table('claim_group',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('label', sa.String(length=500), nullable=True),
    sa.Column('label_ar', sa.String(length=500), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_group')),
    sa.UniqueConstraint('key', name=op.f('uq_claim_group_key'))
    )
    op.create_table('source',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_normalized', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('person', 'organisation', 'outlet', 'agency', 'government', 'document', 'anonymous')", name=op.f('ck_source_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source')),
    sa.UniqueConstraint('key', name=op.f('uq_source_key'))
    )
    op.create_index(op.f('ix_source_name_normalized'), 'source', ['name_normalized'])

    op.create_table('document',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('outlet_id', GUID(length=16), nullable=True),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('published_at', DateTimeUTC(timezone=True), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint('length(lang) = 2 AND lang = lower(lang)', name=op.f('ck_document_lang')),
    sa.ForeignKeyConstraint(['outlet_id'], ['source.id'], name=op.f('fk_document_outlet_id_source'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_document_content_hash'))
    )
    op.create_index(op.f('ix_document_outlet_id'), 'document', ['outlet_id'])
    op.create_index('ix_document_published_at', 'document', ['published_at'])

    op.create_table('source_alias',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('source_id', GUID(length=16), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=True),
    sa.Column('normalized', sa.String(length=300), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint('length(lang) = 2 AND lang = lower(lang)', name=op.f('ck_source_alias_lang')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_source_alias_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_alias')),
    sa.UniqueConstraint('source_id', 'normalized', name='uq_source_alias_source_normalized')
    )
    op.create_index(op.f('ix_source_alias_normalized'), 'source_alias', ['normalized'])
    op.create_index(op.f('ix_source_alias_source_id'), 'source_alias', ['source_id'])

    op.create_table('claim',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=True),
    sa.Column('document_id', GUID(length=16), nullable=False),
    sa.Column('group_id', GUID(length=16), nullable=True),
    sa.Column('speaker_id', GUID(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('modality', sa.String(length=20), nullable=False),
    sa.Column('stance', sa.String(length=20), nullable=False),
    sa.Column('term_count', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint("modality IN ('asserted', 'hedged', 'hinted', 'denied', 'opinion', 'question', 'reported')", name=op.f('ck_claim_modality')),
    sa.CheckConstraint("stance IN ('affirm', 'deny', 'neutral')", name=op.f('ck_claim_stance')),
    sa.CheckConstraint('length(lang) = 2 AND lang = lower(lang)', name=op.f('ck_claim_lang')),
    sa.CheckConstraint('start_offset >= 0 AND end_offset > start_offset', name=op.f('ck_claim_span')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_claim_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['claim_group.id'], name=op.f('fk_claim_group_id_claim_group'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['speaker_id'], ['source.id'], name=op.f('fk_claim_speaker_id_source'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim')),
    sa.UniqueConstraint('document_id', 'start_offset', 'end_offset', 'speaker_id', name='uq_claim_span_speaker'),
    sa.UniqueConstraint('key', name=op.f('uq_claim_key'))
    )
    op.create_index(op.f('ix_claim_document_id'), 'claim', ['document_id'])
    op.create_index(op.f('ix_claim_group_id'), 'claim', ['group_id'])
    op.create_index('ix_claim_lang_modality', 'claim', ['lang', 'modality'])
    op.create_index('ix_claim_speaker_modality', 'claim', ['speaker_id', 'modality'])

    op.create_table('relay_hop',
    sa.Column('id', GUID(length=16), nullable=False),
    sa.Column('claim_id', GUID(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source_id', GUID(length=16), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=True),
    sa.Column('modality', sa.String(length=20), nullable=True),
    sa.Column('cue', sa.String(length=500), nullable=True),
    sa.Column('evidence_start', sa.Integer(), nullable=True),
    sa.Column('evidence_end', sa.Integer(), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint("modality IS NULL OR modality IN ('asserted', 'hedged', 'hinted', 'denied', 'opinion', 'question', 'reported')", name=op.f('ck_relay_hop_modality')),
    sa.CheckConstraint("relation IN ('said', 'quoted', 'paraphrased', 'reported', 'translated', 'published')", name=op.f('ck_relay_hop_relation')),
    sa.CheckConstraint('(evidence_start IS NULL AND evidence_end IS NULL) OR (evidence_start >= 0 AND evidence_end > evidence_start)', name=op.f('ck_relay_hop_evidence_span')),
    sa.CheckConstraint('lang IS NULL OR (length(lang) = 2 AND lang = lower(lang))', name=op.f('ck_relay_hop_lang')),
    sa.CheckConstraint('position >= 0', name=op.f('ck_relay_hop_position')),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_relay_hop_claim_id_claim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_relay_hop_source_id_source'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relay_hop')),
    sa.UniqueConstraint('claim_id', 'position', name='uq_relay_hop_claim_position')
    )
    op.create_index(op.f('ix_relay_hop_source_id'), 'relay_hop', ['source_id'])

    op.create_table('search_term',
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('claim_id', GUID(length=16), nullable=False),
    sa.Column('tf', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_search_term_claim_id_claim'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term', 'claim_id', name=op.f('pk_search_term'))
    )
    op.create_index(op.f('ix_search_term_claim_id'), 'search_term', ['claim_id'])



def downgrade() -> None:
    op.drop_index(op.f('ix_search_term_claim_id'), table_name='search_term')

    op.drop_table('search_term')
    op.drop_index(op.f('ix_relay_hop_source_id'), table_name='relay_hop')

    op.drop_table('relay_hop')
    op.drop_index('ix_claim_speaker_modality', table_name='claim')
    op.drop_index('ix_claim_lang_modality', table_name='claim')
    op.drop_index(op.f('ix_claim_group_id'), table_name='claim')
    op.drop_index(op.f('ix_claim_document_id'), table_name='claim')

    op.drop_table('claim')
    op.drop_index(op.f('ix_source_alias_source_id'), table_name='source_alias')
    op.drop_index(op.f('ix_source_alias_normalized'), table_name='source_alias')

    op.drop_table('source_alias')
    op.drop_index('ix_document_published_at', table_name='document')
    op.drop_index(op.f('ix_document_outlet_id'), table_name='document')

    op.drop_table('document')
    op.drop_index(op.f('ix_source_name_normalized'), table_name='source')

    op.drop_table('source')
    op.drop_table('claim_group')
    op.drop_index('ix_audit_event_entity', table_name='audit_event')

    op.drop_table('audit_event')
