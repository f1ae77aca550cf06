"""Which Python builds the browser bundle, on machines described by a fake PATH and home.

Stock Debian 12 has 3.11 only, Ubuntu 24.04 3.12 only, a developer may have pyenv or uv: each
test below is one such machine, and checks the choice the bundle step will act on.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tutor import toolchain
from tutor.bundle import output_dir

from .fakes import FakeMachine

PYODIDE = toolchain.pyodide_python(output_dir() / "pyodide-lock.json")
WANTED = "{}.{}".format(*PYODIDE)


@pytest.fixture
def machine(tmp_path: Path) -> FakeMachine:
    return FakeMachine(tmp_path)


def test_pyodide_s_python_is_read_from_the_pinned_lock_file() -> None:
    """The target follows the pin: Pyodide's own compiled packages carry its cpXY tag."""
    lock = json.loads((output_dir() / "pyodide-lock.json").read_text())
    tags = {
        match[1]
        for spec in lock["packages"].values()
        if (match := re.search(r"-(cp3\d+)-\1-", spec["file_name"]))
    }
    assert tags == {f"cp{PYODIDE[0]}{PYODIDE[1]}"}


def test_stock_ubuntu_with_only_3_12_uses_it_for_the_lock_file_but_cannot_compile(
    machine: FakeMachine,
) -> None:
    python312 = machine.python("3.12.3")
    machine.python("3.12.3", "python3")
    found = toolchain.find(PYODIDE, machine.env)
    assert found.python is not None
    assert found.python.path == str(python312)
    assert found.python.version == (3, 12, 3)
    assert (found.locks, found.compiles) == (True, False)
    assert f"no Python {WANTED} found" in found.missing()


def test_stock_debian_with_only_3_11_has_no_tool_python(machine: FakeMachine) -> None:
    machine.python("3.11.2")
    machine.python("3.11.2", "python3")
    found = toolchain.find(PYODIDE, machine.env)
    assert found.python is None
    assert (found.locks, found.compiles) == (False, False)
    for place in (f"python{WANTED} on PATH", f"pyenv {WANTED}.x", "PYODIDE_PYTHON"):
        assert place in found.missing()


def test_python3_is_the_last_resort_when_it_is_new_enough(machine: FakeMachine) -> None:
    python3 = machine.python("3.12.8", "python3")
    found = toolchain.find(PYODIDE, machine.env)
    assert found.python is not None and found.python.path == str(python3)


def test_the_pyodide_minor_on_path_wins_over_newer_tools(machine: FakeMachine) -> None:
    machine.python("3.12.3")
    python = machine.python(f"{WANTED}.1")
    found = toolchain.find(PYODIDE, machine.env)
    assert found.python is not None and found.python.path == str(python)
    assert found.compiles


def test_a_python_of_another_minor_is_never_taken_for_pyodide_s(machine: FakeMachine) -> None:
    # A python3.13 whose probe says 3.14 (a mislabelled link) is not Pyodide's Python.
    machine.python(f"{PYODIDE[0]}.{PYODIDE[1] + 1}.0", f"python{WANTED}")
    found = toolchain.find(PYODIDE, machine.env)
    assert not found.compiles


def test_pyodide_python_comes_first(machine: FakeMachine, tmp_path: Path) -> None:
    machine.python(f"{WANTED}.0")
    chosen = machine.python(f"{WANTED}.4", folder=tmp_path / "elsewhere")
    found = toolchain.find(PYODIDE, {**machine.env, "PYODIDE_PYTHON": str(chosen)})
    assert found.python is not None
    assert (found.python.path, found.python.found_by) == (str(chosen), "PYODIDE_PYTHON")


def test_a_broken_pyodide_python_is_reported_and_the_search_goes_on(
    machine: FakeMachine,
) -> None:
    on_path = machine.python(f"{WANTED}.2")
    found = toolchain.find(PYODIDE, {**machine.env, "PYODIDE_PYTHON": "/nonexistent/python"})
    assert found.python is not None and found.python.path == str(on_path)
    assert "PYODIDE_PYTHON=/nonexistent/python (not a working Python)" in found.looked_at


def test_pyenv_versions_are_found_behind_a_shim_that_runs_nothing(machine: FakeMachine) -> None:
    machine.broken(f"python{WANTED}")  # pyenv's shim when the version is not selected here
    machine.pyenv_python(f"{WANTED}.2")
    newest = machine.pyenv_python(f"{WANTED}.10")  # 10 > 2: versions compare as numbers
    found = toolchain.find(PYODIDE, machine.env)
    assert found.python is not None
    assert (found.python.path, found.python.found_by) == (str(newest), "pyenv")


def test_pyenv_root_is_honoured(machine: FakeMachine, tmp_path: Path) -> None:
    root = tmp_path / "elsewhere-pyenv"
    python = machine.python(f"{WANTED}.3", f"python{WANTED}", root / "versions" / "x" / "bin")
    (root / "versions" / "x").rename(root / "versions" / f"{WANTED}.3")
    found = toolchain.find(PYODIDE, {**machine.env, "PYENV_ROOT": str(root)})
    assert found.python is not None
    assert found.python.path == str(python).replace("/x/", f"/{WANTED}.3/")


def test_uv_python_find_is_asked_last(machine: FakeMachine, tmp_path: Path) -> None:
    managed = machine.python(f"{WANTED}.5", folder=tmp_path / "uv-pythons")
    machine.uv(f'"python find") [ "$3" = {WANTED} ] && echo {managed} && exit 0 ;;')
    found = toolchain.find(PYODIDE, machine.env)
    assert found.python is not None
    assert (found.python.path, found.python.found_by) == (str(managed), "uv")


def test_uv_python_install_is_tried_only_when_allowed(machine: FakeMachine, tmp_path: Path) -> None:
    target = tmp_path / "uv-pythons" / f"python{WANTED}"
    machine.uv(
        f'"python find") [ -x {target} ] && echo {target} && exit 0; exit 1 ;;\n'
        f'"python install") mkdir -p {target.parent} && '
        f"printf '#!/bin/sh\\necho {WANTED}.9\\n' > {target} && chmod +x {target} && exit 0 ;;"
    )
    assert toolchain.find(PYODIDE, machine.env).python is None
    found = toolchain.find(PYODIDE, machine.env, acquire=True)
    assert found.python is not None and found.python.path == str(target)
    assert found.compiles


def test_a_failed_uv_install_degrades_quickly_and_says_why(machine: FakeMachine) -> None:
    machine.python("3.12.3")
    machine.uv(
        '"python find") exit 1 ;;\n'
        '"python install") echo "error: Failed to download: dns error" >&2; exit 1 ;;'
    )
    started = time.monotonic()
    found = toolchain.find(PYODIDE, machine.env, acquire=True)
    assert time.monotonic() - started < 10
    assert found.python is not None and found.python.minor == (3, 12)
    assert not found.compiles
    assert f"uv python install {WANTED} (failed: error: Failed to download: dns error)" in (
        found.missing()
    )
