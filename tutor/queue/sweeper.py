"""Finds submissions the queue lost and puts them back in line.

* ``pending`` for longer than ``GRADER_REQUEUE_SECONDS`` (default 30) since it was stored or
  last re-queued, while the queue holds fewer messages than there are such rows: some messages
  were lost (Redis restarted, a worker took one and died before claiming): queue those ids
  again. A duplicate message is harmless (only one claim succeeds); a long queue that is simply
  busy is left alone.
* ``grading`` for longer than ``GRADER_CLAIM_SECONDS`` (default: the slowest exercise's wall
  limit plus a minute): its worker died mid-job: back to ``pending`` and queued again.
* once ``GRADER_MAX_ATTEMPTS`` (default 3) claims have been used up: ``error`` (an internal
  error), with a report that says it could not be graded and was not the learner's fault.

Every worker process runs a sweep at start and then every ``GRADER_SWEEP_SECONDS`` (default
10); sweeps from several workers at once are safe (each change is a conditional UPDATE).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask

from tutor.content import Catalog
from tutor.web.extensions import db
from tutor.web.models import Submission

from . import rows
from .grader import could_not_grade

log = logging.getLogger(__name__)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def claim_seconds(app: Flask, catalog: Catalog) -> float:
    configured = app.config.get("GRADER_CLAIM_SECONDS")
    if configured:
        return float(configured)
    slowest = max((e.limits.wall_seconds for e in catalog.exercises()), default=6.0)
    return float(slowest) + 60.0


class Sweeper:
    def __init__(
        self,
        app: Flask,
        catalog: Catalog,
        enqueue: Callable[[int], None],
        queued: Callable[[], int] = lambda: 0,
    ) -> None:
        self.app = app
        self.enqueue = enqueue
        self.queued = queued  # messages waiting in the queue now
        self.requeue_after = float(app.config.get("GRADER_REQUEUE_SECONDS", 30))
        self.claim_after = claim_seconds(app, catalog)
        self.max_attempts = max(1, int(app.config.get("GRADER_MAX_ATTEMPTS", 3)))
        self._queued_at: dict[int, float] = {}
        self._this_sweep: set[int] = set()

    def sweep(self, first: bool = False) -> dict[str, int]:
        """One pass; ``first`` (a worker starting) re-queues every pending row at once."""
        counts = {"requeued": 0, "abandoned": 0, "gave_up": 0, "passbacks": 0}
        self._this_sweep = set()
        with self.app.app_context():
            try:
                self._abandoned(counts)
                self._pending(counts, first)
                self._failed_passbacks(counts)
            finally:
                db.session.remove()
        if any(counts.values()):
            log.warning("sweeper: %s", counts)
        return counts

    def _abandoned(self, counts: dict[str, int]) -> None:
        cutoff = datetime.now(UTC) - timedelta(seconds=self.claim_after)
        stuck = db.session.execute(
            db.select(Submission.id, Submission.attempts, Submission.started_at).where(
                Submission.status == "grading"
            )
        ).all()
        for submission_id, attempts, started_at in stuck:
            if started_at is None or _utc(started_at) > cutoff:
                continue
            if attempts >= self.max_attempts:
                if rows.give_up(submission_id, "grading", could_not_grade(attempts)):
                    counts["gave_up"] += 1
            elif rows.requeue_abandoned(submission_id, attempts, started_at):
                counts["abandoned"] += 1
                self._queue(submission_id)

    def _pending(self, counts: dict[str, int], first: bool) -> None:
        cutoff = datetime.now(UTC) - timedelta(seconds=self.requeue_after)
        waiting = db.session.execute(
            db.select(Submission.id, Submission.attempts, Submission.created_at)
            .where(Submission.status == "pending")
            .order_by(Submission.id)
        ).all()
        clock = time.monotonic()
        stale = []
        for submission_id, attempts, created_at in waiting:
            if attempts >= self.max_attempts:
                if rows.give_up(submission_id, "pending", could_not_grade(attempts)):
                    counts["gave_up"] += 1
                continue
            if submission_id in self._this_sweep:
                continue
            last = self._queued_at.get(submission_id)
            if first or (
                _utc(created_at) <= cutoff and (last is None or clock - last >= self.requeue_after)
            ):
                stale.append(submission_id)
        if stale and not first:
            try:
                queued = self.queued()
            except Exception:  # the queue cannot say: assume the messages are gone
                queued = 0
            if queued >= len(stale):
                return  # as many messages wait as there are rows: busy, not lost
        for submission_id in stale:
            self._queue(submission_id)
            counts["requeued"] += 1
        alive = {row[0] for row in waiting}
        for submission_id in list(self._queued_at):
            if submission_id not in alive:
                del self._queued_at[submission_id]

    def _failed_passbacks(self, counts: dict[str, int]) -> None:
        """LMS grade passbacks that failed after all their retries are sent again, every
        ``LTI_PASSBACK_RESEND_SECONDS``: an LMS down for longer than the retries (a quarter of
        an hour by default) kept the grade out of its gradebook until staff pressed "Retry now".
        A link the tool can no longer send for (its platform unregistered) is left alone."""
        passback = self.app.extensions.get("lti_passback")
        if passback is None:
            return
        from tutor.web.lti_grade_links import FAILED, LtiGradeLink

        every = float(self.app.config.get("LTI_PASSBACK_RESEND_SECONDS", 900))
        cutoff = datetime.now(UTC) - timedelta(seconds=every)
        failed = db.session.execute(
            db.select(LtiGradeLink.id).where(
                LtiGradeLink.status == FAILED,
                LtiGradeLink.updated_at <= cutoff,
                ~LtiGradeLink.last_error.startswith("PassbackRefused"),
            )
        ).scalars()
        for link_id in list(failed):
            passback.queue(link_id)
            counts["passbacks"] += 1

    def _queue(self, submission_id: int) -> None:
        self._this_sweep.add(submission_id)
        self._queued_at[submission_id] = time.monotonic()
        self.enqueue(submission_id)
