"""``make bench`` fails loudly when a tool it needs is missing (#15), never prints a table with
a quiet gap: without Node, ``python -m bench`` (its first step) measured CPython, printed "-"
for Pyodide and exited 0, so the run went on as if it had measured everything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT


def _bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "bin"  # a PATH with Python and nothing else: no node, no wrk
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = {**os.environ, "PATH": str(bin_dir)}
    return subprocess.run(
        [sys.executable, "-m", "bench", "--repeats", "1", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_bench_without_node_stops_before_measuring_and_says_why(tmp_path: Path) -> None:
    done = _bench(tmp_path)
    assert done.returncode != 0
    assert "node is not installed" in done.stderr and "--no-pyodide" in done.stderr
    assert "CPython" not in done.stdout  # nothing measured


def test_budgets_without_wrk_or_bwrap_name_the_debian_packages(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "bench.budgets", "--seconds", "1"],
        cwd=ROOT,
        env={**os.environ, "PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert "apt-get install wrk bubblewrap" in done.stderr
