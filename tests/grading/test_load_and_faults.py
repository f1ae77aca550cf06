"""Load, flood and faults against a live server process on 127.0.0.1.

* 200 concurrent submitters × 5 submissions (correct, wrong and hostile; JSON API and htmx
  Submit): every submission stored and graded, no 5xx.
* A flood beyond the queue's bound gets 503 + Retry-After (nothing stored for it), what was
  accepted is graded, and the site keeps answering.
* Killing one grading child marks only that submission as errored; killing the whole server
  mid-grading and starting it again re-grades what was pending.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner

from tutor.web.extensions import db
from tutor.web.models import Submission

from ..conftest import FIXTURE_LESSONS
from .live import (
    MANY_MACHINES,
    LiveServer,
    Response,
    descendants_of,
    grading_children,
    wait_for,
)

# Any exercise will do: the fixture lesson's, so editing a course lesson cannot break these.
LESSONS_DIR = FIXTURE_LESSONS
FIXTURE = {"LESSONS_DIR": str(FIXTURE_LESSONS), **MANY_MACHINES}
IO = FIXTURE_LESSONS / "01-fixture/exercises/walk"
SOLUTION = (IO / "solution.py").read_text()
STARTER = (IO / "starter.py").read_text()
HOSTILE = [
    "import os\ndef path(kind, operation):\n    os.fork()\n",
    "def path(kind, operation):\n    return open('/etc/passwd').read().split()\n",
    "import sys\nsys.exit(0)\n",
    "import socket\nsocket.create_connection(('127.0.0.1', 80))\n",
    "def path(kind, operation:\n",
]
SUBMITTERS = 200
EACH = 5


def _kind(i: int, j: int) -> str:
    return ("correct", "wrong", "hostile", "correct", "wrong")[(i + j) % 5]


def _code(kind: str, i: int) -> str:
    if kind == "correct":
        return SOLUTION
    if kind == "wrong":
        return STARTER
    return HOSTILE[i % len(HOSTILE)]


def test_200_concurrent_submitters_all_stored_and_graded(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "load.db", **FIXTURE).start()
    try:
        assert server.grade("walk", SOLUTION).status == 200  # pool started, app warm
        results: list[tuple[str, Response]] = []
        lock = threading.Lock()
        start = threading.Barrier(SUBMITTERS)

        def submitter(i: int) -> None:
            start.wait()
            for j in range(EACH):
                kind = _kind(i, j)
                code = _code(kind, i)
                send = server.htmx_submit if j % 2 else server.grade
                reply = send("walk", code)
                with lock:
                    results.append((kind, reply))

        began = time.monotonic()
        with ThreadPoolExecutor(SUBMITTERS) as pool:
            list(pool.map(submitter, range(SUBMITTERS)))
        elapsed = time.monotonic() - began
        statuses = sorted({r.status for _, r in results})
        assert len(results) == SUBMITTERS * EACH and statuses == [200], statuses
        for kind, reply in results:
            if reply.headers.get("Content-Type", "").startswith("application/json"):
                verdict = reply.json()["verdict"]
            else:
                verdict = reply.body.decode().split('data-verdict="', 1)[1].split('"', 1)[0]
            assert (verdict == "passed") == (kind == "correct"), (kind, verdict)
        rows = server.rows()
        assert len(rows) == SUBMITTERS * EACH + 1
        assert {status for _, status, _, _ in rows} <= {"graded", "error"}
        print(f"\n{SUBMITTERS * EACH} submissions in {elapsed:.1f} s")
    finally:
        server.stop()


def test_flood_beyond_the_queue_gets_503_and_the_site_stays_up(tmp_path: Path) -> None:
    server = LiveServer(
        tmp_path / "flood.db", GRADER_WORKERS=1, GRADER_QUEUE_SIZE=2, **FIXTURE
    ).start()
    slow = "import time\ndef path(kind, operation):\n    time.sleep(0.15)\n    return []\n"
    try:
        assert server.grade("walk", SOLUTION).status == 200
        with ThreadPoolExecutor(16) as pool:
            floods = [
                pool.submit(server.grade if i % 2 else server.htmx_submit, "walk", slow)
                for i in range(16)
            ]
            time.sleep(0.3)
            began = time.monotonic()
            page = server.request("GET", "/")
            page_seconds = time.monotonic() - began
            replies = [f.result() for f in floods]
        assert page.status == 200 and page_seconds < 2.0
        accepted = [r for r in replies if r.status == 200]
        refused = [r for r in replies if r.status == 503]
        assert len(accepted) + len(refused) == len(replies) and refused and accepted
        for reply in refused:
            assert int(reply.headers["Retry-After"]) >= 1
            text = reply.body.decode()
            if reply.headers["Content-Type"].startswith("application/json"):
                assert "busy" in reply.json()["error"] and reply.json()["retry_after"] >= 1
            else:
                assert 'data-verdict="busy"' in text and "still in the editor" in text
        rows = server.rows()
        assert len(rows) == len(accepted) + 1  # nothing stored for a 503, nothing accepted lost
        assert all(status == "graded" for _, status, _, _ in rows)
        assert server.grade("walk", SOLUTION).json()["verdict"] == "passed"
    finally:
        server.stop()


def test_killing_a_grading_child_errors_only_that_submission(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "kill-child.db", GRADER_WORKERS=2, **FIXTURE).start()
    victim = "import time\ndef path(kind, operation):\n    time.sleep(30)\n"
    try:
        assert server.grade("walk", SOLUTION).status == 200
        with ThreadPoolExecutor(2) as pool:
            doomed = pool.submit(server.grade, "walk", victim)
            assert server.proc is not None
            root = server.proc.pid
            wait_for(lambda: grading_children(root), 10, "the grading child")
            (child,) = grading_children(root)
            fine = pool.submit(server.grade, "walk", SOLUTION)
            os.kill(child, signal.SIGKILL)
            killed = doomed.result(timeout=30).json()
            assert fine.result(timeout=30).json()["verdict"] == "passed"
        assert killed["status"] == "error" and killed["verdict"] == "error"
        assert "killed" in killed["message"]["en"] and "submit again" in killed["message"]["en"]
        assert "重新提交" in killed["message"]["zh"]
        assert server.grade("walk", SOLUTION).json()["verdict"] == "passed"
    finally:
        server.stop()


def test_killing_the_server_mid_grading_regrades_on_restart(tmp_path: Path) -> None:
    db_path = tmp_path / "kill-server.db"
    # A claim older than 3 s is a dead worker's: the restarted worker's sweeper takes it back.
    server = LiveServer(
        db_path, GRADER_WORKERS=1, GRADER_CLAIM_SECONDS=3, GRADER_SWEEP_SECONDS=1, **FIXTURE
    ).start()
    slow_but_right = (  # sleeps once (the module runs again for every case)
        "import builtins, time\nif not hasattr(builtins, 'slept'):\n"
        "    time.sleep(1.0)\n    builtins.slept = True\n" + SOLUTION
    )
    try:
        assert server.grade("walk", SOLUTION).status == 200
        sandbox = server.descendants()
        waiter = threading.Thread(
            target=lambda: _ignore(lambda: server.grade("walk", slow_but_right))
        )
        waiter.start()
        wait_for(lambda: len(server.rows()) == 2, 10, "the slow submission to be stored")
        assert server.rows()[1][1] in ("pending", "grading")
        dead = server.worker_pid()
        assert list(Path("/tmp").glob(f"virttutor-grader-{dead}-*"))  # its private staging copy
        server.kill()
        waiter.join()
        wait_for(lambda: _gone(sandbox), 10, "the grader processes to die with the server")
        assert server.rows()[1][1] in ("pending", "grading")  # claimed, maybe, never graded
        server.start()
        assert server.request("GET", "/").status == 200
        wait_for(lambda: server.rows()[1][1] == "graded", 30, "the re-grade")
        _, status, score, _ = server.rows()[1]
        assert status == "graded" and score == 100
        assert not list(Path("/tmp").glob(f"virttutor-grader-{dead}-*"))  # cleaned on restart
    finally:
        server.stop()


def _gone(pids: set[int]) -> bool:
    return not any(Path(f"/proc/{pid}").exists() for pid in pids)


def _ignore(call: Callable[[], object]) -> None:
    with contextlib.suppress(OSError):  # the server is killed under this request
        call()


def test_regrade_pending_command(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        from tutor.web.course import demo_course

        course = demo_course()
        db.session.add(
            Submission(course_id=course.id, learner="ann", exercise_id="walk", code=SOLUTION)
        )
        db.session.commit()
    result = runner.invoke(args=["tutor", "regrade-pending"])
    assert result.exit_code == 0 and "queued 1 pending submission(s) again" in result.output
    with app.app_context():
        (row,) = db.session.execute(db.select(Submission)).scalars()
        assert row.status == "graded" and row.score == 100  # the test app grades in-process
    with app.app_context():
        (row,) = db.session.execute(db.select(Submission)).scalars()
        assert row.status == "graded" and row.score == 100


def test_killing_a_whole_grader_process_loses_one_run_and_the_pool_recovers() -> None:
    from tutor.grading.limits import Limits
    from tutor.grading.protocol import Case
    from tutor.grading.runner import RunnerFailure
    from tutor.grading.sandbox import SandboxPool, SandboxRunner

    from .live import cmdline

    pool = SandboxPool(1)
    pool.start()
    try:
        runner = SandboxRunner(pool)
        driver = (IO / "driver.py").read_text()
        cases = [Case("c", {"layers": ["app", "kernel", "disk"], "skip": []})]
        limits = Limits(cpu_seconds=2, wall_seconds=10)
        errors: list[Exception] = []

        def doomed() -> None:
            try:
                runner.run("import time\ntime.sleep(30)\n", driver, cases, limits)
            except RunnerFailure as exc:
                errors.append(exc)

        thread = threading.Thread(target=doomed)
        thread.start()
        (bwrap,) = pool.pids()
        wait_for(lambda: grading_children(bwrap), 10, "the running child")
        zygotes = [
            p
            for p in descendants_of(bwrap)
            if "tutor.grading.zygote" in cmdline(p)
            and "bwrap" not in cmdline(p).split(" ")[0]
            and p not in grading_children(bwrap, running=False)
        ]
        (zygote,) = zygotes
        os.kill(zygote, signal.SIGKILL)
        thread.join(timeout=20)
        assert errors and "lost" in str(errors[0]) and "submit again" in str(errors[0])
        wait_for(lambda: not grading_children(bwrap, running=False), 5, "orphans to die")
        (outcome,) = runner.run(SOLUTION, driver, cases, limits)
        assert outcome.error is None and outcome.output["path"][-1] == "disk"
    finally:
        pool.close()
