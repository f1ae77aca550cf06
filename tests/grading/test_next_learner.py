"""The process that will run the next learner's code (#11).

No such process exists while a submission runs (the zygote forks it only after reaping the
previous child), and the zygote checks it before handing it work: a child stopped, reniced,
pinned or rescheduled from outside is replaced, so the next learner's submission runs as if
nothing happened.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tutor.grading.limits import Limits
from tutor.grading.protocol import Case
from tutor.grading.sandbox import SandboxPool, SandboxRunner

from ..conftest import FIXTURE_LESSONS
from .live import grading_children, wait_for

# Any exercise will do: the fixture lesson's, so editing a course lesson cannot break this.
WALK = FIXTURE_LESSONS / "01-fixture/exercises/walk"
SOLUTION = (WALK / "solution.py").read_text()
DRIVER = (WALK / "driver.py").read_text()
CASES = [Case("c", {"layers": ["app", "kernel", "disk"], "skip": []})]
LIMITS = Limits(cpu_seconds=2, wall_seconds=4)
# Reports how the grading child itself was scheduled: state, nice, policy (from /proc/self/stat)
# and the CPUs it may use.
SELF_REPORT = (
    "fields = open('/proc/self/stat').read().rsplit(')', 1)[1].split()\n"
    "cpus = [l for l in open('/proc/self/status') if l.startswith('Cpus_allowed_list')]\n"
    "def path(layers, skip):\n"
    "    return [fields[0], fields[16], fields[38], cpus[0].split(':')[1].strip()]\n"
)


@pytest.fixture
def pool() -> Iterator[SandboxPool]:
    pool = SandboxPool(1)
    pool.start()
    try:
        yield pool
    finally:
        pool.close()


def _spare(pool: SandboxPool) -> int:
    (bwrap,) = pool.pids()
    wait_for(lambda: len(grading_children(bwrap, running=False)) == 1, 5, "the spare")
    (spare,) = grading_children(bwrap, running=False)
    return spare


def _cpus() -> str:
    status = Path("/proc/self/status").read_text().splitlines()
    return next(line.split(":")[1].strip() for line in status if line.startswith("Cpus_allowed_l"))


def test_no_other_grading_process_exists_while_learner_code_runs(pool: SandboxPool) -> None:
    (bwrap,) = pool.pids()
    runner = SandboxRunner(pool)
    slow = "import time\ntime.sleep(1.0)\n" + SOLUTION
    thread = threading.Thread(target=runner.run, args=(slow, DRIVER, CASES, LIMITS))
    thread.start()
    wait_for(lambda: grading_children(bwrap), 5, "the submission to run")
    seen = []
    deadline = time.monotonic() + 0.6
    while time.monotonic() < deadline:
        seen.append(len(grading_children(bwrap, running=False)))
        time.sleep(0.02)
    thread.join()
    assert max(seen) == 1, f"another grading process existed while one ran: {seen}"


def test_a_tampered_spare_is_replaced_before_it_gets_work(pool: SandboxPool) -> None:
    runner = SandboxRunner(pool)
    os.kill(_spare(pool), signal.SIGSTOP)
    began = time.monotonic()
    (outcome,) = runner.run(SOLUTION, DRIVER, CASES, LIMITS)
    assert outcome.error is None and time.monotonic() - began < LIMITS.wall_seconds
    tampers: list[Callable[[int], None]] = [
        lambda pid: os.setpriority(os.PRIO_PROCESS, pid, 19),
        lambda pid: os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0)),
        lambda pid: os.kill(pid, signal.SIGTSTP),
        lambda pid: os.sched_setaffinity(pid, {min(os.sched_getaffinity(pid))}),
    ]
    for tamper in tampers:
        tamper(_spare(pool))
        (outcome,) = runner.run(SELF_REPORT, DRIVER, CASES, LIMITS)
        assert outcome.output == {"path": ["R", "0", "0", _cpus()]}, outcome
