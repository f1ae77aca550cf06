"""The browser's Python starts with the core of Pyodide's standard library (tutor/stdlib_core.py):
what the bundle imports and what a Run of any exercise needs must be in it, or every start and
Run would fetch the rest too. Checked here with the project's Python (the same standard library
code, one version older): the modules that importing the bundle and running each exercise's
practice cases adds, in a fresh interpreter, against ``CORE``."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

from tutor import bundle
from tutor.assets import STDLIB, pinned
from tutor.content import load_catalog
from tutor.grading.judge import Judge
from tutor.grading.runner import InProcessRunner
from tutor.stdlib_core import CORE, top_level

from ..conftest import ROOT

# In a fresh interpreter: import every module of the bundle, then run every exercise's model
# solution on its practice cases, as the worker does; print the modules loaded meanwhile.
PROGRAM = """
import importlib, json, sys
before = set(sys.modules)
request = json.load(sys.stdin)
for name in request["modules"]:
    importlib.import_module(name)
from tutor.grading.harness import practice
for run in request["runs"]:
    report = practice(run["code"], run["driver"], run["cases"], run["step_budget"])
    assert report["verdict"] == "passed", (run["id"], report)
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_the_bundle_and_every_exercise_need_only_the_core_of_the_standard_library() -> None:
    built = bundle.current()
    assert built is not None, "no bundle: run `make bundle`"
    with zipfile.ZipFile(built.wheel) as wheel:
        modules = sorted(
            name.rsplit(".", 1)[0].removesuffix("/__init__").replace("/", ".")
            for name in wheel.namelist()
            if name.startswith("tutor/") and name.endswith((".py", ".pyc"))
        )
    judge = Judge(InProcessRunner())
    runs = [
        {
            "id": exercise.id,
            "code": exercise.solution,
            "driver": exercise.driver,
            "cases": judge.practice_payload(exercise),
            "step_budget": exercise.limits.step_budget,
        }
        for lesson in load_catalog(ROOT / "lessons").lessons
        for exercise in lesson.exercises
    ]
    assert len(runs) > 20 and len(modules) > 40
    loaded = subprocess.run(
        [sys.executable, "-I", "-c", PROGRAM],
        input=json.dumps({"modules": modules, "runs": runs}),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        check=True,
    )
    with zipfile.ZipFile(pinned()["pyodide"].folder / STDLIB) as stdlib:
        pyodides = {top_level(name) for name in stdlib.namelist()}
    needed = {name.split(".")[0] for name in json.loads(loaded.stdout)} & pyodides
    assert needed, "nothing of the standard library imported: the check checks nothing"
    assert needed <= CORE, f"add to tutor/stdlib_core.py: {sorted(needed - CORE)}"
