"""``flask tutor ...``: set-up, authoring checks and grading from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from tutor.content import build as lesson_build
from tutor.content.checker import check_catalog
from tutor.queue.commands import register as register_queue_commands

from . import schema
from .course import demo_course, demo_course_id
from .grading_service import GraderBusy, GraderUnavailable

tutor_cli = AppGroup("tutor", help="VirtTutor commands.")


@tutor_cli.command("init-db")
def init_db() -> None:
    """Upgrade the database to the newest schema and add the demo course (safe to run again:
    nothing is dropped; ``flask db upgrade`` does the same without the demo course)."""
    schema.upgrade(current_app)
    course = demo_course()
    click.echo(
        f"database at revision {schema.current_revision(current_app)}; demo course {course.slug!r}"
    )


@tutor_cli.command("build-lessons")
def build_lessons() -> None:
    """Compile the lessons into a versioned build (a content hash per exercise, and each
    exercise's practice cases with the reference's outputs, which the lesson pages read) and
    keep it under LESSON_BUILDS_DIR; prints the build id and each exercise's version."""
    build = current_app.extensions["lesson_build"]
    practice, problems = lesson_build.compute_practice(current_app.extensions["catalog"])
    folder = lesson_build.publish(
        build, Path(current_app.config["LESSONS_DIR"]), lesson_builds_dir(current_app), practice
    )
    click.echo(f"lesson build {build.id} (grader {build.grader_version}) in {folder}")
    for exercise_id, version in sorted(build.exercises.items()):
        click.echo(f"  {exercise_id} {version}")
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(f"{len(problems)} exercise(s) without practice cases: fix their references")


def lesson_builds_dir(app: Flask) -> Path:
    return Path(app.config.get("LESSON_BUILDS_DIR") or Path(app.instance_path) / "lesson-builds")


@tutor_cli.command("check-lessons")
@click.option(
    "--lesson",
    "lesson_id",
    metavar="ID",
    help="check only this lesson (its id, or its folder's name); the whole course takes a minute",
)
def check_lessons(lesson_id: str | None) -> None:
    """Every solution scores 100 %, starters less, each wrong/ program gets its message."""
    catalog = current_app.extensions["catalog"]
    lessons = catalog.lessons
    if lesson_id is not None:
        lessons = [ls for ls in lessons if lesson_id in (ls.id, ls.folder.name)]
        if not lessons:
            known = ", ".join(ls.id for ls in catalog.lessons) or "none"
            sys.exit(
                f"no lesson {lesson_id!r} in {current_app.config['LESSONS_DIR']}; ids: {known}"
            )
        lesson_id = lessons[0].id
    problems = check_catalog(catalog, lesson_id)
    for problem in problems:
        click.echo(problem, err=True)
    count = sum(len(lesson.exercises) for lesson in lessons)
    if problems:
        sys.exit(f"{len(problems)} problem(s) in {count} exercise(s)")
    click.echo(f"{len(lessons)} lesson(s), {count} exercise(s): all checks pass")


@tutor_cli.command("grade")
@click.argument("exercise_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--student", default="cli", help="whose hidden variant to grade against")
def grade(exercise_id: str, file: Path, student: str) -> None:
    """Grade FILE as a submission to EXERCISE_ID; prints the report as JSON."""
    exercise = current_app.extensions["catalog"].exercise(exercise_id)
    if exercise is None:
        sys.exit(f"no exercise {exercise_id!r}; see GET /api/lessons")
    try:
        code = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        sys.exit(f"{file} is not UTF-8 text")
    service = current_app.extensions["grading"]
    try:
        submission = service.submit(exercise, code, demo_course_id(), student, here=True)
    except (GraderBusy, GraderUnavailable) as exc:
        sys.exit(str(exc))
    report = submission.report or {"verdict": "pending", "message": "still grading"}
    click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    sys.exit(0 if report["verdict"] == "passed" else 1)


register_queue_commands(tutor_cli)  # worker, regrade, regrade-pending


def init_app(app: Flask) -> None:
    app.cli.add_command(tutor_cli)
