"""Who may see a stored submission: its own learner, and staff.

One function, so the course site's roles extend it in one place: the owner is the learner id in
the session (an account's, once signed in), and staff are the instructors and TAs of the
submission's course (``roster.staff_of_course``). Anyone else gets the same 404 as for an id
that never existed (no way to probe which ids exist).
"""

from __future__ import annotations

from flask import abort, session

from .extensions import db
from .models import Submission


def is_staff_for(submission: Submission) -> bool:
    """Whether the signed-in user is an instructor or TA of the submission's course and its
    learner a student there: staff of course A see nothing of course B, nor a student's
    self-study."""
    from .roster import staff_of_course

    return staff_of_course(submission.course_id, submission.learner)


def is_own(submission: Submission) -> bool:
    """Whether the submission is the viewer's own (staff reading a student's are told "the
    student's hidden cases", not "your hidden cases")."""
    learner = session.get("learner")
    return learner is not None and submission.learner == str(learner)


def can_view(submission: Submission) -> bool:
    return is_own(submission) or is_staff_for(submission)


def viewable_submission(submission_id: int) -> Submission:
    """The submission if the current user may see it; 404 otherwise."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not can_view(submission):
        abort(404)
    return submission
