"""The course site (#13): accounts, course memberships and roles, a course's settings (join code,
late policy), its exercises with their opening and due times, and concept-check answers.

Revision ID: c013
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "c013"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("learner", sa.String(length=64), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("email", name=op.f("uq_account_email")),
        sa.UniqueConstraint("learner", name=op.f("uq_account_learner")),
    )
    op.create_table(
        "concept_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner", sa.String(length=64), nullable=False),
        sa.Column("lesson_id", sa.String(length=100), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concept_answer")),
        sa.UniqueConstraint(
            "learner", "lesson_id", "question", name=op.f("uq_concept_answer_learner")
        ),
    )
    op.create_index(op.f("ix_concept_answer_learner"), "concept_answer", ["learner"])
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_assignment_course_id_course")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
        sa.UniqueConstraint("course_id", "exercise_id", name=op.f("uq_assignment_course_id")),
    )
    op.create_index(op.f("ix_assignment_course_id"), "assignment", ["course_id"])
    op.create_table(
        "course_settings",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("join_code", sa.String(length=16), nullable=False),
        sa.Column("late_policy", sa.String(length=16), nullable=False),
        sa.Column("penalty_per_day", sa.Float(), nullable=False),
        sa.Column("ta_can_edit", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_course_settings_course_id_course")
        ),
        sa.PrimaryKeyConstraint("course_id", name=op.f("pk_course_settings")),
        sa.UniqueConstraint("join_code", name=op.f("uq_course_settings_join_code")),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_membership_course_id_course")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["account.id"], name=op.f("fk_membership_user_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint("course_id", "user_id", name=op.f("uq_membership_course_id")),
    )
    op.create_index(op.f("ix_membership_course_id"), "membership", ["course_id"])
    op.create_index(op.f("ix_membership_user_id"), "membership", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_membership_user_id"), table_name="membership")
    op.drop_index(op.f("ix_membership_course_id"), table_name="membership")
    op.drop_table("membership")
    op.drop_table("course_settings")
    op.drop_index(op.f("ix_assignment_course_id"), table_name="assignment")
    op.drop_table("assignment")
    op.drop_index(op.f("ix_concept_answer_learner"), table_name="concept_answer")
    op.drop_table("concept_answer")
    op.drop_table("account")
