"""Invitations (``membership.invited_at``): staff who add an account the course did not make
(someone's own, or another course's) invite it; the person joins by accepting on their Courses
page. Until then the row is inactive (``left_at`` set too) and counts nowhere.

Revision ID: c021_invitations
Revises: c020_managed_accounts
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "c021_invitations"
down_revision = "c020_managed_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("membership", sa.Column("invited_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("membership") as batch:
        batch.drop_column("invited_at")
