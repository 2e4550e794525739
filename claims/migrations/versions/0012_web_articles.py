"""Articles from the web: documents.author, canonical_url, previous_id, and document_urls (every address seen).

``canonical_url`` is ``claims.pages.canonical_url`` of where a page was
fetched (or the address its metadata names): tracking parameters, AMP and
mobile variants set aside, so the same article at two URLs, or fetched again
later, is found again; ``document_urls`` holds every such key an article was
reached at (the link followed, where redirects ended, the page's own
canonical link). ``previous_id`` links a changed article to the version
it replaces. Rows stored before this revision keep NULL in all three.

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (a nullable foreign key is allowed on SQLite): the 0006 triggers stay untouched.
    op.add_column("documents", sa.Column("author", sa.Text(), nullable=True))
    op.add_column("documents", sa.Column("canonical_url", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a constraint to a table, but ADD COLUMN may carry REFERENCES when its default is NULL
        op.execute("ALTER TABLE documents ADD COLUMN previous_id INTEGER "
                   "CONSTRAINT fk_documents_previous_id_documents REFERENCES documents (id)")
    else:
        op.add_column("documents", sa.Column("previous_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_documents_previous_id_documents"), "documents", "documents",
                              ["previous_id"], ["id"])
    op.create_index(op.f("ix_documents_canonical_url"), "documents", ["canonical_url"], unique=False)
    op.create_index(op.f("ix_documents_previous_id"), "documents", ["previous_id"], unique=False)
    op.create_table(
        "document_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_document_urls_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_urls")),
        sa.UniqueConstraint("document_id", "url", name=op.f("uq_document_urls_document_id_url")),
    )
    op.create_index(op.f("ix_document_urls_url"), "document_urls", ["url"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_document_urls_url"), table_name="document_urls")
    op.drop_table("document_urls")
    op.drop_index(op.f("ix_documents_previous_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_canonical_url"), table_name="documents")
    with op.batch_alter_table("documents") as batch:
        if op.get_bind().dialect.name != "sqlite":
            batch.drop_constraint(op.f("fk_documents_previous_id_documents"), type_="foreignkey")
        batch.drop_column("previous_id")
        batch.drop_column("canonical_url")
        batch.drop_column("author")
