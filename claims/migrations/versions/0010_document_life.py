"""A document's life after ingest: fictional flag, further appearances, metadata edits, deletion audit.

``documents.fictional`` marks invented example articles (seeds/fictional);
``documents.appearances`` counts the rows of ``document_appearances`` (the
same text under another publisher, url or date). ``document_changes`` is the
append-only history of title/publisher/date edits; ``deleted_documents``
keeps, as JSON, everything ``python -m claims delete-document`` removed.

Revision ID: 0010
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch copy: the 0006 triggers and claims' foreign keys stay untouched on SQLite.
    op.add_column("documents", sa.Column("fictional", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("documents", sa.Column("appearances", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "document_appearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("added_by", sa.String(length=200), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_document_appearances_document_id_documents")),
        sa.ForeignKeyConstraint(["publisher_id"], ["publishers.id"],
                                name=op.f("fk_document_appearances_publisher_id_publishers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_appearances")),
    )
    op.create_index(op.f("ix_document_appearances_document_id"), "document_appearances", ["document_id"],
                    unique=False)
    op.create_table(
        "document_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_changes")),
    )
    op.create_index(op.f("ix_document_changes_document_id"), "document_changes", ["document_id"], unique=False)
    op.create_table(
        "deleted_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("reviewed", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("deleted_by", sa.String(length=200), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deleted_documents")),
    )
    op.create_index(op.f("ix_deleted_documents_document_id"), "deleted_documents", ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_deleted_documents_document_id"), table_name="deleted_documents")
    op.drop_table("deleted_documents")
    op.drop_index(op.f("ix_document_changes_document_id"), table_name="document_changes")
    op.drop_table("document_changes")
    op.drop_index(op.f("ix_document_appearances_document_id"), table_name="document_appearances")
    op.drop_table("document_appearances")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("appearances")
        batch.drop_column("fictional")
