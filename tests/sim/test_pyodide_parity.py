"""The browser runs the same model: the built wheel in real Pyodide gives CPython's trace digest."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sim import parity_scenario

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RUNNER = HERE / "pyodide_run.mjs"

# It may rebuild the browser wheel that the Chromium tests load: never run beside them.
pytestmark = pytest.mark.xdist_group("browser")


def pyodide_dir() -> Path:
    from tutor import bundle

    if shutil.which("node") is None:
        pytest.fail(
            "node is needed to run Pyodide outside the browser (Debian: apt-get install nodejs)"
        )
    if bundle.current() is None:  # sources changed since the last `make bundle`: rebuild
        # With pyodide-build if a Python for it is found, else source-only (never downloads).
        bundle.build(ROOT / ".venv-pyodide", acquire=False)
    return bundle.output_dir()


def test_fixed_scenario_has_the_same_trace_digest_in_pyodide() -> None:
    directory = pyodide_dir()
    cpython = json.loads(parity_scenario.run())
    source = (HERE / "parity_scenario.py").read_text() + "\nrun()\n"
    result = subprocess.run(
        ["node", str(RUNNER), str(directory)],
        input=source,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pyodide = json.loads(result.stdout.strip().splitlines()[-1])
    assert pyodide["events"] == cpython["events"]
    assert pyodide["areas"] == cpython["areas"]
    assert pyodide["digest"] == cpython["digest"]
    assert cpython["events"] > 1000


def test_same_digest_under_different_hash_seeds() -> None:
    """Set and dict orders of strings vary with PYTHONHASHSEED; the model must not."""
    digests = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "from tests.sim import parity_scenario; print(parity_scenario.run())",
            ],
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        digests.add(json.loads(result.stdout)["digest"])
    assert len(digests) == 1
