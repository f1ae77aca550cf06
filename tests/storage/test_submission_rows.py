"""Submission rows as the queue stores and claims them, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa
from flask import Flask

from tutor.grading.variants import learner_variant_seed
from tutor.web.extensions import db
from tutor.web.models import Course, Submission


def _course(app: Flask, slug: str = "c") -> int:
    with app.app_context():
        course = Course(slug=slug, title="C")
        db.session.add(course)
        db.session.commit()
        return int(course.id)


def test_every_column_comes_back_as_stored(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    course_id = _course(app)
    beijing = timezone(timedelta(hours=8))
    started = datetime(2026, 11, 30, 20, 15, 30, 123000, tzinfo=beijing)
    largest_seed = 2**63 - 1
    with app.app_context():
        submission = Submission(
            course_id=course_id,
            learner="learner-1",
            exercise_id="io-path",
            code="def path(kind, operation):\n    return ['虚拟机']\n",
            status="grading",
            attempts=3,
            exercise_version="1f4cf3064f4ec9b5",
            variant_seed=largest_seed,
            grader_version="e36dc7be9a4110ea",
            started_at=started,
        )
        db.session.add(submission)
        db.session.commit()
        submission_id = submission.id
        db.session.remove()
    with app.app_context():
        found = db.session.get(Submission, submission_id)
        assert found is not None
        assert found.code.endswith("['虚拟机']\n")
        assert (found.status, found.attempts, found.variant_seed) == ("grading", 3, largest_seed)
        assert (found.exercise_version, found.grader_version) == (
            "1f4cf3064f4ec9b5",
            "e36dc7be9a4110ea",
        )
        # The same instant, handed back in UTC whatever zone it was written in.
        assert found.started_at == started and found.started_at.tzinfo == UTC
        assert found.created_at.tzinfo == UTC
        assert abs(datetime.now(UTC) - found.created_at) < timedelta(minutes=5)


def test_a_learner_keeps_their_variant_when_the_course_is_renamed(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()
    course_id = _course(app, "virt-2026")
    before = learner_variant_seed(course_id, "learner-1", "io-path")
    with app.app_context():
        course = db.session.get(Course, course_id)
        assert course is not None
        course.slug = "virtualization-autumn"
        db.session.commit()
        renamed = db.session.execute(
            db.select(Course).filter_by(slug="virtualization-autumn")
        ).scalar_one()
        assert learner_variant_seed(renamed.id, "learner-1", "io-path") == before
    catalog = app.extensions["catalog"]
    exercise = catalog.exercise("io-path")
    assert exercise.cases(before, "hidden") == exercise.cases(
        learner_variant_seed(course_id, "learner-1", "io-path"), "hidden"
    )


def test_one_worker_wins_the_claim_on_a_pending_submission(make_app: Callable[..., Flask]) -> None:
    """Eight workers race to claim one row: exactly one gets it, its attempt is counted once."""
    app = make_app()
    course_id = _course(app)
    with app.app_context():
        submission = Submission(course_id=course_id, learner="l", exercise_id="io-path", code="x")
        db.session.add(submission)
        db.session.commit()
        submission_id = submission.id
    barrier = threading.Barrier(8)
    won: list[int] = []

    def claim(worker: int) -> None:
        with app.app_context():
            barrier.wait()
            result = db.session.execute(
                sa.update(Submission)
                .where(Submission.id == submission_id, Submission.status == "pending")
                .values(
                    status="grading",
                    attempts=Submission.attempts + 1,
                    started_at=datetime.now(UTC),
                )
            )
            db.session.commit()
            if result.rowcount == 1:  # type: ignore[attr-defined]
                won.append(worker)
            db.session.remove()

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    with app.app_context():
        row = db.session.get(Submission, submission_id)
        assert row is not None and (row.status, row.attempts) == ("grading", 1)
