"""The course roster from the LMS (#12, LTI Names and Role Provisioning Services).

A launch that carries the NRPS claim leaves its ``context_memberships_url`` here
(``LtiRosterSource``, one per LMS course). A sync — a staff member's button or ``flask tutor lti
sync-roster`` — reads every page of that membership list with pylti1p3's
``NamesRolesProvisioningService`` (its access token comes from the platform's token endpoint,
pylti1p3's ``ServiceConnector`` signs the client assertion), and then:

* a listed, active member becomes an account (issuer + ``user_id``, the launch's ``sub``) and a
  member of the course with the role the LMS gives (the launch's mapping);
* a member of the course who came from this LMS but is no longer listed, or is listed as
  ``Inactive``/``Deleted``, *leaves*: the membership row stays (their submissions and grades
  stay in the gradebook), marked with ``left_at``, and they no longer open the course;
* members who did not come from this LMS (added by hand or by CSV) are left alone, and the
  person running the sync is never removed or demoted by it (an LMS administrator is often
  not in the course's list).

Paging follows ``Link: <…>; rel="next"``. pylti1p3 lower-cases the whole header before reading
the next address, which breaks case-sensitive addresses (Moodle's ``…/CourseSection/…``); the
next address is therefore read from the response's own header here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import requests
from flask_babel import gettext
from pylti1p3.exception import LtiServiceException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .accounts import User
from .extensions import db
from .lti_claims import ID_LIMIT, NRPS, URL_LIMIT, course_role
from .lti_config import DatabaseToolConf
from .lti_models import LtiContext, LtiIdentity
from .models import Course
from .roster import INSTRUCTOR, STAFF, Membership, enrol, instructors, membership
from .utc_time import UTCDateTime

log = logging.getLogger(__name__)

# More pages than any course has: a platform whose "next" links never end is refused.
MAX_PAGES = 500
# Seconds one request to the LMS may take; pylti1p3 sets no timeout of its own.
TIMEOUT = 30


def _now() -> datetime:
    return datetime.now(UTC)


class LtiRosterSource(db.Model):  # type: ignore[name-defined,misc]
    """Where an LMS course's membership list is, as its latest launch said."""

    __tablename__ = "lti_roster_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(ForeignKey("lti_context.id"), unique=True)
    client_id: Mapped[str] = mapped_column(String(255))
    memberships_url: Mapped[str] = mapped_column(String(1000))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class RosterUnavailable(Exception):
    """Why a roster cannot be synced, in words for the staff member who asked."""


@dataclass
class SyncResult:
    """What a sync changed, by account."""

    listed: int = 0  # active members in the LMS's list
    pages: int = 0
    added: list[User] = field(default_factory=list)
    role_changed: list[User] = field(default_factory=list)
    returned: list[User] = field(default_factory=list)  # had left, listed again
    left: list[User] = field(default_factory=list)
    # Instructors the LMS no longer lists as such, kept because the course would otherwise have
    # none left (nobody could then change its settings, roster or grades).
    kept_instructors: list[User] = field(default_factory=list)


def context_of(course: Course) -> LtiContext | None:
    found: LtiContext | None = (
        db.session.execute(db.select(LtiContext).filter_by(course_id=course.id).limit(1))
        .scalars()
        .first()
    )
    return found


def source_of(course: Course) -> LtiRosterSource | None:
    context = context_of(course)
    if context is None:
        return None
    found: LtiRosterSource | None = db.session.execute(
        db.select(LtiRosterSource).filter_by(context_id=context.id)
    ).scalar_one_or_none()
    return found


def remember_source(course: Course, data: dict[str, Any], client_id: str) -> None:
    """Called by every launch: keeps the course's membership URL as the LMS last gave it (the
    caller commits). A launch without the claim leaves an earlier URL in place."""
    url = (data.get(NRPS) or {}).get("context_memberships_url") or ""
    context = context_of(course)
    if not isinstance(url, str) or not url or len(url) > URL_LIMIT or context is None:
        return
    source = db.session.execute(
        db.select(LtiRosterSource).filter_by(context_id=context.id)
    ).scalar_one_or_none()
    if source is None:
        source = LtiRosterSource(context_id=context.id)
        db.session.add(source)
    source.client_id = client_id
    source.memberships_url = url
    source.recorded_at = _now()
    db.session.flush()


class _TimedSession(requests.Session):
    """A requests session whose every call has a timeout: a stalled LMS must not hold a web
    worker forever."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def _next_page(headers: Any, base: str) -> str | None:
    """The ``rel="next"`` address of a ``Link`` header, its case kept, relative ones resolved."""
    value = next((v for k, v in dict(headers).items() if k.lower() == "link"), "")
    for link in requests.utils.parse_header_links(str(value)):
        if "next" in str(link.get("rel", "")).split() and link.get("url"):
            return urljoin(base, link["url"])
    return None


def fetch_members(source: LtiRosterSource) -> tuple[list[dict[str, Any]], int]:
    """Every member on every page of the LMS's list, and the number of pages."""
    context = db.session.get(LtiContext, source.context_id)
    assert context is not None
    registration = DatabaseToolConf().find_registration_by_params(context.issuer, source.client_id)
    if registration is None:
        raise RosterUnavailable(
            gettext(
                "The LMS %(issuer)s is no longer registered with VirtTutor, so its roster "
                "cannot be read. An administrator registers it again with "
                "“flask tutor lti add-platform”.",
                issuer=context.issuer,
            )
        )
    session = _TimedSession()
    session.headers["User-Agent"] = "VirtTutor-LTI"
    connector = ServiceConnector(registration, requests_session=session)
    service = NamesRolesProvisioningService(
        connector, {"context_memberships_url": source.memberships_url}
    )
    members: list[dict[str, Any]] = []
    url: str | None = source.memberships_url
    seen: set[str] = set()
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise RosterUnavailable(
                gettext("The LMS's roster pages do not end (page %(url)s again).", url=url)
            )
        seen.add(url)
        try:
            page = service.get_nrps_data(url)
        except LtiServiceException as exc:
            log.info("NRPS request refused: %s", exc)
            raise RosterUnavailable(
                gettext(
                    "The LMS refused to give the roster (HTTP %(status)s from %(url)s). Check "
                    "that the Names and Role Provisioning service is on for VirtTutor in the "
                    "LMS, open a VirtTutor activity from the course once, and try again.",
                    status=exc.response.status_code,
                    url=exc.response.url,
                )
            ) from exc
        except (requests.RequestException, ValueError) as exc:
            log.info("NRPS request failed: %s", exc)
            raise RosterUnavailable(
                gettext(
                    "The LMS could not be reached or gave no roster (%(error)s). Try again later.",
                    error=type(exc).__name__,
                )
            ) from exc
        body = page.get("body")
        if not isinstance(body, dict) or not isinstance(body.get("members", []), list):
            raise RosterUnavailable(gettext("The LMS's answer is not a membership list."))
        members.extend(m for m in body.get("members", []) if isinstance(m, dict))
        url = _next_page(page.get("headers") or {}, url)
    return members, len(seen)


def _name(member: dict[str, Any]) -> str:
    given = " ".join(str(member.get(k) or "") for k in ("given_name", "family_name")).strip()
    return str(member.get("name") or given)


def sync(course: Course, source: LtiRosterSource, keep: User | None = None) -> SyncResult:
    """Reads the LMS's list and applies it to the course (committed). ``keep`` — the person
    syncing — is never removed or demoted."""
    from .lti import _account  # the launch's own; lti imports this module

    members, pages = fetch_members(source)
    context = db.session.get(LtiContext, source.context_id)
    assert context is not None
    result = SyncResult(pages=pages)
    instructors_before = instructors(course)
    active: set[int] = set()
    for member in members:
        subject = str(member.get("user_id") or "")
        if not subject or str(member.get("status") or "Active") != "Active":
            continue
        if len(subject) > ID_LIMIT:  # no LMS may send it (LTI's limit): not an account
            log.warning("roster of %s: a user_id over %s characters skipped", course.slug, ID_LIMIT)
            continue
        user = _account(
            {
                "iss": context.issuer,
                "sub": subject,
                "name": _name(member),
                "email": member.get("email") or "",
            }
        )
        if user.id in active:
            continue
        active.add(user.id)
        roles = member.get("roles")
        role = course_role(roles if isinstance(roles, list) else [])
        found = membership(course, user)
        demoting = found is not None and found.role in STAFF and role not in STAFF
        if keep is not None and user.id == keep.id and demoting:
            continue  # never demote the person syncing
        if found is None:
            result.added.append(user)
        elif found.left_at is not None:
            result.returned.append(user)
        elif found.role != role:
            result.role_changed.append(user)
        else:
            continue
        enrol(course, user, role)
    result.listed = len(active)
    from_this_lms = db.select(LtiIdentity.user_id).filter_by(issuer=context.issuer)
    staying = db.session.execute(
        db.select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.course_id == course.id,
            Membership.left_at.is_(None),
            Membership.user_id.in_(from_this_lms),
        )
    ).all()
    now = _now()
    for row, user in staying:
        if user.id in active or (keep is not None and user.id == keep.id):
            continue
        row.left_at = now
        result.left.append(user)
    _keep_an_instructor(course, instructors_before, result)
    source.synced_at = now
    db.session.commit()
    return result


def _keep_an_instructor(course: Course, before: dict[int, User], result: SyncResult) -> None:
    """A sync never leaves a course without an instructor (an LMS list of students only, or an
    instructor enrolled there under another role): those who were instructors stay so."""
    db.session.flush()
    if instructors(course) or not before:
        return
    for user in before.values():
        enrol(course, user, INSTRUCTOR)
        result.kept_instructors.append(user)
    gone = set(before)
    result.role_changed = [u for u in result.role_changed if u.id not in gone]
    result.left = [u for u in result.left if u.id not in gone]


def everyone(course: Course) -> list[tuple[User, str, datetime | None, bool]]:
    """Every member, current or departed: account, role, when they left, and whether the
    account came from this course's LMS."""
    context = context_of(course)
    issuer = context.issuer if context is not None else ""
    from_lms = set(
        db.session.execute(db.select(LtiIdentity.user_id).filter_by(issuer=issuer)).scalars()
    )
    rows = db.session.execute(
        db.select(User, Membership.role, Membership.left_at)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.course_id == course.id)
        .order_by(Membership.left_at.is_not(None), Membership.role, User.name, User.email)
    ).all()
    return [(user, role, left_at, user.id in from_lms) for user, role, left_at in rows]
