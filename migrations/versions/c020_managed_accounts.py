"""Which course's staff made an account (``account.managed_by_course_id``): only they may set its
password, and only while it belongs to no other course. Accounts made before this revision are
no course's (who made them is not known): their owners change their passwords themselves, an
operator with ``flask tutor set-password``.

A plain column, not a foreign key: SQLite adds it in place (a foreign key would make Alembic copy
the whole ``account`` table, which other tables reference).

Revision ID: c020_managed_accounts
Revises: q019_in_flight_index
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "c020_managed_accounts"
down_revision = "q019_in_flight_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("account", sa.Column("managed_by_course_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("managed_by_course_id")
