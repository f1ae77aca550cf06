"""``python -m bench``: every ``bench_*`` module, in CPython and in Pyodide (Node), as a table.

Options: ``--repeats N`` (default 7), ``--no-pyodide``. Without Node or a current bundle it says why
and exits with status 1 before measuring anything (unless ``--no-pyodide`` was asked).
``browser_timings.py`` (real Chromium and the web app) is a separate script with its own options
and is not run from here.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import platform
from pathlib import Path

from bench import pyodide
from bench.harness import median_ms


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-pyodide", action="store_true")
    args = parser.parse_args()
    modules = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_")
    )
    note = "skipped (--no-pyodide)" if args.no_pyodide else pyodide.available()
    if note and not args.no_pyodide:
        # A missing tool stops the run (and ``make bench``) before measuring, not a "-" column.
        raise SystemExit(f"python -m bench: no Pyodide timings: {note} (or pass --no-pyodide)")
    rows = []
    for module in modules:
        for case in importlib.import_module(f"bench.{module}").CASES:
            median, _ = median_ms(case, args.repeats)
            rows.append((case.name, median, case.target_ms))
    in_pyodide: dict[str, float] = {}
    if note is None:
        in_pyodide = pyodide.medians(modules, max(3, args.repeats // 2))
    print(f"CPython {platform.python_version()}, median of {args.repeats} runs")
    header = f"{'scenario':40} {'CPython ms':>11} {'target ms':>10} {'Pyodide ms':>11} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for name, median, target in rows:
        target_s = f"{target:.0f}" if target is not None else "-"
        if name in in_pyodide:
            py, ratio = f"{in_pyodide[name]:.1f}", f"{in_pyodide[name] / median:.2f}x"
        else:
            py, ratio = "-", "-"
        print(f"{name:40} {median:11.1f} {target_s:>10} {py:>11} {ratio:>6}")
    if note:
        print(f"Pyodide: {note}")


if __name__ == "__main__":
    main()
