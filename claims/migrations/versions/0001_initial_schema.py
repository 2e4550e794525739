"""Initial schema: publishers, documents, claims, reviews (current state) and the append-only review history.

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 01:39:13.480104
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('publishers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('domain', sa.String(length=255), nullable=True),
    sa.Column('grade', sa.String(length=1), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publishers')),
    sa.UniqueConstraint('name', name=op.f('uq_publishers_name'))
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('publisher_id', sa.Integer(), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filename', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['publisher_id'], ['publishers.id'], name=op.f('fk_documents_publisher_id_publishers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_documents_content_hash'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_publisher_id'), ['publisher_id'], unique=False)

    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=32), nullable=False),
    sa.Column('extractor_version', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('low', sa.Float(), nullable=True),
    sa.Column('high', sa.Float(), nullable=True),
    sa.Column('approximate', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('unit', sa.Text(), nullable=True),
    sa.Column('date', sa.String(length=32), nullable=True),
    sa.Column('duration', sa.String(length=40), nullable=True),
    sa.Column('attributed_to', sa.Text(), nullable=True),
    sa.Column('rule', sa.Text(), nullable=False),
    sa.Column('orphaned', sa.Boolean(), nullable=False),
    sa.Column('publisher_id', sa.Integer(), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('eff_low', sa.Float(), nullable=True),
    sa.Column('eff_high', sa.Float(), nullable=True),
    sa.Column('eff_date_start', sa.Date(), nullable=True),
    sa.Column('eff_date_end', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_claims_document_id_documents')),
    sa.ForeignKeyConstraint(['publisher_id'], ['publishers.id'], name=op.f('fk_claims_publisher_id_publishers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('document_id', 'fingerprint', name=op.f('uq_claims_document_id_fingerprint'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_document_id_span_start', ['document_id', 'span_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_eff_date_end'), ['eff_date_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_eff_date_start'), ['eff_date_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_eff_high'), ['eff_high'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_eff_low'), ['eff_low'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_claims_publisher_id'), ['publisher_id'], unique=False)

    op.create_table('review_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old', sa.JSON(), nullable=True),
    sa.Column('new', sa.JSON(), nullable=True),
    sa.Column('reviewer', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_review_history_claim_id_claims')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_history'))
    )
    with op.batch_alter_table('review_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_history_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_history_reviewer'), ['reviewer'], unique=False)

    op.create_table('reviews',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('corrected', sa.JSON(), nullable=False),
    sa.Column('evidence_url', sa.Text(), nullable=True),
    sa.Column('reviewer', sa.String(length=200), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_reviews_claim_id_claims')),
    sa.PrimaryKeyConstraint('claim_id', name=op.f('pk_reviews'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_reviewer'), ['reviewer'], unique=False)
        batch_op.create_index('ix_reviews_verdict_claim_id', ['verdict', 'claim_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_verdict_claim_id')
        batch_op.drop_index(batch_op.f('ix_reviews_reviewer'))

    op.drop_table('reviews')
    with op.batch_alter_table('review_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_history_reviewer'))
        batch_op.drop_index(batch_op.f('ix_review_history_claim_id'))

    op.drop_table('review_history')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_publisher_id'))
        batch_op.drop_index(batch_op.f('ix_claims_published'))
        batch_op.drop_index(batch_op.f('ix_claims_outcome'))
        batch_op.drop_index(batch_op.f('ix_claims_kind'))
        batch_op.drop_index(batch_op.f('ix_claims_eff_low'))
        batch_op.drop_index(batch_op.f('ix_claims_eff_high'))
        batch_op.drop_index(batch_op.f('ix_claims_eff_date_start'))
        batch_op.drop_index(batch_op.f('ix_claims_eff_date_end'))
        batch_op.drop_index('ix_claims_document_id_span_start')

    op.drop_table('claims')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_publisher_id'))
        batch_op.drop_index(batch_op.f('ix_documents_published'))

    op.drop_table('documents')
    op.drop_table('publishers')
