"""A real server in its own process (the grading pool, queue and SQLite behave as in production),
started and killed by tests, plus small HTTP helpers that never raise on 4xx/5xx.

Servers run in either privilege mode a deployment can use: as root (bubblewrap without a user
namespace; the sandbox's uid 65534 is a real uid) or as an unprivileged uid (bubblewrap inside a
user namespace). ``privilege_modes()`` says which this test run can start: both when the tests
run as root, only the unprivileged one otherwise.
"""

from __future__ import annotations

import http.client
import json
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from ..conftest import ROOT

# The app as every process of a live server makes it (web and grader worker alike).
MAKE_APP = """
import json
import os
from tutor.web import create_app
app = create_app()
if os.environ.get("VIRTTUTOR_TEST_LIMITS"):  # tests only: fast limits for every exercise
    from tutor.grading.limits import Limits
    limits = Limits(**json.loads(os.environ["VIRTTUTOR_TEST_LIMITS"]))
    for exercise in app.extensions["catalog"].exercises():
        exercise.limits = limits
"""

# ``flask tutor worker`` for one process, with the test limits.
WORKER = (
    MAKE_APP
    + """
from tutor.queue.worker import run_consumer
run_consumer(app)
"""
)

# The web process starts its grader worker as its own child (so the sandbox's processes are
# among the server's descendants, and die with it), and answers once the worker has beaten.
START_WORKER = """
import ctypes
import signal
import subprocess
import sys
import time


def _die_with_parent():
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


worker = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT], preexec_fn=_die_with_parent)
signal.signal(signal.SIGTERM, lambda *_: (worker.terminate(), worker.wait(10), sys.exit(0)))
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    beat = app.extensions["grading_queue"].last_beat()
    if beat is not None and beat.fresh(5) and worker.poll() is None:
        break
    time.sleep(0.1)
"""

SERVE = (
    MAKE_APP
    + f"WORKER_SCRIPT = {WORKER!r}\n"
    + START_WORKER
    + """
import logging
from werkzeug.serving import make_server
logging.getLogger("werkzeug").setLevel(logging.ERROR)
server = make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True)
"""
)
SERVE += """server.socket.listen(1024)
print(server.server_port, flush=True)
server.serve_forever()
"""


# The production set-up documented in docs/deployment.md: waitress, buffering whole requests,
# behind one proxy on 127.0.0.1 (the tests' X-Forwarded-For names each simulated machine).
SERVE_WAITRESS = (
    MAKE_APP
    + f"WORKER_SCRIPT = {WORKER!r}\n"
    + START_WORKER
    + """
from waitress.server import create_server
server = create_server(app, host="127.0.0.1", port=int(sys.argv[1]), threads=16,
                       connection_limit=1000, channel_timeout=30, trusted_proxy="127.0.0.1",
                       trusted_proxy_count=1, trusted_proxy_headers="x-forwarded-for")
print(server.effective_port, flush=True)
server.run()
"""
)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


# Many learners on many machines, all reaching the server from 127.0.0.1: no per-address limits
# (tests/web/test_fairness.py tests those on their own).
MANY_MACHINES: dict[str, Any] = {"RATELIMIT_ENABLED": False, "GRADER_INFLIGHT_PER_IP": 100_000}
UNPRIVILEGED_UID = 4243  # no account of its own; owns nothing on the machine


def privilege_modes() -> list[str]:
    """The privilege modes this test run can start servers in."""
    return ["root", "unprivileged"] if os.geteuid() == 0 else ["unprivileged"]


def _hidden_ancestor(path: Path) -> Path | None:
    """The outermost folder above ``path`` that other users cannot enter, if any."""
    return next((p for p in reversed(path.parents[:-1]) if not p.stat().st_mode & 0o001), None)


def _as_unprivileged(command: list[str]) -> list[str]:
    """``command`` run by root as ``UNPRIVILEGED_UID``, no capabilities, in a private mount
    namespace where the Python runtime and this checkout are reachable: a folder above either
    that others cannot enter (/root holding pyenv, or a checkout cloned into ``mktemp -d``) is
    replaced there by an empty traversable tmpfs holding only what lies below it."""
    if os.geteuid() != 0:
        return command
    kept: dict[Path, list[Path]] = {}
    for path in (Path(os.path.realpath(sys.base_prefix)), Path(os.path.realpath(ROOT))):
        hidden = _hidden_ancestor(path)
        if hidden is not None and path not in kept.get(hidden, []):
            kept.setdefault(hidden, []).append(path)
    steps = ["set -e"]
    for n, (hidden, paths) in enumerate(kept.items()):
        names = [f'"$keep{n}_{i}"' for i in range(len(paths))]
        for i, (path, name) in enumerate(zip(paths, names, strict=True)):
            steps += [f'keep{n}_{i}="$(mktemp -d)"']
            steps += [f"mount --bind {shlex.quote(str(path))} {name}"]
        steps.append(f"mount -t tmpfs -o mode=0755 tmpfs {shlex.quote(str(hidden))}")
        for path, name in zip(paths, names, strict=True):
            steps += [
                f"mkdir -p {shlex.quote(str(path))}",
                f"mount --bind {name} {shlex.quote(str(path))}",
                f"umount {name}",
                f"rmdir {name}",
            ]
    steps.append('cd "$PWD"')  # the working folder again, through the mounts just made
    uid = UNPRIVILEGED_UID
    drop = f"setpriv --reuid={uid} --regid={uid} --clear-groups --inh-caps=-all --bounding-set=-all"
    steps.append(f"exec {drop} {shlex.join(command)}")
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(steps)]


class LiveServer:
    def __init__(
        self,
        db: Path,
        mode: str = "root",
        limits: Mapping[str, float] | None = None,
        front: str = "werkzeug",
        **config: object,
    ) -> None:
        self.db = db
        self.mode = mode
        self.front = front
        self.limits = limits
        # A request waits for its verdict (as these tests expect) unless a test says otherwise.
        self.config = {
            "SECRET_KEY": "live-tests",
            "WTF_CSRF_ENABLED": False,
            "GRADER_WAIT_SECONDS": 120,
            **config,
        }
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0
        self._private: Path | None = None

    def start(self, port: int = 0) -> LiveServer:
        if self.mode == "unprivileged" and os.geteuid() == 0:
            self.db = self._reachable(self.db)
        env = {
            **os.environ,
            "TUTOR_SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.db}",
            "TUTOR_QUEUE_URL": f"sqlite:///{self.db.with_suffix('.queue.db')}",
            **{f"TUTOR_{k}": json.dumps(v) for k, v in self.config.items()},
        }
        env["TUTOR_SECRET_KEY"] = str(self.config["SECRET_KEY"])
        if self.limits is not None:
            env["VIRTTUTOR_TEST_LIMITS"] = json.dumps(self.limits)
        script = SERVE_WAITRESS if self.front == "waitress" else SERVE
        command = [sys.executable, "-c", script, str(port)]
        if self.mode == "unprivileged":
            env["HOME"] = "/nonexistent"
            command = _as_unprivileged(command)
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())
        return self

    def _reachable(self, db: Path) -> Path:
        """The database in a folder of the unprivileged uid's own (pytest's are private)."""
        if db.parent.name.startswith("virttutor-live-"):
            return db
        folder = Path(tempfile.mkdtemp(prefix="virttutor-live-"))
        os.chown(folder, UNPRIVILEGED_UID, UNPRIVILEGED_UID)
        self._private = folder
        return folder / db.name

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self._close()

    def _close(self) -> None:
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close()
        if self._private is not None:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            reply = conn.getresponse()
            cookies = {}
            for header in reply.msg.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                cookies.update({name: morsel.value for name, morsel in jar.items()})
            return Response(reply.status, dict(reply.getheaders()), reply.read(), cookies)
        finally:
            conn.close()

    def grade(self, exercise: str, code: str) -> Response:
        """Grade as a new learner (a browser that just opened the site)."""
        return self.learner().grade(exercise, code)

    def htmx_submit(self, exercise: str, code: str) -> Response:
        from urllib.parse import urlencode

        return self.request(
            "POST",
            f"/exercises/{exercise}/submit",
            urlencode({"code": code}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"},
        )

    def learner(self, address: str | None = None) -> Learner:
        return Learner(self, address)

    def rows(self) -> list[tuple[int, str, float | None, str]]:
        with sqlite3.connect(self.db, timeout=30) as conn:
            return list(conn.execute("SELECT id, status, score, code FROM submission ORDER BY id"))

    def descendants(self) -> set[int]:
        assert self.proc is not None
        return descendants_of(self.proc.pid)

    def worker_pid(self) -> int:
        """The grader worker process (the web process's child that runs the consumer)."""
        assert self.proc is not None
        return next(
            pid
            for pid in descendants_of(self.proc.pid)
            if "run_consumer" in cmdline(pid) and "tutor.grading.zygote" not in cmdline(pid)
        )


class Learner:
    """One browser: keeps the cookies the server sets, so it stays the same learner."""

    def __init__(self, server: LiveServer, address: str | None = None) -> None:
        self.server = server
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""
        self.address = address  # sent as X-Forwarded-For (a server with PROXY_HOPS=1 uses it)

    def open_site(self) -> None:
        """What a browser does first: get a session (the learner) and its CSRF token."""
        self.csrf_token = self.request("GET", "/api/session").json()["csrf_token"]

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> Response:
        sent = dict(headers or {})
        if self.address:
            sent["X-Forwarded-For"] = self.address
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reply = self.server.request(method, path, body, sent, timeout)
        self.cookies.update(reply.cookies)
        return reply

    def grade(self, exercise: str, code: str) -> Response:
        if not self.csrf_token:
            self.open_site()
        return self.request(
            "POST",
            f"/api/exercises/{exercise}/grade",
            json.dumps({"code": code}).encode(),
            {"Content-Type": "application/json", "X-CSRFToken": self.csrf_token},
        )


def descendants_of(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def grading_children(root: int, running: bool = True) -> list[int]:
    """Forked grading children (zygote processes whose parent is a zygote): the ones running a
    submission (confined by rlimits) or, with ``running=False``, all, spares included."""
    zygotes = {
        p
        for p in descendants_of(root)
        if "tutor.grading.zygote" in cmdline(p) and "bwrap" not in cmdline(p).split(" ")[0]
    }
    children = []
    for pid in zygotes:
        try:
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if parent in zygotes and (not running or _confined(pid)):
            children.append(pid)
    return children


def _confined(pid: int) -> bool:
    try:
        limits = Path(f"/proc/{pid}/limits").read_text()
    except OSError:
        return False
    return any(
        line.startswith("Max cpu time") and "unlimited" not in line for line in limits.splitlines()
    )


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
