"""The opening and due times of an exercise taken out of a course in Settings
(``set_aside_times``): unticking it deleted them, and ticking it again brought empty dates.

Revision ID: c024_set_aside_times
Revises: c023_course_closed
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "c024_set_aside_times"
down_revision = "c023_course_closed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "set_aside_times",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=100), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("course_id", "exercise_id"),
    )
    op.create_index(op.f("ix_set_aside_times_course_id"), "set_aside_times", ["course_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_set_aside_times_course_id"), table_name="set_aside_times")
    op.drop_table("set_aside_times")
