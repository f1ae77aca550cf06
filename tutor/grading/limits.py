"""Resource limits for one grading run; each exercise may override them in its manifest."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


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
        return cls(**table)
