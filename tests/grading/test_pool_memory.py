"""A pool's memory as a whole (#11): the bound, the cgroup it is put in when the operator gives
one, and the log line that says which.

The kernel's enforcement of ``memory.max`` cannot be exercised on a machine without a cgroup v2
memory controller (this one has none), so the cgroup half is tested against a folder laid out
like a delegated cgroup: what the server writes there, and that every sandbox process is started
through it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from tutor.grading.limits import Limits
from tutor.grading.pool_memory import ZYGOTE_MB, CgroupUnavailable, plan
from tutor.grading.protocol import Case
from tutor.grading.sandbox import SandboxPool, SandboxRunner

from ..conftest import FIXTURE_LESSONS

# Any exercise will do: the fixture lesson's, so editing a course lesson cannot break this.
WALK = FIXTURE_LESSONS / "01-fixture/exercises/walk"


def _delegated(folder: Path, controllers: str = "cpu memory pids") -> Path:
    folder.mkdir()
    (folder / "cgroup.controllers").write_text(controllers + "\n")
    (folder / "cgroup.subtree_control").write_text("")
    return folder


def test_without_a_cgroup_the_bound_is_workers_times_the_child_limit() -> None:
    memory = plan(3, 256, None)
    assert memory.cgroup is None and memory.limit_mb == 3 * (256 + ZYGOTE_MB)
    assert "no cgroup" in memory.description and f"= {memory.limit_mb} MB" in memory.description
    assert "RLIMIT_AS (256 MB)" in memory.description


def test_a_cgroup_without_a_memory_controller_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CgroupUnavailable, match="no memory controller"):
        plan(2, 256, str(_delegated(tmp_path / "cg", "cpu pids")))


def test_a_cgroup_setting_that_names_no_cgroup_says_which_setting(tmp_path: Path) -> None:
    """It said "…/cgroup.controllers: No such file or directory. Fix that, or set
    GRADER='process'": the setting to fix was not named, and the unsafe grader was offered."""
    for missing in (tmp_path / "nonexistent", tmp_path):
        with pytest.raises(CgroupUnavailable) as refused:
            plan(2, 256, str(missing))
        assert f"GRADER_CGROUP={missing}" in str(refused.value)
        assert "leave it unset" in str(refused.value)


def test_a_delegated_cgroup_gets_a_pool_child_with_memory_max(tmp_path: Path) -> None:
    parent = _delegated(tmp_path / "cg")
    memory = plan(2, 256, str(parent))
    assert memory.cgroup is not None and memory.cgroup.parent == parent
    assert (parent / "cgroup.subtree_control").read_text() == "+memory +pids"
    assert int((memory.cgroup / "memory.max").read_text()) == 2 * (256 + ZYGOTE_MB) << 20


def test_every_sandbox_process_starts_inside_the_pools_cgroup(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    parent = _delegated(tmp_path / "cg")
    pool_folder = parent / f"virttutor-pool-{os.getpid()}-1"
    pool_folder.mkdir()
    procs = pool_folder / "cgroup.procs"  # in a real cgroup the kernel provides it
    procs.write_text("")
    caplog.set_level(logging.INFO, logger="tutor.grading.sandbox")
    pool = SandboxPool(1, 128, str(parent))
    pool.start()
    try:
        (outcome,) = SandboxRunner(pool).run(
            (WALK / "solution.py").read_text(),
            (WALK / "driver.py").read_text(),
            [Case("c", {"layers": ["app", "kernel", "disk"], "skip": []})],
            Limits(cpu_seconds=2, wall_seconds=5, memory_mb=128),
        )
        assert outcome.error is None
        assert procs.read_text() == "0\n"  # the zygote's starter moved itself in
        assert f"memory.max = {128 + ZYGOTE_MB} MB" in caplog.text
        assert "hold no objects" in caplog.text
    finally:
        pool.close()
