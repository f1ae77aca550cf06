"""The tool's RSA key pair for LTI 1.3: made on first use, rotated by ``flask tutor lti
rotate-key``. Platforms fetch the public half from ``/lti/jwks`` to verify the client
assertions this tool signs (token requests for grade passback, deep-linking responses).

A platform may cache the key set (Canvas and Moodle do). A rotation that signed with the new
key at once would be refused by every platform holding the old set until it fetched again —
grades stopped, with nothing to tell the operator. So a rotated key is *published first* and
signs only ``LTI_KEY_AHEAD_HOURS`` later (24 by default), by which time a platform has fetched
the set again; until then the previous key signs. ``rotate-key --now`` skips the wait and
unpublishes the old key: for a key that must stop being trusted at once (a leaked one).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import current_app, has_app_context
from pylti1p3.registration import Registration

from .extensions import db
from .lti_models import LtiKey

# The signing key and the next one (or, once the next signs, the one before it) are published.
PUBLISHED = 2
DEFAULT_AHEAD_HOURS = 24.0


class RotationPending(RuntimeError):
    """A rotated key is still waiting to sign: rotating again would unpublish the key that
    signs now before platforms have fetched its successor."""


def _new_key() -> LtiKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    # The key id is the JWK thumbprint: the one pylti1p3 puts in the headers it signs.
    kid = str(Registration.get_jwk(public_pem)["kid"])
    key = LtiKey(kid=kid, private_pem=private_pem, public_pem=public_pem)
    db.session.add(key)
    db.session.commit()
    return key


def _newest() -> list[LtiKey]:
    return list(
        db.session.execute(db.select(LtiKey).order_by(LtiKey.id.desc()).limit(PUBLISHED))
        .scalars()
        .all()
    )


def ahead() -> timedelta:
    """How long a rotated key is published before it signs."""
    hours = DEFAULT_AHEAD_HOURS
    if has_app_context():
        hours = float(current_app.config.get("LTI_KEY_AHEAD_HOURS", DEFAULT_AHEAD_HOURS))
    return timedelta(hours=max(0.0, hours))


def signs_from(key: LtiKey) -> datetime:
    created = key.created_at
    return (created.replace(tzinfo=UTC) if created.tzinfo is None else created) + ahead()


def signing_key() -> LtiKey:
    """The key that signs now, made now if this installation has none yet: the newest, unless
    it was rotated in less than ``ahead()`` ago (then the one before it)."""
    keys = _newest()
    if not keys:
        return _new_key()
    if len(keys) == 1 or signs_from(keys[0]) <= datetime.now(UTC):
        return keys[0]
    return keys[1]


def waiting_key() -> LtiKey | None:
    """A rotated key that is published but does not sign yet, if there is one."""
    keys = _newest()
    return keys[0] if keys and signing_key().id != keys[0].id else None


def rotate(at_once: bool = False) -> LtiKey:
    """A new key, published now and signing after ``ahead()`` (``at_once``: signing now, and
    every other key deleted). Refuses (``RotationPending``) while an earlier rotation waits."""
    signing_key()  # an installation's first key, if it has none
    waiting = waiting_key()
    if waiting is not None and not at_once:
        raise RotationPending(
            f"key {waiting.kid} is published and signs from "
            f"{signs_from(waiting):%Y-%m-%d %H:%M} UTC; rotate again after that, or with "
            "--now to replace every key at once"
        )
    key = _new_key()
    keep = [key.id] if at_once else [k.id for k in _newest()]
    db.session.execute(db.delete(LtiKey).where(LtiKey.id.not_in(keep)))
    db.session.commit()
    return key


def public_jwk(key: LtiKey) -> dict[str, Any]:
    return dict(Registration.get_jwk(key.public_pem))


def key_set() -> dict[str, Any]:
    signing_key()
    return {"keys": [public_jwk(key) for key in _newest()]}
