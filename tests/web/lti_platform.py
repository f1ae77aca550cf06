"""A learning platform for the LTI tests, speaking the protocol for real on 127.0.0.1: its own
RSA key pair, a JWKS endpoint the tool fetches over HTTP, and an authorization step that answers
the tool's OIDC login with an RS256 id_token signed by PyJWT. Nothing of pylti1p3 is mocked.

For the LTI Advantage services it also has a token endpoint (client-credentials grant whose
signed client assertion is verified against the tool's public keys), a Names and Role
Provisioning membership endpoint that pages with ``Link: rel=next``, and a deep-linking return
endpoint that verifies the tool's signed response and records its content items. For a browser
it serves a course page framing the tool's login and an authorization page that posts the
id_token back, as an LMS does."""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
TEACHING_ASSISTANT = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
)
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
NRPS_MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
AGS_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
AGS_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCORE_MEDIA_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_MEDIA_TYPE = "application/vnd.ims.lis.v2.lineitem+json"


class Platform:
    """One LMS: ``issuer``, the ``client_id`` it gave the tool and one deployment."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.issuer = base
        self.client_id = "tool-client-1"
        self.deployment_id = "deployment-1"
        self.kid = "platform-key-1"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        # The tool's public key set, as an administrator pastes or links it in the LMS; the
        # token and deep-linking endpoints verify the tool's signatures with it.
        self.tool_jwks: dict[str, Any] = {"keys": []}
        self.access_tokens: dict[str, list[str]] = {}  # token -> granted scopes
        self.token_requests: list[dict[str, Any]] = []  # verified client assertions
        # NRPS: the course's members (membership objects) and how many go on one page.
        self.members: list[dict[str, Any]] = []
        self.page_size = 50
        self.membership_requests: list[str] = []  # paths asked for, in order
        # Deep linking: the claims of every verified response, and refused ones' reasons.
        self.deep_link_responses: list[dict[str, Any]] = []
        self.deep_link_refusals: list[str] = []
        # The browser flow (GET /course, /auth): who the next launch is for.
        self.browser_user: dict[str, Any] = {}
        # AGS: the course's line items, every score accepted (its body plus "lineitem"), and
        # how many score posts to answer 500 before accepting again (a platform outage).
        self.lineitems: list[dict[str, Any]] = []
        self.scores: list[dict[str, Any]] = []
        self.score_failures = 0
        self.refused_scores: list[str] = []

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

    @property
    def memberships_url(self) -> str:
        # Upper case as in Moodle's address: a next-page URL must keep its case.
        return f"{self.base}/CourseSection/ctx-7/Memberships"

    def ags(
        self, lineitem: str | None = "lineitem-1", scopes: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """The AGS claim of a graded resource link (``id_token(..., **platform.ags())``):
        its own line item ``lineitem`` (``None``: only the course's line item container)."""
        claim: dict[str, Any] = {
            "scope": list(scopes or (AGS_SCORE, AGS_LINEITEM)),
            "lineitems": f"{self.base}/lineitems",
        }
        if lineitem is not None:
            claim["lineitem"] = f"{self.base}/lineitems/{lineitem}"
        return {AGS: claim}

    def receive_score(
        self, path: str, authorization: str, media: str, body: bytes
    ) -> tuple[int, dict[str, Any]]:
        """A score posted to ``/lineitems/<id>/scores`` (a query, as Moodle's line item URLs
        carry, is kept after ``/scores``): the bearer token must carry the score scope, the
        body is the score media type with every field LTI AGS requires."""
        if AGS_SCORE not in self.scopes_of(authorization):
            self.refused_scores.append("token")
            return 401, {"error": "invalid_token"}
        if media.split(";")[0].strip() != SCORE_MEDIA_TYPE:
            self.refused_scores.append(f"media type {media}")
            return 415, {"error": "unsupported media type"}
        if self.score_failures > 0:
            self.score_failures -= 1
            self.refused_scores.append("outage")
            return 500, {"error": "the gradebook is down"}
        score = json.loads(body)
        required = ("userId", "activityProgress", "gradingProgress", "timestamp")
        if any(name not in score for name in required):
            self.refused_scores.append("fields")
            return 400, {"error": "missing fields"}
        parts = urlsplit(path)
        lineitem = f"{self.base}{parts.path.removesuffix('/scores')}"
        if parts.query:
            lineitem += f"?{parts.query}"
        self.scores.append({**score, "lineitem": lineitem})
        return 200, {}

    def lineitem_container(self, authorization: str) -> tuple[int, list[dict[str, Any]]]:
        if AGS_LINEITEM not in self.scopes_of(authorization):
            return 401, []
        return 200, self.lineitems

    def create_lineitem(self, authorization: str, body: bytes) -> tuple[int, dict[str, Any]]:
        if AGS_LINEITEM not in self.scopes_of(authorization):
            return 401, {"error": "invalid_token"}
        item = {**json.loads(body), "id": f"{self.base}/lineitems/made-{len(self.lineitems)}"}
        self.lineitems.append(item)
        return 200, item

    def member(
        self,
        sub: str,
        roles: tuple[str, ...] = (LEARNER,),
        *,
        status: str = "Active",
        name: str = "",
    ) -> dict[str, Any]:
        """One NRPS membership, as the platform lists it."""
        return {
            "status": status,
            "user_id": sub,
            "name": name or f"Member {sub}",
            "email": f"{sub}@lms.example",
            "roles": list(roles),
        }

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
        nrps: bool = True,
        deep_linking: bool = False,
        **override: Any,
    ) -> str:
        """The id_token the authorization endpoint posts back, for the tool's authorization
        request (its query parameters: ``nonce``, ``redirect_uri`` ...). ``nrps`` offers the
        course's membership service; ``deep_linking`` makes it an LtiDeepLinkingRequest."""
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
        if nrps:
            claims[NRPS] = {
                "context_memberships_url": self.memberships_url,
                "service_versions": ["2.0"],
            }
        if deep_linking:
            claims[LTI + "message_type"] = "LtiDeepLinkingRequest"
            del claims[LTI + "resource_link"]
            claims[DEEP_LINKING] = {
                "deep_link_return_url": f"{self.base}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": True,
                "data": "platform-opaque-data-1",
            }
        claims.update(override)
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    # -- what the endpoints do (the handler below calls these) -------------------------------

    def _tool_claims(self, token: str, audience: str) -> dict[str, Any]:
        """A JWT the tool signed, verified with the tool's published keys."""
        kid = jwt.get_unverified_header(token).get("kid")
        for jwk in self.tool_jwks.get("keys", []):
            if jwk.get("kid") == kid:
                public = cast(rsa.RSAPublicKey, RSAAlgorithm.from_jwk(json.dumps(jwk)))
                claims: dict[str, Any] = jwt.decode(
                    token, public, algorithms=["RS256"], audience=audience
                )
                return claims
        raise jwt.InvalidTokenError(f"no tool key {kid!r}")

    def grant_token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """The client-credentials grant with a JWT client assertion (LTI security framework)."""
        assertion_type = form.get("client_assertion_type")
        if form.get("grant_type") != "client_credentials" or assertion_type != JWT_BEARER:
            return 400, {"error": "unsupported_grant_type"}
        try:
            claims = self._tool_claims(form.get("client_assertion", ""), f"{self.base}/token")
        except jwt.InvalidTokenError as exc:
            return 401, {"error": "invalid_client", "error_description": str(exc)}
        if claims.get("iss") != self.client_id or claims.get("sub") != self.client_id:
            return 401, {"error": "invalid_client"}
        scopes = form.get("scope", "").split()
        token = secrets.token_urlsafe(16)
        self.access_tokens[token] = scopes
        self.token_requests.append({"claims": claims, "scopes": scopes})
        return 200, {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": " ".join(scopes),
        }

    def scopes_of(self, authorization: str) -> list[str]:
        token = authorization.removeprefix("Bearer ").strip()
        return self.access_tokens.get(token, [])

    def membership_page(self, page: int) -> tuple[dict[str, Any], str]:
        """One page of the membership container and the ``Link`` header (empty on the last)."""
        start = page * self.page_size
        body = {
            "id": self.memberships_url,
            "context": {"id": "ctx-7", "label": "VIRT101", "title": "Virtualization 101"},
            "members": self.members[start : start + self.page_size],
        }
        link = ""
        if start + self.page_size < len(self.members):
            link = f'<{self.memberships_url}?Page={page + 1}>; rel="next"'
        return body, link

    def receive_deep_link(self, form: dict[str, str]) -> tuple[int, str]:
        """The tool's deep-linking response: verified (signature, audience = this issuer,
        issuer = the client id, message type) and its claims recorded."""
        try:
            claims = self._tool_claims(form.get("JWT", ""), self.issuer)
            if claims.get("iss") != self.client_id:
                raise jwt.InvalidTokenError("iss is not the client id")
            if claims.get(LTI + "message_type") != "LtiDeepLinkingResponse":
                raise jwt.InvalidTokenError("not an LtiDeepLinkingResponse")
            if claims.get(LTI + "deployment_id") != self.deployment_id:
                raise jwt.InvalidTokenError("wrong deployment")
        except jwt.InvalidTokenError as exc:
            self.deep_link_refusals.append(str(exc))
            return 400, f"<p>Refused: {html.escape(str(exc))}</p>"
        self.deep_link_responses.append(claims)
        titles = [str(item.get("title")) for item in claims.get(CONTENT_ITEMS, [])]
        items = "".join(f"<li>{html.escape(title)}</li>" for title in titles)
        return 200, f"<h1>Activities added</h1><ul id='added'>{items}</ul>"

    def course_page(self, tool: str, target: str) -> str:
        """The LMS's activity page: the tool's login initiation inside an iframe."""
        query = urlencode({**self.login_form(f"{tool}{target}"), "login_hint": "browser"})
        return (
            "<!doctype html><title>LMS course</title><h1>Virtualization 101 in the LMS</h1>"
            f'<iframe id="tool" src="{html.escape(tool)}/lti/login?{html.escape(query)}" '
            'width="1000" height="700"></iframe>'
        )

    def authorization_page(self, query: dict[str, str]) -> str:
        """The authorization endpoint for a browser: an id_token for ``browser_user``,
        auto-posted to the tool's redirect URI with the state it sent."""
        token = self.id_token(query, **self.browser_user)
        return (
            "<!doctype html><title>Signing in</title>"
            f'<form id="post" method="post" action="{html.escape(query["redirect_uri"])}">'
            f'<input type="hidden" name="id_token" value="{html.escape(token)}">'
            f'<input type="hidden" name="state" value="{html.escape(query["state"])}">'
            "</form><script>document.getElementById('post').submit()</script>"
        )


def authorization_request(location: str) -> dict[str, str]:
    """The query parameters of the tool's redirect to the platform's authorization endpoint."""
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


@contextmanager
def running_platform() -> Iterator[Platform]:
    """A platform whose JWKS the tool fetches from a real HTTP server on 127.0.0.1."""
    holder: dict[str, Platform] = {}

    class Handler(BaseHTTPRequestHandler):
        def _answer(
            self, status: int, body: str | dict[str, Any], media: str = "", link: str = ""
        ) -> None:
            if isinstance(body, dict):
                data, media = json.dumps(body).encode(), media or "application/json"
            else:
                data, media = body.encode(), media or "text/html; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(data)))
            if link:
                self.send_header("Link", link)
            self.end_headers()
            self.wfile.write(data)

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            return {name: values[0] for name, values in parse_qs(raw).items()}

        def do_GET(self) -> None:
            platform = holder["platform"]
            parts = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(parts.query).items()}
            if parts.path == "/jwks":
                self._answer(200, platform.jwks)
            elif f"{platform.base}{parts.path}" == platform.memberships_url:
                platform.membership_requests.append(self.path)
                if NRPS_SCOPE not in platform.scopes_of(self.headers.get("Authorization", "")):
                    self._answer(401, {"error": "invalid_token"})
                    return
                body, link = platform.membership_page(int(query.get("Page", "0")))
                self._answer(200, body, NRPS_MEDIA_TYPE, link)
            elif parts.path == "/course":
                self._answer(200, platform.course_page(query["tool"], query.get("target", "")))
            elif parts.path == "/auth":
                self._answer(200, platform.authorization_page(query))
            elif parts.path == "/lineitems":
                status, items = platform.lineitem_container(self.headers.get("Authorization", ""))
                self._answer(status, json.dumps(items), "application/json")
            else:
                self.send_error(404)

        def do_POST(self) -> None:
            platform = holder["platform"]
            if self.path == "/token":
                status, answer = platform.grant_token(self._form())
                self._answer(status, answer)
            elif self.path == "/deep-link-return":
                status, page = platform.receive_deep_link(self._form())
                self._answer(status, page)
            elif self.path.startswith("/lineitems/") and urlsplit(self.path).path.endswith(
                "/scores"
            ):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                authorization = self.headers.get("Authorization", "")
                media = self.headers.get("Content-Type", "")
                status, answer = platform.receive_score(self.path, authorization, media, body)
                self._answer(status, answer)
            elif self.path == "/lineitems":
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = platform.create_lineitem(
                    self.headers.get("Authorization", ""), body
                )
                self._answer(status, answer, LINEITEM_MEDIA_TYPE)
            else:
                self.send_error(404)

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
