"""What LTI 1.3 keeps in the database (#12): the platforms (LMSs) registered with this tool,
the tool's own signing keys, and how LMS users and LMS contexts map to our accounts and courses.

Everything a launch needs is here rather than in a JSON file, so ``flask tutor lti add-platform``
on one web process is seen by every other one at once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .utc_time import UTCDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class LtiPlatform(db.Model):  # type: ignore[name-defined,misc]
    """One LMS registration: an issuer with the client id it gave this tool (an issuer may
    register the tool more than once, e.g. a Canvas test and production key)."""

    __tablename__ = "lti_platform"
    __table_args__ = (
        UniqueConstraint("issuer", "client_id", name="uq_lti_platform_issuer_client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    # Space-separated: one registration may carry several deployments.
    deployment_ids: Mapped[str] = mapped_column(Text, default="")
    auth_url: Mapped[str] = mapped_column(String(1000))
    token_url: Mapped[str] = mapped_column(String(1000))
    jwks_url: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    @property
    def deployments(self) -> list[str]:
        return self.deployment_ids.split()


class LtiKey(db.Model):  # type: ignore[name-defined,misc]
    """The tool's RSA key pairs. The newest signs; older ones stay published in ``/lti/jwks``
    until the next rotation, so platforms holding a cached key set keep verifying."""

    __tablename__ = "lti_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class LtiIdentity(db.Model):  # type: ignore[name-defined,misc]
    """An LMS user (issuer + ``sub``) is one of our accounts."""

    __tablename__ = "lti_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_lti_identity_issuer_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)


class LtiContext(db.Model):  # type: ignore[name-defined,misc]
    """An LMS course (issuer + deployment + context id) is one of our courses."""

    __tablename__ = "lti_context"
    __table_args__ = (
        UniqueConstraint(
            "issuer",
            "deployment_id",
            "context_id",
            name="uq_lti_context_issuer_deployment_id_context_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    deployment_id: Mapped[str] = mapped_column(String(255))
    context_id: Mapped[str] = mapped_column(String(255))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)


class LtiNonce(db.Model):  # type: ignore[name-defined,misc]
    """Every nonce this tool issued at an OIDC login, and when a launch used it: a launch
    whose nonce was never issued here, was issued too long ago, or was used already is
    refused (pylti1p3 2.0 alone only checks the nonce is in the session)."""

    __tablename__ = "lti_nonce"

    nonce: Mapped[str] = mapped_column(String(128), primary_key=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
