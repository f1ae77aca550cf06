"""The lesson page's practice cases, read from the versioned lesson build.

Their expected outputs come from the reference solutions, and a web process never runs one
(issue #10): the reference may be slow, print, or fail, and none of that belongs in a process
that serves pages. ``flask tutor build-lessons`` computes them into the build
(``tutor.content.build``); a web process reads that file. When the build it serves has none yet
(the first start after a change to the lessons), it runs the build as a child process —
``python -m tutor.content.build`` — waits for it once, and reads the result (one child per
machine: processes that need the same build at once wait on a lock file beside it). A failed
build is logged and retried after ``RETRY_SECONDS``; meanwhile the page shows the exercise
without practice cases rather than failing.
"""

from __future__ import annotations

import fcntl
import logging
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tutor.content import Exercise
from tutor.content import build as lesson_build
from tutor.content.build import LessonBuild, Practice

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_SECONDS = 600
RETRY_SECONDS = 30.0


class PracticeCases:
    def __init__(self, build: LessonBuild, lessons: Path, builds: Path) -> None:
        self.build = build
        self.lessons = lessons
        self.builds = builds
        self._practice: Practice | None = None
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    def of(self, exercise: Exercise) -> list[dict[str, Any]]:
        """Practice cases only (fixed seed, "practice" variant): all the browser ever gets."""
        return self._load().get(exercise.id, [])

    def _load(self) -> Practice:
        with self._lock:
            if self._practice is not None:
                return self._practice
            found = lesson_build.read_practice(self.build, self.builds)
            if found is None and self._may_build():
                found = self._build_once()
            if found is None:
                self._failed_at = time.monotonic()
                return {}
            self._practice = found
            return found

    def _may_build(self) -> bool:
        return self._failed_at is None or time.monotonic() - self._failed_at >= RETRY_SECONDS

    def _build_once(self) -> Practice | None:
        """One child build for all the web processes of this machine that need it at once: the
        others wait on the lock, then read what it wrote."""
        self.builds.mkdir(parents=True, exist_ok=True)
        with open(self.builds / f".{self.build.id}.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                found = lesson_build.read_practice(self.build, self.builds)
                if found is None:
                    self._build_in_a_child()
                    found = lesson_build.read_practice(self.build, self.builds)
                return found
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _build_in_a_child(self) -> None:
        command = [sys.executable, "-m", "tutor.content.build", str(self.lessons), str(self.builds)]
        log.info("lesson build %s has no practice cases yet: building it", self.build.id)
        try:
            done = subprocess.run(
                command,
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.error("the lesson build failed (%s); run `flask tutor build-lessons`", exc)
            return
        if done.returncode != 0:
            log.error(
                "the lesson build reported problems (exit %s); run `flask tutor build-lessons`:"
                "\n%s",
                done.returncode,
                done.stderr.strip()[-4000:],
            )
