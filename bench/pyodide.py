"""Runs the bench modules inside real Pyodide under Node, with the built browser bundle."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUNNER = ROOT / "tests" / "sim" / "pyodide_run.mjs"


def available() -> str | None:
    """Why Pyodide timings cannot be taken, or None if they can."""
    if shutil.which("node") is None:
        return "node is not installed"
    from tutor import bundle

    if bundle.current() is None:
        venv = ROOT / ".venv-pyodide"
        if not (venv / "bin" / "pyodide").exists():
            return "the browser bundle is stale and there is no .venv-pyodide (run `make bundle`)"
        bundle.build(venv)
    return None


def medians(modules: list[str], repeats: int) -> dict[str, float]:
    """Median ms per case name, measured inside Pyodide."""
    from tutor import bundle

    files = {name: (HERE / f"{name}.py").read_text() for name in ["__init__", "harness", *modules]}
    source = f"""
import json, os, sys, importlib
os.makedirs("/home/pyodide/bench", exist_ok=True)
for name, text in {files!r}.items():
    with open(f"/home/pyodide/bench/{{name}}.py", "w") as f:
        f.write(text)
sys.path.insert(0, "/home/pyodide")
from bench.harness import median_ms
out = {{}}
for module in {modules!r}:
    for case in importlib.import_module("bench." + module).CASES:
        out[case.name] = median_ms(case, {repeats})[0]
json.dumps(out)
"""
    result = subprocess.run(
        ["node", str(RUNNER), str(bundle.output_dir())],
        input=source,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data
