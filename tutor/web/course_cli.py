"""``flask tutor create-user|create-course|enrol|unenrol|export-grades|seed-demo-course``:
running a course from the command line (docs/course-site.md)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from tutor.grading.judge import Judge
from tutor.grading.runner import InProcessRunner
from tutor.queue.rows import stored_seed

from .accounts import MIN_PASSWORD, User, create_user, find_user, new_password
from .course_zone import DEFAULT_ZONE, canonical_zone
from .extensions import db
from .grading_service import stored_report, submission_seed
from .models import Course, Submission
from .private_file import write_private
from .roster import (
    ROLES,
    STUDENT,
    TA,
    RosterRefused,
    closed_to,
    course_by_slug,
    enrol,
    remove_member,
    set_closed,
    set_role,
)
from .schedule import Assignment

# Added to the existing ``flask tutor`` group (see init_app).
commands = AppGroup("course-commands")
DEMO_SLUG = "virt101"
MAX_TITLE = 200  # as the course settings form takes


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        sys.exit(f"{value!r} is not an email address: {exc}")


@commands.command("create-user")
@click.argument("email")
@click.option(
    "--password", help=f"at least {MIN_PASSWORD} characters; made up and printed if left out"
)
@click.option("--name", default="", help="the name staff see in the gradebook")
def create_user_command(email: str, password: str | None, name: str) -> None:
    """Create an account (prints the password when it made one up)."""
    address = _email(email)
    if find_user(address) is not None:
        sys.exit(f"{address} already has an account")
    if password is not None and len(password) < MIN_PASSWORD:
        sys.exit(f"the password must have at least {MIN_PASSWORD} characters")
    chosen = password or new_password()
    create_user(address, chosen, name)
    db.session.commit()
    click.echo(f"account {address} created" + ("" if password else f"; password: {chosen}"))


@commands.command("set-password")
@click.argument("email")
@click.option(
    "--password", help=f"at least {MIN_PASSWORD} characters; made up and printed if left out"
)
def set_password_command(email: str, password: str | None) -> None:
    """Give an account a new password (it is signed out everywhere)."""
    user = find_user(email)
    if user is None:
        sys.exit(f"no account {email}")
    if password is not None and len(password) < MIN_PASSWORD:
        sys.exit(f"the password must have at least {MIN_PASSWORD} characters")
    chosen = password or new_password()
    user.set_password(chosen)
    db.session.commit()
    click.echo(f"password of {user.email} changed" + ("" if password else f": {chosen}"))


@commands.command("create-course")
@click.argument("slug")
@click.option("--title", required=True)
@click.option("--instructor", "instructor_email", required=True, help="an existing account")
@click.option(
    "--time-zone",
    default=DEFAULT_ZONE,
    show_default=True,
    help="the IANA zone its deadlines are typed and shown in, e.g. Asia/Shanghai",
)
def create_course_command(slug: str, title: str, instructor_email: str, time_zone: str) -> None:
    """Create a hosted course; prints its join code."""
    from .teaching import CourseTaken, create_course

    zone = canonical_zone(time_zone)
    if zone is None:
        sys.exit(f"{time_zone!r} is not a time zone: use an IANA name such as Asia/Shanghai or UTC")
    instructor = find_user(instructor_email)
    if instructor is None:
        sys.exit(f"no account {instructor_email}: flask tutor create-user {instructor_email} first")
    if not title.strip():
        sys.exit("the title is empty: give the course a title (--title)")
    if len(title.strip()) > MAX_TITLE:
        sys.exit(
            f"the title has {len(title.strip())} characters; a course title has at most {MAX_TITLE}"
        )
    try:
        course, settings = create_course(slug, title, instructor)
    except CourseTaken as exc:
        sys.exit(str(exc))
    settings.time_zone = zone
    db.session.commit()
    click.echo(
        f"course {course.slug!r} created (deadlines in {zone}); join code: {settings.join_code}"
    )


def _course_and_account(slug: str, email: str, adding: bool = True) -> tuple[Course, User]:
    """The course and the account a roster command names, or exit saying which is missing
    (and, for a command ``adding`` them, how to make the account)."""
    course = course_by_slug(slug)
    if course is None:
        sys.exit(f"no course {slug!r}")
    user = find_user(email)
    if user is None:
        if adding:
            sys.exit(f"no account {email}: flask tutor create-user {email} first")
        sys.exit(f"no account {email}, so nobody to remove from {slug}: nothing changed")
    return course, user


@commands.command("enrol")
@click.argument("slug")
@click.argument("email")
@click.option("--role", type=click.Choice(["student", "ta", "instructor"]), default="student")
def enrol_command(slug: str, email: str, role: str) -> None:
    """Put an existing account in a course with a role, or change the role of a member."""
    course, user = _course_and_account(slug, email)
    assert role in ROLES
    if closed_to(course, user):
        sys.exit(
            f"nothing changed: {course.slug} is closed and takes no new members "
            f"(`flask tutor close-course {course.slug} --reopen` first)"
        )
    try:
        before, _ = set_role(course, user, role)
    except RosterRefused as exc:
        sys.exit(f"nothing changed: {exc}")
    db.session.commit()
    if before is None:
        click.echo(f"{user.email} is {role} in {course.slug}")
    elif before == role:
        click.echo(f"{user.email} was already {role} in {course.slug}")
    else:
        click.echo(f"{user.email} is {role} in {course.slug} (was {before})")


@commands.command("unenrol")
@click.argument("slug")
@click.argument("email")
def unenrol_command(slug: str, email: str) -> None:
    """Take an account out of a course; its submissions stay (enrol it again to bring them
    back). A course keeps at least one instructor."""
    course, user = _course_and_account(slug, email, adding=False)
    try:
        role = remove_member(course, user)
    except RosterRefused as exc:
        sys.exit(f"nothing changed: {exc}")
    db.session.commit()
    kept = db.session.scalar(
        db.select(db.func.count())
        .select_from(Submission)
        .filter_by(course_id=course.id, learner=user.learner)
    )
    click.echo(
        f"{user.email} ({role}) is no longer in {course.slug}; their {kept} submissions to it "
        "are kept (enrol them again to bring them back)"
    )


# An output file: click checks the file, not its folder, so a missing folder would end in a
# traceback after the work was done; it is refused first, saying so.
OUTPUT_FILE = click.Path(dir_okay=False, writable=True, path_type=Path)


def _folder_exists(_context: click.Context, _parameter: click.Parameter, file: Path) -> Path:
    if not file.parent.is_dir():
        raise click.BadParameter(f"the folder {file.parent} does not exist: make it first")
    return file


@commands.command("export-grades")
@click.argument("slug")
@click.argument("file", type=OUTPUT_FILE, callback=_folder_exists)
def export_grades_command(slug: str, file: Path) -> None:
    """Write the gradebook CSV (the same as the gradebook page's) to FILE; ``-`` writes it to
    standard output, for a pipe into another tool."""
    from .gradebook import grades_csv
    from .schedule import CourseSettings

    course = course_by_slug(slug)
    if course is None or db.session.get(CourseSettings, course.id) is None:
        sys.exit(f"no hosted course {slug!r}")
    # The same bytes as the gradebook page's Export CSV: the BOM makes Excel read UTF-8 names.
    text = "\ufeff" + grades_csv(course)
    if str(file) == "-":
        click.echo(text.encode("utf-8"), nl=False)  # bytes: written as they are
        return
    # Every student's email and score: readable by its owner alone (``private_file``).
    write_private(file, lambda raw: raw.write(text.encode("utf-8")))
    click.echo(f"grades of {slug} written to {file}")


@commands.command("backup")
@click.argument("file", type=OUTPUT_FILE, callback=_folder_exists)
def backup_command(file: Path) -> None:
    """Write every table (courses, accounts, submissions, ...) to FILE (gzip JSON; SQLite and
    PostgreSQL alike)."""
    from . import backup

    try:
        counts = backup.backup(current_app._get_current_object(), file)  # type: ignore[attr-defined]
    except OSError as exc:  # a full disk: the previous backup at FILE is left as it was
        sys.exit(f"no backup written ({exc.strerror or exc}); {file} was not changed")
    click.echo(f"backup written to {file}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))


@commands.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="delete the rows already in this database first")
def restore_command(file: Path, replace: bool) -> None:
    """Load a backup into this database (empty, or --replace)."""
    from . import backup

    try:
        counts = backup.restore(current_app._get_current_object(), file, replace)  # type: ignore[attr-defined]
    except backup.BackupError as exc:
        sys.exit(f"nothing restored: {exc}")
    except SQLAlchemyError as exc:  # a row this database refuses: all of it rolled back
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        sys.exit(f"nothing restored: the database refused a row of the backup ({reason})")
    click.echo(f"restored from {file}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))


@commands.command("export-course")
@click.argument("slug")
@click.argument("file", type=OUTPUT_FILE, callback=_folder_exists)
@click.option("--with-submissions", is_flag=True, help="every submission to the course too")
def export_course_command(slug: str, file: Path, with_submissions: bool) -> None:
    """Write a course's structure (exercises, deadlines, late policy, members) to FILE (JSON)."""
    import json

    from .course_transfer import export_course

    course = course_by_slug(slug)
    if course is None:
        sys.exit(f"no course {slug!r}")
    document = export_course(course, with_submissions)
    # Every member's email and name, and their code: readable by its owner alone, as a backup.
    text = json.dumps(document, ensure_ascii=False, indent=1)
    write_private(file, lambda raw: raw.write(text.encode("utf-8")))
    extra = ""
    if with_submissions:
        former = sum(1 for s in document["submissions"] if s.get("former_member"))
        extra = f", {len(document['submissions'])} submissions"
        if former:
            people = len(document["former_members"])
            extra += (
                f" ({former} of them by {people} {'person' if people == 1 else 'people'} "
                "removed from the course: an import keeps them out of its gradebook, as here)"
            )
        if document.get("left_out"):
            extra += (
                f"; {document['left_out']} submissions left out: their learners have no "
                "account (no email to carry them by)"
            )
    click.echo(
        f"course {slug} written to {file}: {len(document['exercises'])} exercises, "
        f"{len(document['members'])} members{extra}"
    )


@commands.command("import-course")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="a new short name (the file's by default)")
@click.option("--title", help="a new title (the file's by default)")
@click.option(
    "--next-term",
    is_flag=True,
    help="only its staff, exercises, deadlines and settings: no students, no submissions",
)
def import_course_command(file: Path, slug: str | None, title: str | None, next_term: bool) -> None:
    """Make a course from an exported FILE; prints its join code and new accounts' passwords."""
    from .course_transfer import TransferError, import_course

    data = file.read_bytes()
    if data[:2] == b"\x1f\x8b":  # gzip: most likely a backup, which `restore` reads
        sys.exit(
            f"nothing imported: {file} is a gzip file — a backup made by `flask tutor backup` is "
            "read by `flask tutor restore`; import-course reads the JSON that export-course writes"
        )
    try:
        done = import_course(data.decode("utf-8"), slug, title, next_term)
    except (TransferError, UnicodeDecodeError) as exc:
        sys.exit(f"nothing imported: {exc}")
    click.echo(
        f"course {done.course.slug!r} imported ({done.submissions} submissions); "
        f"join code: {done.join_code}"
    )
    for email, password in done.created:
        click.echo(f"  new account {email} password: {password}")
    if done.unknown_exercises:
        click.echo(
            "  left out, not in this installation's lessons: "
            + ", ".join(done.unknown_exercises)
            + " (their submissions are kept)"
        )


@commands.command("close-course")
@click.argument("slug")
@click.option("--reopen", is_flag=True, help="open a closed course again")
def close_course_command(slug: str, reopen: bool) -> None:
    """Close a course at the end of its term (no submissions, no new members; nothing deleted)."""
    course = course_by_slug(slug)
    if course is None:
        sys.exit(f"no course {slug!r}")
    if not set_closed(course, not reopen):
        click.echo(f"course {slug!r} was {'open' if reopen else 'closed'} already: nothing changed")
        return
    db.session.commit()
    click.echo(f"course {slug!r} {'reopened' if reopen else 'closed'}")


@commands.command("delete-account")
@click.argument("email")
@click.option("--yes", is_flag=True, help="really delete (without it, only says what would go)")
def delete_account_command(email: str, yes: bool) -> None:
    """Delete an account and everything it did (a student's request to erase their data)."""
    from .concept_answers import ConceptAnswer
    from .course_transfer import courses_only_they_teach, erase_account

    user = find_user(email)
    if user is None:
        sys.exit(f"no account {email}")
    alone = courses_only_they_teach(user)
    if alone:
        listed = ", ".join(f"{course.slug} ({others} other members)" for course, others in alone)
        sys.exit(
            f"{user.email} is the only instructor of {listed}: make someone else instructor "
            f"first (flask tutor enrol {alone[0][0].slug} EMAIL --role instructor), then delete "
            "the account; nothing was deleted"
        )
    if not yes:
        submissions = db.session.scalar(
            db.select(db.func.count()).select_from(Submission).filter_by(learner=user.learner)
        )
        answers = db.session.scalar(
            db.select(db.func.count()).select_from(ConceptAnswer).filter_by(learner=user.learner)
        )
        click.echo(
            f"{user.email}: {submissions} submissions, {answers} concept-check answers "
            "would be deleted with the account; run again with --yes to delete them"
        )
        return
    counts = erase_account(user)
    click.echo(f"{email} deleted with " + ", ".join(f"{n} {what}" for what, n in counts.items()))


@commands.command("seed-demo-course")
def seed_demo_command() -> None:
    """A demo course to try the course site with: an instructor, a TA and four students with
    graded submissions (some late, some failing on different rules). Prints how to sign in;
    the passwords are made up now, never fixed in the code. Safe to run again (does nothing)."""
    if course_by_slug(DEMO_SLUG) is not None:
        click.echo(
            f"demo course {DEMO_SLUG!r} exists already: sign in at /login with the "
            "accounts printed when it was made (or give one a new password with "
            "flask --app app tutor set-password EMAIL)"
        )
        return
    click.echo(seed_demo_course())


def seed_demo_course() -> str:
    from .teaching import create_course

    people: dict[str, tuple[User, str]] = {}
    for email, name in [
        ("instructor@example.org", "Ada Instructor"),
        ("ta@example.org", "Tom Assistant"),
        ("li.wei@example.org", "Li Wei"),
        ("maria@example.org", "María García"),
        ("sam@example.org", "Sam Okafor"),
        ("yuki@example.org", "Yuki Tanaka"),
    ]:
        user = find_user(email)
        password = new_password()
        if user is None:
            user = create_user(email, password, name)
        else:
            user.set_password(password)
        people[email] = (user, password)
    instructor = people["instructor@example.org"][0]
    course, settings = create_course(DEMO_SLUG, "Virtualization 101 (demo)", instructor)
    for user, _password in people.values():  # the demo's staff may reset its students
        user.managed_by_course_id = course.id
    enrol(course, people["ta@example.org"][0], TA)
    for email in list(people)[2:]:
        enrol(course, people[email][0], STUDENT)
    catalog = current_app.extensions["catalog"]
    now = datetime.now(UTC)
    chosen = [e for e in catalog.exercises() if e.wrong][:4]
    for position, exercise in enumerate(chosen):
        due = now - timedelta(days=2) if position == 0 else now + timedelta(days=7 * position)
        db.session.add(
            Assignment(
                course_id=course.id,
                exercise_id=exercise.id,
                position=position,
                opens_at=now - timedelta(days=14),
                due_at=due,
            )
        )
    judge = Judge(InProcessRunner())  # the lessons' own programs only: trusted, in process
    students = [people[e][0] for e in list(people)[2:]]
    for position, exercise in enumerate(chosen[:2]):
        due = now - timedelta(days=2) if position == 0 else now + timedelta(days=7)
        for index, student in enumerate(students):
            programs = [w.code for w in exercise.wrong[index % len(exercise.wrong) :][:1]]
            if index != 3:
                programs.append(exercise.solution)
            for attempt, code in enumerate(programs):
                # Student 1 is a day late on the first exercise; the rest are on time.
                when = min(due, now) - timedelta(days=1, hours=2 - attempt)
                if index == 1 and position == 0:
                    when = due + timedelta(hours=20 + attempt)
                seed = submission_seed(course.id, student.learner, exercise)
                report = judge.grade(exercise, code, seed, "hidden")
                db.session.add(
                    Submission(
                        course_id=course.id,
                        learner=student.learner,
                        exercise_id=exercise.id,
                        code=code,
                        status="graded",
                        score=report.score,
                        report_json=stored_report(report),
                        created_at=when,
                        graded_at=when,
                        variant_seed=stored_seed(seed),
                    )
                )
    db.session.commit()
    lines = [
        f"demo course {DEMO_SLUG!r} ({course.title}); join code {settings.join_code}",
        "sign in at http://127.0.0.1:5000/login with:",
    ]
    for email, (_, password) in people.items():
        role = (
            "instructor"
            if email.startswith("instructor")
            else ("ta" if email.startswith("ta@") else "student")
        )
        lines.append(f"  {role:10} {email:26} {password}")
    return "\n".join(lines)


def init_app(app: Flask) -> None:
    group = app.cli.commands.get("tutor")
    assert isinstance(group, click.Group), "cli.init_app first: it makes the tutor group"
    for name, command in commands.commands.items():
        group.add_command(command, name)
