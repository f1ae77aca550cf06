"""``flask tutor worker``, ``flask tutor regrade --exercise ID`` and ``flask tutor
regrade-pending``: the grading queue from the command line."""

from __future__ import annotations

import logging
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import and_, update

from tutor.web.extensions import db
from tutor.web.models import Submission

from . import rows
from .broker import hidden_password
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
@click.option("--exercise", "exercise_id", required=True, help="the exercise whose submissions")
def regrade(exercise_id: str) -> None:
    """Grade EXERCISE's finished submissions again (after a fix to the exercise or the grader)
    and report what changed.

    Each submission keeps its verdict until a new one is recorded: its reference run is made
    first, and an exercise that cannot be graded (its cases or its reference solution fail)
    stops the command there, saying why, with every submission not yet re-graded as it was —
    it reopened each one first and then waited two minutes for a verdict that never came,
    leaving students' graded work pending."""
    queue = _queue()
    exercise = queue.catalog.exercise(exercise_id)
    if exercise is None:
        sys.exit(f"no exercise {exercise_id!r}; see GET /api/lessons")
    refused = queue.grader().refusal()
    if refused is not None:
        sys.exit(refused.en)
    grader = queue.grader()
    judge = grader.judge()
    before = {
        row.id: (row.status, row.score, row.attempts, row.variant_seed)
        for row in db.session.execute(
            db.select(
                Submission.id,
                Submission.status,
                Submission.score,
                Submission.attempts,
                Submission.variant_seed,
            )
            .where(Submission.exercise_id == exercise_id, Submission.status.in_(FINISHED))
            .order_by(Submission.id)
        )
    }
    db.session.commit()
    changed: list[str] = []
    done = 0
    for submission_id, (status, score, attempts, seed) in before.items():
        try:
            judge.reference(exercise, exercise.cases(rows.seed_of(seed or 0), "hidden"))
        except Exception as exc:  # ReferenceFailure, or cases.py itself failing
            _stopped(exercise_id, submission_id, done, len(before), changed, exc)
        reopened = db.session.execute(
            update(Submission)
            .where(and_(Submission.id == submission_id, Submission.status == status))
            .values(status="pending", attempts=0, started_at=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if reopened.rowcount != 1:  # type: ignore[attr-defined]
            continue
        outcome = grader.grade(submission_id)
        after = db.session.get(Submission, submission_id)
        db.session.commit()
        if outcome != "graded" or after is None or after.status not in FINISHED:
            db.session.execute(  # as it was: its verdict stands
                update(Submission)
                .where(
                    Submission.id == submission_id, Submission.status.in_(("pending", "grading"))
                )
                .values(status=status, attempts=attempts, started_at=None)
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
            _stopped(
                exercise_id, submission_id, done, len(before), changed, f"grading it: {outcome}"
            )
        done += 1
        if after is not None and (after.status, after.score) != (status, score):
            changed.append(
                f"  #{submission_id} ({after.learner}): {status} {_score(score)} → "
                f"{after.status} {_score(after.score)}"
            )
    click.echo(
        f"re-graded {len(before)} submission(s) of {exercise_id}: {len(changed)} changed, "
        f"{len(before) - len(changed)} unchanged"
    )
    for line in changed:
        click.echo(line)


def _stopped(
    exercise_id: str, at: int, done: int, total: int, changed: list[str], why: object
) -> None:
    for line in changed:
        click.echo(line)
    sys.exit(
        f"stopped at submission #{at}: {exercise_id} cannot be graded ({why}); {done} of "
        f"{total} re-graded, the others keep their verdicts. Fix the exercise "
        "(flask tutor check-lessons) and run regrade again."
    )


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
