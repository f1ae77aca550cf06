"""Grader workers that cannot grade, or lose their supervisor (#10): a worker whose sandbox
cannot be set up takes no submissions and turns no learner away while a healthy worker runs; a
supervisor killed outright takes its grader processes with it; and a refused submit is told to
wait as long as the queue will really take."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from flask import Flask

from tutor.queue import heartbeat
from tutor.queue.rows import now
from tutor.web import create_app
from tutor.web.extensions import db
from tutor.web.models import Submission

from ..conftest import FIXTURE_LESSONS, ROOT

SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
URL = "/api/exercises/walk/grade"
BROKEN = ("the sandbox cannot be set up: no cgroup", "无法建立沙箱")


def _config(tmp_path: Path) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "t",
        "LESSONS_DIR": str(FIXTURE_LESSONS),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'web.db'}",
        "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.db'}",
        "GRADER": "process",
        "GRADER_WAIT_SECONDS": 0,
        "WTF_CSRF_ENABLED": False,
        "GRADER_INFLIGHT_PER_IP": 100,
    }


def _submit(app: Flask) -> tuple[int, dict[str, object]]:
    client = app.test_client()
    client.get("/api/session")
    answer = client.post(URL, json={"code": SOLUTION})
    return answer.status_code, answer.get_json()


def test_one_broken_worker_beside_a_healthy_one_turns_no_learner_away(tmp_path: Path) -> None:
    app = create_app(_config(tmp_path))
    huey = app.extensions["grading_queue"].huey
    # Whichever beats last, the healthy worker is enough.
    for order in (("good", "broken"), ("broken", "good")):
        for name in order:
            heartbeat.beat(huey, 2, BROKEN if name == "broken" else None, worker=name)
        app.extensions["grading"]._beat = (0.0, None)  # the web process reads beats anew
        status, body = _submit(app)
        assert status == 202, body
    # The healthy worker goes quiet: now every recent worker is broken, and learners are told.
    heartbeat.beat(huey, 2, None, worker="good")
    stale = huey.get(heartbeat.KEY, peek=True)
    stale["good"]["at"] -= heartbeat.STALE_SECONDS + 1
    huey.put(heartbeat.KEY, stale)
    heartbeat.beat(huey, 2, BROKEN, worker="broken")
    app.extensions["grading"]._beat = (0.0, None)
    status, body = _submit(app)
    assert status == 503 and "sandbox cannot be set up" in str(body["error"])
    assert app.extensions["grading_queue"].last_beat().threads == 2


def _worker(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "TUTOR_SECRET_KEY": "t",
        "TUTOR_LESSONS_DIR": str(FIXTURE_LESSONS),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "TUTOR_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.db'}",
        "TUTOR_GRADER": "sandbox",
        **env,
    }
    flask = str(Path(sys.executable).parent / "flask")
    return subprocess.Popen(
        [flask, "--app", "app", "tutor", "worker", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait(predicate: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_a_worker_whose_sandbox_cannot_start_takes_no_submissions(tmp_path: Path) -> None:
    app = create_app(_config(tmp_path))
    queue = app.extensions["grading_queue"]
    worker = _worker(tmp_path, TUTOR_GRADER_CGROUP=str(tmp_path / "no-such-cgroup"))
    try:
        assert _wait(lambda: (b := queue.last_beat()) is not None and b.refusal_en, 60)
        heartbeat.beat(queue.huey, 1, worker="elsewhere")  # a healthy worker on another machine
        app.extensions["grading"]._beat = (0.0, None)
        status, body = _submit(app)
        assert status == 202, body
        time.sleep(3)  # the broken worker would have taken it by now
        assert queue.pending_messages() == 1
        with app.app_context():
            row = db.session.execute(db.select(Submission)).scalar_one()
            assert (row.status, row.attempts) == ("pending", 0)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            child = int(entry.name)
            found |= {child} | _descendants(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_grader_processes_end_when_their_supervisor_is_killed_outright(tmp_path: Path) -> None:
    create_app(_config(tmp_path))  # makes the databases
    supervisor = _worker(tmp_path, "--workers", "2", TUTOR_GRADER="process")
    children: set[int] = set()
    try:
        assert _wait(lambda: len(_descendants(supervisor.pid)) >= 2, 60)
        time.sleep(2)  # each has started its consumer
        children = _descendants(supervisor.pid)
        os.kill(supervisor.pid, signal.SIGKILL)  # no chance to stop them
        supervisor.wait()
        assert _wait(lambda: not any(_alive(pid) for pid in children), 30), [
            Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children if _alive(pid)
        ]
    finally:
        for pid in children:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_full_queue_says_to_wait_as_long_as_grading_lately_takes(tmp_path: Path) -> None:
    app = create_app({**_config(tmp_path), "GRADER_QUEUE_SIZE": 2})
    huey = app.extensions["grading_queue"].huey
    heartbeat.beat(huey, 1)
    with app.app_context():
        finished = now()
        for n in range(5):  # programs that ran to a 6-second limit
            db.session.add(
                Submission(
                    course_id=1,
                    learner=f"earlier-{n}",
                    exercise_id="walk",
                    code="x",
                    status="graded",
                    score=0.0,
                    started_at=finished - timedelta(seconds=6),
                    graded_at=finished,
                )
            )
        db.session.commit()
    assert _submit(app)[0] == 202
    assert _submit(app)[0] == 202
    client = app.test_client()
    client.get("/api/session")
    busy = client.post(URL, json={"code": SOLUTION})
    assert busy.status_code == 503
    # Two waiting and one being graded, at 6 s each: no sooner than 18 s.
    assert int(busy.headers["Retry-After"]) >= 18
    assert busy.get_json()["retry_after"] == int(busy.headers["Retry-After"])


def test_sigterm_lets_the_worker_finish_the_submission_in_hand(tmp_path: Path) -> None:
    """systemd's stop (SIGTERM) stopped Huey's consumer at once: the grading in hand crashed,
    its attempt spent, and three restarts during one grading made a right answer "could not be
    graded". Now the worker finishes it, records the verdict, then exits."""
    app = create_app(_config(tmp_path))
    worker = _worker(tmp_path)
    slow = "import time\ntime.sleep(1.5)\n" + SOLUTION
    try:
        queue = app.extensions["grading_queue"]
        assert _wait(lambda: queue.last_beat() is not None, 60)
        app.extensions["grading"]._beat = (0.0, None)
        client = app.test_client()
        client.get("/api/session")
        assert client.post(URL, json={"code": slow}).status_code == 202

        def status() -> tuple[str, int]:
            with app.app_context():
                row = db.session.execute(db.select(Submission)).scalar_one()
                db.session.commit()
                return row.status, row.attempts

        assert _wait(lambda: status()[0] == "grading", 60)
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
        assert status() == ("graded", 1)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def test_a_worker_that_cannot_reach_its_queue_says_so_in_one_line(tmp_path: Path) -> None:
    """A wrong Redis port gave "grader worker started" and then hundreds of tracebacks."""
    environment = {
        **os.environ,
        "TUTOR_SECRET_KEY": "t",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "TUTOR_QUEUE_URL": "redis://:s3cret-pw@127.0.0.1:1/0",
    }
    done = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "app", "tutor", "worker"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "cannot reach the queue at redis://:***@127.0.0.1:1/0" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr and "s3cret-pw" not in done.stderr
