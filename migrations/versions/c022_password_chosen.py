"""When an account's owner last chose its password themselves (``account.password_chosen_at``,
on their Account page): a course-made account whose owner has done so is theirs, and no other
course may take it over once its course lets it go (``roster.abandoned``) — its old course's
staff never knew that password. Accounts from before this revision have none.

Revision ID: c022_password_chosen
Revises: c021_invitations
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "c022_password_chosen"
down_revision = "c021_invitations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("account", sa.Column("password_chosen_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("password_chosen_at")
