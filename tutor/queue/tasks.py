"""The grading queue as an app sees it: ``enqueue(id)`` from the web process, and the task a
worker runs for that id.

One Huey task, ``grade_submission(id)``: the message carries only the id (the row holds the code
and everything else), so a message lost, duplicated or delivered late changes nothing but when
the submission is graded.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask
from huey import Huey

from tutor.content import Catalog

from . import heartbeat
from .broker import default_url, make_huey
from .grader import Grader

log = logging.getLogger(__name__)
TASK = "grade_submission"


class GradingQueue:
    def __init__(self, app: Flask, catalog: Catalog) -> None:
        self.app = app
        self.catalog = catalog
        self.url = str(
            app.config.get("QUEUE_URL")
            or default_url(
                Path(app.instance_path), str(app.config.get("SQLALCHEMY_DATABASE_URI", ""))
            )
        )
        self.huey: Huey = make_huey(self.url)
        cores = os.cpu_count() or 2
        self.threads = max(1, int(app.config.get("GRADER_WORKERS", 4 * cores)))
        self.mode = str(app.config.get("GRADER", "sandbox"))
        self._grader: Grader | None = None
        self._task = self.huey.task(name=TASK)(self._run)

    @property
    def immediate(self) -> bool:
        return bool(self.huey.immediate)

    def grader(self) -> Grader:
        """This process's grader (made on first use: a web process never makes one unless the
        queue is ``immediate``)."""
        if self._grader is None:
            self._grader = Grader(self.app, self.catalog, self.mode, self.threads)
        return self._grader

    def _run(self, submission_id: int) -> str:
        outcome = self.grader().grade(int(submission_id))
        log.info("submission %s: %s", submission_id, outcome)
        return outcome

    def enqueue(self, submission_id: int) -> None:
        self._task(submission_id)

    def pending_messages(self) -> int:
        return int(self.huey.pending_count())

    def last_beat(self) -> heartbeat.Beat | None:
        return heartbeat.last_beat(self.huey)
