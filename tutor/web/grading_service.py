"""Where the web layer meets the judge: store first, then grade, then record the verdict.

One path for the htmx Submit and the JSON API, so a grade that counts is always produced the same
way; the runner behind the judge can be swapped (process today, sandbox pool later) without any
caller noticing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import Flask

from tutor.content import Catalog, Exercise
from tutor.grading.judge import Judge, variant_seed
from tutor.grading.protocol import JSON, Report
from tutor.grading.runner import ProcessRunner

from .extensions import db
from .models import Course, Submission


@dataclass
class GradingService:
    judge: Judge
    catalog: Catalog
    _practice: dict[str, list[dict[str, JSON]]] = field(default_factory=dict)

    @classmethod
    def for_app(cls, app: Flask, catalog: Catalog) -> GradingService:
        return cls(Judge(ProcessRunner()), catalog)

    def practice_cases(self, exercise: Exercise) -> list[dict[str, JSON]]:
        if exercise.id not in self._practice:
            self._practice[exercise.id] = self.judge.practice_payload(exercise)
        return self._practice[exercise.id]

    def submit(self, exercise: Exercise, code: str, course: Course, learner: str) -> Submission:
        submission = Submission(
            course_id=course.id, learner=learner, exercise_id=exercise.id, code=code
        )
        db.session.add(submission)
        db.session.commit()
        self.grade(submission, exercise, course)
        return submission

    def grade(self, submission: Submission, exercise: Exercise, course: Course) -> Report:
        seed = variant_seed(course.slug, submission.learner, exercise.id)
        report = self.judge.grade(exercise, submission.code, seed, "hidden")
        submission.status = "graded" if report.verdict != "error" else "error"
        submission.score = report.score
        submission.report_json = json.dumps(report.to_json())
        submission.graded_at = datetime.now(UTC)
        db.session.commit()
        return report
