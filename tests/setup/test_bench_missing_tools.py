"""``make bench`` fails loudly, not silently, when a tool it needs is missing (#15): every bench
that launches Chromium, and the lab session (Redis, PostgreSQL, bubblewrap), stops before it
starts or measures anything, with exit status 1 and a line naming the tool and its Debian
package, not a traceback; the lab session leaves no PostgreSQL cluster in /tmp. (Node, wrk and
bubblewrap for ``python -m bench`` and ``bench.budgets``: tests/setup/test_bench_tools.py.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import lab_session, tools
from tests.servers import ServerMissing

from ..conftest import ROOT

CHROMIUM_BENCHES = [
    "bench/lesson_weight.py",
    "bench/slow_first_visit.py",
    "bench/browser_timings.py",
    "bench/self_study_timings.py",
    "bench/viz_reserve.py",
    "bench/lighthouse_scores.py",
]


def path_without(folder: Path, *programs: str) -> str:
    """A PATH of one folder with every program this PATH finds, but ``programs``."""
    folder.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for entry in os.scandir(directory):
            link = folder / entry.name
            if entry.name not in programs and not link.exists() and os.access(entry, os.X_OK):
                link.symlink_to(entry.path)
    return str(folder)


def run_without(tmp_path: Path, programs: tuple[str, ...], *command: str, **settings: str) -> str:
    """Runs a bench with ``programs`` off PATH (and no CHROMIUM_PATH browser); asserts that it
    stopped as it should and returns its stderr."""
    env = {
        **os.environ,
        "PATH": path_without(tmp_path / "bin", *programs),
        "CHROMIUM_PATH": str(tmp_path / "no-such-browser" / "chromium"),
        **settings,
    }
    env.pop("CHROME_PATH", None)
    done = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.stdout == ""  # nothing measured, not even a header
    return done.stderr


@pytest.mark.parametrize("script", CHROMIUM_BENCHES)
def test_a_browser_bench_without_chromium_stops_before_measuring(
    tmp_path: Path, script: str
) -> None:
    stderr = run_without(tmp_path, ("chromium", "chromium-browser"), script)
    lines = stderr.strip().splitlines()
    assert len(lines) == 2, stderr
    assert "CHROMIUM_PATH=" in lines[0] and "no-such-browser" in lines[0]
    assert "apt-get install chromium" in lines[1] and "nothing was measured" in lines[1]


def test_the_benches_find_chromium_on_path_as_the_browser_tests_do(tmp_path: Path) -> None:
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    assert tools.chromium("bench", {"PATH": str(tmp_path)}) == str(browser)
    with pytest.raises(SystemExit) as stopped:
        tools.chromium("bench", {"PATH": str(tmp_path / "empty")})
    assert stopped.value.code != 0 and "apt-get install chromium" in str(stopped.value.code)


@pytest.fixture
def temporary() -> Iterator[Path]:
    """A TMPDIR of the bench's own, where a PostgreSQL cluster left behind would be found, and
    which PostgreSQL's account can enter (as root, initdb runs as ``postgres``; pytest's folders
    are root's alone), so the old failure is reproduced as it was."""
    folder = Path(tempfile.mkdtemp(prefix="bench-tools-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_the_lab_session_without_redis_starts_nothing_and_names_the_package(
    tmp_path: Path, temporary: Path
) -> None:
    folder = tmp_path / "lab"
    stderr = run_without(
        tmp_path,
        ("redis-server",),
        *("-m", "bench.lab_session", "--folder", str(folder)),
        TMPDIR=str(temporary),
    )
    lines = stderr.strip().splitlines()
    assert lines[0] == (
        "bench.lab_session: redis-server is not installed (Debian package redis-server)"
    )
    assert "apt-get install redis-server" in lines[-1]
    assert not list(temporary.glob("tutor-pg-*"))  # no initdb was run
    assert not folder.exists()


def test_the_lab_session_names_every_missing_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_postgres() -> Path:
        raise ServerMissing("PostgreSQL is not installed")

    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(lab_session, "postgres_bin", no_postgres)
    packages = [package for _, package in lab_session.missing_tools("sandbox")]
    assert {"redis-server", "postgresql", "bubblewrap"} <= set(packages)
    assert "bubblewrap" not in [package for _, package in lab_session.missing_tools("process")]


@pytest.mark.parametrize("step", ["made", "started"])
def test_the_lab_servers_are_both_closed_when_redis_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, step: str
) -> None:
    closed: list[str] = []

    class Postgres:  # made is initdb'd: a cluster in /tmp until closed
        def start(self) -> None:
            pass

        def close(self) -> None:
            closed.append("postgres")

    class Redis:
        def __init__(self) -> None:
            if step == "made":
                raise ServerMissing("Redis is not installed")

        def start(self) -> None:
            raise RuntimeError("redis-server exited at start")

        def close(self) -> None:
            closed.append("redis")

    monkeypatch.setattr(lab_session, "PostgresServer", Postgres)
    monkeypatch.setattr(lab_session, "RedisServer", Redis)
    failed = pytest.raises((ServerMissing, RuntimeError))
    with failed, lab_session.lab_servers(tmp_path):
        raise AssertionError("the lab ran without Redis")
    assert "postgres" in closed
