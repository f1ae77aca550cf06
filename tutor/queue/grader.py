"""What a grader worker does with one submission id: claim the row, grade it, record it.

Learner code runs in this process's runner (``GRADER``: the sandbox pool by default, or the
unconfined ``process`` runner for development); the reference solution runs here too, in the
judge, cached per (exercise version, seed, variant). A reference that fails is the exercise's
fault: it is logged and the submission goes back to ``pending`` for a re-grade once the exercise
is fixed — never a learner's 0.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context

from tutor.content import Catalog, Exercise
from tutor.grading.judge import Judge, ReferenceFailure
from tutor.grading.protocol import Report
from tutor.grading.runner import GradingLost, ProcessRunner, Runner
from tutor.grading.sandbox import SandboxRunner, SandboxUnavailable, shared_pool
from tutor.web.extensions import close_session, db
from tutor.web.models import Submission

from . import rows

log = logging.getLogger(__name__)

MODES = ("sandbox", "process")
GRADING_SOURCES = Path(__file__).resolve().parents[1] / "grading"


def grader_version() -> str:
    """A hash of the grading code: which grader produced a stored verdict."""
    digest = hashlib.sha256()
    for path in sorted(GRADING_SOURCES.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def exercise_version(exercise: Exercise) -> str:
    """The build's content hash of the exercise when it has one; else a hash of what grading
    reads (solution, driver, limits)."""
    version = getattr(exercise, "version", None)
    if version:
        return str(version)
    digest = hashlib.sha256(
        f"{exercise.solution}\0{exercise.driver}\0{exercise.limits}".encode()
    ).hexdigest()
    return digest[:16]


@dataclass(frozen=True)
class Outcome:
    """What grading one claimed submission came to: ``name`` for logs and tests, and, when the
    learner's verdict was recorded, the columns as written, so the request that graded it
    answers without reading its row back (#15)."""

    name: str
    written: dict[str, object] | None = None
    # The report's data, when ``written["report_json"]`` is exactly its text.
    report: dict[str, Any] | None = None


class SandboxRefused(Exception):
    """The sandbox cannot be set up here; ``en`` and ``zh`` say why and what to do."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh


def refusal(exc: BaseException) -> SandboxRefused:
    return SandboxRefused(
        f"learner code is not graded because the sandbox cannot be set up: {exc}. "
        "Fix that, or set GRADER='process' (development only, unsafe)",
        f"学习者的代码不会被评测，因为无法建立沙箱：{exc}。请修复这个问题，"
        "或者设置 GRADER='process'（仅用于开发，不安全）",
    )


class Grader:
    """One per worker process: its runner (and sandbox pool), its judge, its reference cache."""

    def __init__(self, app: Flask, catalog: Catalog, mode: str, pool_size: int) -> None:
        if mode not in MODES:
            raise ValueError(f"GRADER must be one of {MODES}, not {mode!r}")
        self.app = app
        self.catalog = catalog
        self.mode = mode
        self.pool_size = max(1, pool_size)
        self.max_attempts = max(1, int(app.config.get("GRADER_MAX_ATTEMPTS", 3)))
        # The lesson build (``tutor.content.build``) names each exercise's version and the
        # grader's; without one, hashes of what grading reads stand in.
        self.build = app.extensions.get("lesson_build")
        self.version = str(getattr(self.build, "grader_version", "") or grader_version())
        self._judge: Judge | None = None
        self._refusal: SandboxRefused | None = None
        self._refused_at = 0.0
        self._lock = threading.Lock()

    def judge(self) -> Judge:
        """The judge with this process's runner; raises ``SandboxRefused`` (retried after 30 s)."""
        with self._lock:
            if self._judge is not None:
                return self._judge
            if self._refusal is not None and time.monotonic() - self._refused_at < 30:
                raise self._refusal
            runner: Runner
            if self.mode == "process":
                runner = ProcessRunner()
            else:
                try:
                    child_mb = max(
                        (e.limits.memory_mb for e in self.catalog.exercises()), default=512
                    )
                    cgroup = self.app.config.get("GRADER_CGROUP") or None
                    runner = SandboxRunner(shared_pool(self.pool_size, child_mb, cgroup))
                except (SandboxUnavailable, OSError) as exc:
                    self._refusal = refusal(exc)
                    self._refused_at = time.monotonic()
                    log.error("%s", self._refusal)
                    raise self._refusal from None
            self._refusal = None
            self._judge = Judge(runner)
            return self._judge

    def exercise_version(self, exercise: Exercise) -> str:
        versions = getattr(self.build, "exercises", None) or {}
        return str(versions.get(exercise.id) or exercise_version(exercise))

    def refusal(self) -> SandboxRefused | None:
        try:
            self.judge()
        except SandboxRefused as exc:
            return exc
        return None

    def grade(self, submission_id: int) -> str:
        """Grade one stored submission; returns what happened (for logs and tests)."""
        with self.app.app_context():
            try:
                return self._grade(submission_id)
            finally:
                db.session.remove()

    def grade_claimed(self, claimed: rows.ClaimedRow) -> Outcome:
        """Grade a submission stored already claimed by this process (``grading``, attempt 1:
        the web process grading inside the request), so no claiming statement is needed.

        Inside a request of this application it runs in the request's own context (a context
        of its own meant a second database session to make and drop for every submission,
        #15), and gives the connection back when done, as a context of its own would."""
        if has_app_context() and current_app._get_current_object() is self.app:  # type: ignore[attr-defined]
            try:
                return self._grade_claimed(claimed)
            finally:
                close_session()
        with self.app.app_context():
            try:
                return self._grade_claimed(claimed)
            finally:
                db.session.remove()

    def _grade_claimed(self, claimed: rows.ClaimedRow) -> Outcome:
        try:
            judge = self.judge()
        except SandboxRefused:
            rows.release(claimed.claim)  # pending again, as a worker would leave it
            return Outcome("refused")
        return self._judge_and_record(judge, claimed)

    def _grade(self, submission_id: int) -> str:
        try:
            judge = self.judge()
        except SandboxRefused:
            return "refused"  # stays pending: the sweeper queues it again once a sandbox works
        # The claim itself returns what grading reads (one statement); only a row it could
        # not take is read, to tell a missing row or a used-up one from a taken one.
        claimed = rows.claim_row(submission_id, below_attempts=self.max_attempts)
        if claimed is None:
            found = db.session.get(Submission, submission_id)
            if found is None:
                return "missing"
            if found.status == "pending" and found.attempts >= self.max_attempts:
                rows.give_up(submission_id, "pending", could_not_grade(found.attempts))
                return "gave-up"
            return "taken"
        return self._judge_and_record(judge, claimed).name

    def _judge_and_record(self, judge: Judge, claimed: rows.ClaimedRow) -> Outcome:
        submission_id = claimed.claim.submission_id
        claim = claimed.claim
        exercise = self.catalog.exercise(claimed.exercise_id)
        if exercise is None:
            report = Report.error(
                {
                    "en": f"the exercise {claimed.exercise_id!r} no longer exists",
                    "zh": f"练习 {claimed.exercise_id!r} 已不存在",
                }
            )
            rows.record(claim, "error", None, stored_report(report))  # not the learner's doing
            return Outcome("error")
        seed = rows.seed_of(claimed.variant_seed)
        code = claimed.code
        try:
            report = judge.grade(exercise, code, seed, "hidden")
        except GradingLost as exc:  # killed from outside: not the learner's doing
            log.warning("submission %s not graded: %s", submission_id, exc)
            rows.record(claim, "error", None, stored_report(Report.error(exc)))
            return Outcome("error")
        except ReferenceFailure as exc:
            log.error("submission %s not graded: %s", submission_id, exc)
            rows.release(claim)
            return Outcome("reference-failed")
        except Exception:
            log.exception("grading submission %s failed; it will be retried", submission_id)
            rows.release(claim)
            return Outcome("crashed")
        # The learner's result, whatever its verdict (code that could not run is theirs too);
        # the status ``error`` is kept for what the server could not grade.
        report_json, report_data = stored_report_and_data(report)
        graded_at = rows.now()
        exercise_version = self.exercise_version(exercise)
        if not rows.record(
            claim,
            "graded",
            report.score,
            report_json,
            graded_at,
            grader_version=self.version,
            exercise_version=exercise_version,
        ):
            return Outcome("superseded")
        if not claimed.without_account:  # (no link to an LMS, no course: nothing to tell)
            self._announce(submission_id)
        written: dict[str, object] = {
            "status": "graded",
            "score": report.score,
            "report_json": report_json,
            "graded_at": graded_at,
            "grader_version": self.version,
            "exercise_version": exercise_version,
        }
        return Outcome("graded", written, report_data)

    def _announce(self, submission_id: int) -> None:
        """Tell the verdict listeners (``app.extensions["verdict_listeners"]``: LTI grade
        passback, #12) that a verdict was recorded — of every submission but those a learner
        without an account made in the request grading them (listeners follow accounts; the
        LTI one's query was 0.24 ms of each self-study Submit, #15). A listener that fails is
        logged; the verdict stands."""
        for listener in self.app.extensions.get("verdict_listeners", ()):
            try:
                listener(submission_id)
            except Exception:
                db.session.rollback()
                log.exception("a verdict listener failed on submission %s", submission_id)


def could_not_grade(attempts: int) -> str:
    report = Report.error(
        {
            "en": f"this submission could not be graded ({attempts} attempts failed on the "
            "server's side, not because of your code); it is kept, and staff can re-grade it",
            "zh": f"这次提交无法评测（服务器端尝试了 {attempts} 次都失败了，不是你的代码的问题）；"
            "提交已保存，教师可以重新评测",
        }
    )
    return stored_report(report)


def stored_report(report: Report) -> str:
    return stored_report_and_data(report)[0]


def stored_report_and_data(report: Report) -> tuple[str, dict[str, Any] | None]:
    from tutor.web.grading_service import stored_report_and_data as store

    return store(report)
