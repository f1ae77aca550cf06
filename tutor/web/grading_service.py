"""Where the web layer meets the judge: store first, queue, grade, record the verdict.

One path for the htmx Submit, the JSON API and ``flask tutor grade``:

1. the submission row is stored (``pending``) before anything else, so nothing accepted is lost;
2. it joins a bounded queue served by ``GRADER_WORKERS`` threads, each of which owns one sandboxed
   grader process; when the queue is full the caller gets ``GraderBusy`` (HTTP 503 with
   ``Retry-After``) *before* anything is stored, and the page keeps the learner's code;
3. a worker grades it (the judge computes the reference itself; learner code runs in the
   sandbox) and records ``graded`` or ``error`` with the report;
4. the request waits for that (up to ``GRADER_WAIT_SECONDS``) and shows the verdict.

A submission still ``pending`` when the server died is graded again when the server starts
(its first request) or by ``flask tutor regrade-pending``.

``GRADER`` picks the runner: ``"sandbox"`` (the default: bubblewrap + seccomp pool) or
``"process"`` (a plain subprocess: development only, logged loudly). If the sandbox cannot be set
up, grading is refused with the reason; it never silently falls back to an unconfined runner.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, has_request_context, request
from sqlalchemy import event

from tutor.content import Catalog, Exercise
from tutor.grading.harness import LearnerError, SubmissionError
from tutor.grading.judge import MAX_CODE_BYTES, Judge, check_code, variant_seed
from tutor.grading.protocol import JSON, Report
from tutor.grading.report_budget import fit
from tutor.grading.runner import InProcessRunner, ProcessRunner, Runner
from tutor.grading.sandbox import SandboxRunner, SandboxUnavailable, shared_pool

from . import database_file
from .extensions import db
from .fair_queue import FairQueue
from .models import Course, Submission

log = logging.getLogger(__name__)

MODES = ("sandbox", "process")
DEFAULT_QUEUE = 256  # ≥ 200 concurrent submitters, each with one request in flight
DEFAULT_WAIT = 120.0


class GraderBusy(LearnerError):
    """Every grader is busy and the queue is full; nothing was stored."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"the grader is busy: {retry_after} s is a good time to submit again; your code "
            "was not submitted and is still in the editor",
            zh=f"评测程序正忙：请在 {retry_after} 秒后重新提交；你的代码没有提交，仍在编辑器中",
        )
        self.retry_after = retry_after


class GraderUnavailable(LearnerError):
    """Learner code cannot be graded safely here; the message (and ``zh``) says why."""


class SubmissionRefused(LearnerError):
    """Refused before anything was stored; ``status`` is the HTTP status to answer with and
    ``retry_after`` (seconds) is set when waiting is what helps."""

    status = 400

    def __init__(self, message: str, zh: str, retry_after: int | None = None) -> None:
        super().__init__(message, zh=zh)
        self.retry_after = retry_after


class CodeTooLarge(SubmissionRefused):
    status = 413

    def __init__(self) -> None:
        kb = MAX_CODE_BYTES // 1000
        super().__init__(
            f"the code is larger than {kb} KB; it was not submitted",
            zh=f"代码超过了 {kb} KB；没有提交",
        )


class TooManyInFlight(SubmissionRefused):
    """One learner (or one network address) already has as many submissions being graded as
    it may: the next waits for a verdict instead of pushing other learners back."""

    status = 429

    def __init__(self, who: str, retry_after: int) -> None:
        if who == "learner":
            en = "your previous submission is still being graded: wait for its verdict"
            zh = "你上一次的提交仍在评测中：请等它出结果"
        else:
            en = "another submission from your network address is still being graded: wait for it"
            zh = "来自你的网络地址的另一次提交仍在评测中：请等它出结果"
        super().__init__(
            f"{en}, then submit again (in about {retry_after} s); your code was not submitted "
            "and is still in the editor",
            zh=f"{zh}，然后再提交（大约 {retry_after} 秒后）；你的代码没有提交，仍在编辑器中",
            retry_after=retry_after,
        )


@dataclass
class Job:
    submission_id: int
    exercise_id: str
    course_slug: str
    learner: str
    code: str
    holds_slot: bool = True
    done: threading.Event = field(default_factory=threading.Event)
    client: str = ""  # whose line of the fair queue it waits in
    claims: tuple[tuple[str, str], ...] = ()  # in-flight counts it holds until graded


class GradingService:
    def __init__(
        self,
        app: Flask,
        catalog: Catalog,
        mode: str = "sandbox",
        workers: int = 4,
        queue_size: int = DEFAULT_QUEUE,
        wait_seconds: float = DEFAULT_WAIT,
        per_learner: int = 1,
        per_address: int = 1,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"GRADER must be one of {MODES}, not {mode!r}")
        self.app = app
        self.catalog = catalog
        self.mode = mode
        self.workers = max(1, int(workers))
        self.queue_size = max(0, int(queue_size))
        self.wait_seconds = float(wait_seconds)
        self.judge: Judge | None = None
        self.refusal: GraderUnavailable | None = None
        self._refused_at = 0.0
        self._practice: dict[str, list[dict[str, JSON]]] = {}
        self._jobs: FairQueue[Job] = FairQueue()
        self.limits = {"learner": max(1, int(per_learner)), "address": max(1, int(per_address))}
        self._claimed: dict[tuple[str, str], int] = {}
        self._slots = threading.BoundedSemaphore(self.workers + self.queue_size)
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._inflight: set[int] = set()
        self._resumed = False
        self._seconds_per_job = 0.05
        # Only the reference side; always available (no learner code runs through it).
        self._reference = Judge(InProcessRunner())

    @classmethod
    def for_app(cls, app: Flask, catalog: Catalog) -> GradingService:
        mode = str(app.config.get("GRADER", "sandbox"))
        cores = os.cpu_count() or 2
        service = cls(
            app,
            catalog,
            mode=mode,
            workers=int(app.config.get("GRADER_WORKERS", 4 * cores)),
            queue_size=int(app.config.get("GRADER_QUEUE_SIZE", DEFAULT_QUEUE)),
            wait_seconds=float(app.config.get("GRADER_WAIT_SECONDS", DEFAULT_WAIT)),
            per_learner=int(app.config.get("GRADER_INFLIGHT_PER_LEARNER", 1)),
            per_address=int(app.config.get("GRADER_INFLIGHT_PER_IP", 1)),
        )
        if mode == "process":
            app.logger.warning(
                "!!! GRADER='process': learner code runs WITHOUT the sandbox (no namespaces, no "
                "seccomp); it can read this server's files and reach the network. Development "
                "only: never use it for a course. !!!"
            )
        _tune_sqlite(app)
        app.before_request(service._on_first_request)
        return service

    # -- runner selection -------------------------------------------------------------------

    def runner(self) -> Runner:
        """The judge's runner; raises ``GraderUnavailable`` when the sandbox cannot start."""
        with self._lock:
            if self.judge is not None:
                return self.judge.runner
            if self.refusal is not None and time.monotonic() - self._refused_at < 30:
                raise GraderUnavailable(str(self.refusal), zh=self.refusal.zh)
            if self.mode == "process":
                runner: Runner = ProcessRunner()
            else:
                try:
                    child_mb = max(
                        (e.limits.memory_mb for e in self.catalog.exercises()), default=512
                    )
                    cgroup = self.app.config.get("GRADER_CGROUP") or None
                    runner = SandboxRunner(shared_pool(self.workers, child_mb, cgroup))
                except (SandboxUnavailable, OSError) as exc:
                    self.refusal = GraderUnavailable(
                        f"learner code is not graded because the sandbox cannot be set up: {exc}. "
                        "Fix that, or set GRADER='process' (development only, unsafe)",
                        zh=f"学习者的代码不会被评测，因为无法建立沙箱：{exc}。请修复这个问题，"
                        "或者设置 GRADER='process'（仅用于开发，不安全）",
                    )
                    self._refused_at = time.monotonic()
                    log.error("%s", self.refusal)
                    raise GraderUnavailable(str(self.refusal), zh=self.refusal.zh) from None
            self.refusal = None
            self.judge = Judge(runner)
            return runner

    def grade_judge(self) -> Judge:
        self.runner()
        assert self.judge is not None
        return self.judge

    def practice_cases(self, exercise: Exercise) -> list[dict[str, JSON]]:
        """Practice cases only (fixed seed, "practice" variant): all the browser ever gets."""
        if exercise.id not in self._practice:
            self._practice[exercise.id] = self._reference.practice_payload(exercise)
        return self._practice[exercise.id]

    # -- the queue ----------------------------------------------------------------------------

    def retry_after(self) -> int:
        waiting = self._jobs.qsize() + self.workers
        return max(1, min(60, math.ceil(waiting * self._seconds_per_job / self.workers)))

    def submit(
        self, exercise: Exercise, code: str, course: Course, learner: str, wait: bool = True
    ) -> Submission:
        """Store, queue, and (by default) wait for the verdict. Raises before storing if the
        grader is unavailable (``GraderUnavailable``), full (``GraderBusy``), the code is too
        large or the learner or their address has a submission in flight
        (``SubmissionRefused``)."""
        if isinstance(code, str) and len(code.encode("utf-8", "surrogatepass")) > MAX_CODE_BYTES:
            raise CodeTooLarge()
        self.runner()
        try:
            check_code(code)
        except SubmissionError as exc:  # not a program: answered at once, no queue, no process
            return self._store_rejected(exercise, code, course, learner, exc)
        address = request.remote_addr if has_request_context() else None
        claims = self._claim(learner, address)
        if not self._slots.acquire(blocking=False):
            self._release(claims)
            raise GraderBusy(self.retry_after())
        course_id, slug = course.id, course.slug
        try:
            submission = Submission(
                course_id=course_id, learner=learner, exercise_id=exercise.id, code=code
            )
            db.session.add(submission)
            db.session.flush()
            submission_id = submission.id
            db.session.commit()
        except BaseException:
            self._slots.release()
            self._release(claims)
            raise
        # Hold no database connection while waiting: 200 waiting requests must not starve the
        # workers that record verdicts.
        db.session.close()
        job = Job(submission_id, exercise.id, slug, learner, code, client=address or learner)
        job.claims = claims
        self._enqueue(job)
        if wait:
            job.done.wait(self.wait_seconds)
        found = db.session.get(Submission, submission_id)
        assert found is not None
        return found

    def _claim(self, learner: str, address: str | None) -> tuple[tuple[str, str], ...]:
        """Count this submission against its learner and address, or refuse it."""
        wanted = [("learner", learner)] + ([("address", address)] if address else [])
        with self._lock:
            for key in wanted:
                if self._claimed.get(key, 0) >= self.limits[key[0]]:
                    raise TooManyInFlight(key[0], self.retry_after())
            for key in wanted:
                self._claimed[key] = self._claimed.get(key, 0) + 1
        return tuple(wanted)

    def _release(self, claims: tuple[tuple[str, str], ...]) -> None:
        with self._lock:
            for key in claims:
                left = self._claimed.get(key, 0) - 1
                if left > 0:
                    self._claimed[key] = left
                else:
                    self._claimed.pop(key, None)

    def _store_rejected(
        self, exercise: Exercise, code: str, course: Course, learner: str, why: SubmissionError
    ) -> Submission:
        report = Report.error(why)
        submission = Submission(
            course_id=course.id,
            learner=learner,
            exercise_id=exercise.id,
            # Unpaired surrogates cannot be stored as UTF-8; keep them visible, escaped.
            code=code.encode("utf-8", "backslashreplace").decode("utf-8")
            if isinstance(code, str)
            else repr(code),
            status="error",
            score=0.0,
            report_json=stored_report(report),
            graded_at=datetime.now(UTC),
        )
        db.session.add(submission)
        db.session.commit()
        return submission

    def _enqueue(self, job: Job) -> None:
        with self._lock:
            self._inflight.add(job.submission_id)
            if not self._threads:
                for i in range(self.workers):
                    thread = threading.Thread(target=self._work, name=f"grader-{i}", daemon=True)
                    thread.start()
                    self._threads.append(thread)
        self._jobs.put(job.client or job.learner, job)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            started = time.monotonic()
            try:
                self._grade(job)
            except Exception:  # a bug of ours: the submission still gets an answer
                log.exception("grading submission %s failed", job.submission_id)
                failed = {
                    "en": "the grader failed; submit again",
                    "zh": "评测程序出错了；请重新提交",
                }
                self._record(job.submission_id, Report.error(failed))
            finally:
                elapsed = time.monotonic() - started
                self._seconds_per_job = 0.9 * self._seconds_per_job + 0.1 * elapsed
                with self._lock:
                    self._inflight.discard(job.submission_id)
                self._release(job.claims)
                if job.holds_slot:
                    self._slots.release()
                job.done.set()

    def _grade(self, job: Job) -> None:
        exercise = self.catalog.exercise(job.exercise_id)
        if exercise is None:
            report = Report.error(
                {
                    "en": f"the exercise {job.exercise_id!r} no longer exists",
                    "zh": f"练习 {job.exercise_id!r} 已不存在",
                }
            )
        else:
            seed = variant_seed(job.course_slug, job.learner, exercise.id)
            try:
                judge = self.grade_judge()
            except GraderUnavailable as exc:
                report = Report.error(exc)
            else:
                report = judge.grade(exercise, job.code, seed, "hidden")
        self._record(job.submission_id, report)

    def _record(self, submission_id: int, report: Report) -> None:
        with self.app.app_context():
            submission = db.session.get(Submission, submission_id)
            if submission is None:
                return
            submission.status = "graded" if report.verdict != "error" else "error"
            submission.score = report.score
            submission.report_json = stored_report(report)
            submission.graded_at = datetime.now(UTC)
            db.session.commit()

    # -- restart ------------------------------------------------------------------------------

    def resume_pending(self, wait: bool = False) -> int:
        """Queue every stored submission still ``pending`` (the server died while grading)."""
        with self.app.app_context():
            rows = db.session.execute(
                db.select(Submission, Course.slug)
                .join(Course, Submission.course_id == Course.id)
                .where(Submission.status == "pending")
                .order_by(Submission.id)
            ).all()
        jobs = []
        for submission, slug in rows:
            with self._lock:
                if submission.id in self._inflight:
                    continue
            job = Job(
                submission.id,
                submission.exercise_id,
                slug,
                submission.learner,
                submission.code,
                holds_slot=False,
            )
            self._enqueue(job)
            jobs.append(job)
        if jobs:
            log.warning("re-grading %d submission(s) left pending by a previous run", len(jobs))
        if wait:
            for job in jobs:
                job.done.wait()
        return len(jobs)

    def _on_first_request(self) -> None:
        if self._resumed:
            return
        with self._lock:
            if self._resumed:
                return
            self._resumed = True
        try:
            self.runner()  # start the sandbox pool now, not on the first learner's submission
        except GraderUnavailable:
            return
        self.resume_pending()


def stored_report(report: Report) -> str:
    """The report as stored and served: within the size budget, and plain JSON (a non-finite
    number would be stored as ``NaN``, which no JSON reader accepts)."""
    try:
        return json.dumps(fit(report.to_json()), allow_nan=False)
    except ValueError:
        failed = {
            "en": "the grader could not record this result; submit again",
            "zh": "评测程序无法记录这个结果；请重新提交",
        }
        return json.dumps(Report.error(failed).to_json())


def _tune_sqlite(app: Flask) -> None:
    """SQLite under concurrent writers: WAL and a generous busy timeout instead of errors; the
    file private (0600) and its folder writable, or a clear refusal to start."""
    if not str(app.config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite:///"):
        return
    database_file.prepare(str(app.config["SQLALCHEMY_DATABASE_URI"]), Path(app.instance_path))
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(connection: object, _record: object) -> None:
        cursor = connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
