"""Grade passback to the LMS (#12, Assignment and Grade Services), from the grading worker.

After the worker records a verdict (``tutor.queue.grader`` tells the listeners in
``app.extensions["verdict_listeners"]``), every grade link of that learner and exercise
(``lti_grade_links``) is queued as its own Huey task, ``lti_grade_passback(link id)``, on the
grading queue. The task computes the learner's best score *when it runs* (so passbacks that
arrive late or twice still send the best score), asks the platform's token endpoint for an
access token (pylti1p3's ``ServiceConnector``: a client-credentials grant with a JWT assertion
signed by the tool's key) and posts the score to the line item (pylti1p3's
``AssignmentsGradesService``). A failure is retried with growing delays
(``LTI_PASSBACK_RETRIES`` times, ``LTI_PASSBACK_RETRY_SECONDS`` doubled each time); every
attempt's outcome is written on the link's row, which staff see at ``/lti/grades``.

Nothing here runs in a web request except with ``QUEUE_URL = "immediate"`` (tests), where every
task runs inside whoever queued it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, cast

import requests
from flask import Flask
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem, TLineItem
from pylti1p3.service_connector import ServiceConnector

from .accounts import User
from .extensions import db
from .lti_config import DatabaseToolConf, find_platform
from .lti_grade_links import (
    FAILED,
    QUEUED,
    RETRYING,
    SENT,
    LtiGradeLink,
    best_score,
    links_changed_by,
)

log = logging.getLogger(__name__)
TASK = "lti_grade_passback"
# How long one HTTP request to a platform may take: a platform that hangs must not hold a
# grader thread for ever.
HTTP_TIMEOUT_SECONDS = 20.0
ERROR_LENGTH = 1000
# A failed passback is tried again RETRIES times, after 30 s, 1, 2, 4 and 8 minutes: an LMS
# down for a quarter of an hour still gets the score.
RETRIES = 5
RETRY_SECONDS = 30.0
BACKOFF = 2
# Scores sent again at most this many times in one passback when the best changed meanwhile.
RESENDS = 2


class PassbackRefused(Exception):
    """A passback that cannot be made as things stand (the platform was removed ...)."""


class TimedSession(requests.Session):
    """A requests session whose every request has a time limit (pylti1p3 sets none)."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout
        self.headers["User-Agent"] = "VirtTutor-LTI"

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return super().request(*args, **kwargs)


def _now() -> datetime:
    return datetime.now(UTC)


def score_of(link: LtiGradeLink, user: User) -> Grade:
    """The score the LMS receives for this link now: the learner's best on its exercises."""
    best = best_score(link, user.learner)
    return (
        Grade()
        .set_score_given(best.given)
        .set_score_maximum(best.maximum)
        .set_activity_progress("Completed" if best.complete else "InProgress")
        # Every score sent is final for what was submitted so far: a platform shows a
        # score in its gradebook only when it is "FullyGraded".
        .set_grading_progress("FullyGraded")
        .set_timestamp(_now().isoformat(timespec="milliseconds"))
        .set_user_id(link.subject)
    )


def send(link_id: int, timeout: float = HTTP_TIMEOUT_SECONDS) -> float:
    """Post the learner's best score for one link; returns the score sent. Raises on any
    failure (refused by the platform, unreachable, the platform no longer registered)."""
    link = db.session.get(LtiGradeLink, link_id)
    if link is None:
        raise PassbackRefused(f"grade link {link_id} no longer exists")
    platform = find_platform(link.issuer, link.client_id)
    if platform is None:
        raise PassbackRefused(
            f"the platform {link.issuer} (client {link.client_id}) is no longer registered"
        )
    user = db.session.get(User, link.user_id)
    if user is None:
        raise PassbackRefused(f"account {link.user_id} no longer exists")
    registration = DatabaseToolConf().find_registration_by_params(link.issuer, link.client_id)
    grade = score_of(link, user)
    endpoint = link.endpoint
    item: LineItem | None = None
    if not endpoint.get("lineitem"):
        # No line item of its own: find (or make) ours among the context's line items.
        item = (
            LineItem()
            .set_tag(link.target)
            .set_resource_link_id(link.resource_link_id)
            .set_label(link.resource_title or link.target)
            .set_score_maximum(float(grade.get_score_maximum() or 0))
        )
    db.session.commit()  # hold no transaction while waiting on the platform
    connector = ServiceConnector(registration, requests_session=TimedSession(timeout))
    service = AssignmentsGradesService(connector, endpoint)  # type: ignore[arg-type]
    if item is not None:
        item = _our_column(service, item, _resource_id(link.target))
    for _ in range(RESENDS + 1):
        service.put_grade(grade, item)
        # A verdict recorded while this score was on its way may have changed the best, and
        # its own passback may have arrived first: the newest best goes last.
        latest = score_of(link, user)
        db.session.commit()
        if _same(latest, grade):
            break
        grade = latest
    return float(grade.get_score_given() or 0)


def _same(one: Grade, other: Grade) -> bool:
    return (one.get_score_given(), one.get_activity_progress()) == (
        other.get_score_given(),
        other.get_activity_progress(),
    )


def _record(link_id: int, **values: Any) -> None:
    db.session.execute(
        db.update(LtiGradeLink)
        .where(LtiGradeLink.id == link_id)
        .values(updated_at=_now(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


class GradePassback:
    """The passback task on the app's grading queue, and the verdict listener that queues it."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        queue = app.extensions["grading_queue"]
        self.timeout = float(app.config.get("LTI_PASSBACK_TIMEOUT_SECONDS", HTTP_TIMEOUT_SECONDS))
        delay = max(0.0, float(app.config.get("LTI_PASSBACK_RETRY_SECONDS", RETRY_SECONDS)))
        if queue.immediate:
            delay = 0.0  # no consumer would ever run a delayed retry: retry at once
        self._task = queue.huey.task(
            name=TASK,
            retries=max(0, int(app.config.get("LTI_PASSBACK_RETRIES", RETRIES))),
            retry_delay=delay,
            retry_backoff=BACKOFF,
            context=True,
        )(self._run)

    def _run(self, link_id: int, task: Any = None) -> str:
        with self.app.app_context():
            try:
                try:
                    score = send(int(link_id), self.timeout)
                except Exception as exc:
                    final = task is None or not task.retries
                    self._failed(int(link_id), exc, final)
                    if final:
                        return "failed"
                    raise  # Huey queues the next attempt after its delay
                _record(
                    int(link_id),
                    status=SENT,
                    score_sent=score,
                    sent_at=_now(),
                    last_error=None,
                    attempts=LtiGradeLink.attempts + 1,
                )
                log.info("LTI grade link %s: sent %s", link_id, score)
                return "sent"
            finally:
                db.session.remove()

    def _failed(self, link_id: int, exc: Exception, final: bool) -> None:
        db.session.rollback()
        error = f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
        log.warning(
            "LTI grade passback of link %s failed%s: %s",
            link_id,
            "" if final else " (it will be retried)",
            error,
        )
        _record(
            link_id,
            status=FAILED if final else RETRYING,
            last_error=error,
            attempts=LtiGradeLink.attempts + 1,
        )

    def queue(self, link_id: int) -> None:
        """Queue one link's passback now (a new attempt count; the last error stays until a
        passback succeeds)."""
        _record(link_id, status=QUEUED, attempts=0)
        self._task(link_id)

    def after_verdict(self, submission_id: int) -> None:
        """A graded submission of a learner who launched from an LMS changes the score of
        every grade link of theirs that covers the exercise."""
        ids = links_changed_by(submission_id)
        if not ids:  # (most verdicts: a learner who never launched from an LMS)
            return
        db.session.commit()
        for link_id in ids:
            self.queue(link_id)

    def after_launch(self, link: LtiGradeLink) -> None:
        """A launch of a learner who has graded work on the link already sends it at once
        (an LMS added later, or an activity made after the work)."""
        user = db.session.get(User, link.user_id)
        if user is not None and best_score(link, user.learner).graded:
            self.queue(link.id)


def passback(app: Flask) -> GradePassback:
    found: GradePassback = app.extensions["lti_passback"]
    return found


def init_app(app: Flask) -> None:
    service = GradePassback(app)
    app.extensions["lti_passback"] = service
    app.extensions.setdefault("verdict_listeners", []).append(service.after_verdict)


def _resource_id(target: str) -> str:
    """The ``resourceId`` deep linking gave this link's line item: ``exercise:<id>`` for a
    link to one exercise (``/lessons/<lesson>#exercise-<id>``), else ``lesson:<id>``."""
    path, _, fragment = target.partition("#")
    if fragment.startswith("exercise-"):
        return f"exercise:{fragment.removeprefix('exercise-')}"
    return f"lesson:{path.rstrip('/').rsplit('/', 1)[-1]}"


def _our_column(service: AssignmentsGradesService, item: LineItem, resource_id: str) -> LineItem:
    """The context's line item this link's scores go to: the one made for its resource link,
    else the one deep linking made for what it opens (``resourceId``), else one tagged with its
    address (made by an earlier passback), else a new one; never a column another resource link
    owns. Searching by tag alone missed the deep-linked column and made a second one."""
    link_id = item.get_resource_link_id()
    columns = [
        column
        for column in service.get_lineitems()
        if isinstance(column, dict)
        and column.get("id")
        and column.get("resourceLinkId") in (None, "", link_id)
    ]
    for key, wanted in (
        ("resourceLinkId", link_id),
        ("resourceId", resource_id),
        ("tag", item.get_tag()),
    ):
        for column in columns:
            if wanted and column.get(key) == wanted:
                return LineItem(cast(TLineItem, column))
    return service.find_or_create_lineitem(item)
