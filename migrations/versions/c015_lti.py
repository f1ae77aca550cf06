"""LTI 1.3 (#12): registered platforms, the tool's signing keys, LMS users and contexts mapped
to accounts and courses, and the nonces issued at OIDC logins (each launch may use one once).

Revision ID: c015
Revises: c014
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "c015"
down_revision = "c014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lti_platform",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("deployment_ids", sa.Text(), nullable=False),
        sa.Column("auth_url", sa.String(length=1000), nullable=False),
        sa.Column("token_url", sa.String(length=1000), nullable=False),
        sa.Column("jwks_url", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_platform")),
        sa.UniqueConstraint("issuer", "client_id", name=op.f("uq_lti_platform_issuer_client_id")),
    )
    op.create_table(
        "lti_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=False),
        sa.Column("public_pem", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_key")),
        sa.UniqueConstraint("kid", name=op.f("uq_lti_key_kid")),
    )
    op.create_table(
        "lti_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["account.id"], name=op.f("fk_lti_identity_user_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_identity")),
        sa.UniqueConstraint("issuer", "subject", name=op.f("uq_lti_identity_issuer_subject")),
    )
    op.create_index("ix_lti_identity_user_id", "lti_identity", ["user_id"])
    op.create_table(
        "lti_context",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_lti_context_course_id_course")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_context")),
        sa.UniqueConstraint(
            "issuer",
            "deployment_id",
            "context_id",
            name=op.f("uq_lti_context_issuer_deployment_id_context_id"),
        ),
    )
    op.create_index("ix_lti_context_course_id", "lti_context", ["course_id"])
    op.create_table(
        "lti_nonce",
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_lti_nonce")),
    )


def downgrade() -> None:
    op.drop_table("lti_nonce")
    op.drop_index("ix_lti_context_course_id", table_name="lti_context")
    op.drop_table("lti_context")
    op.drop_index("ix_lti_identity_user_id", table_name="lti_identity")
    op.drop_table("lti_identity")
    op.drop_table("lti_key")
    op.drop_table("lti_platform")
