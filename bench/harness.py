"""Timing helpers shared by the bench modules; runs unchanged in CPython and in Pyodide."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[], object]
    target_ms: float | None = None


def median_ms(case: Case, repeats: int) -> tuple[float, list[float]]:
    """Median wall time of ``repeats`` runs, after one warm-up run."""
    case.run()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        case.run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), samples
