"""The gradebook's covering index on submissions (#13): a course's scores, attempts and times
read from the index alone, never from rows that carry reports of tens of KB.

Revision ID: c014
Revises: c013
Create Date: 2026-11-30
"""

from alembic import op

revision = "c014"
down_revision = "c013"
branch_labels = None
depends_on = None

COLUMNS = ["course_id", "learner", "exercise_id", "created_at", "score", "status"]


def upgrade() -> None:
    op.create_index("ix_submission_gradebook", "submission", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_submission_gradebook", table_name="submission")
