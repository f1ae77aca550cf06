"""Requests waiting for their verdicts, watched by one thread per process.

Two hundred requests each polling the database would hold two hundred connections between them
(SQLAlchemy's pool has fifteen) and hammer SQLite; instead each request waits on an event, and
one watcher asks for all of them at once, ``SELECT id … WHERE id IN (…) AND status NOT IN
('pending', 'grading')``, ten times a second, holding one connection for one query.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from tutor.web.extensions import db
from tutor.web.models import Submission

log = logging.getLogger(__name__)

IN_FLIGHT = ("pending", "grading")
TICK_SECONDS = 0.1


class VerdictWatcher:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._waiting: dict[int, list[threading.Event]] = {}
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None

    def wait(self, submission_id: int, seconds: float) -> bool:
        """Block until the submission has left ``pending``/``grading`` (``True``) or
        ``seconds`` have passed (``False``)."""
        event = threading.Event()
        with self._lock:
            self._waiting.setdefault(submission_id, []).append(event)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._watch, name="verdict-watcher", daemon=True
                )
                self._thread.start()
            self._lock.notify()
        try:
            return event.wait(seconds)
        finally:
            with self._lock:
                events = self._waiting.get(submission_id, [])
                if event in events:
                    events.remove(event)
                if not events:
                    self._waiting.pop(submission_id, None)

    def _watch(self) -> None:
        while True:
            with self._lock:
                while not self._waiting:
                    self._lock.wait()
                ids = list(self._waiting)
            try:
                done = self._finished(ids)
            except Exception:  # the database is away for a moment: the requests keep waiting
                log.exception("could not read the verdicts of %d submission(s)", len(ids))
                done = set()
            with self._lock:
                for submission_id in done:
                    for event in self._waiting.get(submission_id, []):
                        event.set()
            threading.Event().wait(TICK_SECONDS)

    def _finished(self, ids: list[int]) -> set[int]:
        with self.app.app_context():
            try:
                found: set[int] = set()
                for start in range(0, len(ids), 500):
                    found |= set(
                        db.session.execute(
                            db.select(Submission.id).where(
                                Submission.id.in_(ids[start : start + 500]),
                                Submission.status.not_in(IN_FLIGHT),
                            )
                        ).scalars()
                    )
                return found
            finally:
                db.session.remove()
