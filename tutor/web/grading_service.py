"""Where the web layer meets the grading queue: check, store, enqueue, and wait a little.

One path for the htmx Submit, the JSON API and ``flask tutor grade``:

1. refusals come first, before anything is stored: no grader worker alive (``GraderUnavailable``,
   503), too many submissions waiting (``GraderBusy``, 503 with ``Retry-After``), code too large
   (413), this learner or address already has one in flight (429);
2. the submission row is stored ``pending`` with its variant seed — the row is the source of
   truth — and only its id goes on the queue (``tutor.queue``);
3. a grader worker (``flask tutor worker``) claims, grades and records it; this process never
   runs learner code or the reference solution for it;
4. the request waits up to ``GRADER_WAIT_SECONDS`` (default 5) for the verdict, then answers
   with what the row says: the verdict, or ``pending`` (the page polls, the API answers 202).

``QUEUE_URL=immediate`` grades inside the request instead (tests and ``flask tutor grade``); the
row is then stored already claimed (``grading``, attempt 1), as nobody else could take it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import math
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import Integer, bindparam, event, func, insert, literal, select
from sqlalchemy.exc import IntegrityError

from tutor.content import Catalog, Exercise
from tutor.grading.harness import LearnerError, SubmissionError
from tutor.grading.judge import MAX_CODE_BYTES, check_code
from tutor.grading.protocol import JSON, Report
from tutor.grading.report_budget import fitted_text_and_data
from tutor.grading.variants import learner_variant_seed
from tutor.queue import rows
from tutor.queue.grader import MODES
from tutor.queue.heartbeat import QUEUE_UNREACHABLE, Beat
from tutor.queue.rows import SUBMISSIONS, stored_seed
from tutor.queue.tasks import GradingQueue
from tutor.queue.verdicts import VerdictWatcher

from . import database_file, sqlite_journal
from .commit_durability import relax_commits
from .course import own_without_account
from .driver_sql import DriverStatement
from .extensions import close_session, db
from .models import Submission
from .practice_cases import PracticeCases
from .progress import note_stored

log = logging.getLogger(__name__)

DEFAULT_QUEUE = 256  # ≥ 200 concurrent submitters, each with one request in flight
DEFAULT_WAIT = 5.0
# Submissions in flight per network address: a class behind one NAT address submits together at
# a deadline (1 refused 7 of 13 in its last second), and the fair queue serves addresses in turn.
PER_ADDRESS = 40
IN_FLIGHT = ("pending", "grading")
# The pace of grading for ``Retry-After``: the latest this many verdicts, read at most this often;
# and what is assumed (seconds per submission) before there are any.
PACE_SAMPLE = 20
PACE_SECONDS = 10.0
DEFAULT_PACE = 0.5
# Seconds to wait when the queue cannot be reached (a Redis restart takes a few).
UNREACHABLE_RETRY = 5

# The statements of every submit, built once on the table (Core, bound parameters): built
# through the ORM on each call they cost more CPU than SQLite spent running them (#15).
# ``status IN (?, ?)``, a value bound to each: ``in_(IN_FLIGHT)`` is an "expanding" parameter,
# which SQLAlchemy writes into the statement's text again on every execution (#15).
_IS_IN_FLIGHT = SUBMISSIONS.c.status.in_([literal(status) for status in IN_FLIGHT])
# One learner's submissions in flight, and how many wait for a grader: one round-trip, each
# count its own subquery so that each reads its index (learner, status). As one scan with two
# FILTERed counts it read every submission ever stored: 13 ms a submit with 100,000 of them.
_IN_FLIGHT_COUNTS = select(
    select(func.count())
    .select_from(SUBMISSIONS)
    .where(SUBMISSIONS.c.learner == bindparam("learner"), _IS_IN_FLIGHT)
    .scalar_subquery(),
    select(func.count())
    .select_from(SUBMISSIONS)
    .where(SUBMISSIONS.c.status == "pending")
    .scalar_subquery(),
)
_STILL_IN_FLIGHT = select(SUBMISSIONS.c.id).where(
    SUBMISSIONS.c.id.in_(bindparam("ids", expanding=True)), _IS_IN_FLIGHT
)
_STORE = insert(SUBMISSIONS).returning(SUBMISSIONS.c.id)
# A submit refused by a count that a verdict then lowers is stored on the next try.
ADMIT_TRIES = 3


@functools.cache
def _admitting_insert(columns: tuple[str, ...]) -> DriverStatement:
    """``INSERT … SELECT`` the row's values only while the learner's submissions in flight are
    under ``:learner_limit`` and the waiting ones under ``:queue_size``; ``RETURNING id``. The
    values are typed (PostgreSQL's driver casts each), and ``:learner`` is both a value and the
    count's key. One statement per set of columns a row can have."""
    learner = bindparam("learner", type_=SUBMISSIONS.c.learner.type)
    values = [
        learner if name == "learner" else bindparam(name, type_=SUBMISSIONS.c[name].type)
        for name in columns
    ]
    mine = (
        select(func.count())
        .select_from(SUBMISSIONS)
        .where(SUBMISSIONS.c.learner == learner, _IS_IN_FLIGHT)
        .scalar_subquery()
    )
    waiting = (
        select(func.count())
        .select_from(SUBMISSIONS)
        .where(SUBMISSIONS.c.status == "pending")
        .scalar_subquery()
    )
    admitted = select(*values).where(
        mine < bindparam("learner_limit", type_=Integer),
        waiting < bindparam("queue_size", type_=Integer),
    )
    return DriverStatement(
        insert(SUBMISSIONS).from_select(list(columns), admitted).returning(SUBMISSIONS.c.id)
    )


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
    """Learner code cannot be graded safely here; the message (and ``zh``) says why, and
    ``retry_after`` when to try again (a worker that cannot set up its sandbox tries again
    every 30 s; an unreachable queue is usually a restart of seconds)."""

    def __init__(self, message: str, zh: str | None = None, retry_after: int = 30) -> None:
        super().__init__(message, zh=zh)
        self.retry_after = retry_after


class SubmissionRefused(LearnerError):
    """Refused before anything was stored; ``status`` is the HTTP status to answer with and
    ``retry_after`` (seconds) is set when waiting is what helps."""

    status = 400

    def __init__(self, message: str, zh: str, retry_after: int | None = None) -> None:
        super().__init__(message, zh=zh)
        self.retry_after = retry_after


class SubmissionGone(SubmissionRefused):
    """The submission this request stored or waited for is no longer in the database: it was
    restored from a backup (``flask tutor restore --replace``) or deleted meanwhile."""

    status = 409

    def __init__(self) -> None:
        super().__init__(
            "this submission is no longer stored (the site's data was restored from a backup, "
            "or it was deleted, while it was being graded); submit again — your code is still "
            "in the editor",
            zh="这次提交已经不在存储中了（在评测期间，网站的数据从备份中恢复了，或者它被删除了）；"
            "请重新提交——你的代码仍在编辑器中",
        )


def _still_stored(found: Submission | None) -> Submission:
    if found is None:
        raise SubmissionGone()
    return found


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


class KeyReused(SubmissionRefused):
    """An ``Idempotency-Key`` this learner already used for another submission (another
    exercise, or other code): a retry must resend the same request."""

    status = 422

    def __init__(self) -> None:
        super().__init__(
            "this Idempotency-Key was already used for a different submission (another "
            "exercise or other code); your code was not submitted: send a new key with a new "
            "submission, and the same key only when you send the same submission again",
            zh="这个 Idempotency-Key 已经用于另一次提交（不同的练习或代码）；你的代码没有提交："
            "新的提交请用新的键，只有重发同一次提交时才用同一个键",
        )


def storable_code(code: object) -> str:
    """The code as a row holds it: unpaired surrogates cannot be stored as UTF-8, nor NUL in
    PostgreSQL's text, so they are kept visible, escaped (code holding either cannot run: only a
    refused submission's row has them)."""
    if isinstance(code, str):
        return code.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")
    return repr(code)


class GradingService:
    def __init__(
        self,
        app: Flask,
        catalog: Catalog,
        queue: GradingQueue,
        queue_size: int = DEFAULT_QUEUE,
        wait_seconds: float = DEFAULT_WAIT,
        per_learner: int = 1,
        per_address: int = 1,
    ) -> None:
        self.app = app
        self.catalog = catalog
        self.queue = queue
        self.mode = queue.mode
        self.queue_size = max(0, int(queue_size))
        self.wait_seconds = float(wait_seconds)
        self.limits = {"learner": max(1, int(per_learner)), "address": max(1, int(per_address))}
        # Submission ids per network address, to count an address's submissions in flight.
        self._by_address: dict[str, list[int]] = {}
        self._admitting = threading.Lock()
        self._verdicts = VerdictWatcher(app)
        self._beat: tuple[float, Beat | None] = (0.0, None)
        self._pace: tuple[float, float] = (float("-inf"), DEFAULT_PACE)
        # Read from the lesson build: this process never runs a reference solution.
        from .cli import lesson_builds_dir  # not at import: cli imports this module

        self._practice = PracticeCases(
            app.extensions["lesson_build"], Path(app.config["LESSONS_DIR"]), lesson_builds_dir(app)
        )

    @classmethod
    def for_app(cls, app: Flask, catalog: Catalog) -> GradingService:
        mode = str(app.config.get("GRADER", "sandbox"))
        if mode not in MODES:
            raise ValueError(f"GRADER must be one of {MODES}, not {mode!r}")
        queue = GradingQueue(app, catalog)
        app.extensions["grading_queue"] = queue
        service = cls(
            app,
            catalog,
            queue,
            queue_size=int(app.config.get("GRADER_QUEUE_SIZE", DEFAULT_QUEUE)),
            wait_seconds=float(app.config.get("GRADER_WAIT_SECONDS", DEFAULT_WAIT)),
            per_learner=int(app.config.get("GRADER_INFLIGHT_PER_LEARNER", 1)),
            per_address=int(app.config.get("GRADER_INFLIGHT_PER_IP", PER_ADDRESS)),
        )
        if mode == "process":
            app.logger.warning(
                "!!! GRADER='process': learner code runs WITHOUT the sandbox (no namespaces, no "
                "seccomp); it can read this server's files and reach the network. Development "
                "only: never use it for a course. !!!"
            )
        _tune_sqlite(app)
        return service

    def practice_cases(self, exercise: Exercise) -> list[dict[str, JSON]]:
        """Practice cases only (fixed seed, "practice" variant): all the browser ever gets,
        as the lesson build computed them (``tutor.web.practice_cases``)."""
        return self._practice.of(exercise)

    # -- refusals -----------------------------------------------------------------------------

    def check_available(self) -> None:
        """Raises ``GraderUnavailable`` when no grader worker has beaten recently, or the last
        one cannot set up its sandbox."""
        if self.queue.immediate:
            refused = self.queue.grader().refusal()
            if refused is not None:
                raise GraderUnavailable(refused.en, zh=refused.zh)
            return
        beat = self.last_beat()
        if beat is QUEUE_UNREACHABLE:
            raise GraderUnavailable(
                "the grading queue cannot be reached just now, so nothing can be graded; try "
                f"again in {UNREACHABLE_RETRY} s — your code was not submitted and is still in "
                "the editor",
                zh=f"暂时连不上评测队列，现在无法评测；请在 {UNREACHABLE_RETRY} 秒后再试——"
                "你的代码没有提交，仍在编辑器中",
                retry_after=UNREACHABLE_RETRY,
            )
        if beat is None or not beat.fresh():
            raise GraderUnavailable(
                "no grader is running, so submissions cannot be graded now; your code was not "
                "submitted and is still in the editor (operators: start one with "
                "`flask tutor worker`)",
                zh="现在没有运行中的评测程序，所以无法评测提交；你的代码没有提交，仍在编辑器中"
                "（运维人员：请用 `flask tutor worker` 启动一个）",
            )
        if beat.refusal_en:
            raise GraderUnavailable(beat.refusal_en, zh=beat.refusal_zh)

    def stalled(self) -> dict[str, str] | None:
        """Why a stored submission waits with no grader to take it (none running, the queue out
        of reach, the sandbox refused), for a client that would otherwise poll a 202 forever;
        ``None`` while graders run. Its work is kept and graded once one can."""
        if self.queue.immediate:
            return None
        beat = self.last_beat()
        later = "this submission is stored and will be graded once {}"
        later_zh = "这次提交已经保存，{}后就会评测"
        if beat is QUEUE_UNREACHABLE:
            return {
                "en": "the grading queue cannot be reached just now; " + later.format("it can be"),
                "zh": "暂时连不上评测队列；" + later_zh.format("能连上"),
            }
        if beat is None or not beat.fresh():
            return {
                "en": "no grader is running just now; "
                + later.format("one starts (operators: `flask tutor worker`)"),
                "zh": "现在没有运行中的评测程序；"
                + later_zh.format("有评测程序启动（运维人员：`flask tutor worker`）"),
            }
        if beat.refusal_en:
            return {
                "en": f"{beat.refusal_en}; " + later.format("that is fixed"),
                "zh": f"{beat.refusal_zh or beat.refusal_en}；" + later_zh.format("问题解决"),
            }
        return None

    def last_beat(self) -> Beat | None:
        """The workers' latest heartbeat, read from the queue at most once a second."""
        read_at, beat = self._beat
        if time.monotonic() - read_at > 1.0:
            beat = self.queue.last_beat()
            self._beat = (time.monotonic(), beat)
        return beat

    def waiting(self) -> int:
        return int(
            db.session.execute(
                db.select(func.count())
                .select_from(Submission)
                .where(Submission.status == "pending")
            ).scalar_one()
        )

    def retry_after(self, waiting: int | None = None) -> int:
        """Seconds until a refused submit is worth sending again: the queue ahead of it (those
        waiting and one per grader thread), drained at the pace grading has lately kept. A
        fixed half second per job told clients "1 s" while programs that run to their time
        limit kept a full queue for many seconds, and clients that obeyed retried in a loop."""
        beat = None if self.queue.immediate else self.last_beat()
        threads = max(1, beat.threads if beat is not None else 1)
        waiting = self.waiting() if waiting is None else waiting
        seconds = (waiting + threads) * self.seconds_per_submission() / threads
        return max(1, min(60, math.ceil(seconds)))

    def seconds_per_submission(self) -> float:
        """How long grading one submission has lately taken (claim to verdict, the latest
        ``PACE_SAMPLE`` graded), read at most every ``PACE_SECONDS``: asked only when a submit
        is refused, and one refusal storm must not become a storm of queries."""
        read_at, pace = self._pace
        if time.monotonic() - read_at < PACE_SECONDS:
            return pace
        recent = db.session.execute(
            db.select(Submission.started_at, Submission.graded_at)
            .where(
                Submission.status == "graded",
                Submission.started_at.is_not(None),
                Submission.graded_at.is_not(None),
            )
            .order_by(Submission.id.desc())
            .limit(PACE_SAMPLE)
        ).all()
        spans = [
            (graded - started).total_seconds()
            for started, graded in recent
            if graded is not None and started is not None and graded >= started
        ]
        pace = max(DEFAULT_PACE, sum(spans) / len(spans)) if spans else DEFAULT_PACE
        self._pace = (time.monotonic(), pace)
        return pace

    def _refuse_if_full(self, learner: str, address_full: bool) -> None:
        """Raises what refuses this submit, if anything does: the learner's submissions in
        flight, then their address's (``address_full``, from ``_address_full``), then the queue
        (``GraderBusy``). The learner's and the queue's counts are one ``SELECT``."""
        mine, waiting = db.session.execute(_IN_FLIGHT_COUNTS, {"learner": learner}).one()
        mine, waiting = int(mine), int(waiting)
        if mine >= self.limits["learner"]:
            raise TooManyInFlight("learner", self.retry_after(waiting))
        if address_full:
            raise TooManyInFlight("address", self.retry_after(waiting))
        if waiting >= self.queue_size:
            raise GraderBusy(self.retry_after(waiting))

    def _address_full(self, address: str | None) -> bool:
        """Whether this process has admitted as many submissions from ``address`` as it may
        have in flight. Its list of them only ever over-counts (an id leaves it when this
        process sees its verdict, or here), so the database is asked which are still in
        flight only once the list reaches the limit: a class behind one address asked on every
        Submit while a classmate's was being graded (#15: 6.6 % of the web process's CPU,
        four learners on one address)."""
        if address is None:
            return False
        ids = self._by_address.get(address, [])
        if len(ids) < self.limits["address"]:
            return False
        ids = list(db.session.execute(_STILL_IN_FLIGHT, {"ids": ids}).scalars())
        self._by_address[address] = ids
        return len(ids) >= self.limits["address"]

    # -- submitting ---------------------------------------------------------------------------

    def submit(
        self,
        exercise: Exercise,
        code: str,
        course_id: int,
        learner: str,
        wait: bool = True,
        here: bool = False,
        idempotency_key: str | None = None,
    ) -> Submission:
        """Store and enqueue; by default wait up to ``wait_seconds`` for the verdict. Raises
        before storing if no grader is available (``GraderUnavailable``), too many submissions
        wait (``GraderBusy``), the code is too large or the learner or their address has a
        submission in flight (``SubmissionRefused``).

        ``here``: grade in this process, as a worker would (``flask tutor grade``).
        ``idempotency_key``: stored with the row (unique per learner); the same submit sent
        again with it gets this submission back (``replay``), even from another process."""
        if isinstance(code, str) and len(code.encode("utf-8", "surrogatepass")) > MAX_CODE_BYTES:
            raise CodeTooLarge()
        if idempotency_key is not None:
            replayed = self.replay(exercise, code, learner, idempotency_key, wait)
            if replayed is not None:
                return replayed
        if here:
            refused = self.queue.grader().refusal()
            if refused is not None:
                raise GraderUnavailable(refused.en, zh=refused.zh)
        else:
            self.check_available()
        try:
            check_code(code)
        except SubmissionError as exc:  # not a program: answered at once, no queue, no process
            return self._store_rejected(exercise, code, course_id, learner, exc, idempotency_key)
        address = request.remote_addr if has_request_context() else None
        seed = stored_seed(submission_seed(course_id, learner, exercise))
        row: dict[str, object] = {
            "course_id": course_id,
            "learner": learner,
            "exercise_id": exercise.id,
            "code": code,
            "variant_seed": seed,
            "idempotency_key": idempotency_key,
            "created_at": rows.now(),
        }
        # Graded in this request: stored already claimed (``grading``, attempt 1), as a worker's
        # claim would leave it, which saves the claiming statement and its commit.
        graded_here = here or self.queue.immediate
        if graded_here:
            row.update(status="grading", attempts=1, started_at=rows.now())
        # Give the connection back before queueing for the lock: two hundred requests waiting
        # here must not hold the pool's fifteen connections between them.
        close_session()
        with self._admitting:  # check and store as one step (within this process)
            submission_id, stored = self._admit(exercise, code, row, address)
        if not stored:  # the same submit, stored by an earlier request that queued it
            return self.wait_for_verdict(submission_id, self.wait_seconds if wait else 0)
        # Hold no database connection while the worker grades.
        close_session()
        written, report = None, None
        try:
            if graded_here:
                claim = rows.ClaimedRow(
                    rows.Claim(submission_id, 1),
                    exercise.id,
                    code,
                    seed,
                    without_account=own_without_account(learner),
                )
                outcome = self.queue.grader().grade_claimed(claim)
                written, report = outcome.written, outcome.report
            else:
                self.queue.enqueue(submission_id)
        except Exception:  # the queue is down: the row is kept, the sweeper queues it later
            log.exception("submission %s stored but not queued", submission_id)
        if written is not None:
            # Graded here: the row as stored and then recorded, without reading it back.
            verdict = Submission(id=submission_id, **{**row, **written})
            if report is not None:
                verdict.knows_report(report)
        elif wait:
            verdict = self.wait_for_verdict(submission_id, self.wait_seconds)
        else:
            return _still_stored(db.session.get(Submission, submission_id))
        if address is not None and verdict.status not in IN_FLIGHT:
            self._settled(address, submission_id)
        return verdict

    def _admit(
        self, exercise: Exercise, code: str, row: dict[str, object], address: str | None
    ) -> tuple[int, bool]:
        """Check the in-flight and queue limits and store ``row``: ``(id, True)``; or, for a
        submit whose idempotency key is stored already (by a request that got there first,
        in this process or another), ``(its id, False)``."""
        learner = str(row["learner"])
        key = row["idempotency_key"]
        if key is not None:
            twin = self.replay(exercise, code, learner, str(key), wait=False)
            if twin is not None:
                return twin.id, False
        if self._address_full(address):
            self._refuse_if_full(learner, address_full=True)
        for _ in range(ADMIT_TRIES):
            stored = self._store_once(row, exercise, code, admitted=True)
            if stored is not None:
                submission_id, new = stored
                if new and address is not None:
                    self._by_address.setdefault(address, []).append(submission_id)
                return submission_id, new
            # Refused by a count: say which (or, if a verdict came in since, try again).
            self._refuse_if_full(learner, self._address_full(address))
        raise GraderBusy(self.retry_after())

    def _settled(self, address: str, submission_id: int) -> None:
        """A verdict seen here: the address's next submit need not ask the database about
        this one. Without ``_admitting``: this request holds a database connection now, and a
        thread admitting under that lock may be waiting for one (a removal that misses a list
        just replaced costs one ``SELECT`` later, nothing more)."""
        ids = self._by_address.get(address)
        if ids is not None:
            with contextlib.suppress(ValueError):
                ids.remove(submission_id)

    def wait_for_verdict(self, submission_id: int, seconds: float) -> Submission:
        """The row once it leaves ``pending``/``grading``, or as it is after ``seconds``.

        One ``SELECT`` each time (``populate_existing``: fresh even when this session holds
        the row already), not a ``get`` and then a ``refresh``."""
        found = _still_stored(db.session.get(Submission, submission_id, populate_existing=True))
        if found.status in IN_FLIGHT and seconds > 0:
            db.session.close()  # hold no connection while waiting
            self._verdicts.wait(submission_id, seconds)
            found = _still_stored(db.session.get(Submission, submission_id, populate_existing=True))
        return found

    def replay(
        self, exercise: Exercise, code: object, learner: str, key: str, wait: bool = True
    ) -> Submission | None:
        """The learner's submission stored under ``key``, if any — the answer to a submit sent
        again (waiting for its verdict as a first submit would); ``KeyReused`` if that key
        stored a different submission."""
        found = db.session.execute(
            db.select(Submission).where(
                Submission.learner == learner, Submission.idempotency_key == key
            )
        ).scalar_one_or_none()
        if found is None:
            return None
        if found.exercise_id != exercise.id or found.code not in (code, storable_code(code)):
            raise KeyReused()
        return self.wait_for_verdict(found.id, self.wait_seconds if wait else 0)

    def _store_rejected(
        self,
        exercise: Exercise,
        code: str,
        course_id: int,
        learner: str,
        why: SubmissionError,
        idempotency_key: str | None = None,
    ) -> Submission:
        report = Report.error(why)
        row: dict[str, object] = {
            "course_id": course_id,
            "learner": learner,
            "exercise_id": exercise.id,
            "code": storable_code(code),
            "status": "graded",  # the learner's own result: code that cannot run scores 0
            "score": 0.0,
            "report_json": stored_report(report),
            "graded_at": datetime.now(UTC),
            "idempotency_key": idempotency_key,
        }
        stored = self._store_once(row, exercise, code)
        assert stored is not None  # (only an admitted row can be refused)
        return _still_stored(db.session.get(Submission, stored[0]))

    def _store_once(
        self, row: dict[str, object], exercise: Exercise, code: object, admitted: bool = False
    ) -> tuple[int, bool] | None:
        """Stores ``row`` (one ``INSERT … RETURNING id``): its id, and that it is new; if
        another process stored the same idempotency key a moment ago, that process's
        submission's id instead (not new).

        ``admitted``: stored only while the learner's submissions in flight and the queue are
        under their limits, counted by the same statement (``None`` when they are not): one
        statement instead of a ``SELECT`` of the counts and then the ``INSERT`` (#15), which
        also leaves no moment for another process's submit between the count and the row
        (SQLite runs it under its write lock)."""
        try:
            # On a pooled connection of its own, as the queue's transitions
            # (``commit_recomputable``): one statement needs none of the ORM session's work.
            with db.engine.connect() as connection:
                if admitted:
                    values = {
                        **row,
                        "learner_limit": self.limits["learner"],
                        "queue_size": self.queue_size,
                    }
                    found = _admitting_insert(tuple(row)).execute(connection, values).scalar()
                    if found is None:
                        return None  # (the connection's transaction is rolled back)
                    submission_id = int(found)
                else:
                    submission_id = int(connection.execute(_STORE, row).scalar_one())
                connection.commit()
        except IntegrityError:
            key = row.get("idempotency_key")
            if key is None:
                raise
            twin = self.replay(exercise, code, str(row["learner"]), str(key), wait=False)
            if twin is None:
                raise
            return twin.id, False
        note_stored(str(row["learner"]))  # (no ORM flush to say so)
        return submission_id, True

    # -- restart ------------------------------------------------------------------------------

    def resume_pending(self) -> int:
        """Queue every stored submission still ``pending`` again (the sweeper does this by itself
        in every worker; this is for an operator who wants it now)."""
        ids = list(
            db.session.execute(
                db.select(Submission.id)
                .where(Submission.status == "pending")
                .order_by(Submission.id)
            ).scalars()
        )
        for submission_id in ids:
            self.queue.enqueue(submission_id)
        return len(ids)


def submission_seed(course_id: int, learner: str, exercise: Exercise) -> int:
    """The learner's hidden variant of the exercise, fixed when the submission is stored: from
    the course's id, never its slug (staff may rename a course; its learners keep their cases)."""
    return learner_variant_seed(course_id, learner, exercise.id)


def stored_report(report: Report) -> str:
    """The report as stored and served: within the size budget, and plain JSON (a non-finite
    number would be stored as ``NaN``, which no JSON reader accepts)."""
    return stored_report_and_data(report)[0]


def stored_report_and_data(report: Report) -> tuple[str, dict[str, Any] | None]:
    """``stored_report(report)``, and the data it is the text of if that is at hand
    (``fitted_text_and_data``)."""
    try:
        return fitted_text_and_data(report.to_json())
    except ValueError:
        failed = {
            "en": "the grader could not record this result; submit again",
            "zh": "评测程序无法记录这个结果；请重新提交",
        }
        return json.dumps(Report.error(failed).to_json()), None


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
        sqlite_journal.prepare_connection(connection)

    relax_commits(app, engine, sqlite_journal.prepare_connection)
