"""Who belongs to a course and as what: instructor, teaching assistant or student.

Roles are per course: the instructor of one course may be a student in another. Staff
(instructors and TAs) see the course's gradebook, dashboards and every student's submissions;
only instructors change the course's settings, unless they let its TAs do it too
(``CourseSettings.ta_can_edit``). Anyone who is not a member of a course is told it does not
exist, so course slugs cannot be probed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from email_validator import EmailNotValidError, validate_email
from flask import abort
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, aliased, mapped_column

from .accounts import (
    MAX_PASSWORD,
    User,
    create_user,
    find_user,
    new_password,
    normal_email,
    password_hashes,
)
from .extensions import db
from .form_text import NUL
from .models import Course
from .utc_time import UTCDateTime

INSTRUCTOR, TA, STUDENT = "instructor", "ta", "student"
ROLES = (INSTRUCTOR, TA, STUDENT)
STAFF = (INSTRUCTOR, TA)
MAX_ROSTER_ROWS = 5000
# New accounts one upload makes: each needs its password hashed (≈ 0.1 s of a core, scrypt), so
# this many keep an upload well inside a web server's minute-long request timeout.
MAX_NEW_ACCOUNTS = 500


def _now() -> datetime:
    return datetime.now(UTC)


class Membership(db.Model):  # type: ignore[name-defined,misc]
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default=STUDENT)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    # When the member left the course (an LMS roster sync, #12): the row stays so their work
    # stays in the gradebook, but they no longer open the course. Enrolling again clears it.
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # An invitation not yet accepted (``invite``): staff added an account the course did not
    # make, and its owner has not agreed. The row is inactive meanwhile (``left_at`` set too).
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


def role_names() -> dict[str, str]:
    return {
        INSTRUCTOR: gettext("Instructor"),
        TA: gettext("Teaching assistant"),
        STUDENT: gettext("Student"),
    }


def _place(course: Course, user: User, role: str) -> Membership:
    """``user``'s row in ``course`` (made if there is none) in ``role``: what enrolling and
    inviting both start from."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    found = membership(course, user)
    if found is None:
        found = Membership(course_id=course.id, user_id=user.id, role=role)
        db.session.add(found)
    found.role = role
    return found


def enrol(course: Course, user: User, role: str) -> Membership:
    """Adds ``user`` to ``course`` (or changes their role there); the caller commits."""
    found = _place(course, user, role)
    found.left_at = found.invited_at = None
    db.session.flush()
    return found


def needs_consent(course: Course, user: User) -> bool:
    """Whether staff adding ``user`` only invites them: an account this course did not make is
    its owner's (or another course's), and a course that could enrol it at will could put its
    own deadlines on that person's work, or have it counted here instead of in their course."""
    found = membership(course, user)
    active = found is not None and found.left_at is None
    return not active and user.managed_by_course_id != course.id


def closed_to(course: Course, user: User) -> bool:
    """Whether ``course`` is closed (its term ended) and ``user`` is not already in it: a
    closed course takes nobody new, by any way in (the join code, an invitation, the roster,
    an LTI launch, ``flask tutor enrol``); its members keep what they had."""
    if course.closed_at is None:
        return False
    place = membership(course, user)
    return place is None or place.left_at is not None


def set_closed(course: Course, closed: bool) -> bool:
    """Closes ``course`` at the end of its term, or reopens it; whether that changed anything
    (closing a closed course keeps the day it ended). The caller commits."""
    if closed == (course.closed_at is not None):
        return False
    course.closed_at = datetime.now(UTC) if closed else None
    return True


def abandoned(course: Course, user: User) -> bool:
    """Whether ``user`` is an account another course made and no longer holds (removed from
    it, in no course at all) and whose owner never chose its password: whoever made it may
    still know that password. A course adding such an account takes it over (``take_over``)
    instead of inviting it — an invitation would let the other course's staff accept it. Once
    the owner has chosen a password, the account is theirs: a course adding it only invites."""
    maker = user.managed_by_course_id
    if maker is None or maker == course.id or user.password_chosen_at is not None:
        return False
    active = db.session.execute(
        db.select(Membership.id).where(Membership.user_id == user.id, Membership.left_at.is_(None))
    ).first()
    return active is None


def take_over(course: Course, user: User, password: str = "") -> str:
    """``user`` (``abandoned``) becomes this course's account with a new password (``password``,
    or one made up), returned to be handed to the person once: the old one, and every session
    signed in with it, ends."""
    password = password or new_password()
    user.set_password(password)
    user.managed_by_course_id = course.id
    db.session.flush()
    return password


def invite(course: Course, user: User, role: str) -> Membership:
    """An invitation to ``course`` as ``role``: inactive until its owner accepts it (the caller
    commits)."""
    found = _place(course, user, role)
    found.left_at = found.invited_at = _now()
    db.session.flush()
    return found


def invitations(user_id: int | None = None, course: Course | None = None) -> list[Membership]:
    """Invitations waiting: of one account (its Courses page), or of one course (its roster)."""
    query = db.select(Membership).where(Membership.invited_at.is_not(None))
    if user_id is not None:
        query = query.where(Membership.user_id == user_id)
    if course is not None:
        query = query.where(Membership.course_id == course.id)
    return list(db.session.execute(query.order_by(Membership.invited_at)).scalars())


class RosterRefused(ValueError):
    """Why a change to a course's members was refused; ``str()`` is English (the CLI's),
    ``page_text()`` the page's language."""

    LAST_INSTRUCTOR, NOT_MEMBER = "last-instructor", "not-member"

    def __init__(self, reason: str, email: str, slug: str) -> None:
        self.reason, self.email, self.slug = reason, email, slug
        super().__init__(
            f"{email} is the last instructor of {slug}: a course keeps at least one; "
            "make someone else its instructor first"
            if reason == self.LAST_INSTRUCTOR
            else f"{email} is not in {slug}"
        )

    def page_text(self) -> str:
        if self.reason == self.LAST_INSTRUCTOR:
            return str(
                gettext(
                    "%(email)s is the last instructor of this course, and a course keeps at "
                    "least one: make someone else an instructor first.",
                    email=self.email,
                )
            )
        return str(gettext("That person is not in this course (any more)."))


def instructors(course: Course) -> dict[int, User]:
    """The course's current instructors, by account id."""
    rows = db.session.execute(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.course_id == course.id,
            Membership.role == INSTRUCTOR,
            Membership.left_at.is_(None),
        )
    ).scalars()
    return {user.id: user for user in rows}


def _other_instructors(course: Course, user: User) -> int:
    return len(instructors(course).keys() - {user.id})


def _keeps_an_instructor(course: Course, user: User, found: Membership, role: str | None) -> None:
    """Refuses to take the instructor role (``role`` None: the place) from the last one."""
    active = found.role == INSTRUCTOR and found.left_at is None
    if active and role != INSTRUCTOR and not _other_instructors(course, user):
        raise RosterRefused(RosterRefused.LAST_INSTRUCTOR, user.email, course.slug)


def set_role(course: Course, user: User, role: str) -> tuple[str | None, Membership]:
    """Enrols ``user`` with ``role``, or changes their role if they are in the course already;
    returns their role before (``None``: they were not in it). Never leaves the course without
    an instructor (``RosterRefused``); the caller commits."""
    found = membership(course, user)
    before = None if found is None or found.left_at is not None else found.role
    if found is not None:
        _keeps_an_instructor(course, user, found, role)
    return before, enrol(course, user, role)


def remove_member(course: Course, user: User) -> str:
    """Takes ``user`` out of ``course``; returns the role they had. Only the membership goes:
    their submissions stay stored under the course (out of its gradebook and roster until they
    are enrolled again, when they are back). The caller commits."""
    found = membership(course, user)
    if found is None:
        raise RosterRefused(RosterRefused.NOT_MEMBER, user.email, course.slug)
    _keeps_an_instructor(course, user, found, None)
    db.session.delete(found)
    db.session.flush()
    return str(found.role)


def membership(course: Course, user: User) -> Membership | None:
    found: Membership | None = db.session.execute(
        db.select(Membership).filter_by(course_id=course.id, user_id=user.id)
    ).scalar_one_or_none()
    return found


def resettable(course: Course, user_id: int | None = None) -> set[int]:
    """The students of ``course`` whose password its staff may set (of them, ``user_id`` alone
    when given): accounts this course's staff made, in no other course. Whoever made their own
    account — or was made by another course, or has since joined one — is someone staff could
    otherwise lock out and impersonate by adding their email to a course of their own."""
    elsewhere = aliased(Membership)
    query = (
        db.select(Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.course_id == course.id,
            Membership.role == STUDENT,
            Membership.left_at.is_(None),
            User.managed_by_course_id == course.id,
            ~db.select(elsewhere.id)
            .where(
                elsewhere.user_id == Membership.user_id,
                elsewhere.course_id != course.id,
                elsewhere.left_at.is_(None),
            )
            .exists(),
        )
    )
    if user_id is not None:
        query = query.where(Membership.user_id == user_id)
    return set(db.session.execute(query).scalars())


def course_by_slug(slug: str) -> Course | None:
    found: Course | None = db.session.execute(
        db.select(Course).filter_by(slug=slug)
    ).scalar_one_or_none()
    return found


def my_courses() -> list[tuple[Course, str]]:
    """The signed-in user's courses with their role in each, newest first."""
    return courses_of(current_user.id) if current_user.is_authenticated else []


def courses_of(user_id: int) -> list[tuple[Course, str]]:
    rows = db.session.execute(
        db.select(Course, Membership.role)
        .join(Membership, Membership.course_id == Course.id)
        .where(Membership.user_id == user_id, Membership.left_at.is_(None))
        .order_by(Membership.joined_at.desc())
    ).all()
    return [(course, role) for course, role in rows]


def active_members(course: Course) -> int:
    return int(
        db.session.scalar(
            db.select(db.func.count())
            .select_from(Membership)
            .where(Membership.course_id == course.id, Membership.left_at.is_(None))
        )
        or 0
    )


def require_member(slug: str, roles: tuple[str, ...] = ROLES) -> tuple[Course, Membership]:
    """The course and the signed-in user's place in it, or 404 (not a member: as if the course
    did not exist) or 403 (a member without one of ``roles``)."""
    course = course_by_slug(slug)
    if course is None or not current_user.is_authenticated:
        abort(404)
    found = membership(course, current_user)
    if found is None or found.left_at is not None:
        abort(404)
    if found.role not in roles:
        abort(403)
    return course, found


def students(course: Course) -> list[User]:
    rows = db.session.execute(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.course_id == course.id,
            Membership.role == STUDENT,
            Membership.invited_at.is_(None),
        )
        .order_by(User.name, User.email)
    ).scalars()
    return list(rows)


def members(course: Course) -> list[tuple[User, str]]:
    rows = db.session.execute(
        db.select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.course_id == course.id, Membership.invited_at.is_(None))
        .order_by(Membership.role, User.name, User.email)
    ).all()
    return [(user, role) for user, role in rows]


# -- roster CSV --------------------------------------------------------------------------------


@dataclass
class RosterResult:
    """What an import did, or (``errors``) why it did nothing."""

    errors: list[str] = field(default_factory=list)
    added: list[tuple[str, str]] = field(default_factory=list)  # (email, role)
    invited: list[tuple[str, str]] = field(default_factory=list)  # their own accounts: asked
    # Members already: their role changed by the file, or nothing changed.
    changed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    # New accounts and the password each was given, to hand to the student once.
    created: list[tuple[str, str]] = field(default_factory=list)
    # Columns of the file that nothing reads (an LMS's "First name", "Last name"), as headed
    # there, and instructors the file would have made students or TAs: said, not passed over.
    ignored_columns: list[str] = field(default_factory=list)
    kept_instructors: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    email: str
    name: str
    role: str | None  # None: the file names no role for this person (a member keeps theirs)
    password: str


# Headers spreadsheets and LMS exports use for the columns we read.
COLUMN_NAMES = {"e-mail": "email", "email address": "email", "e-mail address": "email"}
READ_COLUMNS = ("email", "name", "role", "password")
# A name in two columns, as LMS and student-system exports give it: joined, given name first.
GIVEN_NAMES = ("first name", "given name", "firstname", "first")
FAMILY_NAMES = ("last name", "family name", "surname", "lastname", "last")


def _name_parts(fields: list[str]) -> list[str]:
    """The columns a name is made of when the file has no ``name`` column."""
    if "name" in fields:
        return []
    return [next((f for f in fields if f in kind), "") for kind in (GIVEN_NAMES, FAMILY_NAMES)]


def _column(header: str | None) -> str:
    name = " ".join((header or "").split()).lower()
    return COLUMN_NAMES.get(name, name)


def import_roster(course: Course, data: bytes, appoints_staff: bool = True) -> RosterResult:
    """Enrols every row of a roster CSV (``email`` column required; ``name``, ``role``
    (student or ta) and ``password`` optional), or nothing at all when any row is bad: the
    result then lists every bad row, so one corrected upload does it.

    ``appoints_staff`` False (a TA allowed to edit the roster): rows that make a TA, or that
    name someone who is staff of the course already, are bad rows — only an instructor appoints
    or demotes staff, by file as by hand."""
    result = RosterResult()
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # a ZIP (.xlsx) or OLE (.xls) file
        result.errors.append(
            gettext(
                "This is a spreadsheet workbook (.xlsx or .xls), not a CSV file: in Excel choose "
                "File → Save As → “CSV UTF-8”, then upload that file."
            )
        )
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(gettext("The file is not UTF-8 text: save it as CSV UTF-8."))
        return result
    source = _lines(text)
    delimiter, skipped = _separator(source)
    reader = csv.DictReader(source, delimiter=delimiter)
    try:
        fields = [_column(name) for name in reader.fieldnames or []]
    except csv.Error as exc:
        # (DictReader's own line_num moves only after a good row: its reader's has the line.)
        result.errors.append(_unreadable(exc, skipped + 1, skipped + reader.reader.line_num))
        return result
    if "email" not in fields:
        result.errors.append(
            gettext(
                "The first line must name the columns, with at least “email” "
                "(optional: name, role, password)."
            )
        )
        return result
    headed = reader.fieldnames or []
    parts = _name_parts(fields)
    result.ignored_columns = [
        " ".join(str(header).split())
        for header, name in zip(headed, fields, strict=True)
        if name not in (*READ_COLUMNS, *parts) and str(header).strip()
    ]
    reader.fieldnames = fields
    rows = _read_rows(reader, result.errors, skipped)
    if not rows and not result.errors:
        result.errors.append(gettext("The file has no students in it."))
    if result.errors:
        return result
    found = {row.email: find_user(row.email) for row in rows}
    held = {email: membership(course, user) for email, user in found.items() if user is not None}
    if not appoints_staff:
        for row in rows:
            _check_staff_change(row, held.get(row.email), result.errors)
        if result.errors:
            return result
    new = [row for row in rows if found[row.email] is None]
    if len(new) > MAX_NEW_ACCOUNTS:
        result.errors.append(
            gettext(
                "The file would make %(count)d new accounts; one upload makes at most %(n)d "
                "(each needs its password made): split the file.",
                count=len(new),
                n=MAX_NEW_ACCOUNTS,
            )
        )
        return result
    # Every new password is hashed before the first write: with SQLite the first INSERT locks
    # the database until the commit, and a hash per row inside that held every other writer
    # (each learner's Submit) waiting — 150 rows, 68 s.
    passwords = {row.email: row.password or new_password() for row in new}
    hashes = dict(zip(passwords, password_hashes(list(passwords.values())), strict=True))
    for row in rows:
        user = found[row.email]
        if user is None:
            password = passwords[row.email]
            user = create_user(
                row.email, password, row.name, managed_by=course.id, hashed=hashes[row.email]
            )
            if not row.password:
                result.created.append((user.email, password))
        existing = held.get(row.email)
        if existing is not None and existing.role == INSTRUCTOR:
            if row.role not in (None, INSTRUCTOR):  # a roster never demotes an instructor
                result.kept_instructors.append(user.email)
            continue
        # No role in the file: a member keeps theirs (a TA stays a TA), anyone else is a student.
        kept = existing.role if existing is not None and existing.invited_at is None else None
        role = row.role or kept or STUDENT
        if abandoned(course, user):
            password = take_over(course, user, row.password)
            if not row.password:
                result.created.append((user.email, password))
        elif needs_consent(course, user):
            invite(course, user, role)
            result.invited.append((user.email, role))
            continue
        was = existing.role if existing is not None and existing.left_at is None else None
        enrol(course, user, role)
        if was is None:
            result.added.append((user.email, role))
        elif was != role:
            result.changed.append((user.email, role))
        else:
            result.unchanged.append((user.email, role))
    db.session.commit()
    return result


def _lines(text: str) -> io.StringIO:
    """The file for the csv reader, split where its lines end. Excel for Mac's "CSV
    (Macintosh)" ends them with a lone CR, which only ``newline=""`` splits on. A file whose
    lines end mostly in LF or CRLF is split at LF alone, so a stray CR inside one of its values
    is a line refused by name (``_unreadable``), not a row silently cut in two; counting, not
    the first line's ending, decides, as the stray CR may be on the first line."""
    lone_cr = len(re.findall(r"\r(?!\n)", text)) > text.count("\n")
    return io.StringIO(text, newline="" if lone_cr else "\n")


def _unreadable(exc: csv.Error, began: int, line: int) -> str:
    """Why the csv reader stopped, in the page's language: ``began`` is the first line of the
    record it was reading, ``line`` the line it had reached. Its errors have more than one
    cause, and each needs its own fix from whoever made the file."""
    reason = str(exc)
    if "field larger than field limit" in reason:
        return str(
            gettext(
                "Line %(line)d: a value is too long to be a name or an email (is a quote "
                "mark left open?).",
                line=began,
            )
        )
    if "new-line character" in reason:
        return str(
            gettext(
                "Line %(line)d: a line break (a lone carriage return) stands inside a value "
                "that is not in double quotes: remove it, or put the value in double quotes.",
                line=line,
            )
        )
    return str(
        gettext(
            "Line %(line)d cannot be read as CSV (“%(reason)s”): save the file again as "
            "“CSV UTF-8”.",
            line=line,
            reason=reason,
        )
    )


def _separator(source: io.StringIO) -> tuple[str, int]:
    """What separates the columns, and how many lines were read to learn it. Excel writes ";"
    where the decimal mark is a comma (much of Europe), sometimes after a ``sep=;`` line; a
    header line with no comma but semicolons or tabs says so too."""
    first = source.readline()
    hint = first.strip()
    if hint.lower().startswith("sep=") and len(hint) == 5:
        return hint[4], 1
    source.seek(0)
    if "," not in first:
        for candidate in (";", "\t"):
            if candidate in first:
                return candidate, 0
    return ",", 0


def _runs_on(value: str) -> bool:
    """A value whose later lines read like more rows (a comma, an address): a quote left open,
    not a line break typed inside one cell."""
    _, newline, rest = value.replace("\r", "\n").partition("\n")
    return bool(newline) and ("," in rest or "@" in rest or ";" in rest)


def _read_rows(reader: csv.DictReader[str], errors: list[str], skipped: int) -> list[_Row]:
    """The file's rows, checked; ``skipped``: lines read before the header (for line numbers)."""
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    records = iter(reader)
    while True:
        began = reader.line_num + skipped + 1  # the record's first line
        try:
            record = next(records)
        except StopIteration:
            return rows
        except csv.Error as exc:
            # DictReader's line_num is its last good row's; its reader's is where it stopped.
            errors.append(_unreadable(exc, began, reader.reader.line_num + skipped))
            return rows
        if len(rows) >= MAX_ROSTER_ROWS:
            errors.append(gettext("More than %(n)d rows: split the file.", n=MAX_ROSTER_ROWS))
            return rows
        values = {k: (v or "").strip() for k, v in record.items() if isinstance(k, str)}
        extra = [v for v in record.get(None) or [] if str(v).strip()]
        if extra:
            # "Smith, John" unquoted: the name became "Smith" and "John" was dropped unseen.
            errors.append(
                gettext(
                    "Line %(line)d has more values than the first line names columns (%(extra)s "
                    "left over): put a value that holds a comma or semicolon in double quotes, "
                    'as in "Smith, John".',
                    line=reader.line_num + skipped,
                    extra=", ".join(f"“{str(v).strip()}”" for v in extra),
                )
            )
            continue
        if not any(values.values()):
            continue
        if any(_runs_on(value) for value in values.values()):
            # A quote opened and never closed takes every following line into one value: the
            # students after it were dropped without a word.
            errors.append(
                gettext(
                    "Line %(line)d: a quote mark opens a value that runs on over the next "
                    "lines: close the quote, or remove it.",
                    line=began,
                )
            )
            return rows
        # A line break inside a quoted cell (Alt+Enter in a spreadsheet) is a space in a name.
        values = {
            k: " ".join(v.split()) if "\n" in v or "\r" in v else v for k, v in values.items()
        }
        parts = [str(values.get(part) or "").strip() for part in _name_parts(list(values))]
        if any(parts):
            values["name"] = " ".join(part for part in parts if part)
        row = _check_row(reader.line_num + skipped, values, seen, errors)
        if row is not None:
            rows.append(row)


def _check_staff_change(row: _Row, existing: Membership | None, errors: list[str]) -> None:
    if row.role == TA:
        errors.append(
            gettext(
                "Line %(line)d: only an instructor adds teaching assistants (%(email)s).",
                line=row.line,
                email=row.email,
            )
        )
    elif existing is not None and existing.left_at is None and existing.role in STAFF:
        errors.append(
            gettext(
                "Line %(line)d: %(email)s is staff of this course; only an instructor "
                "changes staff.",
                line=row.line,
                email=row.email,
            )
        )


def _check_row(
    line: int, values: dict[str, str], seen: dict[str, int], errors: list[str]
) -> _Row | None:
    if any(NUL in value for value in values.values()):
        errors.append(
            gettext(
                "Line %(line)d: a value holds the NUL character, which text cannot have: "
                "remove it.",
                line=line,
            )
        )
        return None
    raw = values.get("email", "")
    if not raw:
        errors.append(gettext("Line %(line)d: the email is empty.", line=line))
        return None
    try:
        email = normal_email(validate_email(raw, check_deliverability=False).normalized)
    except EmailNotValidError:
        errors.append(
            gettext("Line %(line)d: “%(email)s” is not an email address.", line=line, email=raw)
        )
        return None
    if email in seen:
        errors.append(
            gettext(
                "Line %(line)d: %(email)s is already on line %(first)d.",
                line=line,
                email=email,
                first=seen[email],
            )
        )
        return None
    seen[email] = line
    given = values.get("role", "").lower()
    role = {"teaching assistant": TA, "assistant": TA}.get(given, given) or None
    if role not in (STUDENT, TA, None):
        errors.append(
            gettext(
                "Line %(line)d: the role “%(role)s” must be student or ta.",
                line=line,
                role=values.get("role", ""),
            )
        )
        return None
    password = values.get("password", "")
    if password and len(password) < 8:
        errors.append(
            gettext("Line %(line)d: the password must have at least 8 characters.", line=line)
        )
        return None
    if len(password) > MAX_PASSWORD:
        errors.append(
            gettext(
                "Line %(line)d: the password must have at most %(n)d characters.",
                line=line,
                n=MAX_PASSWORD,
            )
        )
        return None
    name = values.get("name", "")[:200]
    return _Row(line, email, name, role, password)


def staff_of_course(course_id: int, learner: str) -> bool:
    """Whether the signed-in user is staff of course ``course_id`` and ``learner`` one of its
    students: what lets staff open a student's submission to that course."""
    if not current_user.is_authenticated:
        return False
    student = aliased(Membership)
    staff = aliased(Membership)
    row = db.session.execute(
        db.select(staff.id)
        .join(student, student.course_id == staff.course_id)
        .join(User, User.id == student.user_id)
        .where(
            staff.course_id == course_id,
            staff.user_id == current_user.id,
            staff.role.in_(STAFF),
            staff.left_at.is_(None),
            student.role == STUDENT,
            User.learner == learner,
        )
        .limit(1)
    ).first()
    return row is not None
