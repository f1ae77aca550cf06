"""Lessons are checked as production will use them (#11): limits the sandbox can apply, cases
that survive the JSON trip to a grading process, and modules that finish importing."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tutor.content import import_deadline, load_catalog
from tutor.content.loader import LessonError
from tutor.grading.limits import Limits
from tutor.grading.protocol import Case
from tutor.grading.runner import InProcessRunner, RunnerFailure

from ..conftest import ROOT

IO = ROOT / "lessons/05-hypervisors/exercises/io-path"


@pytest.mark.parametrize(
    "table",
    [
        {"cpu_seconds": "3"},
        {"cpu_seconds": True},
        {"cpu_seconds": 2.5},
        {"wall_seconds": 0},
        {"wall_seconds": "6"},
        {"memory_mb": 3},
        {"open_files": 2},
        {"step_budget": -1},
        {"output_kb": 10**9},
    ],
)
def test_limits_the_sandbox_cannot_apply_are_refused(table: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(table))):
        Limits.from_manifest(table)


def test_sensible_limits_load() -> None:
    limits = Limits.from_manifest({"cpu_seconds": 2, "wall_seconds": 4.5, "memory_mb": 256})
    assert (limits.cpu_seconds, limits.wall_seconds, limits.memory_mb) == (2, 4.5, 256)


def test_cases_that_are_not_json_fail_as_they_would_in_production() -> None:
    solution, driver = (IO / "solution.py").read_text(), (IO / "driver.py").read_text()
    cases = [Case("c", {"kind": "kvm", "operation": "privileged", "extra": {1, 2}})]
    with pytest.raises(RunnerFailure, match="not JSON"):
        InProcessRunner().run(solution, driver, cases, Limits())


def test_a_loop_at_import_time_does_not_hang_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(ROOT / "lessons", lessons)
    cases = lessons / "05-hypervisors/exercises/io-path/cases.py"
    cases.write_text("while True:\n    pass\n" + cases.read_text())
    monkeypatch.setattr(import_deadline, "IMPORT_SECONDS", 0.5)
    began = time.monotonic()
    with pytest.raises(LessonError) as refused:
        load_catalog(lessons)
    assert time.monotonic() - began < 10
    assert "io-path/cases.py" in str(refused.value) and "did not finish importing" in str(
        refused.value
    )
