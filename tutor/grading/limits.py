"""Resource limits for one grading run; each exercise may override them in its manifest.

The manifest's values are checked for type and range when lessons load: a limit that the
sandbox cannot apply (a string where seconds go, a wall clock of 0, 3 MB of memory, no file
descriptors for Python itself) would otherwise pass ``check-lessons`` and fail every learner's
submission in production.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

# (smallest, largest) each limit may be; Python itself needs ~40 MB and a dozen descriptors.
RANGES: dict[str, tuple[float, float]] = {
    "cpu_seconds": (1, 60),
    "wall_seconds": (0.5, 300),
    "memory_mb": (64, 8192),
    "output_kb": (1, 16384),
    "step_budget": (1, 100_000_000),
    "open_files": (16, 4096),
}


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 3
    wall_seconds: float = 6.0
    memory_mb: int = 512
    output_kb: int = 256
    step_budget: int = 100_000
    open_files: int = 32

    @classmethod
    def from_manifest(cls, table: dict[str, Any]) -> Limits:
        known = {f.name for f in fields(cls)}
        unknown = set(table) - known
        if unknown:
            raise ValueError(f"unknown limit(s) {sorted(unknown)}; known: {sorted(known)}")
        problems = [p for name, value in table.items() if (p := _problem(name, value))]
        if problems:
            raise ValueError("; ".join(problems))
        return cls(**table)


def _problem(name: str, value: object) -> str:
    whole = name != "wall_seconds"
    kinds = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        kind = "a whole number" if whole else "a number of seconds"
        return f"{name} must be {kind}, not {value!r}"
    low, high = RANGES[name]
    if not low <= value <= high:
        return f"{name} = {value!r} is outside {low:g}..{high:g}"
    return ""
