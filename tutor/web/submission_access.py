"""Who may see a stored submission: its own learner, and staff.

One function, so the course site's roles extend it in one place: today the owner is the learner
id in the session and nobody is staff; accounts add "staff of the submission's course". Anyone
else gets the same 404 as for an id that never existed (no way to probe which ids exist).
"""

from __future__ import annotations

from flask import abort, session

from .extensions import db
from .models import Submission


def is_staff_for(submission: Submission) -> bool:
    """Whether the signed-in user teaches the submission's course (accounts come with #13)."""
    return False


def can_view(submission: Submission) -> bool:
    learner = session.get("learner")
    return (learner is not None and submission.learner == str(learner)) or is_staff_for(submission)


def viewable_submission(submission_id: int) -> Submission:
    """The submission if the current user may see it; 404 otherwise."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not can_view(submission):
        abort(404)
    return submission
