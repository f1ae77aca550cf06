"""``make test`` relies on ``--dist loadgroup`` keeping an ``xdist_group`` on one worker: a browser
test file shares its worker's browser and module fixtures, the fallback bundle is built once.
pytest 9.2 silently broke that (pytest-xdist#1386: every test scheduled alone, the suite still
green but slower); pyproject.toml pins pytest below it, and this test notices if it comes back."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

GROUPED = """
import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("i", range(4))
def test_grouped(i):
    pass
"""

LOOSE = """
import pytest


@pytest.mark.parametrize("i", range(8))
def test_loose(i):
    pass
"""


def test_an_xdist_group_runs_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_first_group.py").write_text(GROUPED)
    (tmp_path / "test_second_group.py").write_text(GROUPED)
    (tmp_path / "test_loose.py").write_text(LOOSE)
    # Only xdist among the plugins: three workers' start-up is most of this test's time.
    command = ["-p", "xdist", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup", "-v"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *command, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    ran = re.findall(r"\[(gw\d)\] .*PASSED (\S+)", done.stdout)
    grouped = {worker for worker, test in ran if "test_grouped" in test}
    assert len([test for _, test in ran if "test_grouped" in test]) == 8, done.stdout
    assert len(grouped) == 1, done.stdout
