"""A learning platform for the LTI tests, speaking the protocol for real on 127.0.0.1: its own
RSA key pair, a JWKS endpoint the tool fetches over HTTP, and an authorization step that answers
the tool's OIDC login with an RS256 id_token signed by PyJWT. Nothing of pylti1p3 is mocked."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
TEACHING_ASSISTANT = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
)


class Platform:
    """One LMS: ``issuer``, the ``client_id`` it gave the tool and one deployment."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.issuer = base
        self.client_id = "tool-client-1"
        self.deployment_id = "deployment-1"
        self.kid = "platform-key-1"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, alg="RS256", use="sig")
        return {"keys": [jwk]}

    def register_args(self) -> list[str]:
        """``flask tutor lti add-platform`` for this platform."""
        return [
            "tutor", "lti", "add-platform",
            "--issuer", self.issuer,
            "--client-id", self.client_id,
            "--deployment-id", self.deployment_id,
            "--auth-url", f"{self.base}/auth",
            "--token-url", f"{self.base}/token",
            "--jwks-url", f"{self.base}/jwks",
        ]  # fmt: skip

    def login_form(self, target: str = "") -> dict[str, str]:
        """The third-party-initiated login the platform posts to the tool's /lti/login."""
        return {
            "iss": self.issuer,
            "login_hint": "user-hint",
            "target_link_uri": target or "http://localhost/lti/launch",
            "lti_message_hint": "resource-link-1",
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }

    def id_token(
        self,
        authorization: dict[str, str],
        *,
        sub: str = "lms-user-42",
        roles: tuple[str, ...] = (LEARNER,),
        context: tuple[str, str] = ("ctx-7", "Virtualization 101"),
        custom: dict[str, str] | None = None,
        target: str = "",
        key: rsa.RSAPrivateKey | None = None,
        **override: Any,
    ) -> str:
        """The id_token the authorization endpoint posts back, for the tool's authorization
        request (its query parameters: ``nonce``, ``redirect_uri`` ...)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": authorization["nonce"],
            "name": "Ada Learner",
            "email": f"{sub}@lms.example",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": target or authorization["redirect_uri"],
            LTI + "resource_link": {"id": "resource-link-1", "title": "An exercise"},
            LTI + "roles": list(roles),
            LTI + "context": {"id": context[0], "title": context[1], "label": "VIRT101"},
            LTI + "custom": custom or {},
        }
        claims.update(override)
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})


def authorization_request(location: str) -> dict[str, str]:
    """The query parameters of the tool's redirect to the platform's authorization endpoint."""
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


@contextmanager
def running_platform() -> Iterator[Platform]:
    """A platform whose JWKS the tool fetches from a real HTTP server on 127.0.0.1."""
    holder: dict[str, Platform] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/jwks":
                self.send_error(404)
                return
            body = json.dumps(holder["platform"].jwks).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["platform"] = Platform(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["platform"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def unique_sub() -> str:
    return f"lms-user-{uuid.uuid4().hex[:8]}"
