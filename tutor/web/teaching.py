"""Course pages: create a course, choose its exercises and deadlines, its roster, joining.

A learner sees only their own courses (``/courses``), each with their own deadlines and scores;
staff pages answer 404 to anyone outside the course and 403 to a member without the role.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _  # extracted by pybabel's default keywords
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from flask_wtf.i18n import translations as wtf_translations
from sqlalchemy.exc import IntegrityError
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms import DecimalField as NumberField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)

from .accounts import User, create_user, find_user, new_password, signed_in_only
from .course_zone import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    NoSuchLocalTime,
    canonical_zone,
    from_local,
    kept_year,
    local_time,
    shown_zone,
    zone_names,
)
from .extensions import db
from .form_text import EmailAddressField
from .learn import catalog, pick
from .models import Course, Submission
from .roster import (
    INSTRUCTOR,
    ROLES,
    STAFF,
    STUDENT,
    TA,
    Membership,
    RosterRefused,
    abandoned,
    course_by_slug,
    enrol,
    import_roster,
    invitations,
    invite,
    members,
    membership,
    my_courses,
    needs_consent,
    remove_member,
    require_member,
    resettable,
    role_names,
    set_closed,
    set_role,
    take_over,
)
from .schedule import (
    ACCEPT,
    REFUSE,
    Assignment,
    CourseSettings,
    assignments,
    course_stamp,
    deadline,
    new_join_code,
    now,
    settings_of,
    utc,
)
from .set_aside import keep_times, kept_times, submissions_to
from .signin import PASSWORD_LENGTH, too_many_tries
from .standing import gradebook

bp = Blueprint("teaching", __name__)
bp.register_error_handler(RateLimitExceeded, too_many_tries)
# ``match`` anchors the start, ``\Z`` the end (``$`` would also match before a final newline).
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,63}\Z")
# Short names the site's own addresses use under /courses/: a course called so could not be opened.
RESERVED_SLUGS = frozenset({"new"})
TIME_FORMAT = "%Y-%m-%dT%H:%M"


class CourseTaken(ValueError):
    """The short name is malformed or in use; ``str()`` is English (the CLI's), ``page_text()``
    the page's language."""

    def __init__(self, slug: str, malformed: bool, reserved: bool = False) -> None:
        self.slug, self.malformed, self.reserved = slug, malformed, reserved
        if malformed:
            message = "use 2-64 lower-case letters, digits and dashes"
        elif reserved:
            message = f"{slug!r} is part of the site's own addresses: choose another short name"
        else:
            message = f"a course called {slug!r} exists already"
        super().__init__(message)

    def page_text(self) -> str:
        if self.malformed:
            return str(gettext("Use 2–64 lower-case letters, digits and dashes."))
        if self.reserved:
            return str(
                gettext(
                    "“%(slug)s” is part of the site's own addresses: choose another short name.",
                    slug=self.slug,
                )
            )
        return str(gettext("A course called “%(slug)s” exists already.", slug=self.slug))


def create_course(slug: str, title: str, instructor: User) -> tuple[Course, CourseSettings]:
    """A hosted course with its instructor and a fresh join code (the caller commits)."""
    from flask import current_app

    if not SLUG.match(slug):
        raise CourseTaken(slug, malformed=True)
    if slug in RESERVED_SLUGS:
        raise CourseTaken(slug, malformed=False, reserved=True)
    if slug == current_app.config["DEMO_COURSE"] or course_by_slug(slug) is not None:
        raise CourseTaken(slug, malformed=False)
    course = Course(slug=slug, title=title.strip())
    db.session.add(course)
    db.session.flush()
    settings = settings_of(course)
    enrol(course, instructor, INSTRUCTOR)
    return course, settings


def may_edit(role: str, settings: CourseSettings) -> bool:
    return role == INSTRUCTOR or (role == TA and settings.ta_can_edit)


@bp.app_template_global()
def may_change_settings(course: Course) -> bool:
    """Whether the staff tabs show Settings to the signed-in user."""
    found = membership(course, current_user) if current_user.is_authenticated else None
    return found is not None and may_edit(found.role, settings_of(course))


# -- forms --------------------------------------------------------------------------------------


class NewCourseForm(FlaskForm):  # type: ignore[misc]
    title = StringField(_("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _("Short name in addresses (letters, digits, dashes)"),
        validators=[
            DataRequired(),
            Regexp(SLUG, message=_("Use 2–64 lower-case letters, digits and dashes.")),
        ],
    )


class JoinForm(FlaskForm):  # type: ignore[misc]
    code = StringField(_("Join code"), validators=[DataRequired(), Length(max=16)])


def finite_number(form: Form, field: Field) -> None:
    """``NaN``, ``sNaN`` and ``Infinity`` are decimals too; comparing a signalling one fails."""
    if isinstance(field.data, Decimal) and not field.data.is_finite():
        raise StopValidation(field.gettext("Not a valid decimal value."))


class AssignmentRow(Form):  # type: ignore[misc]
    """One exercise's row of the settings form: a plain form inside it, which needs Flask-WTF's
    translations given (a ``FlaskForm`` has them) so its messages speak the page's language."""

    class Meta:
        def get_translations(self, form: Form) -> object:
            return wtf_translations

    exercise_id = HiddenField()
    included = BooleanField(_("In the course"))
    opens = DateTimeLocalField(_("Opens"), format=TIME_FORMAT, validators=[Optional()])
    due = DateTimeLocalField(_("Due"), format=TIME_FORMAT, validators=[Optional()])


class SettingsForm(FlaskForm):  # type: ignore[misc]
    title = StringField(_("Title"), validators=[DataRequired(), Length(max=200)])
    late_policy = RadioField(
        _("Late work"),
        choices=[
            SelectChoice(ACCEPT, _("Accept it, with a penalty per day late")),
            SelectChoice(REFUSE, _("Refuse it after the due time")),
        ],
    )
    penalty_per_day = NumberField(
        _("Penalty per day late, in percent of the score"),
        places=None,
        validators=[finite_number, NumberRange(min=0, max=100)],
    )
    ta_can_edit = BooleanField(_("Teaching assistants may change these settings"))
    time_zone = StringField(
        _("Time zone of the deadlines (an IANA name such as Asia/Shanghai or America/New_York)"),
        validators=[Optional(), Length(max=64)],  # left out: the course's zone stays
        render_kw={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"},
    )
    exercises = FieldList(FormField(AssignmentRow))
    # The settings as they were when this form was made (``settings_version``): a save over
    # settings someone else changed meanwhile is refused, not silently undone.
    version = HiddenField()


def settings_version(course: Course, config: CourseSettings) -> str:
    """A fingerprint of everything the settings form writes."""
    saved = [
        course.title,
        config.late_policy,
        float(config.penalty_per_day or 0),
        bool(config.ta_can_edit),
        config.time_zone,
        sorted(
            (a.exercise_id, a.position, str(a.opens_at), str(a.due_at)) for a in assignments(course)
        ),
        sorted((k, str(t.opens_at), str(t.due_at)) for k, t in kept_times(course).items()),
    ]
    return hashlib.sha256(json.dumps(saved, default=str).encode()).hexdigest()[:24]


class AddMemberForm(FlaskForm):  # type: ignore[misc]
    email = EmailAddressField(_("Email"), validators=[DataRequired(), Email()])
    role = SelectField(
        _("Role"),
        choices=[
            SelectChoice(STUDENT, _("Student")),
            SelectChoice(TA, _("Teaching assistant")),
            SelectChoice(INSTRUCTOR, _("Instructor")),
        ],
    )


class RosterForm(FlaskForm):  # type: ignore[misc]
    roster = FileField(_("Roster CSV file"), validators=[FileRequired()])


class ResetPasswordForm(FlaskForm):  # type: ignore[misc]
    password = PasswordField(
        _("New password (empty: make one up for me)"),
        validators=[Optional(), *PASSWORD_LENGTH],
    )


# -- a learner's pages -------------------------------------------------------------------------


@bp.route("/courses")
@signed_in_only
def my_courses_page() -> ResponseReturnValue:
    return render_template(
        "courses/mine.html",
        courses=my_courses(),
        join=JoinForm(),
        roles=role_names(),
        invited=_my_invitations(),
    )


def _my_invitations() -> list[tuple[Course, str]]:
    found = [(db.session.get(Course, m.course_id), m.role) for m in invitations(current_user.id)]
    return [(course, role) for course, role in found if course is not None]


@bp.post("/courses/<slug>/invitation")
@signed_in_only
def answer_invitation(slug: str) -> ResponseReturnValue:
    """The invited person accepts (joins, in the role they were invited to) or declines (the
    invitation goes; the course's staff see it gone from their roster)."""
    course = course_by_slug(slug)
    place = membership(course, current_user) if course is not None else None
    if course is None or place is None or place.invited_at is None:
        abort(404)
    if request.form.get("answer") == "accept":
        if refusal := ended(course):
            flash(refusal, "error")
            return redirect(url_for("teaching.my_courses_page"))
        enrol(course, current_user, place.role)
        db.session.commit()
        flash(gettext("You joined %(title)s.", title=course.title))
        return redirect(url_for("teaching.course_page", slug=slug))
    db.session.delete(place)
    db.session.commit()
    flash(gettext("You declined the invitation to %(title)s.", title=course.title))
    return redirect(url_for("teaching.my_courses_page"))


@bp.post("/join")
@signed_in_only
def join() -> ResponseReturnValue:
    form = JoinForm()
    if form.validate_on_submit():
        code = (form.code.data or "").strip().upper()
        settings = db.session.execute(
            db.select(CourseSettings).filter_by(join_code=code)
        ).scalar_one_or_none()
        course = db.session.get(Course, settings.course_id) if settings is not None else None
        if course is not None and (refusal := ended(course)):
            form.code.errors = [refusal]
        elif course is not None:
            place = membership(course, current_user)
            if place is None or place.left_at is not None:
                # Not in it, removed from it, or only invited (joining with the code is the
                # consent an invitation waits for, in the role it offers).
                invited = place is not None and place.invited_at is not None
                try:
                    enrol(course, current_user, place.role if place and invited else STUDENT)
                    db.session.commit()
                except IntegrityError:  # joined a moment ago (the form sent twice)
                    db.session.rollback()
            flash(gettext("You joined %(title)s.", title=course.title))
            return redirect(url_for("teaching.course_page", slug=course.slug))
        else:
            form.code.errors = [
                gettext("No course has that join code: check it with your instructor.")
            ]
    return render_template(
        "courses/mine.html",
        courses=my_courses(),
        join=form,
        roles=role_names(),
        invited=_my_invitations(),
    ), 400


@bp.route("/courses/<slug>")
@signed_in_only
def course_page(slug: str) -> ResponseReturnValue:
    course, member = require_member(slug)
    settings = settings_of(course)
    mine = gradebook(course, [current_user])
    row = mine.rows[0]
    return render_template(
        "courses/course.html",
        course=course,
        role=member.role,
        settings=settings,
        exercises=mine.exercises,
        row=row,
        catalog=catalog(),
        staff=member.role in STAFF,
        may_edit=may_edit(member.role, settings),
        roles=role_names(),
        now=datetime.now(UTC),
        utc=utc,
    )


@bp.route("/me/submissions")
@signed_in_only
def my_submissions() -> ResponseReturnValue:
    rows = db.session.execute(
        db.select(Submission, Course)
        .join(Course, Course.id == Submission.course_id)
        .where(Submission.learner == current_user.learner)
        .order_by(Submission.created_at.desc(), Submission.id.desc())
        .limit(500)
    ).all()
    return render_template("courses/history.html", rows=rows, catalog=catalog())


# -- staff pages -------------------------------------------------------------------------------


@bp.route("/courses/new", methods=["GET", "POST"])
@signed_in_only
def new_course() -> ResponseReturnValue:
    form = NewCourseForm()
    if form.validate_on_submit():
        try:
            course, _ = create_course(form.slug.data or "", form.title.data or "", current_user)
        except CourseTaken as exc:
            form.slug.errors = [exc.page_text()]
        else:
            db.session.commit()
            flash(gettext("Course created. Now choose its exercises and deadlines."))
            return redirect(url_for("teaching.settings", slug=course.slug))
    return render_template("courses/new.html", form=form), 400 if form.errors else 200


@bp.route("/courses/<slug>/settings", methods=["GET", "POST"])
@signed_in_only
def settings(slug: str) -> ResponseReturnValue:
    course, member = require_member(slug, STAFF)
    config = settings_of(course)
    if not may_edit(member.role, config):
        abort(
            403,
            description=gettext(
                "Only the course's instructor can change its settings (and its teaching "
                "assistants, if the instructor allows it). Nothing was changed."
            ),
        )
    chosen = {a.exercise_id: a for a in assignments(course)}
    all_exercises = catalog().exercises()
    form = SettingsForm()
    version = settings_version(course, config)
    # (A form without a version, sent by a script, is not checked.)
    stale = request.method == "POST" and bool(form.version.data) and form.version.data != version
    status = 400
    if request.method == "GET":
        form.version.data = version
        form.title.data = course.title
        form.late_policy.data = config.late_policy
        form.penalty_per_day.data = config.penalty_per_day
        form.ta_can_edit.data = config.ta_can_edit
        form.time_zone.data = config.time_zone
        kept = kept_times(course)
        for exercise in all_exercises:
            # An exercise taken out shows the times it had, to come back with when ticked.
            found = chosen.get(exercise.id) or kept.get(exercise.id)
            opens, due = (found.opens_at, found.due_at) if found else (None, None)
            form.exercises.append_entry(
                {
                    "exercise_id": exercise.id,
                    "included": exercise.id in chosen,
                    "opens": local_time(opens, config.time_zone) if opens else None,
                    "due": local_time(due, config.time_zone) if due else None,
                }
            )
    # Both checks run (``&``, not ``and``): every error is shown at once.
    elif (form.validate_on_submit() & _times_make_sense(form, config.time_zone)) and not stale:
        course.title = form.title.data or course.title
        config.late_policy = form.late_policy.data or ACCEPT
        config.penalty_per_day = float(form.penalty_per_day.data or 0)
        if member.role == INSTRUCTOR:  # a TA never widens their own rights
            config.ta_can_edit = bool(form.ta_can_edit.data)
        was_zone = config.time_zone
        config.time_zone = _form_zone(form, config.time_zone) or config.time_zone
        past, taken_out = _save_assignments(course, form, chosen, config.time_zone)
        try:
            db.session.commit()
        except IntegrityError:  # the same exercise added by another save at the same moment
            db.session.rollback()
            stale = True
        else:
            flash(gettext("Settings saved."))
            names = {e.id: e.title for e in all_exercises}
            if past:
                flash(
                    gettext(
                        "Already past: %(list)s. Work already submitted after it counts as "
                        "late now, and so does every later Submit; if that is not what you "
                        "meant, correct the due time.",
                        list="; ".join(
                            f"{pick(names[a.exercise_id])} ({course_stamp(a.due_at, course)})"
                            for a in past
                        ),
                    ),
                    "error",
                )
            if taken_out:
                _say_taken_out(course, taken_out, names)
            if config.time_zone != was_zone:
                # Documented, but silent: on-time work turned late with nothing said.
                flash(
                    gettext(
                        "The course's time zone is now %(zone)s (it was %(was)s). Every opening "
                        "and due time kept the clock time in the form, so each now falls at "
                        "another moment, and work already submitted is counted against the new "
                        "times: check the gradebook.",
                        zone=shown_zone(config.time_zone),
                        was=shown_zone(was_zone),
                    )
                )
            return redirect(url_for("teaching.settings", slug=slug))
    if stale:
        # Theirs stays saved; this form keeps what was typed, with the version now saved, so
        # saving again (after a look at theirs) is a choice, not an accident.
        course, config = db.session.get(Course, course.id) or course, settings_of(course)
        form.version.data = settings_version(course, config)
        status = 409
        flash(
            gettext(
                "Someone else saved these settings while you were editing them, so yours were "
                "not saved. What you entered is still below: open Settings in another tab to see "
                "what they saved, then press Save again to replace it with yours."
            ),
            "error",
        )
    titles = {e.id: pick(e.title) for e in all_exercises}
    lessons = {e.id: pick(each.title) for each in catalog().lessons for e in each.exercises}
    return render_template(
        "courses/settings.html",
        course=course,
        form=form,
        problems=_problems(form) if request.method == "POST" and not stale else [],
        config=config,
        titles=titles,
        lessons=lessons,
        role=member.role,
        zone=_form_zone(form, config.time_zone) or config.time_zone,
        zone_names=zone_names(),
    ), status if request.method == "POST" else 200


def _problems(form: SettingsForm) -> list[str]:
    """The id of every field with an error, in the page's order: a save refused by row 6 of
    36 said so on row 6 alone, and the page looked as if nothing had happened."""
    found = []
    for field in form:
        if field.name == "exercises":
            for entry in field:
                found += [f.id for f in (entry.form.opens, entry.form.due) if f.errors]
        elif field.errors and field.type not in ("HiddenField", "CSRFTokenField"):
            # A radio group has no element of its own id: its first choice takes the focus.
            found.append(f"{field.id}-0" if field.type == "RadioField" else field.id)
    return found


def _form_zone(form: SettingsForm, current: str) -> str | None:
    """The zone the form names (its IANA spelling), the course's own if it names none."""
    typed = (form.time_zone.data or "").strip()
    return canonical_zone(typed) if typed else current


def _times_make_sense(form: SettingsForm, current: str) -> bool:
    """The zone is a real one, every typed time exists in it (daylight saving time skips an
    hour a year), and each due time comes after its opening time; errors go on the fields."""
    zone = _form_zone(form, current)
    if zone is None:
        form.time_zone.errors = [
            *form.time_zone.errors,
            gettext(
                "“%(zone)s” is not a time zone: use an IANA name such as Asia/Shanghai, "
                "Europe/Berlin or UTC.",
                zone=form.time_zone.data or "",
            ),
        ]
        return False
    good = True
    for entry in form.exercises:
        row = entry.form
        moments: list[datetime | None] = []
        for field in (row.opens, row.due):
            if field.data and not kept_year(field.data):
                field.errors = [
                    *field.errors,
                    gettext(
                        "Choose a date from %(first)d to %(last)d.",
                        first=EARLIEST_YEAR,
                        last=LATEST_YEAR,
                    ),
                ]
                good = False
                moments.append(None)
                continue
            try:
                moments.append(from_local(field.data, zone) if field.data else None)
            except NoSuchLocalTime:
                field.errors = [
                    *field.errors,
                    gettext(
                        "%(when)s does not exist in %(zone)s: the clocks skip that hour "
                        "(daylight saving time). Choose another time.",
                        when=field.data.strftime("%Y-%m-%d %H:%M"),
                        zone=zone,
                    ),
                ]
                good = False
                moments.append(None)
        opens, due = moments
        if opens and due and due <= opens:
            row.due.errors = [
                *row.due.errors,
                gettext("The due time must come after the opening time."),
            ]
            good = False
    return good


def _say_taken_out(course: Course, taken_out: list[str], names: dict[str, Any]) -> None:
    """Taking an exercise out of a course takes its submissions out of the gradebook: said,
    with how many, since nothing on the page shows it."""
    count = sum(submissions_to(course, exercise_id) for exercise_id in taken_out)
    flash(
        ngettext(
            "Taken out of the course: %(list)s. Its %(num)d submission no longer counts in "
            "the gradebook; it is kept, and counts again, with the times shown, if you tick "
            "the exercise again.",
            "Taken out of the course: %(list)s. Their %(num)d submissions no longer count in "
            "the gradebook; they are kept, and count again, with the times shown, if you tick "
            "the exercises again.",
            count,
            list="; ".join(pick(names[exercise_id]) for exercise_id in taken_out),
        )
        if count
        else gettext(
            "Taken out of the course: %(list)s (no submissions yet). Its times are kept for "
            "when you tick it again.",
            list="; ".join(pick(names[exercise_id]) for exercise_id in taken_out),
        ),
        "error" if count else "message",
    )


def _save_assignments(
    course: Course, form: SettingsForm, chosen: dict[str, Assignment], zone: str
) -> tuple[list[Assignment], list[str]]:
    """Saves the form's exercises. Returns the assignments this save gave a due time already
    past (a typo of the year, a deadline copied from last term: every Submit counts late),
    and the exercises it took out of the course. An unticked exercise's times are kept
    (``set_aside``): deleting them lost dates nobody meant to lose."""
    past: list[Assignment] = []
    taken_out: list[str] = []
    kept = kept_times(course)
    known = {e.id for e in catalog().exercises()}
    position = 0
    seen: set[str] = set()
    for entry in form.exercises:
        row = entry.form
        exercise_id = row.exercise_id.data or ""
        if exercise_id not in known or exercise_id in seen:
            continue  # a crafted form naming an exercise twice: its first row counts
        seen.add(exercise_id)
        found = chosen.pop(exercise_id, None)
        stored = found or kept.get(exercise_id)
        opens = _kept_or_read(stored.opens_at if stored else None, row.opens.data, zone)
        due = _kept_or_read(stored.due_at if stored else None, row.due.data, zone)
        if not row.included.data:
            if found is not None:
                db.session.delete(found)  # submissions stay; they just stop counting
                taken_out.append(exercise_id)
            keep_times(course, exercise_id, opens, due, kept)
            continue
        if exercise_id in kept:
            db.session.delete(kept.pop(exercise_id))  # back in the course, with these times
        if found is None:
            found = Assignment(course_id=course.id, exercise_id=exercise_id)
            db.session.add(found)
        found.position = position
        position += 1
        found.opens_at = opens
        was_due = found.due_at
        found.due_at = due
        if due is not None and due is not was_due and deadline(due) < now():
            past.append(found)
    return past, taken_out


def _kept_or_read(stored: datetime | None, typed: datetime | None, zone: str) -> datetime | None:
    """The moment a form's wall-clock time means; the stored one while the form shows it
    unchanged. A time the clocks show twice reads as its first: saving only the title moved a
    due time at the second 01:30 an hour earlier."""
    if typed is None:
        return None
    if stored is not None and local_time(stored, zone).replace(second=0, microsecond=0) == typed:
        return stored
    return from_local(typed, zone)


@bp.route("/courses/<slug>/roster")
@signed_in_only
def roster(slug: str) -> ResponseReturnValue:
    course, member = require_member(slug, STAFF)
    return _roster_page(course, member)


def _roster_page(
    course: Course, member: Membership, status: int = 200, **forms: object
) -> ResponseReturnValue:
    config = settings_of(course)
    return render_template(
        "courses/roster.html",
        course=course,
        members=members(course),
        invited=[(db.session.get(User, m.user_id), m.role) for m in invitations(course=course)],
        config=config,
        role=member.role,
        may_edit=may_edit(member.role, config),
        roles=role_names(),
        add=forms.get("add") or AddMemberForm(),
        upload=forms.get("upload") or RosterForm(),
        reset=ResetPasswordForm(),
        resettable=resettable(course),
        result=forms.get("result"),
        reset_done=forms.get("reset_done"),
        refused=forms.get("refused"),
    ), status


def _added_twice(course: Course, member: Membership, form: AddMemberForm) -> ResponseReturnValue:
    """The same person added by two requests at once (a form sent twice): one added them, and
    this one changes nothing (a new password here would undo the one the other page shows)."""
    return _roster_page(
        course,
        member,
        409,
        add=form,
        refused=gettext(
            "%(email)s was added a moment ago by another request (the form sent twice?): they "
            "are in the roster below, and the page that added them shows their password. Reset "
            "it from the roster if it is lost.",
            email=form.email.data,
        ),
    )


@bp.post("/courses/<slug>/roster/add")
@signed_in_only
def add_member(slug: str) -> ResponseReturnValue:
    course, member = require_member(slug, STAFF)
    if not may_edit(member.role, settings_of(course)):
        abort(403)
    if refusal := ended(course):
        return _roster_page(course, member, 409, refused=refusal)
    form = AddMemberForm()
    if not form.validate_on_submit():
        return _roster_page(course, member, 400, add=form)
    role = form.role.data or STUDENT
    if member.role != INSTRUCTOR and role != STUDENT:
        abort(403)  # only an instructor appoints staff
    user = find_user(form.email.data or "")
    existing = membership(course, user) if user is not None else None
    if member.role != INSTRUCTOR and existing is not None and existing.role in STAFF:
        abort(403)  # nor does a TA demote one
    created = None
    if user is None:
        created = new_password()
        try:
            user = create_user(form.email.data or "", created, managed_by=course.id)
        except IntegrityError:  # the same address added by a request sent at the same moment
            db.session.rollback()
            return _added_twice(course, member, form)
    elif abandoned(course, user):
        created = take_over(course, user)
    elif needs_consent(course, user):
        invite(course, user, role)
        db.session.commit()
        flash(
            gettext(
                "%(email)s has an account of their own: they are invited, and join the course "
                "when they accept on their Courses page.",
                email=user.email,
            )
        )
        return redirect(url_for("teaching.roster", slug=slug))
    was = existing.role if existing is not None and existing.left_at is None else None
    try:
        set_role(course, user, role)
        db.session.commit()
    except RosterRefused as exc:
        db.session.rollback()
        return _roster_page(course, member, 409, add=form, refused=exc.page_text())
    except IntegrityError:
        db.session.rollback()
        return _added_twice(course, member, form)
    names = role_names()
    if was == role:
        flash(
            gettext(
                "%(email)s was already in the course as %(role)s: nothing changed.",
                email=user.email,
                role=names[role],
            )
        )
    elif was is not None:
        flash(
            gettext(
                "%(email)s was in the course as %(was)s and is now %(role)s.",
                email=user.email,
                was=names[was],
                role=names[role],
            )
        )
    else:
        flash(gettext("%(email)s is now in the course.", email=user.email))
    if created:
        return _roster_page(course, member, reset_done=(user.email, created))
    return redirect(url_for("teaching.roster", slug=slug))


@bp.post("/courses/<slug>/roster/import")
@signed_in_only
def import_csv(slug: str) -> ResponseReturnValue:
    course, member = require_member(slug, STAFF)
    if not may_edit(member.role, settings_of(course)):
        abort(403)
    if refusal := ended(course):
        return _roster_page(course, member, 409, refused=refusal)
    form = RosterForm()
    if not form.validate_on_submit():
        return _roster_page(course, member, 400, upload=form)
    result = import_roster(
        course, form.roster.data.read(), appoints_staff=member.role == INSTRUCTOR
    )
    if result.errors:
        return _roster_page(course, member, 400, upload=form, result=result)
    return _roster_page(course, member, result=result)


@bp.post("/courses/<slug>/students/<int:user_id>/password")
@signed_in_only
def reset_password(slug: str, user_id: int) -> ResponseReturnValue:
    """Staff set a student's password (everywhere the student was signed in is signed out):
    only of an account the course made and no other course shares (``roster.resettable``)."""
    course, member = require_member(slug, STAFF)
    student = db.session.get(User, user_id)
    target = membership(course, student) if student is not None else None
    if student is None or target is None or target.role != STUDENT:
        abort(404)  # staff reset students of their own course, nobody else
    if not may_edit(member.role, settings_of(course)):
        # Setting a password is signing in as the student: not for a TA the instructor has
        # not allowed to change the roster.
        refused = gettext(
            "Only the course's instructor, or a teaching assistant they allow to change the "
            "settings, sets students' passwords."
        )
        return _roster_page(course, member, 403, refused=refused)
    if not resettable(course, student.id):
        refused = gettext(
            "%(email)s made this account themselves, or it is in another course too: only its "
            "owner changes its password (on their Account page), or the site's operator.",
            email=student.email,
        )
        return _roster_page(course, member, 403, refused=refused)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.password.errors))
        return redirect(url_for("teaching.roster", slug=slug))
    password = form.password.data or new_password()
    student.set_password(password)
    db.session.commit()
    return _roster_page(course, member, reset_done=(student.email, password))


def _roster_change(slug: str, user_id: int) -> tuple[Course, Membership, User, Membership]:
    """The course, the acting staff member, and the member to change: 404 outside the course,
    403 to a student, to a TA the instructor has not allowed to edit, and to a TA acting on
    staff (only an instructor appoints or removes staff). Someone not in the course raises
    ``RosterRefused`` (the page says so)."""
    course, member = require_member(slug, STAFF)
    if not may_edit(member.role, settings_of(course)):
        abort(403)
    person = db.session.get(User, user_id)
    target = membership(course, person) if person is not None else None
    if person is None or target is None:
        raise RosterRefused(RosterRefused.NOT_MEMBER, "", course.slug)
    if member.role != INSTRUCTOR and target.role in STAFF:
        abort(403)
    return course, member, person, target


def _refused(slug: str, exc: RosterRefused) -> ResponseReturnValue:
    course, member = require_member(slug, STAFF)
    status = 404 if exc.reason == RosterRefused.NOT_MEMBER else 409
    return _roster_page(course, member, status, refused=exc.page_text())


@bp.route("/courses/<slug>/members/<int:user_id>/remove", methods=["GET", "POST"])
@signed_in_only
def remove(slug: str, user_id: int) -> ResponseReturnValue:
    """GET asks to confirm; POST takes the person out of the course. Their submissions stay
    stored: they leave the gradebook and come back if the person is enrolled again."""
    try:
        course, member, person, target = _roster_change(slug, user_id)
        if request.method == "GET":
            kept = db.session.scalar(
                db.select(db.func.count())
                .select_from(Submission)
                .filter_by(course_id=course.id, learner=person.learner)
            )
            return render_template(
                "courses/remove.html",
                course=course,
                person=person,
                role=target.role,
                roles=role_names(),
                kept=int(kept or 0),
            )
        remove_member(course, person)  # CSRF: checked for every POST (CSRFProtect)
    except RosterRefused as exc:
        db.session.rollback()
        return _refused(slug, exc)
    db.session.commit()
    flash(
        gettext(
            "%(email)s is no longer in the course. Their submissions are kept: enrol them again "
            "to bring them back.",
            email=person.email,
        )
    )
    if person.id == member.user_id:
        return redirect(url_for("teaching.my_courses_page"))
    return redirect(url_for("teaching.roster", slug=slug))


@bp.post("/courses/<slug>/members/<int:user_id>/role")
@signed_in_only
def change_role(slug: str, user_id: int) -> ResponseReturnValue:
    """A member becomes student, TA or instructor (only an instructor appoints staff)."""
    role = request.form.get("role", "")
    try:
        course, member, person, target = _roster_change(slug, user_id)
        if role not in ROLES:
            abort(400)
        if member.role != INSTRUCTOR and role != STUDENT:
            abort(403)
        before = target.role
        set_role(course, person, role)
    except RosterRefused as exc:
        db.session.rollback()
        return _refused(slug, exc)
    db.session.commit()
    names = role_names()
    if before != role:
        flash(
            gettext(
                "%(email)s is now %(role)s (was %(before)s).",
                email=person.email,
                role=names[role],
                before=names[before],
            )
        )
    if person.id == member.user_id and role != INSTRUCTOR:
        return redirect(url_for("teaching.course_page", slug=slug))
    return redirect(url_for("teaching.roster", slug=slug))


def ended(course: Course) -> str | None:
    """Why a closed course takes nobody new, for the pages that add people (the join code, an
    invitation, "Add one person", a roster file; ``roster.closed_to`` for one person), else
    None."""
    if course.closed_at is None:
        return None
    return str(
        gettext(
            "%(title)s has ended: it takes no new members. Ask your instructor for this "
            "term's join code.",
            title=course.title,
        )
    )


@bp.post("/courses/<slug>/close")
@signed_in_only
def close(slug: str) -> ResponseReturnValue:
    """The end of the term: the course takes no more submissions and no new members (its
    students' Submits count for their other courses, or for none); nothing in it is deleted,
    and reopening undoes it."""
    course, member = require_member(slug, STAFF)
    if member.role != INSTRUCTOR:
        abort(403)
    reopen = request.form.get("reopen") == "1"
    set_closed(course, not reopen)
    db.session.commit()
    if reopen:
        flash(gettext("%(title)s is open again.", title=course.title))
    else:
        flash(
            gettext(
                "%(title)s is closed: it takes no submissions and no new members now; "
                "everything in it is kept.",
                title=course.title,
            )
        )
    return redirect(url_for("teaching.course_page", slug=slug))


@bp.post("/courses/<slug>/join-code")
@signed_in_only
def new_code(slug: str) -> ResponseReturnValue:
    course, member = require_member(slug, STAFF)
    config = settings_of(course)
    if not may_edit(member.role, config):
        abort(403)
    config.join_code = new_join_code()
    db.session.commit()
    flash(gettext("New join code: %(code)s. The old one no longer works.", code=config.join_code))
    return redirect(url_for("teaching.course_page", slug=slug))
