"""``flask tutor worker``, ``flask tutor regrade --exercise ID`` and ``flask tutor
regrade-pending``: the grading queue from the command line."""

from __future__ import annotations

import logging
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import ColumnElement, and_, update

from tutor.web.extensions import db
from tutor.web.models import Course, Submission

from . import rows
from .broker import hidden_password
from .grader import Grader
from .tasks import GradingQueue

FINISHED = ("graded", "error")
IN_FLIGHT = ("pending", "grading")


def _queue() -> GradingQueue:
    queue: GradingQueue = current_app.extensions["grading_queue"]
    return queue


@click.command("worker")
@with_appcontext
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="grader processes to run",
)
def worker(workers: int) -> None:
    """Grade queued submissions until Ctrl+C (GRADER_WORKERS threads per process, each
    process with its own sandbox pool)."""
    queue = _queue()
    if queue.immediate:
        sys.exit("QUEUE_URL is 'immediate': there is no queue for a worker to consume")
    try:
        queue.huey.pending_count()  # one read: a wrong host or port is one line, not a flood
    except Exception as exc:  # redis.ConnectionError, sqlite3.OperationalError, ...
        shown = hidden_password(queue.url)
        sys.exit(f"the grader worker cannot reach the queue at {shown}: {exc}")
    from .worker import run_workers  # not at import: the worker module imports the web app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    run_workers(current_app._get_current_object(), workers)  # type: ignore[attr-defined]


@click.command("regrade")
@with_appcontext
@click.option("--exercise", "exercise_id", help="the exercise whose submissions")
@click.option("--course", "course_slug", help="only the submissions made for this course")
@click.option("--submission", "submission_id", type=int, help="only this submission (its id)")
def regrade(exercise_id: str | None, course_slug: str | None, submission_id: int | None) -> None:
    """Grade EXERCISE's finished submissions again (after a fix to the exercise or the grader)
    and report what changed; ``--course`` narrows them to one course (a regrade touched every
    course on the host), ``--submission`` to one disputed submission.

    Every variant's reference run is made first: an exercise that cannot be graded (its cases or
    its reference solution fail) stops the command before any submission is touched, saying
    why — it reopened each one and waited two minutes for a verdict that never came, leaving
    students' graded work pending. Then ``GRADER_WORKERS`` submissions at a time (one at a time
    took 7.5 minutes for 693); each keeps its verdict until a new one is recorded."""
    queue = _queue()
    which: list[ColumnElement[bool]] = [Submission.status.in_(FINISHED)]
    if submission_id is not None:
        one = db.session.get(Submission, submission_id)
        if one is None:
            sys.exit(f"no submission #{submission_id}")
        if exercise_id is not None and exercise_id != one.exercise_id:
            sys.exit(f"submission #{submission_id} is of {one.exercise_id}, not {exercise_id}")
        exercise_id = one.exercise_id
        which.append(Submission.id == submission_id)
    if exercise_id is None:
        sys.exit("say which: --exercise ID (every submission of it) or --submission ID")
    if course_slug is not None:
        course = db.session.execute(
            db.select(Course).filter_by(slug=course_slug)
        ).scalar_one_or_none()
        if course is None:
            sys.exit(f"no course {course_slug!r} (its slug is in its address: /courses/<slug>)")
        which.append(Submission.course_id == course.id)
    exercise = queue.catalog.exercise(exercise_id)
    if exercise is None:
        sys.exit(f"no exercise {exercise_id!r}; see GET /api/lessons")
    grader = queue.grader()
    refused = grader.refusal()
    if refused is not None:
        sys.exit(refused.en)
    judge = grader.judge()
    before = [
        _Finished(row.id, row.status, row.score, row.attempts, row.variant_seed or 0)
        for row in db.session.execute(
            db.select(
                Submission.id,
                Submission.status,
                Submission.score,
                Submission.attempts,
                Submission.variant_seed,
            )
            .where(Submission.exercise_id == exercise_id, *which)
            .order_by(Submission.id)
        )
    ]
    db.session.commit()
    checked: set[int] = set()
    for was in before:
        if was.seed in checked:
            continue
        checked.add(was.seed)
        try:
            judge.reference(exercise, exercise.cases(rows.seed_of(was.seed), "hidden"))
        except Exception as exc:  # ReferenceFailure, or cases.py itself failing
            sys.exit(
                f"{exercise_id} cannot be graded (submission #{was.id}'s variant: {exc}); "
                "nothing was re-graded. Fix the exercise (flask tutor check-lessons) and run "
                "regrade again."
            )
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    failed = threading.Event()
    reasons: list[str] = []
    with ThreadPoolExecutor(max_workers=queue.threads) as pool:
        done = list(pool.map(lambda b: _regrade_one(app, grader, b, failed, reasons), before))
    changed = [line for line in done if line]
    if failed.is_set():
        for line in changed:
            click.echo(line)
        sys.exit(
            f"{exercise_id}: a submission could not be graded again ({'; '.join(reasons)}); it "
            "and every submission not re-graded keep their verdicts"
        )
    scope = f" for {course_slug}" if course_slug is not None else ""
    click.echo(
        f"re-graded {len(before)} submission(s) of {exercise_id}{scope}: {len(changed)} "
        f"changed, {len(before) - len(changed)} unchanged"
    )
    for line in changed:
        click.echo(line)


@dataclass(frozen=True)
class _Finished:
    id: int
    status: str
    score: float | None
    attempts: int
    seed: int


# What the grader's outcome means, for the operator (``Grader.grade``'s names).
_WHY = {
    "refused": "the sandbox cannot be set up here",
    "missing": "the submission was deleted meanwhile",
    "gave-up": "its attempts were used up",
    "taken": "another grader took it and did not finish it in time",
    "error": "the server could not grade it",
    "reference-failed": "the exercise's reference solution failed on its cases",
    "crashed": "grading it raised an error (logged)",
    "superseded": "another grader recorded a verdict first",
}
# How long a submission another grader took (a worker's sweeper found it pending) is waited for.
TAKEN_WAIT_SECONDS = 120.0


def _regrade_one(
    app: Flask, grader: Grader, was: _Finished, failed: threading.Event, reasons: list[str]
) -> str:
    """Grades one submission again (its own database session); "" when its verdict did not
    change. A failure puts it back as it was, says why in ``reasons`` and stops the ones not
    started yet. One a running worker takes meanwhile (it is pending while re-graded) is
    waited for: that worker's verdict is the new one."""
    if failed.is_set():
        return ""
    with app.app_context():
        reopened = db.session.execute(
            update(Submission)
            .where(and_(Submission.id == was.id, Submission.status == was.status))
            .values(status="pending", attempts=0, started_at=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if reopened.rowcount != 1:  # type: ignore[attr-defined]
            return ""  # changed meanwhile (graded again by someone else): left alone
        outcome = grader.grade(was.id)
        after = db.session.get(Submission, was.id, populate_existing=True)
        deadline = time.monotonic() + TAKEN_WAIT_SECONDS
        while outcome == "taken" and after is not None and after.status in IN_FLIGHT:
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
            after = db.session.get(Submission, was.id, populate_existing=True)
        if outcome == "taken" and after is not None and after.status in FINISHED:
            outcome = "graded"
        if outcome != "graded" or after is None or after.status not in FINISHED:
            reasons.append(f"#{was.id}: {_WHY.get(outcome, outcome)}")
            db.session.execute(  # as it was: its verdict stands
                update(Submission)
                .where(Submission.id == was.id, Submission.status.in_(IN_FLIGHT))
                .values(status=was.status, attempts=was.attempts, started_at=None)
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
            failed.set()
            return ""
        line = ""
        if (after.status, after.score) != (was.status, was.score):
            line = (
                f"  #{was.id} ({after.learner}): {was.status} {_score(was.score)} → "
                f"{after.status} {_score(after.score)}"
            )
        db.session.remove()
        return line


def _score(score: float | None) -> str:
    return "-" if score is None else f"{score:g}"


@click.command("regrade-pending")
@with_appcontext
def regrade_pending() -> None:
    """Queue every stored submission still pending again (workers also do this by themselves,
    through their sweeper)."""
    count = current_app.extensions["grading"].resume_pending()
    click.echo(f"queued {count} pending submission(s) again")


def register(group: AppGroup) -> None:
    for command in (worker, regrade, regrade_pending):
        group.add_command(command)
