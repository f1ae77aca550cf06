"""pylti1p3's view of this tool, read from the database: which platforms may launch it
(``DatabaseToolConf``), a session service that lets each nonce serve one launch only
(``OneLaunchPerNonce``), and a launch that finds its client id in a list of audiences
(``AudienceListLaunch``)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import session
from pylti1p3.contrib.flask.message_launch import FlaskMessageLaunch
from pylti1p3.contrib.flask.request import FlaskRequest
from pylti1p3.contrib.flask.session import FlaskSessionService
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from .extensions import db
from .lti_keys import signing_key
from .lti_models import LtiNonce, LtiPlatform

# An OIDC login's nonce must come back in a launch within this time.
NONCE_LIFETIME = timedelta(minutes=10)
# A browser's logins that have not launched yet, kept in its session cookie (each adds a key):
# a few tabs opening activities at once, not the hundreds a loop of unfinished logins makes.
PENDING_LOGINS = 8
# How often a process deletes the rows of nonces past their lifetime (at a login).
SWEEP_SECONDS = 60.0


def find_platform(issuer: str, client_id: str | None) -> LtiPlatform | None:
    query = db.select(LtiPlatform).filter_by(issuer=issuer)
    if client_id:
        query = query.filter_by(client_id=client_id)
    return db.session.execute(query.order_by(LtiPlatform.id)).scalars().first()


class DatabaseToolConf(ToolConfAbstract[FlaskRequest]):
    """Every issuer may hold several client ids (pylti1p3's "many clients" relation)."""

    def __init__(self) -> None:
        self.issuers_relation_types = {}

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _registration(self, platform: LtiPlatform | None) -> Registration | None:
        if platform is None:
            return None
        key = signing_key()
        return (
            Registration()
            .set_issuer(platform.issuer)
            .set_client_id(platform.client_id)
            .set_auth_login_url(platform.auth_url)
            .set_auth_token_url(platform.token_url)
            .set_key_set_url(platform.jwks_url)
            .set_tool_private_key(key.private_pem)
            .set_tool_public_key(key.public_pem)
        )

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        return self._registration(find_platform(iss, None))  # type: ignore[return-value]

    def find_registration_by_params(
        self, iss: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Registration:
        return self._registration(find_platform(iss, client_id))  # type: ignore[return-value]

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, "")

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> Deployment | None:
        platform = find_platform(iss, client_id or None)
        if platform is None or deployment_id not in platform.deployments:
            return None
        return Deployment().set_deployment_id(deployment_id)


class OneLaunchPerNonce(FlaskSessionService):
    """pylti1p3 2.0 keeps the nonce in the session and only checks it is there, so the same
    id_token posted twice launches twice. Here a nonce is recorded when the login issues it
    and marked used by the first launch that brings it back; a second use, a nonce this tool
    never issued, or one older than ``NONCE_LIFETIME`` fails validation."""

    _swept_at = float("-inf")  # when this process last deleted expired nonces

    def save_nonce(self, nonce: str) -> None:
        super().save_nonce(nonce)
        db.session.add(LtiNonce(nonce=nonce))
        db.session.commit()
        self._forget_unfinished_logins()
        if time.monotonic() - OneLaunchPerNonce._swept_at > SWEEP_SECONDS:
            OneLaunchPerNonce._swept_at = time.monotonic()
            self.forget_old_nonces()

    def _forget_unfinished_logins(self) -> None:
        """Anyone may start logins (``/lti/login`` needs only a registered issuer) and never
        finish them: each left a key in the session cookie until it outgrew 4 KB. This
        browser's newest ``PENDING_LOGINS`` that can still launch are kept."""
        prefix = "lti1p3-nonce-"
        kept = [key.removeprefix(prefix) for key in session if key.startswith(prefix)]
        if len(kept) <= PENDING_LOGINS:
            return
        newest = set(
            db.session.execute(
                db.select(LtiNonce.nonce)
                .where(
                    LtiNonce.nonce.in_(kept),
                    LtiNonce.used_at.is_(None),
                    LtiNonce.issued_at > datetime.now(UTC) - NONCE_LIFETIME,
                )
                .order_by(LtiNonce.issued_at.desc())
                .limit(PENDING_LOGINS)
            ).scalars()
        )
        for nonce in kept:
            if nonce not in newest:
                session.pop(prefix + nonce, None)

    def check_nonce(self, nonce: str) -> bool:
        now = datetime.now(UTC)
        used = db.session.execute(
            db.update(LtiNonce)
            .where(
                LtiNonce.nonce == nonce,
                LtiNonce.used_at.is_(None),
                LtiNonce.issued_at > now - NONCE_LIFETIME,
            )
            .values(used_at=now)
        )
        db.session.commit()
        first_use = used.rowcount == 1  # type: ignore[attr-defined]
        return bool(first_use and super().check_nonce(nonce))

    def forget_launch(self, launch_id: str, state: str) -> None:
        """pylti1p3 keeps each launch's whole id_token body, and each login's nonce, in the
        session — here a cookie, which grew by some 160 bytes a launch until the browser
        dropped it (4 KB) and the learner was signed out. Nothing reads them after the launch:
        this launch's entries go, and the nonces that can no longer launch."""
        session.pop(launch_id, None)
        session.pop(f"lti1p3-{state}-id-token-hash", None)
        prefix = "lti1p3-nonce-"
        kept = [key.removeprefix(prefix) for key in session if key.startswith(prefix)]
        if not kept:
            return
        live = set(
            db.session.execute(
                db.select(LtiNonce.nonce).where(
                    LtiNonce.nonce.in_(kept),
                    LtiNonce.used_at.is_(None),
                    LtiNonce.issued_at > datetime.now(UTC) - NONCE_LIFETIME,
                )
            ).scalars()
        )
        for nonce in kept:
            if nonce not in live:
                session.pop(prefix + nonce, None)

    def forget_old_nonces(self) -> None:
        """Nonces past their lifetime can never launch again: their rows go (every
        ``SWEEP_SECONDS`` at a login, so anonymous logins cannot grow the table for good)."""
        cutoff = datetime.now(UTC) - NONCE_LIFETIME
        db.session.execute(db.delete(LtiNonce).where(LtiNonce.issued_at < cutoff))
        db.session.commit()


class AudienceListLaunch(FlaskMessageLaunch):
    """An id_token's ``aud`` may be a list (OpenID Connect, which LTI 1.3 builds on); pylti1p3
    takes its first entry as this tool's client id, so a platform that listed another audience
    first was refused. Here the client id is the token's ``azp`` (the party it was issued to,
    which OIDC has a token with several audiences name) when it is one of the audiences, else
    the first audience registered for the issuer. A token whose ``azp`` is not that client id is
    refused, as OIDC asks."""

    def get_client_id(self) -> str:
        body = self._get_jwt_body()
        audiences, azp = body.get("aud"), body.get("azp")
        if isinstance(audiences, list):
            listed = [a for a in audiences if isinstance(a, str) and a]
            if azp is not None:
                chosen = azp if azp in listed else None
            else:
                issuer = str(body.get("iss") or "")
                known = (a for a in listed if find_platform(issuer, a) is not None)
                chosen = next(known, listed[0] if listed else None)
        else:
            chosen = audiences
        if not isinstance(chosen, str) or not chosen or azp not in (None, chosen):
            raise LtiException("the token's audience (aud, azp) names no client of this tool")
        return chosen
