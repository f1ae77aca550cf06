"""Per-exercise dashboards for a course's staff: how students are doing, and why they fail.

For one exercise, over the course's students' submissions to it:

* pass rate over time — per day of the course's time zone, the share of that day's graded
  submissions that passed;
* score distribution — each student's best score, in bands of ten (100 on its own);
* attempts to first pass — how many submissions each student needed before the first pass;
* rules broken — every failing submission's report names the distinct problems it shows
  (``Report.problems``: the rule of the model and the message); counted per student and per
  submission, most students first, each with an example submission staff can open.

The numbers come from the server; the page draws them with d3 and lists them in tables too.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _
from sqlalchemy import case

from tutor.grading.protocol import problem_kind

from .accounts import User, signed_in_only
from .course_zone import local_time
from .extensions import db
from .learn import catalog, pick
from .models import Course, Submission
from .roster import STAFF, require_member, students
from .schedule import assignments, course_zone_name

bp = Blueprint("dashboard", __name__)
BANDS = [f"{low}–{low + 9}" for low in range(0, 100, 10)] + ["100"]
ATTEMPT_BUCKETS = ["1", "2", "3", "4", "5+"]


# The rule a failing case names when it broke no rule of the model (``tutor.grading.harness``):
# the kind of mistake, said in words. Every wrong answer was "answer", so the chart's bars and
# the table's rows all read "answer" and only the grader's sentence told them apart.
MISTAKES = {
    "answer": _("wrong answer"),
    "python": _("Python error"),
    "entry": _("a function missing"),
    "shape": _("a result of the wrong shape"),
    "shortcut": _("the model's own answer used"),
    "output": _("too much printed"),
}


@dataclass
class BrokenRule:
    rule: str
    message: dict[str, str]
    students: set[str] = field(default_factory=set)
    submissions: int = 0
    example: int = 0

    @property
    def model_rule(self) -> str:
        """The rule of the model broken (``capacity``, ``isolation`` …), or "" for a mistake of
        another kind (a wrong answer, an error in the learner's Python)."""
        return "" if self.rule in MISTAKES else self.rule

    @property
    def label(self) -> str:
        """What the table's first column says: the model's rule, or the kind of mistake."""
        return self.model_rule or str(MISTAKES.get(self.rule, "—"))


@dataclass
class ExerciseStats:
    exercise_id: str
    graded: int = 0
    passed_students: int = 0
    tried_students: int = 0
    pass_rate: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    attempts: list[dict[str, Any]] = field(default_factory=list)
    rules: list[BrokenRule] = field(default_factory=list)

    def chart_data(self) -> dict[str, Any]:
        return {
            "passRate": self.pass_rate,
            "scores": self.scores,
            "attempts": self.attempts,
            "rules": [
                {
                    "rule": r.rule,
                    "modelRule": r.model_rule,  # the chart's label; else the grader's sentence
                    "message": r.message,
                    "students": len(r.students),
                    "submissions": r.submissions,
                    "example": r.example,
                }
                for r in self.rules
            ],
        }


def exercise_stats(course: Course, exercise_id: str, people: list[User]) -> ExerciseStats:
    stats = ExerciseStats(exercise_id)
    learners = [u.learner for u in people]
    if not learners:
        return stats
    # Only a failing submission's report is read (for its problems): reports are large.
    failing_report = case((Submission.score < 100, Submission.report_json), else_=None)
    found = db.session.execute(
        db.select(
            Submission.id,
            Submission.learner,
            Submission.score,
            Submission.created_at,
            failing_report,
        )
        .where(
            Submission.course_id == course.id,
            Submission.exercise_id == exercise_id,
            Submission.learner.in_(learners),
            # Only learners' results: not those in flight, nor those the server could not grade.
            Submission.status == "graded",
        )
        .order_by(Submission.created_at, Submission.id)
    )
    days: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    best: dict[str, float] = {}
    tries: dict[str, int] = defaultdict(int)
    first_pass: dict[str, int] = {}
    rules: dict[tuple[str, str], BrokenRule] = {}
    zone = course_zone_name(course)  # a day as the course's students and staff live it
    for ident, learner, raw_score, created_at, report_json in found:
        stats.graded += 1
        score = raw_score or 0.0
        passed = score >= 100
        day = local_time(created_at, zone).strftime("%Y-%m-%d")
        days[day][0] += 1
        days[day][1] += int(passed)
        best[learner] = max(best.get(learner, 0.0), score)
        tries[learner] += 1
        if passed and learner not in first_pass:
            first_pass[learner] = tries[learner]
        report = json.loads(report_json) if report_json else {}
        for problem in report.get("problems") or []:
            message = problem.get("message") or {}
            key = (str(problem.get("rule") or ""), problem_kind(str(message.get("en", ""))))
            broken = rules.get(key)
            if broken is None:
                broken = rules[key] = BrokenRule(key[0], message)
            broken.students.add(learner)
            broken.submissions += 1
            broken.example = ident  # the latest one: the most recent code
    stats.tried_students = len(best)
    stats.passed_students = len(first_pass)
    stats.pass_rate = [
        {"day": day, "submissions": total, "passed": ok, "rate": round(100 * ok / total, 1)}
        for day, (total, ok) in sorted(days.items())
    ]
    counts = [0] * len(BANDS)
    for score in best.values():
        counts[10 if score >= 100 else min(9, int(score // 10))] += 1
    stats.scores = [{"band": band, "students": n} for band, n in zip(BANDS, counts, strict=True)]
    attempts = [0] * len(ATTEMPT_BUCKETS)
    for n in first_pass.values():
        attempts[min(n, 5) - 1] += 1
    stats.attempts = [
        {"attempts": label, "students": n}
        for label, n in zip(ATTEMPT_BUCKETS, attempts, strict=True)
    ]
    stats.rules = sorted(rules.values(), key=lambda r: (-len(r.students), -r.submissions, r.rule))
    return stats


@bp.route("/courses/<slug>/dashboard")
@signed_in_only
def page(slug: str) -> ResponseReturnValue:
    course, member = require_member(slug, STAFF)
    chosen = [a.exercise_id for a in assignments(course)]
    if not chosen:
        return render_template(
            "courses/dashboard.html",
            course=course,
            stats=None,
            chosen=[],
            titles={},
            role=member.role,
            exercise_id="",
        )
    exercise_id = request.args.get("exercise") or chosen[0]
    if exercise_id not in chosen:
        abort(404)
    titles = {}
    for ident in chosen:
        exercise = catalog().exercise(ident)
        titles[ident] = pick(exercise.title) if exercise else ident
    stats = exercise_stats(course, exercise_id, students(course))
    return render_template(
        "courses/dashboard.html",
        course=course,
        stats=stats,
        chosen=chosen,
        titles=titles,
        exercise_id=exercise_id,
        role=member.role,
        zone=course_zone_name(course),
    )
