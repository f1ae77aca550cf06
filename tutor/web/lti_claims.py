"""What an LMS's claims may say about a person and their course, checked before any is used (#12).

pylti1p3 checks who signed an id_token (signature, issuer, audience, deployment, nonce); what
the claims *hold* is still data from outside. A ``context`` that is a string, roles holding
``null``, an id longer than the 255 characters LTI allows or a name longer than an account
keeps would otherwise fail deep inside a launch — after its one-use nonce is spent, as a bare
500 — or be refused by PostgreSQL where SQLite stored it. Each is a refusal page here, or, for
a person's display name and e-mail (which only label an account), a value cut to fit.

Roles: only a role *in this course* (the LIS ``membership`` vocabulary, or its deprecated
simple names) decides the course role. Institution and system roles describe the person
elsewhere — Canvas sends ``institution/person#Instructor`` for anyone who teaches any course —
and never make anyone staff here.
"""

from __future__ import annotations

from typing import Any

from .form_text import NUL
from .roster import INSTRUCTOR, STUDENT, TA

CONTEXT = "https://purl.imsglobal.org/spec/lti/claim/context"
CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
DEPLOYMENT = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles"
RESOURCE_LINK = "https://purl.imsglobal.org/spec/lti/claim/resource_link"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DEEP_LINKING = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
OBJECT_CLAIMS = (CONTEXT, CUSTOM, RESOURCE_LINK, AGS, NRPS, DEEP_LINKING)

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
ID_LIMIT = 255  # LTI 1.3: sub, context id and resource link id are at most 255 characters
NAME_LIMIT = 200  # the account's name column
EMAIL_LIMIT = 254  # the longest address SMTP carries, and the account's email column
URL_LIMIT = 1000  # the roster source's address column


class LaunchRefused(Exception):
    """A launch this tool will not honour; ``str()`` is for the log, never the learner."""


def _short(claim: str) -> str:
    return claim.rsplit("/", 1)[-1]


def checked_launch(data: dict[str, Any]) -> dict[str, Any]:
    """The launch's claims, or ``LaunchRefused`` naming the first one that cannot be used."""
    if "exp" not in data:
        raise LaunchRefused("the id_token has no exp (expiry) claim, which LTI 1.3 requires")
    subject = data.get("sub")
    if not isinstance(subject, str) or not subject:
        raise LaunchRefused("the id_token has no sub (an anonymous launch): no account to use")
    for claim in OBJECT_CLAIMS:
        if claim in data and data[claim] is not None and not isinstance(data[claim], dict):
            raise LaunchRefused(f"the {_short(claim)} claim is not a JSON object")
    roles = data.get(ROLES, [])
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise LaunchRefused("the roles claim is not a list of strings")
    ids = {
        "sub": subject,
        "context id": (data.get(CONTEXT) or {}).get("id", ""),
        "resource link id": (data.get(RESOURCE_LINK) or {}).get("id", ""),
    }
    for label, value in ids.items():
        if not isinstance(value, str | int):
            raise LaunchRefused(f"the {label} is not a string")
        if len(str(value)) > ID_LIMIT:
            raise LaunchRefused(f"the {label} is longer than LTI's {ID_LIMIT} characters")
    return data


def course_role(roles: list[Any]) -> str:
    """LMS roles to ours. A teaching assistant (``membership/Instructor#TeachingAssistant``, a
    sub-role of Instructor in LIS, or the simple name) is a TA; an instructor or the course's
    administrator (any of their sub-roles) an instructor; anyone else a student."""
    principals: set[str] = set()
    assistant = False
    for role in roles:
        if not isinstance(role, str):
            continue
        if role.startswith(MEMBERSHIP + "#"):
            principal, sub = role.removeprefix(MEMBERSHIP + "#"), ""
        elif role.startswith(MEMBERSHIP + "/"):
            principal, _, sub = role.removeprefix(MEMBERSHIP + "/").partition("#")
        elif role and "/" not in role and ":" not in role and "#" not in role:
            principal, sub = role, ""  # a simple name: deprecated, still a context role
        else:
            continue  # institution, system or another vocabulary: not about this course
        principals.add(principal)
        assistant |= principal == "TeachingAssistant" or (
            principal == "Instructor" and sub == "TeachingAssistant"
        )
    if assistant:
        return TA
    if principals & {"Instructor", "Administrator"}:
        return INSTRUCTOR
    return STUDENT


def account_name(value: object) -> str:
    """A display name as an account keeps it: text, without NUL, cut to the column."""
    return value.replace(NUL, "")[:NAME_LIMIT] if isinstance(value, str) else ""


def account_email(value: object) -> str:
    """An LMS's e-mail claim when it can be an account's address; ``""`` otherwise (the
    account then gets a made-up one)."""
    if not isinstance(value, str) or len(value) > EMAIL_LIMIT or NUL in value:
        return ""
    local, at, domain = value.partition("@")
    if not (local and at and domain) or any(c.isspace() for c in value):
        return ""
    return value
