"""Submission statuses as issue #10 words them, and idempotency keys for the JSON API.

* ``error`` now means what the issue calls an internal error: the server could not grade the
  submission (after ``GRADER_MAX_ATTEMPTS`` tries), through no fault of the learner's. It was
  ``failed`` — the word the reports use for a learner's code that does not pass yet.
* Code that could not run (empty, a syntax error, not a program) is the learner's own result:
  ``graded``, its report's verdict ``error``, score 0. It was the status ``error``.
* ``idempotency_key``: the ``Idempotency-Key`` header of a JSON submit, unique per learner, so
  a client that sends the same submit again (its answer lost) gets the same submission back.

Revision ID: q016
Revises: c015
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "q016"
down_revision = "c015"
branch_labels = None
depends_on = None

INDEX = "ix_submission_idempotency"


def upgrade() -> None:
    # The learner's "could not run" first, then the server's "could not grade" takes its name.
    op.execute("UPDATE submission SET status = 'graded' WHERE status = 'error'")
    op.execute("UPDATE submission SET status = 'error' WHERE status = 'failed'")
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(length=128), nullable=True))
    op.create_index(INDEX, "submission", ["learner", "idempotency_key"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="submission")
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("idempotency_key")
    op.execute("UPDATE submission SET status = 'failed' WHERE status = 'error'")
    op.execute(
        "UPDATE submission SET status = 'error' "
        """WHERE status = 'graded' AND report_json LIKE '%"verdict": "error"%'"""
    )
