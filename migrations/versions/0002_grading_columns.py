"""What a queued grading needs: attempts, claim time, and what it was graded against.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("exercise_version", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("variant_seed", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("grader_version", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("started_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch_op:
        batch_op.drop_column("started_at")
        batch_op.drop_column("grader_version")
        batch_op.drop_column("variant_seed")
        batch_op.drop_column("exercise_version")
        batch_op.drop_column("attempts")
