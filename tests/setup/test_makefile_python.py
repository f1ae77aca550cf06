"""The Makefile's own Python: the first of python3.13/3.12/3.11/python3 that runs and is ≥ 3.11.

Each machine is a fake PATH: stand-ins that fail like a pyenv shim or an old Python, and links
to the interpreter running this test (new enough) under the names the Makefile looks for.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .fakes import FakeMachine

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make") or "/usr/bin/make"
SHOW = "show-python: ; @echo '[$(PYTHON)]'"


def make(machine: FakeMachine, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MAKE, "-s", "--no-print-directory", "-C", str(ROOT), *args],
        env=machine.env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def good(machine: FakeMachine, name: str) -> None:
    (machine.bin / name).symlink_to(sys.executable)


def too_old(machine: FakeMachine, name: str) -> None:
    # What `python3.9 -c 'import sys; sys.exit(sys.version_info < (3, 11))'` does: exit 1.
    (machine.bin / name).write_text("#!/bin/sh\nexit 1\n")
    (machine.bin / name).chmod(0o755)


def test_without_a_usable_python3_the_newest_name_that_runs_wins(tmp_path: Path) -> None:
    machine = FakeMachine(tmp_path)
    too_old(machine, "python3")
    machine.broken("python3.13")  # a pyenv shim for a version not selected here
    good(machine, "python3.12")
    good(machine, "python3.11")
    assert make(machine, "--eval", SHOW, "show-python").stdout.strip() == "[python3.12]"


def test_the_machines_own_python3_is_used_when_it_is_new_enough(tmp_path: Path) -> None:
    # Debian 12's 3.11.2, Ubuntu 24.04's 3.12, or the version pyenv selects: the one the
    # machine's owner chose, even where a newer python3.X is also installed.
    machine = FakeMachine(tmp_path)
    good(machine, "python3.12")
    good(machine, "python3")
    assert make(machine, "--eval", SHOW, "show-python").stdout.strip() == "[python3]"


def test_an_old_python3_gives_a_clear_error_before_anything_is_installed(tmp_path: Path) -> None:
    machine = FakeMachine(tmp_path)
    too_old(machine, "python3")
    ran = tmp_path / "ran"
    for tool in ("apt-get", "sudo"):  # record, never run, any attempt to install
        (machine.bin / tool).write_text(f"#!/bin/sh\necho {tool} >> {ran}\n")
        (machine.bin / tool).chmod(0o755)
    result = make(machine, "system-deps")
    assert result.returncode != 0
    assert "No Python 3.11 or later found (tried python3 python3.13 python3.12 python3.11)" in (
        result.stderr
    )
    assert not ran.exists()


def test_python_given_on_the_command_line_is_honoured(tmp_path: Path) -> None:
    machine = FakeMachine(tmp_path)
    good(machine, "python3.12")
    chosen = make(machine, f"PYTHON={sys.executable}", "--eval", SHOW, "show-python")
    assert chosen.stdout.strip() == f"[{sys.executable}]"


def logging_python(path: Path, log: Path, makes_venv: bool = False) -> None:
    """Records every call; with ``makes_venv``, `-m venv DIR` leaves a logging DIR/bin/python."""
    venv = (
        'if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin"; '
        f'printf \'#!/bin/sh\\necho "venv-python $*" >> {log}\\n\' > "$3/bin/python"; '
        'chmod +x "$3/bin/python"; fi\n'
        if makes_venv
        else ""
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho "{path.name} $*" >> {log}\n{venv}')
    path.chmod(0o755)


def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(ROOT / "Makefile", folder / "Makefile")
    (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    return folder


def test_an_existing_venv_keeps_its_own_python(tmp_path: Path) -> None:
    """A newer python3.13 appearing later must not be run over a venv made with 3.11."""
    machine, folder, log = FakeMachine(tmp_path), project(tmp_path), tmp_path / "calls"
    logging_python(machine.bin / "python3.13", log, makes_venv=True)
    logging_python(folder / ".venv" / "bin" / "python", log)
    result = subprocess.run(
        [MAKE, "-s", "-C", str(folder), ".venv/.installed"],
        env=machine.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert not [c for c in calls if "-m venv" in c]
    assert [c.split()[0] for c in calls if "pip install" in c] == ["python", "python"]


def test_a_missing_venv_is_made_with_the_python_found(tmp_path: Path) -> None:
    machine, folder, log = FakeMachine(tmp_path), project(tmp_path), tmp_path / "calls"
    logging_python(machine.bin / "python3.13", log, makes_venv=True)
    result = subprocess.run(
        [MAKE, "-s", "-C", str(folder), ".venv/.installed"],
        env=machine.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert "python3.13 -m venv .venv" in calls
    pip = [c for c in calls if "pip install" in c]
    assert pip and all(c.startswith("venv-python -m pip install") for c in pip)
