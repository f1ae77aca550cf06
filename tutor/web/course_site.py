"""The instructor-hosted course site, put together: accounts, courses, gradebook, dashboards.

Rate limits (Flask-Limiter, the same limiter as submissions, per network address):
``SIGNIN_RATE_LIMIT`` (default 10 a minute) on ``POST /login``, ``SIGNUP_RATE_LIMIT`` (5 a
minute) on ``POST /signup`` and ``JOIN_RATE_LIMIT`` (10 a minute) on ``POST /join``, so neither
passwords nor join codes can be guessed at speed; ``ROSTER_RATE_LIMIT`` (20 an hour) on roster
uploads, each of which may hash hundreds of chosen passwords.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask_limiter import Limiter

from . import accounts, concept_answers, course_cli, dashboard, gradebook, lti, signin, teaching
from .accounts import account_of_learner
from .course_zone import shown_zone
from .roster import my_courses
from .schedule import course_assignment, course_stamp, ended_course, late_standing, now, stamp
from .submission_access import is_own

DEFAULTS = {
    "SIGNIN_RATE_LIMIT": "10 per minute",
    "SIGNUP_RATE_LIMIT": "5 per minute",
    "JOIN_RATE_LIMIT": "10 per minute",
    # Roster files that name people's passwords cost a slow hash per row: bounded per address.
    "ROSTER_RATE_LIMIT": "20 per hour",
}
LIMITED = {
    "auth.login": "SIGNIN_RATE_LIMIT",
    # Whoever holds a stolen session must not guess the password (and lock the owner out).
    "auth.account": "SIGNIN_RATE_LIMIT",
    "auth.signup": "SIGNUP_RATE_LIMIT",
    "teaching.join": "JOIN_RATE_LIMIT",
    "teaching.import_csv": "ROSTER_RATE_LIMIT",
}


# A roster file refused for a bad line hashed nothing: correcting it must not use up the hour.
DEDUCTED = {"teaching.import_csv": lambda response: response.status_code == 200}


def _limit(setting: str) -> Any:
    return lambda: str(current_app.config[setting])


def init_app(app: Flask) -> None:
    """After ``fairness.init_app``: it owns the limiter these limits join."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    accounts.init_app(app)
    for blueprint in (signin.bp, teaching.bp, gradebook.bp, dashboard.bp):
        app.register_blueprint(blueprint)
    concept_answers.init_app(app)
    course_cli.init_app(app)
    lti.init_app(app)  # LTI 1.3 launches into this site's courses (#12)
    limiter: Limiter = app.extensions["fairness_limiter"]
    for endpoint, setting in LIMITED.items():
        limited: Any = limiter.limit(
            _limit(setting), methods=["POST"], deduct_when=DEDUCTED.get(endpoint)
        )
        app.view_functions[endpoint] = limited(app.view_functions[endpoint])
    app.context_processor(lambda: {"my_courses": my_courses})
    app.jinja_env.globals["stamp"] = stamp
    app.jinja_env.globals["course_stamp"] = course_stamp  # in the course's zone, named (#13)
    app.jinja_env.globals["shown_zone"] = shown_zone
    app.jinja_env.globals["account_of_learner"] = account_of_learner
    app.jinja_env.globals["course_assignment"] = course_assignment
    app.jinja_env.globals["late_standing"] = late_standing
    app.jinja_env.globals["ended_course"] = ended_course
    app.jinja_env.globals["own_submission"] = is_own
    app.jinja_env.globals["now_utc"] = now
