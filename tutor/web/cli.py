"""``flask tutor ...``: set-up, authoring checks and grading from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from tutor.content.checker import check_catalog
from tutor.grading.judge import variant_seed

from .course import demo_course
from .extensions import db

tutor_cli = AppGroup("tutor", help="VirtTutor commands.")


@tutor_cli.command("init-db")
def init_db() -> None:
    """Create the tables and the demo course (safe to run again: nothing is dropped)."""
    db.create_all()
    course = demo_course()
    click.echo(f"database ready; demo course {course.slug!r}")


@tutor_cli.command("check-lessons")
def check_lessons() -> None:
    """Every solution scores 100 %, starters less, each wrong/ program gets its message."""
    catalog = current_app.extensions["catalog"]
    problems = check_catalog(catalog)
    for problem in problems:
        click.echo(problem, err=True)
    count = len(catalog.exercises())
    if problems:
        sys.exit(f"{len(problems)} problem(s) in {count} exercise(s)")
    click.echo(f"{len(catalog.lessons)} lesson(s), {count} exercise(s): all checks pass")


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
    judge = current_app.extensions["grading"].judge
    seed = variant_seed(current_app.config["DEMO_COURSE"], student, exercise_id)
    report = judge.grade(exercise, code, seed, "hidden")
    click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    sys.exit(0 if report.verdict == "passed" else 1)


def init_app(app: Flask) -> None:
    app.cli.add_command(tutor_cli)
