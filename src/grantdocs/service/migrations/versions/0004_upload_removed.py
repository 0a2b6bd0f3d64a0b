"""Grantee uploads whose stored file was removed to keep the link within its quota.

The history row stays; ``removed_at`` says when its file was deleted (issue 13,
hardening: ``GRANTDOCS_LINK_MAX_FILES`` and ``GRANTDOCS_LINK_MAX_MB``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("grantee_uploads") as batch:
        batch.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("grantee_uploads") as batch:
        batch.drop_column("removed_at")
