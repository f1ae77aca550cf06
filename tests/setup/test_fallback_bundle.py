"""On a machine with no Python for pyodide-build (stock Debian 12), `make bundle` still works.

``python -m tutor.bundle`` runs here as `make` runs it, but on a fake PATH and home with no
Python 3.13, no 3.12, no pyenv and no uv, into a copy of Pyodide's folder (the real one is
shared with the browser tests). The bundle must be loadable exactly as the browser loads it:
its lock entry's sha256 is enforced, so it must be the wheel's, and the wheel must import and
run ``tutor.sim`` in real Pyodide under Node, without bytecode.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.sim import parity_scenario
from tutor import bundle, toolchain
from tutor.assets import pinned

from .fakes import FakeMachine

# One build for the whole module: keep its tests on one xdist worker.
pytestmark = pytest.mark.xdist_group("fallback-bundle")

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "sim" / "pyodide_run.mjs"
WANTED = "Python {}.{}".format(*toolchain.pyodide_python(bundle.output_dir() / bundle.PYODIDE_LOCK))


@dataclass(frozen=True)
class Built:
    out: Path
    stdout: str
    tools_venv: Path

    def lock(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.out / bundle.LOCK_NAME).read_text())
        return data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("stock-debian")
    machine = FakeMachine(root / "machine")
    machine.python("3.11.2")  # what Debian 12 has: too old even for pyodide-build
    machine.python("3.11.2", "python3")
    out = root / "pyodide"
    out.mkdir()
    for name in pinned()["pyodide"].files:  # Pyodide itself, shared read-only
        (out / name).symlink_to(bundle.output_dir() / name)
    tools_venv = root / "tools-venv"
    result = subprocess.run(
        [sys.executable, "-m", "tutor.bundle", "--offline", "--out", str(out), str(tools_venv)],
        cwd=ROOT,
        env=machine.env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return Built(out, result.stdout, tools_venv)


def test_the_build_says_in_one_line_what_was_skipped_and_what_it_costs(built: Built) -> None:
    notes = [line for line in built.stdout.splitlines() if "bytecode" in line]
    assert len(notes) == 1
    assert notes[0].startswith(f"bundle without bytecode: no {WANTED} found")
    assert "compiles on first import" in notes[0]
    assert "PYODIDE_PYTHON" in notes[0] and "make bundle" in notes[0]
    assert "lock entry is by tutor/lockfile.py" in notes[0]
    assert not built.tools_venv.exists()  # no pyodide-build was attempted with Python 3.11


def test_the_lock_entry_matches_the_wheel_the_browser_will_fetch(built: Built) -> None:
    entry = built.lock()["packages"][bundle.PACKAGE]
    wheel = built.out / entry["file_name"]
    assert wheel.parent == built.out  # resolves beside pyodide.mjs, where Pyodide looks
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert (entry["name"], entry["imports"], entry["depends"]) == (bundle.PACKAGE, ["tutor"], [])
    assert (entry["install_dir"], entry["package_type"]) == ("site", "package")
    manifest = json.loads((built.out / bundle.MANIFEST_NAME).read_text())
    assert (manifest["sha256"], manifest["bytecode"]) == (entry["sha256"], False)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        kinds = {info.compress_type for info in archive.infolist()}
    assert kinds == {zipfile.ZIP_STORED}  # compressed as a whole in transit, not member by member
    assert "tutor/sim/__init__.py" in names
    assert not [n for n in names if n.endswith(".pyc")]


def test_pyodide_s_own_packages_are_kept_as_pyodide_wrote_them(built: Built) -> None:
    """Same shape as every other entry, and nothing of Pyodide's lost or changed."""
    pyodide = json.loads((built.out / bundle.PYODIDE_LOCK).read_text())
    ours = built.lock()
    entry = ours["packages"].pop(bundle.PACKAGE)
    assert set(ours["packages"]) == set(pyodide["packages"])
    for name, spec in pyodide["packages"].items():  # pyodide-build adds defaulted fields only
        assert ours["packages"][name].items() >= spec.items(), name
    assert set(entry) == set(ours["packages"]["micropip"])
    assert ours["info"]["python"] == pyodide["info"]["python"]


def test_a_second_build_keeps_the_bundle_when_still_no_python_is_found(built: Built) -> None:
    before = bundle.current(built.out)
    assert before is not None and not before.bytecode
    again = bundle.build(
        built.tools_venv, built.out, tools=toolchain.Toolchain((3, 13), None, ("nothing",))
    )
    assert again == before


def test_the_source_only_wheel_runs_tutor_sim_in_pyodide(built: Built) -> None:
    if shutil.which("node") is None:
        pytest.fail(
            "node is needed to run Pyodide outside the browser (Debian: apt-get install nodejs)"
        )
    cpython = json.loads(parity_scenario.run())
    source = (
        (ROOT / "tests" / "sim" / "parity_scenario.py").read_text()
        + "\nimport tutor.sim\njson.dumps({'file': tutor.sim.__file__, **json.loads(run())})\n"
    )
    result = subprocess.run(
        ["node", str(RUNNER), str(built.out)],
        input=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pyodide = json.loads(result.stdout.strip().splitlines()[-1])
    assert pyodide["file"].endswith("tutor/sim/__init__.py")  # source, not bytecode
    assert (pyodide["events"], pyodide["digest"]) == (cpython["events"], cpython["digest"])
