"""Grantee links and what grantees upload through them (issue 13).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grantee_links",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("batch_id", sa.String(32), sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("organisation", sa.String(500), nullable=False),
        sa.Column("case_json", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("batch_id", "reference", name="uq_grantee_links_batch_reference"),
    )
    op.create_index("ix_grantee_links_batch_id", "grantee_links", ["batch_id"])
    op.create_table(
        "grantee_uploads",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("link_id", sa.String(32), sa.ForeignKey("grantee_links.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("stored", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.Column("replaced_by", sa.Integer(), sa.ForeignKey("grantee_uploads.id"),
                  nullable=True),
    )
    op.create_index("ix_grantee_uploads_link_id", "grantee_uploads", ["link_id"])


def downgrade() -> None:
    op.drop_index("ix_grantee_uploads_link_id", table_name="grantee_uploads")
    op.drop_table("grantee_uploads")
    op.drop_index("ix_grantee_links_batch_id", table_name="grantee_links")
    op.drop_table("grantee_links")
