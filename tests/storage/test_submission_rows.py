"""Submission rows as the queue stores and claims them, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa
from flask import Flask

from tutor.web.extensions import db
from tutor.web.models import Course, Submission

from .conftest import stored_course


def test_every_column_comes_back_as_stored(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    course_id = stored_course(app)
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
    """Staff rename the course between two submissions: the learner is graded on the same hidden
    cases, recorded with the exercise's version and the grader's."""
    app = make_app(QUEUE_URL="immediate", DEMO_COURSE="virt-2026", WTF_CSRF_ENABLED=False)
    client = app.test_client()
    client.get("/api/session")
    solution = app.extensions["catalog"].exercise("io-path").solution

    def submit(code: str) -> Submission:
        response = client.post("/api/exercises/io-path/grade", json={"code": code})
        assert response.status_code == 200, response.get_json()
        with app.app_context():
            found = db.session.get(Submission, response.get_json()["submission"])
            assert found is not None and found.status == "graded"
            db.session.expunge(found)
            return found

    first = submit(solution)
    with app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug="virt-2026")).scalar_one()
        course.slug = "virtualization-autumn"
        db.session.commit()
    app.config["DEMO_COURSE"] = "virtualization-autumn"
    second = submit(solution + "\n# second try\n")

    assert second.course_id == first.course_id
    assert first.variant_seed is not None and second.variant_seed == first.variant_seed
    assert first.report and second.report
    # The same cases: each case's name and the trace of the state it was graded on.
    cases = [[(c["name"], c.get("trace")) for c in s.report["cases"]] for s in (first, second)]
    assert cases[0] == cases[1]
    build = app.extensions["lesson_build"]
    assert first.exercise_version == build.exercises["io-path"] == second.exercise_version
    assert first.grader_version == build.grader_version


def test_one_worker_wins_the_claim_on_a_pending_submission(make_app: Callable[..., Flask]) -> None:
    """Eight workers race to claim one row: exactly one gets it, its attempt is counted once."""
    app = make_app()
    course_id = stored_course(app)
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


def test_processes_making_the_demo_course_at_once_share_one(make_app: Callable[..., Flask]) -> None:
    """The first requests of several web processes on a new database all need the demo course."""
    from tutor.web.course import demo_course

    app = make_app()
    barrier = threading.Barrier(6)
    ids: list[int] = []

    def first_request() -> None:
        with app.app_context():
            barrier.wait()
            ids.append(demo_course().id)
            db.session.remove()

    threads = [threading.Thread(target=first_request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        courses = db.session.execute(db.select(Course)).scalars().all()
    assert len(courses) == 1 and ids == [courses[0].id] * 6
