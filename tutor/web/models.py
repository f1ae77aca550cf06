"""Stored state: courses and submissions. A submission is saved before it is graded."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tutor.grading import json_text

from .extensions import db
from .utc_time import UTCDateTime

STATUSES = ("pending", "grading", "graded", "error")


def _now() -> datetime:
    return datetime.now(UTC)


class Course(db.Model):  # type: ignore[name-defined,misc]
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # When its instructor closed it at the end of its term: it then takes no submissions and no
    # new members (a student in this term's course too had this term's work counted in last
    # term's), and keeps everything it holds.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Submission(db.Model):  # type: ignore[name-defined,misc]
    """One learner's code for one exercise, stored before it is graded; ``report`` is the judge's,
    not the browser's.

    ``status`` is one of:

    * ``pending``: stored and queued, no worker has claimed it yet (a sweeper re-queues it when
      its message was lost);
    * ``grading``: a worker claimed it at ``started_at`` (a claim older than the job's time limit
      means the worker died; the sweeper puts it back to ``pending``);
    * ``graded``: the learner's result is in ``report`` and ``score``: its ``verdict`` is
      ``passed``, ``failed`` (some cases wrong) or ``error`` (the code could not run: empty, a
      syntax error, it raised or ran out of time — score 0);
    * ``error``: an internal error — the server could not grade it after ``attempts`` tries
      (through no fault of the learner's: ``score`` stays empty and it counts for nothing; the
      learner is told so, and staff can re-grade it). Issue #10's words; docs/api.md.

    ``idempotency_key``: the JSON API's ``Idempotency-Key``, unique per learner: the same
    submit sent again gets this submission back instead of a second one.

    ``exercise_version`` (the content hash of the exercise in the lesson build), ``variant_seed``
    and ``grader_version`` say exactly what it was graded against, so a re-grade after a fix can
    report what changed.
    """

    __table_args__ = (
        Index("ix_submission_idempotency", "learner", "idempotency_key", unique=True),
        # A submit counts the learner's submissions in flight: from this index alone, however
        # many they have made before (by ``learner`` only it read each of their rows).
        Index("ix_submission_learner_status", "learner", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    learner: Mapped[str] = mapped_column(String(64))
    exercise_id: Mapped[str] = mapped_column(String(100), index=True)
    code: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    score: Mapped[float | None] = mapped_column(default=None)
    report_json: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    exercise_version: Mapped[str | None] = mapped_column(String(64), default=None)
    variant_seed: Mapped[int | None] = mapped_column(BigInteger, default=None)
    grader_version: Mapped[str | None] = mapped_column(String(64), default=None)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), default=None)

    @property
    def report(self) -> dict[str, Any] | None:
        """The stored report's data, read once per text (a page asks more than once; a
        large report's reading is 0.4 ms): shared, not to be changed."""
        text = self.report_json
        if not text:
            return None
        read = self.__dict__.get("_report_read")
        if read is None or read[0] is not text:
            read = (text, json_text.parse(text))
            self.__dict__["_report_read"] = read
        data: dict[str, Any] = read[1]
        return data

    def knows_report(self, data: dict[str, Any]) -> None:
        """``data`` is what ``report_json`` (as it is now) reads as: the grader that wrote the
        text from it hands it over."""
        if self.report_json:
            self.__dict__["_report_read"] = (self.report_json, data)
