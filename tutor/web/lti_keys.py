"""The tool's RSA key pair for LTI 1.3: made on first use, rotated by ``flask tutor lti
rotate-key``. Platforms fetch the public half from ``/lti/jwks`` to verify the client
assertions this tool signs (token requests for grade passback)."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pylti1p3.registration import Registration

from .extensions import db
from .lti_models import LtiKey

# The signing key and the one before it are published: a platform that cached the key set
# before a rotation still verifies until it fetches again.
PUBLISHED = 2


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


def signing_key() -> LtiKey:
    """The newest key pair, made now if this installation has none yet."""
    keys = _newest()
    return keys[0] if keys else _new_key()


def rotate() -> LtiKey:
    """A new signing key; keys older than the previous one are deleted."""
    key = _new_key()
    keep = [k.id for k in _newest()]
    db.session.execute(db.delete(LtiKey).where(LtiKey.id.not_in(keep)))
    db.session.commit()
    return key


def public_jwk(key: LtiKey) -> dict[str, Any]:
    return dict(Registration.get_jwk(key.public_pem))


def key_set() -> dict[str, Any]:
    signing_key()
    return {"keys": [public_jwk(key) for key in _newest()]}
