"""LTI roster sync (#12, Names and Role Provisioning): where each LMS course's membership list
is (``lti_roster_source``), and ``membership.left_at`` for members a sync found gone from the LMS
course (the row stays so their work stays in the gradebook).

Revision ID: c017_lti_roster
Revises: c016_lti_grades
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "c017_lti_roster"
down_revision = "c016_lti_grades"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lti_roster_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("context_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("memberships_url", sa.String(length=1000), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["context_id"],
            ["lti_context.id"],
            name=op.f("fk_lti_roster_source_context_id_lti_context"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_roster_source")),
        sa.UniqueConstraint("context_id", name=op.f("uq_lti_roster_source_context_id")),
    )
    with op.batch_alter_table("membership") as batch:
        batch.add_column(sa.Column("left_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("membership") as batch:
        batch.drop_column("left_at")
    op.drop_table("lti_roster_source")
