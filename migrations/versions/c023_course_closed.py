"""When a course was closed at the end of its term (``course.closed_at``): a closed course takes
no submissions and no new members, and keeps everything it holds; reopening clears it.

Revision ID: c023_course_closed
Revises: c022_password_chosen
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "c023_course_closed"
down_revision = "c022_password_chosen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("course", sa.Column("closed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("course") as batch:
        batch.drop_column("closed_at")
