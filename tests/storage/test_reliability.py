"""A short lab session on the production set-up (gunicorn × 4, two grader workers, Redis,
PostgreSQL, all on loopback) while every fault of #10 happens in turn: a worker killed with
SIGKILL holding a job, Redis restarted (its queued messages lost), the web processes restarted,
the database stopped for a few seconds. Afterwards every student has a verdict, every stored
submission exactly one, and no answer was a 5xx other than the documented 503.

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

STUDENTS = 150
SPREAD_SECONDS = 40.0
# The sweeper's clock shortened so that recovery fits a test: a claim older than 10 s is a dead
# worker's, a pending row older than 4 s has lost its message; sweeps every second.
FAST_SWEEPER = {
    "TUTOR_GRADER_CLAIM_SECONDS": "10",
    "TUTOR_GRADER_REQUEUE_SECONDS": "4",
    "TUTOR_GRADER_SWEEP_SECONDS": "1",
}


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

    def at(self, start: float, second: float) -> None:
        time.sleep(max(0.0, start + second - time.monotonic()))

    def __call__(self, lab: Lab, start: float) -> None:
        self.at(start, 6)
        self.kill_a_worker_holding_a_job(lab)
        self.at(start, 14)
        lab.redis.stop()
        time.sleep(2)
        lab.redis.start()
        self.done.append("redis restarted")
        self.at(start, 22)
        lab.stop_web()
        lab.start_web()
        self.done.append("web restarted")
        self.at(start, 30)
        lab.postgres.stop()
        time.sleep(4)
        lab.postgres.start()
        self.done.append("database stopped for 4 s")

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
                if held:
                    lab.kill_worker(0)
                    self.killed_holding = int(held[0][0])  # type: ignore[call-overload]
                else:
                    time.sleep(0.02)
        finally:
            os.kill(frozen.pid, signal.SIGCONT)
        self.done.append("worker killed")
        time.sleep(3)
        lab.start_worker(0)


def test_a_lab_session_survives_every_fault_with_one_verdict_per_submission(lab: Lab) -> None:
    faults = Faults()
    session = run_session(lab, STUDENTS, SPREAD_SECONDS, faults=faults, settle_seconds=240)

    assert faults.done == [
        "worker killed",
        "redis restarted",
        "web restarted",
        "database stopped for 4 s",
    ]
    problems = session.problems()
    assert problems == [], "\n".join(problems)
    # One submission per student, plus those of students whose answer was lost after their row
    # was stored (they submitted again; problems() holds each to one verdict and one student).
    answered = {a.submission for a in session.attempts}
    assert len(answered) == STUDENTS
    assert set(session.rows) == answered | set(session.unanswered())
    # The job the killed worker held was claimed again and graded once.
    assert faults.killed_holding is not None
    status, attempts, _, _ = session.rows[faults.killed_holding]
    assert status == "graded" and attempts >= 2
    assert session.verdicts[faults.killed_holding] == 1
    figures = session.figures()
    print(figures)
    assert figures["dropped_connections"] + figures["answers_503"] > 0  # the faults were felt
