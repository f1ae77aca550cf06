"""A short lab session on the production set-up (gunicorn × 4, two grader workers, Redis,
PostgreSQL, all on loopback) while every fault of #10 happens in turn: a worker killed with
SIGKILL holding a job, Redis restarted (its queued messages lost), the database stopped for a
few seconds, the web processes restarted. Afterwards every student has a verdict, every stored
submission exactly one, none stored twice for one student (their retries carry an
``Idempotency-Key``), and no answer was a 5xx other than the documented 503.

60 students over 20 s with the sweeper's clock shortened: about 80 s on an idle 2-core machine,
most of it starting processes (docs/performance.md).

The long session (1,000 students, no faults) is ``make bench`` (bench/lab_session.py).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.lab_session import Lab, lab_servers, run_session

STUDENTS = 60
SPREAD_SECONDS = 20.0
SETTLE_SECONDS = 240.0  # a bound for a broken run (a passing one settles in seconds)
# The sweeper's clock shortened so that recovery fits a test: a claim older than 6 s is a dead
# worker's (a submission here is graded in well under a second), a pending row older than 2 s
# has lost its message; sweeps twice a second.
FAST_SWEEPER = {
    "TUTOR_GRADER_CLAIM_SECONDS": "6",
    "TUTOR_GRADER_REQUEUE_SECONDS": "2",
    "TUTOR_GRADER_SWEEP_SECONDS": "0.5",
    # A claim given away too early on a loaded machine is claimed again (only the last claim
    # records a verdict); more tries keep such a job from ending as "could not be graded".
    "TUTOR_GRADER_MAX_ATTEMPTS": "6",
    # Requests wait at most a second for a verdict (then 202, and the student polls), so a
    # restarting web process finishes the requests it holds quickly.
    "TUTOR_GRADER_WAIT_SECONDS": "1",
}
# When each fault starts (seconds into the session), one after another while students still
# arrive. The web restart, whose length depends on how fast four processes start, comes last, so
# it cannot push another fault past the last arrivals.
KILL_AT, REDIS_AT, DATABASE_AT, WEB_AT = 2.0, 6.0, 10.0, 16.0


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    with lab_servers(tmp_path) as (postgres, redis_server):
        url = postgres.create_database("lab")
        lab = Lab(postgres, redis_server, url, tmp_path, settings=FAST_SWEEPER)
        try:
            lab.prepare_database()
            lab.start_worker(0)
            lab.start_worker(1)
            lab.start_web()
            lab.wait_for_workers()
            yield lab
        finally:
            lab.close()


class Faults:
    """One fault after another while the students submit; what each one hit is kept."""

    def __init__(self) -> None:
        self.killed_holding: int | None = None
        self.done: list[str] = []
        self.when: list[tuple[str, float]] = []  # (fault, seconds into the session when done)

    def at(self, start: float, second: float) -> None:
        """Wait for the moment ``second`` of the session, noting when the last fault ended."""
        if self.done:
            self.when.append((self.done[-1], round(time.monotonic() - start, 1)))
        time.sleep(max(0.0, start + second - time.monotonic()))

    def __call__(self, lab: Lab, start: float) -> None:
        self.at(start, KILL_AT)
        self.kill_a_worker_holding_a_job(lab)
        self.at(start, REDIS_AT)
        lab.redis.stop()
        time.sleep(1)
        lab.redis.start()
        self.done.append("redis restarted")
        self.at(start, DATABASE_AT)
        lab.postgres.stop()
        time.sleep(4)
        lab.postgres.start()
        self.done.append("database stopped for 4 s")
        self.at(start, WEB_AT)
        lab.stop_web()
        lab.start_web()
        self.done.append("web restarted")
        self.at(start, 0)

    def kill_a_worker_holding_a_job(self, lab: Lab) -> None:
        """Freeze worker 1, wait for worker 0 to claim a submission, kill -9 worker 0 while it
        holds it, let worker 1 go on, start worker 0 again (as a supervisor would)."""
        frozen = lab.workers[1]
        assert frozen is not None
        os.kill(frozen.pid, signal.SIGSTOP)
        since = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and self.killed_holding is None:
                held = lab.query(
                    "SELECT id FROM submission WHERE status = 'grading' "
                    f"AND started_at > '{since.isoformat()}' ORDER BY id LIMIT 1"
                )
                if not held:
                    time.sleep(0.02)
                    continue
                # Stopped first, then asked again: a quick grading could record its verdict
                # between the query and the kill, and the job killed would not be held.
                holder = lab.workers[0]
                assert holder is not None
                os.kill(holder.pid, signal.SIGSTOP)
                ident = int(held[0][0])  # type: ignore[call-overload]
                still = lab.query(f"SELECT status FROM submission WHERE id = {ident}")
                if still and still[0][0] == "grading":
                    lab.kill_worker(0)
                    self.killed_holding = ident
                else:
                    os.kill(holder.pid, signal.SIGCONT)
        finally:
            os.kill(frozen.pid, signal.SIGCONT)
        self.done.append("worker killed")
        time.sleep(1)
        lab.start_worker(0)


def test_a_lab_session_survives_every_fault_with_one_verdict_per_submission(lab: Lab) -> None:
    faults = Faults()
    session = run_session(
        lab, STUDENTS, SPREAD_SECONDS, faults=faults, settle_seconds=SETTLE_SECONDS
    )

    assert faults.done == [
        "worker killed",
        "redis restarted",
        "database stopped for 4 s",
        "web restarted",
    ]
    problems = session.problems()
    assert problems == [], "\n".join(problems)
    # One submission per student, plus those of students whose answer was lost after their row
    # was stored (they submitted again; problems() holds each to one verdict and one student).
    answered = {a.submission for a in session.attempts}
    assert len(answered) == STUDENTS
    assert set(session.rows) == answered | set(session.unanswered())
    # Their retries carried the same Idempotency-Key: a lost answer never became a second row.
    assert session.unanswered() == []
    # The job the killed worker held was claimed again and graded once.
    assert faults.killed_holding is not None
    status, attempts, _, _ = session.rows[faults.killed_holding]
    assert status == "graded" and attempts >= 2
    assert session.verdicts[faults.killed_holding] == 1
    figures = session.figures()
    print(figures, "faults ended at (s):", faults.when)
    assert figures["dropped_connections"] + figures["answers_503"] > 0  # the faults were felt
