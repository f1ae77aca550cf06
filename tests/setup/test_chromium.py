"""The browser tests' Chromium: Debian's, CHROMIUM_PATH's, and never Ubuntu's snap wrapper.

On Ubuntu 24.04 the Chromium package leaves a /usr/bin script that starts the snap; Playwright
fails on it obscurely, so it must be recognised and explained instead.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tutor import chromium

from .fakes import FakeMachine

ROOT = Path(__file__).resolve().parents[2]
# The shape of Ubuntu's transitional /usr/bin/chromium-browser.
SNAP_WRAPPER = """#!/bin/sh
if ! [ -x /snap/bin/chromium ]; then
    echo "Command '$0' requires the chromium snap to be installed." >&2
    exit 1
fi
exec /snap/bin/chromium "$@"
"""
# The shape of Debian's /usr/bin/chromium: a wrapper, but around a real binary.
DEBIAN_WRAPPER = """#!/bin/sh
CHROMIUM_FLAGS="--enable-remote-extensions"
exec /usr/lib/chromium/chromium $CHROMIUM_FLAGS "$@"
"""


def command(machine: FakeMachine, name: str, text: str) -> Path:
    path = machine.bin / name
    path.write_text(text)
    path.chmod(0o755)
    return path


def test_debian_s_chromium_is_used(tmp_path: Path) -> None:
    machine = FakeMachine(tmp_path)
    debian = command(machine, "chromium", DEBIAN_WRAPPER)
    assert chromium.executable(machine.env) == str(debian)


@pytest.mark.parametrize("name", ["chromium", "chromium-browser"])
def test_ubuntu_s_snap_wrapper_is_refused_with_the_way_out(tmp_path: Path, name: str) -> None:
    machine = FakeMachine(tmp_path)
    command(machine, name, SNAP_WRAPPER)
    with pytest.raises(chromium.ChromiumUnavailable) as refused:
        chromium.executable(machine.env)
    assert "snap" in str(refused.value) and "CHROMIUM_PATH=" in str(refused.value)


def test_a_link_into_snap_is_a_snap(tmp_path: Path) -> None:
    machine = FakeMachine(tmp_path)
    (machine.bin / "chromium").symlink_to("/snap/bin/chromium")
    assert chromium.is_snap_wrapper(str(machine.bin / "chromium"))
    with pytest.raises(chromium.ChromiumUnavailable, match="snap"):
        chromium.executable(machine.env)


def test_chromium_path_wins_over_the_snap(tmp_path: Path) -> None:
    machine = FakeMachine(tmp_path)
    command(machine, "chromium-browser", SNAP_WRAPPER)
    chrome = command(machine, "chrome", "#!/bin/sh\n")
    env = {**machine.env, "CHROMIUM_PATH": str(chrome)}
    assert chromium.executable(env) == str(chrome)
    with pytest.raises(chromium.ChromiumUnavailable, match="not an executable"):
        chromium.executable({**machine.env, "CHROMIUM_PATH": str(tmp_path / "missing")})


def test_no_chromium_at_all_says_where_it_looked(tmp_path: Path) -> None:
    machine = FakeMachine(tmp_path)
    with pytest.raises(chromium.ChromiumUnavailable, match="CHROMIUM_PATH, then chromium"):
        chromium.executable(machine.env)


def test_the_set_up_step_explains_but_does_not_fail(tmp_path: Path) -> None:
    """`make system-deps` runs this: `make run` must go on without a usable Chromium."""
    machine = FakeMachine(tmp_path)
    command(machine, "chromium-browser", SNAP_WRAPPER)
    result = subprocess.run(
        [sys.executable, "-m", "tutor.chromium"],
        cwd=ROOT,
        env=machine.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stderr.startswith("note: ") and "starts the Chromium snap" in result.stderr
    assert result.stdout == ""
