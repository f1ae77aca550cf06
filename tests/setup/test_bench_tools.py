"""``make bench`` fails loudly when a tool it needs is missing (#15), never prints a table with
a quiet gap: without Node, ``python -m bench`` (its first step) measured CPython, printed "-"
for Pyodide and exited 0, so the run went on as if it had measured everything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT


def _without_tools(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m <args>`` with a PATH that holds nothing: no node, no wrk, no bwrap."""
    empty = tmp_path / "bin"
    empty.mkdir()
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env={**os.environ, "PATH": str(empty)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_bench_without_node_stops_before_measuring_and_says_why(tmp_path: Path) -> None:
    done = _without_tools(tmp_path, "bench", "--repeats", "1")
    assert done.returncode != 0
    assert "node is not installed" in done.stderr and "--no-pyodide" in done.stderr
    assert "CPython" not in done.stdout  # nothing measured


def test_budgets_without_wrk_or_bwrap_name_the_debian_packages(tmp_path: Path) -> None:
    done = _without_tools(tmp_path, "bench.budgets", "--seconds", "1")
    assert done.returncode == 1
    assert "apt-get install wrk bubblewrap" in done.stderr
