"""LTI grade passback (#12, AGS): each learner's graded LMS resource link (line item, scopes,
platform, linked exercises) and how its last passback went (status, attempts, last error).

Revision ID: c016_lti_grades
Revises: q016
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "c016_lti_grades"
down_revision = "q016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lti_grade_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("resource_link_id", sa.String(length=255), nullable=False),
        sa.Column("resource_title", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("exercise_ids", sa.Text(), nullable=False),
        sa.Column("endpoint_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("score_sent", sa.Double(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_lti_grade_link_course_id_course")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["account.id"], name=op.f("fk_lti_grade_link_user_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_grade_link")),
        sa.UniqueConstraint(
            "issuer",
            "deployment_id",
            "resource_link_id",
            "user_id",
            name=op.f("uq_lti_grade_link"),
        ),
    )
    op.create_index("ix_lti_grade_link_course_id", "lti_grade_link", ["course_id"])
    op.create_index("ix_lti_grade_link_status", "lti_grade_link", ["status"])
    op.create_index("ix_lti_grade_link_user_id", "lti_grade_link", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_lti_grade_link_user_id", table_name="lti_grade_link")
    op.drop_index("ix_lti_grade_link_status", table_name="lti_grade_link")
    op.drop_index("ix_lti_grade_link_course_id", table_name="lti_grade_link")
    op.drop_table("lti_grade_link")
