"""Course time zones (#13): ``course_settings.time_zone``, the IANA zone a course's deadlines
are typed and shown in. Stored times stay UTC; existing courses get "UTC", which is what they
showed before.

Revision ID: c018_course_time_zone
Revises: c017_lti_roster
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "c018_course_time_zone"
down_revision = "c017_lti_roster"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("course_settings") as batch:
        batch.add_column(
            sa.Column("time_zone", sa.String(length=64), nullable=False, server_default="UTC")
        )


def downgrade() -> None:
    with op.batch_alter_table("course_settings") as batch:
        batch.drop_column("time_zone")
