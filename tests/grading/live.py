"""A real server in its own process (the grading pool, queue and SQLite behave as in production),
started and killed by tests, plus small HTTP helpers that never raise on 4xx/5xx."""

from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..conftest import ROOT

SERVE = """
import sys
import logging
from werkzeug.serving import make_server
logging.getLogger("werkzeug").setLevel(logging.ERROR)
from tutor.web import create_app
app = create_app()
server = make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True)
server.socket.listen(1024)
print(server.server_port, flush=True)
server.serve_forever()
"""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class LiveServer:
    def __init__(self, db: Path, **config: object) -> None:
        self.db = db
        self.config = {"SECRET_KEY": "live-tests", "WTF_CSRF_ENABLED": False, **config}
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0

    def start(self, port: int = 0) -> LiveServer:
        env = {
            **os.environ,
            "TUTOR_SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.db}",
            **{f"TUTOR_{k}": json.dumps(v) for k, v in self.config.items()},
        }
        env["TUTOR_SECRET_KEY"] = str(self.config["SECRET_KEY"])
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())
        return self

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
            return Response(reply.status, dict(reply.getheaders()), reply.read())
        finally:
            conn.close()

    def grade(self, exercise: str, code: str) -> Response:
        return self.request(
            "POST",
            f"/api/exercises/{exercise}/grade",
            json.dumps({"code": code}).encode(),
            {"Content-Type": "application/json"},
        )

    def htmx_submit(self, exercise: str, code: str) -> Response:
        from urllib.parse import urlencode

        return self.request(
            "POST",
            f"/exercises/{exercise}/submit",
            urlencode({"code": code}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"},
        )

    def rows(self) -> list[tuple[int, str, float | None, str]]:
        with sqlite3.connect(self.db, timeout=30) as conn:
            return list(conn.execute("SELECT id, status, score, code FROM submission ORDER BY id"))

    def descendants(self) -> set[int]:
        assert self.proc is not None
        return descendants_of(self.proc.pid)


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
