"""``flask tutor seed-demo-course`` gives its students the hidden cases the submit path would:
seeds from the course's id and the learner's id (tutor/grading/variants.py), never from the
course's slug, so renaming the demo course changes nobody's cases (#10)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner

from tutor.grading.judge import Judge
from tutor.grading.runner import InProcessRunner
from tutor.grading.variants import learner_variant_seed
from tutor.queue.rows import stored_seed
from tutor.web.course_cli import DEMO_SLUG
from tutor.web.extensions import db
from tutor.web.models import Course, Submission

from .course_site_helpers import fast_hashing


def test_the_demo_course_seeds_hidden_cases_from_ids_as_the_submit_path_does(
    app: Flask, runner: FlaskCliRunner
) -> None:
    fast_hashing(app)
    seeded = runner.invoke(args=["tutor", "seed-demo-course"])
    assert seeded.exit_code == 0, seeded.output
    catalog = app.extensions["catalog"]
    with app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug=DEMO_SLUG)).scalar_one()
        rows = db.session.execute(
            db.select(Submission).filter_by(course_id=course.id).order_by(Submission.id)
        ).scalars()
        stored = [(r.learner, r.exercise_id, r.code, r.variant_seed, r.score) for r in rows]
        assert len({learner for learner, *_ in stored}) >= 3
        for learner, exercise_id, _, seed, _ in stored:
            assert seed == stored_seed(learner_variant_seed(course.id, learner, exercise_id))
        # Staff rename the course: each stored report is still what its learner's cases give.
        course.slug = "virt101-renamed"
        db.session.commit()
        judge = Judge(InProcessRunner())
        for learner, exercise_id, code, _, score in stored:
            seed = learner_variant_seed(course.id, learner, exercise_id)
            assert judge.grade(catalog.exercise(exercise_id), code, seed, "hidden").score == score
